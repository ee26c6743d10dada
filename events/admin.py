from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Avg, Count, Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from programmes.admin_inputs import ReadableInputAdminMixin
from programmes.csv_export import csv_response

from . import deletion, errors, selectors
from .booking import booking_cancel, event_cancel, event_publish
from .choices import BookingStatus, EventStatus
from .forms import JointEventAdminForm, SlotAdminForm, SlotGenerateForm, SlotInlineFormSet, SurgeryInlineFormSet
from .models import Booking, Evaluation, JointEvent, Slot, Surgery, WaitlistEntry
from .reminders import host_list_send
from .scheduling import slot_write
from .slot_generation import slots_generate
from .waitlist import waitlist_entries_remove, waitlist_entry_remove


def _local(value, fmt="%Y-%m-%d %H:%M"):
    return timezone.localtime(value).strftime(fmt) if value else ""


BOOKING_COLUMNS = [
    "event", "surgery", "hosts", "starts (UK time)", "ends (UK time)", "status", "name", "email", "organisation",
    "priorities", "questions", "booked at (UK time)", "cancelled at (UK time)",
]


def bookings_csv(events):
    rows = (_booking_row(event, booking) for event in events for booking in selectors.event_bookings_for_export(event))
    return csv_response("bookings.csv", BOOKING_COLUMNS, rows)


def _booking_row(event, booking):
    surgery = booking.slot.surgery
    return [
        event.title, surgery.title, "; ".join(host.name for host in surgery.hosts.all()),
        _local(booking.starts_at), _local(booking.ends_at), booking.status,
        booking.user.get_full_name(), booking.user.email,
        booking.organisation.name if booking.organisation else "",
        "; ".join(theme.name for theme in booking.priorities.all()), booking.questions,
        _local(booking.created_at), _local(booking.cancelled_at),
    ]


EVALUATION_COLUMNS = ["main_benefits", "key_messages", "ideas", "future_meetings", "other_comments", "rating"]


def evaluations_csv(queryset):
    header = ["event", "submitted (UK time)", "email"] + [
        str(Evaluation._meta.get_field(name).verbose_name) for name in EVALUATION_COLUMNS
    ]
    rows = (
        [evaluation.event.title, _local(evaluation.submitted_at), evaluation.user.email if evaluation.user else ""]
        + [getattr(evaluation, name) for name in EVALUATION_COLUMNS]
        for evaluation in queryset.select_related("event", "user").order_by("event__starts_at", "submitted_at")
    )
    return csv_response("evaluations.csv", header, rows)


def confirmed_booking_link(booking):
    return format_html(
        'Confirmed booking: <a href="{}">{}</a>', reverse("admin:events_booking_change", args=[booking.pk]), booking
    )


