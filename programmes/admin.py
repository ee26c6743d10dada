from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from .admin_inputs import ReadableInputAdminMixin
from .models import (
    Agency,
    Audience,
    GlossaryTerm,
    Offer,
    OfferReviewReminder,
    OutboxEmail,
    Programme,
    Region,
    RegionalWorker,
    SearchSynonym,
    Theme,
)
from .offer_import_admin import OfferImportAdminMixin
from .selectors import review_cutoff


def labels_by_language(model, names):
    """Labels saying which language each of modeltranslation's twin columns holds, in the page's language."""
    labels = {}
    for name in names:
        field = capfirst(model._meta.get_field(name).verbose_name)
        labels[f"{name}_en_gb"] = gettext("%(field)s in English") % {"field": field}
        labels[f"{name}_cy"] = gettext("%(field)s in Welsh") % {"field": field}
    return labels


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ["name", "nation", "position"]
    list_filter = ["nation"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Theme)
class ThemeAdmin(TranslationAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Audience)
class AudienceAdmin(TranslationAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Agency)
class AgencyAdmin(ReadableInputAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "contracted_by"]
    list_filter = ["kind"]
    list_select_related = ["contracted_by"]
    search_fields = ["name"]
    autocomplete_fields = ["contracted_by"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(ReadableInputAdminMixin, OfferImportAdminMixin, TranslationAdmin):
    list_display = ["plain_name", "official_name", "acronym", "agency", "is_active"]
    list_filter = ["is_active", "regions", "agency__kind"]
    list_select_related = ["agency"]
    search_fields = ["plain_name", "official_name", "acronym"]
    autocomplete_fields = ["agency", "funder"]
    filter_horizontal = ["regions", "themes"]
    prepopulated_fields = {"slug": ["plain_name"]}


@admin.register(RegionalWorker)
class RegionalWorkerAdmin(ReadableInputAdminMixin, TranslationAdmin):
    list_display = ["name", "job_title", "role", "is_listed"]
    list_filter = ["role", "is_listed", "programmes", "regions"]
    list_select_related = ["user"]
    # Both languages: "remit" alone would search only the admin's own language (modeltranslation).
    search_fields = [
        "user__first_name", "user__last_name", "user__email",
        "remit_en_gb", "remit_cy", "job_title_en_gb", "job_title_cy",
    ]
    autocomplete_fields = ["user"]
    filter_horizontal = ["regions", "programmes", "themes"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault("labels", labels_by_language(RegionalWorker, ("job_title", "remit")))
        return super().get_form(request, obj, **kwargs)


class ReviewOverdueFilter(admin.SimpleListFilter):
    """Offers nobody has checked for six months: coordinators chase their contacts."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", gettext("Overdue (6 months or more)")), ("fresh", gettext("Checked in the last 6 months"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(last_reviewed_on__lt=review_cutoff())
        if self.value() == "fresh":
            return queryset.filter(last_reviewed_on__gte=review_cutoff())
        return queryset


@admin.register(Offer)
class OfferAdmin(ReadableInputAdminMixin, TranslationAdmin, SimpleHistoryAdmin):
    list_display = [
        "title", "programme", "status", "format", "cost", "starts_on", "last_reviewed_on", "last_reviewed_by", "contact"
    ]
    list_filter = [
        ReviewOverdueFilter, "status", "format", "cost", "delivery_language", "accredited", "is_national",
        "programme", "themes", "regions",
    ]
    list_select_related = ["programme", "contact__user", "last_reviewed_by__user"]
    # Both languages: "title" alone would search only the admin's own language (modeltranslation).
    search_fields = [
        "title_en_gb", "title_cy", "summary_en_gb", "summary_cy", "programme__plain_name_en_gb",
        "programme__plain_name_cy", "programme__acronym",
    ]
    autocomplete_fields = ["programme", "contact", "last_reviewed_by", "builds_on", "same_as"]
    filter_horizontal = ["themes", "audiences", "regions"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_on"

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault("labels", labels_by_language(Offer, ("title", "summary", "description", "open_to_condition")))
        return super().get_form(request, obj, **kwargs)


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(TranslationAdmin):
    list_display = ["acronym", "meaning"]
    search_fields = ["acronym", "meaning", "explanation"]
    prepopulated_fields = {"slug": ["acronym"]}


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["terms", "note"]
    search_fields = ["terms", "note"]


@admin.register(OfferReviewReminder)
class OfferReviewReminderAdmin(admin.ModelAdmin):
    """Read-only record of review reminders: which worker was reminded of which offer, when."""

    list_display = ["offer", "worker", "period_start", "status", "sent_at", "attempts"]
    list_filter = ["status", "period_start"]
    list_select_related = ["offer", "worker__user"]
    search_fields = ["offer__title", "worker__user__first_name", "worker__user__last_name"]
    readonly_fields = [f.name for f in OfferReviewReminder._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipients", "subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "subject"]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]

    @admin.display(description=_("to"))
    def recipients(self, obj):
        return ", ".join(obj.to)

    def has_add_permission(self, request):
        return False
