from django.contrib import admin

from programmes.admin_inputs import ReadableInputAdminMixin

from .models import DuplicateReview, InsightDigest, Signal


@admin.register(Signal)
class SignalAdmin(ReadableInputAdminMixin, admin.ModelAdmin):
    """Read-only: signals are written by the portal and pruned after 13 months."""

    list_display = ["created_at", "kind", "theme", "audience", "region", "words", "result_count", "is_primary"]
    list_filter = ["kind", "is_primary", "region"]
    list_select_related = ["theme", "audience", "region"]
    date_hierarchy = "created_at"
    show_full_result_count = False  # a million rows: skip the COUNT(*)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DuplicateReview)
class DuplicateReviewAdmin(admin.ModelAdmin):
    list_display = ["offer_a", "offer_b", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    list_select_related = ["offer_a", "offer_b", "decided_by"]
    raw_id_fields = ["offer_a", "offer_b", "decided_by"]
    search_fields = ["offer_a__title", "offer_b__title", "note"]


@admin.register(InsightDigest)
class InsightDigestAdmin(admin.ModelAdmin):
    list_display = ["week_start", "status", "recipients", "sent_at"]
    readonly_fields = ["week_start", "status", "recipients", "created_at", "sent_at"]

    def has_add_permission(self, request):
        # A digest row is the weekly task's claim on its week (brokerage.insights.digest); every field is
        # read-only here, so "add" could only save an empty row, which the table refuses.
        return False
