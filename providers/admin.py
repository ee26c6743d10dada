from django.contrib import admin

from programmes.admin_inputs import ReadableInputAdminMixin

from .models import PlanItem, ProviderContact, ProviderOrganisation


class ProviderContactInline(ReadableInputAdminMixin, admin.TabularInline):
    model = ProviderContact
    extra = 0
    autocomplete_fields = ["user"]


class PlanItemInline(ReadableInputAdminMixin, admin.TabularInline):
    model = PlanItem
    extra = 0
    autocomplete_fields = ["offer", "added_by"]


@admin.register(ProviderOrganisation)
class ProviderOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "town"]
    list_filter = ["kind", "region", "priorities"]
    list_select_related = ["region"]
    search_fields = ["name", "town"]
    filter_horizontal = ["priorities", "staff_groups"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProviderContactInline, PlanItemInline]


@admin.register(ProviderContact)
class ProviderContactAdmin(ReadableInputAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "job_title", "organisation"]
    list_select_related = ["user", "organisation"]
    list_filter = ["organisation__kind", "organisation__region"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(PlanItem)
class PlanItemAdmin(ReadableInputAdminMixin, admin.ModelAdmin):
    list_display = ["offer", "organisation", "status", "position", "added_at"]
    list_filter = ["status"]
    list_select_related = ["offer", "organisation"]
    search_fields = ["offer__title", "organisation__name"]
    autocomplete_fields = ["offer", "organisation", "added_by"]
