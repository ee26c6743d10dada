"""Booking and cancelling surgery slots: the booking invariants (docs/invariants.md).

A slot never holds more confirmed bookings than its capacity; one person never
holds two overlapping slots; a cancelled booking frees its place; at most
`max_surgeries_per_person` per person per event. Each write runs in one
transaction and locks the person (auth user row), then the slot, so a
person's bookings are serialised (overlap, per-event limit) and a slot's places
are serialised (capacity). The database backs the locks up:
`slot_booked_within_capacity`, `booking_one_active_per_person_and_slot` and, on
PostgreSQL, `booking_no_overlap_per_person`.
"""

import datetime as dt

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from people.services import email_language_for
from programmes.outbox import email_queue
from providers.permissions import acting_contact

from .choices import BookingStatus, EventStatus, WaitlistStatus
from .errors import (
    AlreadyBooked, BookingBusy, BookingError, BookingWindowClosed, CancellationTooLate, EventLimitReached,
    NotBookable, OverlappingBooking, SlotTaken,
)
from .ics import booking_ics_attachment
from .locking import is_lock_failure, lock_person, set_lock_timeout
from .models import Booking, JointEvent, Slot, WaitlistEntry
from .selectors import booking_window_open
from .waitlist import ACTIVE, offer_freed_places, waitlist_accept, waitlists_close_for_cancelled_event


def _integrity_to_domain(error):
    text = str(error)
    if "booking_no_overlap_per_person" in text:
        return OverlappingBooking()
    if "booking_one_active_per_person_and_slot" in text or "UNIQUE constraint failed: events_booking" in text:
        return AlreadyBooked()
    if "slot_booked_within_capacity" in text:
        return SlotTaken()
    return None


def booking_context(booking):
    """The context of a booking's emails (confirmation, cancellation, reminder)."""
    slot = booking.slot
    hosts = list(slot.surgery.hosts.select_related("user"))
    return {
        "booking": booking,
        "slot": slot,
        "surgery": slot.surgery,
        "event": slot.surgery.event,
        "hosts": hosts,
        "host_names": ", ".join(host.name for host in hosts),
        "person": booking.user,
    }


def booking_create(*, user, slot_id, priorities=(), questions="", now=None):
    """Book one place on a slot for a provider contact, or raise a BookingError."""
    return _book(user=user, slot_id=slot_id, priorities=priorities, questions=questions, now=now, seeding=False)


def booking_seed(*, user, slot_id, priorities=(), questions="", now=None):
    """Book a place without a confirmation email, whatever the date: for demo data, past fairs included.

    The locks and the rules about places are booking_create's; the booking
    window and the slot's start are not checked, so a past fair can have
    attendees. Raises a BookingError when the place cannot be had.
    """
    return _book(user=user, slot_id=slot_id, priorities=priorities, questions=questions, now=now, seeding=True)


def _book(*, user, slot_id, priorities, questions, now, seeding):
    now = now or timezone.now()
    try:
        with transaction.atomic():
            set_lock_timeout()
            lock_person(user.pk)
            try:
                # The slot with its surgery and event in one query; only the slot's row is locked.
                slot = Slot.objects.select_related("surgery__event").select_for_update(of=("self",)).get(pk=slot_id)
            except Slot.DoesNotExist:
                raise NotBookable() from None
            surgery, event = slot.surgery, slot.surgery.event
            profile = acting_contact(user)
            if profile is None:
                raise NotBookable(_("Only provider contacts can book surgeries. Sign in with your organisation's account."))
            if event.status != EventStatus.PUBLISHED:
                raise NotBookable(_("This event is not open for booking."))
            if not seeding and slot.starts_at <= now:
                raise NotBookable(_("This slot has already started."))
            if not seeding and not booking_window_open(event, now=now):
                if event.booking_opens_at and now < event.booking_opens_at:
                    opens = timezone.localtime(event.booking_opens_at)
                    raise BookingWindowClosed(_("Booking opens on %(day)s at %(time)s.") % {
                        "day": date_format(opens, "j F Y"), "time": time_format(opens, "H:i"),
                    })
                raise BookingWindowClosed(_("Booking for this event has closed."))
            # The person's confirmed bookings that a rule below is about, read once (the person is locked).
            mine = list(
                Booking.objects.filter(user=user, status=BookingStatus.CONFIRMED)
                .filter(Q(slot=slot) | Q(event=event) | Q(starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at))
                .order_by()
                .values_list("slot_id", "event_id", "starts_at", "ends_at")
            )
            if any(slot_id == slot.pk for slot_id, *_ in mine):
                raise AlreadyBooked()
            # The surgery's waiting list, in one read: the places on this slot held for others (not lapsed),
            # and whether this person is on it (their entry is done once they book).
            listed = list(
                WaitlistEntry.objects.filter(surgery_id=surgery.pk, status__in=ACTIVE)
                .filter(
                    Q(user_id=user.pk)
                    | Q(status=WaitlistStatus.OFFERED, offered_slot_id=slot.pk, offered_until__gt=now)
                )
                .order_by()  # the default ordering would join the surgery
                .values_list("user_id", flat=True)
            )
            held = sum(user_id != user.pk for user_id in listed)
            if slot.booked_count + held >= slot.capacity:
                raise SlotTaken()
            if any(starts < slot.ends_at and ends > slot.starts_at for _, _, starts, ends in mine):
                raise OverlappingBooking()
            if sum(event_id == event.pk for _, event_id, _, _ in mine) >= event.max_surgeries_per_person:
                raise EventLimitReached(ngettext(
                    "You have booked %(count)d surgery at this event, the most one person may. "
                    "Cancel it to book another.",
                    "You have booked %(count)d surgeries at this event, the most one person may. "
                    "Cancel one to book another.",
                    event.max_surgeries_per_person,
                ) % {"count": event.max_surgeries_per_person})
            booking = Booking.objects.create(
                slot=slot, user=user, organisation=profile.organisation, questions=questions.strip(),
                event=event, starts_at=slot.starts_at, ends_at=slot.ends_at,
            )
            if priorities:
                booking.priorities.set(priorities)
            # Under the slot's row lock the value read above is current; without
            # the lock this is a lost update, which is what the control test shows.
            slot.booked_count = slot.booked_count + 1
            slot.save(update_fields=["booked_count"])
            if user.pk in listed:
                waitlist_accept(user_id=user.pk, surgery=surgery, slot=slot, now=now)
            if seeding:
                return booking
            context = booking_context(booking)
            email_queue(
                key=f"confirmation:{booking.pk}",
                kind="booking_confirmation",
                to=[user.email],
                template="events/booking_confirmation",
                context=context,
                language=email_language_for(user),
                attachments=[booking_ics_attachment(booking, hosts=context["hosts"])],
            )
            return booking
    except IntegrityError as error:
        domain = _integrity_to_domain(error)
        if domain is None:
            raise
        raise domain from error
    except OperationalError as error:
        if is_lock_failure(error):
            raise BookingBusy() from error
        raise