class DeleteSelectedInOneTransaction:
    """The "delete selected" action in one transaction from the bookings check (get_deleted_objects) to the
    delete, as the delete page has."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            action, name, description = actions["delete_selected"]
            actions["delete_selected"] = (transaction.atomic(action), name, description)
        return actions


class KeepConfirmedBookingsAdmin(DeleteSelectedInOneTransaction, admin.ModelAdmin):
    """Deleting a slot, surgery or event deletes its bookings with it (CASCADE) and tells nobody.

    While any is confirmed, the delete page and "delete selected" refuse and
    list them (events.deletion, in the delete's transaction); cancelled
    bookings do not block. A place held on a slot for someone on the waiting
    list is named on the confirmation page, and withdrawn by the delete.
    """

    def _deleting(self, pks):
        """The keyword events.deletion takes for this admin's objects."""
        name = {Slot: "slot_ids", Surgery: "surgery_ids", JointEvent: "event_ids"}[self.model]
        return {name: list(pks)}

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        try:
            with transaction.atomic():  # a savepoint of the delete's transaction (see get_actions)
                held = deletion.schedule_delete_check(**self._deleting(obj.pk for obj in objs))
        except errors.ScheduleBusy as busy:
            return deleted, model_count, perms_needed, [*protected, busy.message]
        except errors.DeleteRefused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return deleted, model_count, perms_needed, [
                *protected, *(confirmed_booking_link(booking) for booking in refusal.bookings)
            ]
        if held and not request.POST.get("post"):  # the confirmation page, not the delete
            for entry in held:
                until = timezone.localtime(entry.offered_until)
                self.message_user(
                    request,
                    gettext(
                        "A place on %(slot)s is held for %(email)s from the waiting list until %(time)s on %(day)s: "
                        "deleting withdraws it, and they are told by email."
                    ) % {"slot": entry.offered_slot, "email": entry.user.email, "time": date_format(until, "H:i"),
                         "day": date_format(until, "j F")},
                    messages.WARNING,
                )
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        self._say_withdrawn(request, deletion.schedule_delete(**self._deleting([obj.pk])))

    def delete_queryset(self, request, queryset):
        self._say_withdrawn(request, deletion.schedule_delete(**self._deleting(queryset.values_list("pk", flat=True))))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        self._say_withdrawn(request, getattr(formset, "offers_withdrawn", 0))  # rows deleted inline

    def _say_withdrawn(self, request, told):
        if told:
            self.message_user(
                request,
                ngettext(
                    "Withdrew the places held for %(count)d person on the waiting list; each is told by email.",
                    "Withdrew the places held for %(count)d people on the waiting list; each is told by email.",
                    told,
                ) % {"count": told},
                messages.INFO,
            )


class SurgeryInline(ReadableInputAdminMixin, TranslationStackedInline):
    model = Surgery
    formset = SurgeryInlineFormSet
    extra = 0
    autocomplete_fields = ["hosts", "programmes", "themes"]
    show_change_link = True


def booked_link(slot):
    """The booked count, linked to the slot's confirmed bookings: where a coordinator cancels them (a booked slot
    is not moved or deleted)."""
    if not slot.pk or not slot.booked_count:
        return slot.booked_count
    url = reverse("admin:events_booking_changelist") + f"?slot__id__exact={slot.pk}&status__exact=confirmed"
    return format_html('<a href="{}">{}</a>', url, slot.booked_count)


def say_offered(model_admin, request, offered):
    """A slot added or given more places offers them to its surgery's waiting list first (the services do it)."""
    if offered:
        model_admin.message_user(
            request,
            ngettext(
                "Offered a place to %(count)d person on the waiting list; each is told by email.",
                "Offered a place to %(count)d people on the waiting list; each is told by email.",
                offered,
            ) % {"count": offered},
            messages.INFO,
        )


class SlotInline(admin.TabularInline):
    model = Slot
    formset = SlotInlineFormSet
    extra = 0
    fields = ["starts_at", "ends_at", "capacity", "booked"]
    readonly_fields = ["booked"]

    @admin.display(description=_("booked"))
    def booked(self, obj):
        return booked_link(obj)


@admin.register(JointEvent)
class JointEventAdmin(ReadableInputAdminMixin, KeepConfirmedBookingsAdmin, TranslationAdmin):
    form = JointEventAdminForm
    list_display = [
        "title", "kind", "status", "starts_at", "venue", "region", "surgery_count", "booked", "evaluations", "tools"
    ]
    list_filter = ["kind", "status", "region"]
    list_select_related = ["region"]
    search_fields = ["title", "venue", "summary"]
    autocomplete_fields = ["region", "programmes"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_at"
    inlines = [SurgeryInline]
    actions = ["publish_events", "cancel_events", "export_bookings", "export_evaluations"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _surgeries=Count("surgeries", distinct=True),
                _booked=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED), distinct=True),
                _evaluations=Count("evaluations", distinct=True),
            )
        )

    @admin.display(description=_("evaluations"), ordering="_evaluations")
    def evaluations(self, obj):
        if not obj._evaluations:
            return "0"
        url = reverse("admin:events_evaluation_changelist") + f"?event__id__exact={obj.pk}"
        return format_html(
            '<a href="{}">{}</a>', url,
            ngettext("%(count)d answer", "%(count)d answers", obj._evaluations) % {"count": obj._evaluations},
        )

    @admin.display(description=_("surgeries"), ordering="_surgeries")
    def surgery_count(self, obj):
        return obj._surgeries

    @admin.display(description=_("booked"), ordering="_booked")
    def booked(self, obj):
        return obj._booked

    @admin.display(description="")
    def tools(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:events_jointevent_timetable", args=[obj.pk]), gettext("Timetable"),
            reverse("admin:events_jointevent_bookings_csv", args=[obj.pk]), gettext("Bookings CSV"),
        )

    def get_urls(self):
        extra = [
            path("<int:pk>/timetable/", self.admin_site.admin_view(self.timetable_view),
                 name="events_jointevent_timetable"),
            path("<int:pk>/bookings.csv", self.admin_site.admin_view(self.bookings_csv_view),
                 name="events_jointevent_bookings_csv"),
        ]
        return extra + super().get_urls()

    def timetable_view(self, request, pk):
        event = get_object_or_404(JointEvent, pk=pk)
        if not self.has_view_permission(request, event):
            return redirect("admin:index")
        return TemplateResponse(
            request,
            "admin/events/timetable.html",
            {**self.admin_site.each_context(request), "event": event,
             "title": gettext("Timetable: %(event)s") % {"event": event.title},
             "hosts": selectors.host_timetable(event), "opts": self.model._meta},
        )

    def bookings_csv_view(self, request, pk):
        event = get_object_or_404(JointEvent, pk=pk)
        if not self.has_view_permission(request, event):
            return redirect("admin:index")
        return bookings_csv([event])

    @admin.action(description=_("Publish the selected events"), permissions=["change"])
    def publish_events(self, request, queryset):
        published = sum(event_publish(event_id=event.pk) for event in queryset)
        self.message_user(
            request,
            ngettext("Published %(count)d event.", "Published %(count)d events.", published) % {"count": published},
            messages.SUCCESS,
        )

    @admin.action(description=_("Cancel the selected events (emails everyone booked)"), permissions=["change"])
    def cancel_events(self, request, queryset):
        total = 0
        for event in queryset.exclude(status=EventStatus.CANCELLED):
            total += event_cancel(event_id=event.pk)
        self.message_user(
            request,
            ngettext(
                "Cancelled; %(count)d booked person will be emailed.", "Cancelled; %(count)d booked people will be emailed.",
                total,
            ) % {"count": total},
            messages.SUCCESS,
        )

    @admin.action(description=_("Export bookings as CSV"))
    def export_bookings(self, request, queryset):
        return bookings_csv(queryset.order_by("starts_at"))

    @admin.action(description=_("Export evaluation answers as CSV"))
    def export_evaluations(self, request, queryset):
        return evaluations_csv(Evaluation.objects.filter(event__in=queryset))


