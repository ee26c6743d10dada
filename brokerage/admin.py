from django.contrib import admin

from .models import Bulletin, Delivery, Enquiry, Subscriber


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = ["name", "offer", "contact", "created_at", "answered_at"]
    list_filter = ["answered_at"]
    list_select_related = ["offer", "contact__user"]
    search_fields = ["name", "email", "organisation", "message", "offer__title"]
    autocomplete_fields = ["offer", "contact", "user"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "organisation", "confirmed_at", "unsubscribed_at", "paused_at"]
    list_filter = ["themes", "regions"]
    search_fields = ["email", "name", "organisation"]
    filter_horizontal = ["themes", "regions"]
    autocomplete_fields = ["user"]


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["title", "period_start", "period_end", "status", "sent_at"]
    list_filter = ["status"]
    search_fields = ["title", "introduction"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["bulletin", "subscriber", "status", "attempts", "sent_at"]
    list_filter = ["status", "bulletin"]
    list_select_related = ["bulletin", "subscriber"]
    search_fields = ["subscriber__email"]
    autocomplete_fields = ["bulletin", "subscriber"]


# Insights (issue 7) registers its own models.
from .insights import admin as insights_admin  # noqa: E402,F401
