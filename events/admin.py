from django.contrib import admin
from django.db.models import Count, Q

from .choices import BookingStatus
from .models import Booking, Evaluation, JointEvent, Slot, Surgery, WaitlistEntry


class SurgeryInline(admin.StackedInline):
    model = Surgery
    extra = 0
    autocomplete_fields = ["hosts", "programmes", "themes"]
    show_change_link = True


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0


@admin.register(JointEvent)
class JointEventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_at", "venue", "region"]
    list_filter = ["kind", "status", "region"]
    list_select_related = ["region"]
    search_fields = ["title", "venue", "summary"]
    autocomplete_fields = ["region", "programmes"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    inlines = [SurgeryInline]


@admin.register(Surgery)
class SurgeryAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "slot_count", "booked_count"]
    list_filter = ["event", "themes"]
    list_select_related = ["event"]
    search_fields = ["title", "event__title"]
    autocomplete_fields = ["event", "hosts", "programmes", "themes"]
    inlines = [SlotInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _slots=Count("slots", distinct=True),
                _booked=Count("slots__bookings", filter=Q(slots__bookings__status=BookingStatus.CONFIRMED)),
            )
        )

    @admin.display(description="slots", ordering="_slots")
    def slot_count(self, obj):
        return obj._slots

    @admin.display(description="booked", ordering="_booked")
    def booked_count(self, obj):
        return obj._booked


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "surgery", "starts_at", "ends_at", "capacity"]
    list_select_related = ["surgery__event"]
    list_filter = ["surgery__event"]
    search_fields = ["surgery__title"]
    autocomplete_fields = ["surgery"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["user", "slot", "organisation", "status", "created_at"]
    list_filter = ["status", "slot__surgery__event"]
    list_select_related = ["user", "slot__surgery__event", "organisation"]
    search_fields = ["user__email", "user__last_name", "organisation__name"]
    autocomplete_fields = ["slot", "user", "organisation", "priorities"]


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "surgery", "status", "offered_until", "created_at"]
    list_filter = ["status", "surgery__event"]
    list_select_related = ["user", "surgery__event"]
    search_fields = ["user__email", "surgery__title"]
    autocomplete_fields = ["surgery", "user", "offered_slot"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "rating", "submitted_at"]
    list_filter = ["event", "rating"]
    list_select_related = ["event", "user"]
    search_fields = ["key_messages", "main_benefits", "ideas"]
    autocomplete_fields = ["event", "user"]