@admin.register(Surgery)
class SurgeryAdmin(ReadableInputAdminMixin, KeepConfirmedBookingsAdmin, TranslationAdmin):
    list_display = ["title", "event", "slot_count", "booked_count", "generate_link"]
    list_filter = ["event", "themes"]
    list_select_related = ["event"]
    search_fields = ["title", "event__title"]
    autocomplete_fields = ["event", "hosts", "programmes", "themes"]
    inlines = [SlotInline]
    actions = ["email_hosts_their_bookings"]

    def get_readonly_fields(self, request, obj=None):
        # A surgery stays at the event it was made for: its slots are times of
        # that event, and its bookings were made for that event (each copies
        # it, for the per-event limit). To run it at another event, add it there.
        return ["event"] if obj else []

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_slots=Count("slots", distinct=True), _booked=Sum("slots__booked_count"))
        )

    @admin.display(description=_("slots"), ordering="_slots")
    def slot_count(self, obj):
        return obj._slots

    @admin.display(description=_("booked"), ordering="_booked")
    def booked_count(self, obj):
        return obj._booked or 0

    @admin.display(description="")
    def generate_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:events_surgery_generate_slots", args=[obj.pk]), gettext("Generate slots")
        )

    def get_urls(self):
        extra = [
            path("<int:pk>/generate-slots/", self.admin_site.admin_view(self.generate_slots_view),
                 name="events_surgery_generate_slots"),
        ]
        return extra + super().get_urls()

    def generate_slots_view(self, request, pk):
        surgery = get_object_or_404(Surgery.objects.select_related("event"), pk=pk)
        if not self.has_change_permission(request, surgery):
            return redirect("admin:index")
        initial = {"day": timezone.localtime(surgery.event.starts_at).date(),
                   "start": timezone.localtime(surgery.event.starts_at).time().replace(second=0, microsecond=0)}
        form = SlotGenerateForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                created = slots_generate(
                    surgery_id=surgery.pk, day=data["day"], start=data["start"], end=data["end"],
                    length_minutes=data["length_minutes"], break_minutes=data["break_minutes"],
                    capacity=data["capacity"],
                )
            except errors.SlotGenerationError as refusal:
                form.add_error(None, refusal.message)
            else:
                self.message_user(
                    request,
                    ngettext("Created %(count)d slot for %(surgery)s.", "Created %(count)d slots for %(surgery)s.",
                             len(created)) % {"count": len(created), "surgery": surgery.title},
                    messages.SUCCESS,
                )
                return redirect("admin:events_surgery_change", surgery.pk)
        return TemplateResponse(
            request,
            "admin/events/generate_slots.html",
            {**self.admin_site.each_context(request), "surgery": surgery, "form": form,
             "title": gettext("Generate slots: %(surgery)s") % {"surgery": surgery.title}, "opts": self.model._meta,
             "existing": surgery.slots.order_by("starts_at")},
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)  # events.schedule_save.surgery_slots_write
        say_offered(self, request, getattr(formset, "places_offered", 0))

    @admin.action(description=_("Email hosts the list of their bookings now"))
    def email_hosts_their_bookings(self, request, queryset):
        written = sum(host_list_send(surgery_id=surgery.pk) for surgery in queryset)
        self.message_user(
            request,
            ngettext("%(count)d email to hosts queued.", "%(count)d emails to hosts queued.", written) % {"count": written},
            messages.SUCCESS,
        )


