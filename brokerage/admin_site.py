"""The portal's admin site: its name, its index arranged by what coordinators do, and its machinery.

Installed through ``brokerage.apps_admin.BrokerageAdminConfig`` (``AdminConfig.default_site``), so every
``admin.site.register`` in the apps registers here.
"""

from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from programmes.words import SITE_NAME

# The index's sections, in plain words and in the order coordinators use them; each lists its
# models (app label and model name, lower case) in the order shown. Anything not named here is
# machinery and goes last.
SECTIONS = [
    ("fairs", _("Fairs and bookings"), [
        "events.jointevent", "events.surgery", "events.slot", "events.booking", "events.waitlistentry",
        "events.evaluation",
    ]),
    ("bulletins", _("Bulletins"), ["brokerage.bulletin", "brokerage.bulletinitem", "brokerage.subscriber"]),
    ("catalogue", _("Catalogue and vocabulary"), [
        "programmes.offer", "programmes.programme", "programmes.agency", "brokerage.enquiry",
        "brokerage.duplicatereview", "programmes.theme", "programmes.audience", "programmes.region",
        "programmes.glossaryterm", "programmes.searchsynonym",
    ]),
    ("people", _("People and organisations"), [
        "providers.providerorganisation", "providers.membership", "providers.providercontact",
        "providers.verifieddomain", "providers.planitem", "programmes.regionalworker", "auth.user", "auth.group",
    ]),
]
MACHINERY_SECTION = ("machinery", _("Machinery (records the portal keeps)"))

# Where the index names a model otherwise than its verbose_name_plural (every model of ours has a
# translatable one): a clearer name for the desk, and axes' models, whose names no catalogue of ours holds.
MODEL_NAMES = {
    "brokerage.signal": _("Demand signals"),
    "providers.membership": _("Requests to join an organisation"),
    "axes.accessattempt": _("Sign-in attempts"),
    "axes.accessfailurelog": _("Failed sign-ins"),
    "axes.accesslog": _("Sign-in records"),
}

# Tables the portal writes by itself (sending, signals, reminders, digests): nobody edits them by hand.
# Superusers may read them to diagnose; other coordinators do not see them.
MACHINERY = frozenset({
    "brokerage.delivery", "programmes.outboxemail", "brokerage.signal", "programmes.offerreviewreminder",
    "brokerage.insightdigest",
})


class MachineryAdminMixin:
    """Read-only, for superusers only."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args, **kwargs):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def model_key(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


class BrokerageAdminSite(admin.AdminSite):
    site_header = format_lazy(_("{site}: coordinators"), site=SITE_NAME)
    site_title = format_lazy(_("{site} admin"), site=SITE_NAME)
    index_title = _("What would you like to do?")
    site_url = "/coordinators/"  # "View site" leads back to the coordinator's start page

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        for model in models:
            model_admin = admin_class or admin.ModelAdmin
            if model_key(model) in MACHINERY and not issubclass(model_admin, MachineryAdminMixin):
                model_admin = type(model_admin.__name__, (MachineryAdminMixin, model_admin), {})
            super().register(model, model_admin, **options)

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label:  # an app's own page stays as Django makes it
            return app_list
        return arrange_by_task(app_list)


def arrange_by_task(app_list):
    """Django's app list regrouped into SECTIONS, each model once; the rest last, as machinery."""
    models = {f"{app['app_label']}.{m['object_name'].lower()}": m for app in app_list for m in app["models"]}
    for key, model in models.items():
        model["name"] = MODEL_NAMES.get(key, model["name"])
    arranged = []
    for label, name, keys in SECTIONS:
        section_models = [models.pop(key) for key in keys if key in models]
        if section_models:
            arranged.append(section(label, name, section_models))
    if models:
        rest = sorted(models.values(), key=lambda m: str(m["name"]))
        arranged.append(section(*MACHINERY_SECTION, rest))
    return arranged


def section(label, name, models):
    return {
        "name": name,
        "app_label": label,
        # Sections are not apps: the heading leads to the section's first list.
        "app_url": models[0]["admin_url"] or "",
        "has_module_perms": True,
        "models": models,
    }


# Admin strings Django's own Welsh catalogue lacks (it predates them): marked here so that they are in the
# portal's catalogue, which Django reads first (LOCALE_PATHS), and the Welsh admin has no English gaps.
DJANGO_ADMIN_STRINGS_WELSH_LACKS = [
    gettext_noop("View site"),
    gettext_noop("View"),
    gettext_noop("Recent actions"),
    gettext_noop("My actions"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Skip to main content"),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("You don’t have permission to view or edit anything."),
    gettext_noop("Hide counts"),
    gettext_noop("Show counts"),
    gettext_noop("Clear all filters"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Save and view"),
    gettext_noop("Close"),
    gettext_noop("Objects"),
    gettext_noop("Yes, I’m sure"),
    gettext_noop("No, take me back"),
    gettext_noop("Summary"),
    gettext_noop("No date"),
    gettext_noop("Has date"),
    gettext_noop("Empty"),
    gettext_noop("Not empty"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Select %s to view"),
    gettext_noop("View %s"),
    gettext_noop("Hold down “Control”, or “Command” on a Mac, to select more than one."),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("This object doesn’t have a change history. It probably wasn’t added via this admin site."),
]
