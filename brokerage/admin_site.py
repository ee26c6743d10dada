"""The portal's admin site: its name, its index arranged by what coordinators do, and its machinery.

Installed through ``brokerage.apps_admin.BrokerageAdminConfig`` (``AdminConfig.default_site``), so every
``admin.site.register`` in the apps registers here.
"""

from django.conf import settings
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

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
    site_header = format_lazy(_("{site}: coordinators"), site=settings.SITE_NAME)
    site_title = format_lazy(_("{site} admin"), site=settings.SITE_NAME)
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