def booking_cancel(*, booking_id, user, now=None, enforce_cutoff=True):
    """Cancel the person's own confirmed booking up to the event's cut-off; offer the place on."""
    now = now or timezone.now()
    with transaction.atomic():
        set_lock_timeout()
        lock_person(user.pk)
        booking = Booking.objects.select_for_update().filter(pk=booking_id, user=user).get()
        if booking.status != BookingStatus.CONFIRMED:
            raise BookingError(_("This booking is already cancelled."))
        slot = Slot.objects.select_for_update().get(pk=booking.slot_id)
        event = JointEvent.objects.get(pk=booking.event_id)
        cutoff = slot.starts_at - dt.timedelta(hours=event.cancellation_cutoff_hours)
        if enforce_cutoff and now >= cutoff:
            raise CancellationTooLate()
        booking_cancel_locked(booking, slot, now=now, template="booking_cancelled")
        offer_freed_places(slot_id=slot.pk, now=now)
        return booking


def booking_cancel_locked(booking, slot, *, now, template):
    """Cancel one confirmed booking whose person or event, and slot, the caller has locked; email the person."""
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    slot.booked_count = slot.booked_count - 1
    slot.save(update_fields=["booked_count"])
    booking.slot = slot
    email_queue(
        key=f"cancellation:{booking.pk}",
        kind=template,
        to=[booking.user.email],
        template=f"events/{template}",
        context=booking_context(booking),
        language=email_language_for(booking.user),
        attachments=[booking_ics_attachment(booking, cancelled=True)],
    )


# --- Publishing and cancelling events (coordinators) ---------------------------------------


def event_publish(*, event_id):
    return JointEvent.objects.filter(pk=event_id, status=EventStatus.DRAFT).update(status=EventStatus.PUBLISHED)


def event_cancel(*, event_id, now=None):
    """Cancel an event, every confirmed booking and its waiting lists; each booked or waiting person is emailed."""
    now = now or timezone.now()
    with transaction.atomic():
        # The event as schedule_lock takes it (a booking holding its slot can still write), then the
        # slots, and only then the bookings: one made at the same moment is cancelled too, not missed.
        event = JointEvent.objects.select_for_update(no_key=True).get(pk=event_id)
        if event.status == EventStatus.CANCELLED:
            return 0
        event.status = EventStatus.CANCELLED
        event.save(update_fields=["status"])
        slots = {
            slot.pk: slot for slot in Slot.objects.select_for_update().filter(surgery__event=event).order_by("pk")
        }
        bookings = list(
            Booking.objects.filter(event=event, status=BookingStatus.CONFIRMED)
            .select_related("user")
            .order_by("slot_id", "pk")
        )
        for booking in bookings:
            booking_cancel_locked(booking, slots[booking.slot_id], now=now, template="event_cancelled")
        waitlists_close_for_cancelled_event(event, now=now)
        return len(bookings)