@admin.register(Slot)
class SlotAdmin(ReadableInputAdminMixin, KeepConfirmedBookingsAdmin):
    form = SlotAdminForm
    list_display = ["__str__", "surgery", "starts_at", "ends_at", "capacity", "booked_count"]
    list_select_related = ["surgery__event"]
    list_filter = ["surgery__event"]
    search_fields = ["surgery__title"]
    autocomplete_fields = ["surgery"]
    readonly_fields = ["booked"]

    @admin.display(description=_("booked"))
    def booked(self, obj):
        return booked_link(obj)

    def save_model(self, request, obj, form, change):
        # Checked in the form's clean, in this transaction: write the row as locked then (its booked count current).
        slot = form.locked or obj
        offered = slot_write(
            slot=slot, surgery=obj.surgery, starts_at=obj.starts_at, ends_at=obj.ends_at, capacity=obj.capacity
        )
        say_offered(self, request, offered)


@admin.register(Booking)
class BookingAdmin(ReadableInputAdminMixin, admin.ModelAdmin):
    list_display = ["user", "slot", "organisation", "status", "created_at"]
    list_filter = ["status", "slot__surgery__event"]
    list_select_related = ["user", "slot__surgery__event", "organisation"]
    search_fields = ["user__email", "user__last_name", "organisation__name"]
    autocomplete_fields = ["slot", "user", "organisation", "priorities"]
    # Bookings are made and cancelled through events.booking (counters, emails, waiting list).
    readonly_fields = ["slot", "user", "organisation", "status", "created_at", "cancelled_at", "reminded_at"]
    actions = ["cancel_bookings"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Cancel the selected bookings (emails each person, offers the place on)"),
                  permissions=["change"])
    def cancel_bookings(self, request, queryset):
        cancelled = 0
        for booking in queryset.filter(status=BookingStatus.CONFIRMED).select_related("user"):
            # Coordinators may cancel after the providers' cut-off.
            booking_cancel(booking_id=booking.pk, user=booking.user, enforce_cutoff=False)
            cancelled += 1
        self.message_user(
            request,
            ngettext(
                "Cancelled %(count)d booking; the person will be emailed.",
                "Cancelled %(count)d bookings; each person will be emailed.",
                cancelled,
            ) % {"count": cancelled},
            messages.SUCCESS,
        )


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadableInputAdminMixin, DeleteSelectedInOneTransaction, admin.ModelAdmin):
    """Deleting an entry takes its person off the list as leaving it would: a place held for them passes on."""

    list_display = ["user", "surgery", "status", "offered_until", "created_at"]
    list_filter = ["status", "surgery__event"]
    list_select_related = ["user", "surgery__event"]
    search_fields = ["user__email", "surgery__title"]
    autocomplete_fields = ["surgery", "user"]
    # Offers are made, passed on and withdrawn only by the services, under the slot's lock, with an email each
    # time; edited here they would hold places (or free them) behind everyone's back.
    readonly_fields = ["status", "offered_slot", "offered_until", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # An entry stays on the list it joined, for its person (an offer's slot is one of that surgery's).
        return [*self.readonly_fields, "surgery", "user"] if obj else self.readonly_fields

    def delete_model(self, request, obj):
        waitlist_entry_remove(entry_id=obj.pk)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        waitlist_entries_remove(entry_ids=queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)


@admin.register(Evaluation)
class EvaluationAdmin(ReadableInputAdminMixin, admin.ModelAdmin):
    list_display = ["event", "user", "rating", "main_benefits", "key_messages", "submitted_at"]
    list_filter = ["event", "rating"]
    list_select_related = ["event", "user"]
    search_fields = ["key_messages", "main_benefits", "ideas"]
    autocomplete_fields = ["event", "user"]
    actions = ["export_csv"]

    @admin.action(description=_("Export the selected answers as CSV"))
    def export_csv(self, request, queryset):
        return evaluations_csv(queryset)

    def changelist_view(self, request, extra_context=None):
        # Above the answers: how many and the average rating, for the filtered event(s).
        response = super().changelist_view(request, extra_context=extra_context)
        if hasattr(response, "context_data") and "cl" in response.context_data:
            summary = response.context_data["cl"].queryset.aggregate(count=Count("pk"), average=Avg("rating"))
            response.context_data["evaluation_summary"] = summary
            if summary["count"]:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d answer, average rating %(average)s out of 5.",
                        "%(count)d answers, average rating %(average)s out of 5.",
                        summary["count"],
                    ) % {"count": summary["count"], "average": number_format(summary["average"], 1)},
                    messages.INFO,
                )
        return response
