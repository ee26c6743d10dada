"""Writes of joint events that keep the booking invariants.

Invariants (docs/invariants.md): a slot never holds more confirmed bookings than its
capacity; one person never holds two overlapping slots; a cancelled booking
frees its place; at most `max_surgeries_per_person` per person per event.

Each write runs in one transaction and takes row locks in one fixed order:
the person (auth user row), then the slot. A person's bookings are therefore
serialised (overlap and per-event limit), a slot's places are serialised
(capacity), and two requests can wait for each other but never deadlock.
Waiting lists come after the slot: a place freed or added is offered to the
list's entries under its slot's lock, and `waitlist_join` locks the person,
then all the surgery's slots to come (id order) before it checks that they
are full, so a join and an offer of a place see each other. (One exception
to the id order: a booking that passes on a place held for its person on
another slot locks that slot after its own; a join meeting it at that moment
may be the one PostgreSQL's deadlock check stops, answered "busy, try again".)
The database backs the locks up: `slot_booked_within_capacity` (a counter
with a CheckConstraint), `booking_one_active_per_person_and_slot` (partial
unique), and on PostgreSQL `booking_no_overlap_per_person` (exclusion).

Scheduling (coordinators) takes its own locks, see `schedule_lock`: the
event, then the hosts, then (moving, resizing or deleting slots) the slots,
see `slots_lock`. It never locks a person, and a booking locks no event or
host (its insert only key-shares the event, which the event's FOR NO KEY
UPDATE lets through), so it cannot deadlock with a booking either.
"""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from programmes.models import RegionalWorker
from providers.permissions import acting_contact

from .choices import BookingStatus, EventStatus, WaitlistStatus
from .ics import booking_ics
from .models import Booking, Evaluation, JointEvent, Slot, Surgery, WaitlistEntry
from .outbox import outbox_add
from .selectors import free_places, offers_held_on, slots_overlapping

logger = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")

# The concurrency tests switch the row locks off (monkeypatch) to show, as a
# control, that the races they guard against are real. Always True otherwise.
USE_ROW_LOCKS = True
# How long a booking waits for a row lock before answering "busy, try again".
LOCK_TIMEOUT = "5s"


class BookingError(Exception):
    """An expected refusal with a message for the person; not a crash, not logged as one."""

    default_message = "This booking could not be made."

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(self.message)


class SlotTaken(BookingError):
    default_message = "Sorry, that slot has just been taken. Please choose another time."


class AlreadyBooked(BookingError):
    default_message = "You have already booked this slot."


class OverlappingBooking(BookingError):
    default_message = "You already have a surgery booked at that time. Choose a slot that does not overlap it."


class EventLimitReached(BookingError):
    default_message = "You have booked as many surgeries at this event as one person may."


class BookingWindowClosed(BookingError):
    default_message = "Booking for this event is not open."


class NotBookable(BookingError):
    default_message = "This slot cannot be booked."


class BookingBusy(BookingError):
    default_message = "Many people are booking right now. Please try again in a moment."


class CancellationTooLate(BookingError):
    default_message = "It is too late to cancel this booking online. Please contact the event organisers."


class WaitlistError(BookingError):
    default_message = "You cannot join this waiting list."


class EvaluationError(BookingError):
    default_message = "You cannot evaluate this event."


class SlotGenerationError(BookingError):
    default_message = "Those slots cannot be created."


class ScheduleBusy(BookingError):
    default_message = (
        "Someone else is saving changes to this event or its hosts right now. "
        "Please save again in a moment. Nothing was saved."
    )


def _lock(queryset, *, no_key=False):
    return queryset.select_for_update(no_key=no_key) if USE_ROW_LOCKS else queryset


def _after_checks():
    """A seam between checking and writing; the control tests widen it to make the race visible."""


def _set_lock_timeout():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")


def _lock_person(user_id):
    _lock(get_user_model().objects.filter(pk=user_id)).get()


def _is_lock_failure(error):
    # 55P03 lock_not_available (our lock_timeout), 40P01 deadlock_detected.
    return getattr(getattr(error, "__cause__", None), "pgcode", None) in {"55P03", "40P01"}


def _integrity_to_domain(error):
    text = str(error)
    if "booking_no_overlap_per_person" in text:
        return OverlappingBooking()
    if "booking_one_active_per_person_and_slot" in text or "UNIQUE constraint failed: events_booking" in text:
        return AlreadyBooked()
    if "slot_booked_within_capacity" in text:
        return SlotTaken()
    return None


def booking_window_open(event, *, now):
    if event.booking_opens_at and now < event.booking_opens_at:
        return False
    if event.booking_closes_at and now >= event.booking_closes_at:
        return False
    return True


def _held_for_others(slot, *, user_id, now):
    """Places on this slot offered to someone on the waiting list, still within their hold."""
    return offers_held_on(slot_ids=[slot.pk], now=now, exclude_user_id=user_id).count()


def _booking_context(booking):
    slot = booking.slot
    return {
        "booking": booking,
        "slot": slot,
        "surgery": slot.surgery,
        "event": slot.surgery.event,
        "hosts": list(slot.surgery.hosts.select_related("user")),
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
            _set_lock_timeout()
            _lock_person(user.pk)
            try:
                slot = _lock(Slot.objects.filter(pk=slot_id)).get()
            except Slot.DoesNotExist:
                raise NotBookable() from None
            surgery = Surgery.objects.select_related("event").get(pk=slot.surgery_id)
            event = surgery.event
            profile = acting_contact(user)
            if profile is None:
                raise NotBookable("Only provider contacts can book surgeries. Sign in with your organisation's account.")
            if event.status != EventStatus.PUBLISHED:
                raise NotBookable("This event is not open for booking.")
            if not seeding and slot.starts_at <= now:
                raise NotBookable("This slot has already started.")
            if not seeding and not booking_window_open(event, now=now):
                if event.booking_opens_at and now < event.booking_opens_at:
                    opens = timezone.localtime(event.booking_opens_at)
                    raise BookingWindowClosed(f"Booking opens on {opens:%-d %B %Y at %H:%M}.")
                raise BookingWindowClosed("Booking for this event has closed.")
            mine = Booking.objects.filter(user=user, status=BookingStatus.CONFIRMED)
            if mine.filter(slot=slot).exists():
                raise AlreadyBooked()
            held = _held_for_others(slot, user_id=user.pk, now=now)
            if slot.booked_count + held >= slot.capacity:
                raise SlotTaken()
            if mine.filter(starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at).exists():
                raise OverlappingBooking()
            if mine.filter(event=event).count() >= event.max_surgeries_per_person:
                raise EventLimitReached(
                    f"You have booked {event.max_surgeries_per_person} surgeries at this event, "
                    "the most one person may. Cancel one to book another."
                )
            _after_checks()
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
            _waitlist_accept(user_id=user.pk, surgery=surgery, slot=slot, now=now)
            if seeding:
                return booking
            booking.slot = slot
            slot.surgery = surgery
            context = _booking_context(booking)
            outbox_add(
                key=f"confirmation:{booking.pk}",
                kind="booking_confirmation",
                to=[user.email],
                template="booking_confirmation",
                context=context,
                booking=booking,
                attachment=("surgery.ics", "text/calendar", booking_ics(booking, hosts=context["hosts"]).decode()),
            )
            return booking
    except IntegrityError as error:
        domain = _integrity_to_domain(error)
        if domain is None:
            raise
        raise domain from error
    except OperationalError as error:
        if _is_lock_failure(error):
            raise BookingBusy() from error
        raise


def _waitlist_accept(*, user_id, surgery, slot, now):
    entry = WaitlistEntry.objects.filter(
        surgery=surgery, user_id=user_id, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
    ).first()
    if entry is None:
        return
    other_slot = entry.offered_slot if entry.status == WaitlistStatus.OFFERED and entry.offered_slot_id != slot.pk else None
    entry.status = WaitlistStatus.ACCEPTED
    entry.save(update_fields=["status"])
    if other_slot is not None:
        # They booked another time than the one held for them: pass the held one on.
        _lock(Slot.objects.filter(pk=other_slot.pk)).get()
        _offer_freed_places(slot_id=other_slot.pk, now=now)


def booking_cancel(*, booking_id, user, now=None, enforce_cutoff=True):
    """Cancel the person's own confirmed booking up to the event's cut-off; offer the place on."""
    now = now or timezone.now()
    with transaction.atomic():
        _set_lock_timeout()
        _lock_person(user.pk)
        booking = _lock(Booking.objects.filter(pk=booking_id, user=user)).get()
        if booking.status != BookingStatus.CONFIRMED:
            raise BookingError("This booking is already cancelled.")
        slot = _lock(Slot.objects.filter(pk=booking.slot_id)).get()
        event = JointEvent.objects.get(pk=booking.event_id)
        cutoff = slot.starts_at - dt.timedelta(hours=event.cancellation_cutoff_hours)
        if enforce_cutoff and now >= cutoff:
            raise CancellationTooLate()
        _cancel_one(booking, slot, now=now, template="booking_cancelled")
        _offer_freed_places(slot_id=slot.pk, now=now)
        return booking


def _cancel_one(booking, slot, *, now, template):
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    slot.booked_count = slot.booked_count - 1
    slot.save(update_fields=["booked_count"])
    booking.slot = slot
    outbox_add(
        key=f"cancellation:{booking.pk}",
        kind=template,
        to=[booking.user.email],
        template=template,
        context=_booking_context(booking),
        booking=booking,
        attachment=("surgery.ics", "text/calendar", booking_ics(booking, cancelled=True).decode()),
    )


def _offer_freed_places(*, slot_id, now):
    """Offer a slot's free places, in order, to the surgery's waiting list (caller holds the slot lock); how many."""
    slot = Slot.objects.select_related("surgery__event").get(pk=slot_id)
    event = slot.surgery.event
    if slot.starts_at <= now or event.status != EventStatus.PUBLISHED:
        return 0
    free = slot.capacity - slot.booked_count - _held_for_others(slot, user_id=None, now=now)
    offered = 0
    while offered < free:
        # Lock order: the slot (the caller holds it), then the entries one at a time in the list's
        # order, as in every waiting-list write, so two offers on different slots cannot deadlock.
        # One reaching a person another offer has just locked waits for their row; PostgreSQL then
        # re-checks it (no longer waiting) and reads on to the next person in the same statement,
        # as LIMIT applies after the lock: the next place goes to the next in line, not to no one.
        entry = (
            _lock(WaitlistEntry.objects.filter(surgery=slot.surgery, status=WaitlistStatus.WAITING))
            .order_by("created_at", "pk")
            .first()
        )
        if entry is None:
            break
        until = min(now + dt.timedelta(hours=event.waitlist_hold_hours), slot.starts_at)
        entry.status = WaitlistStatus.OFFERED
        entry.offered_slot = slot
        entry.offered_until = until
        entry.save(update_fields=["status", "offered_slot", "offered_until"])
        outbox_add(
            key=f"waitlist-offer:{entry.pk}:{slot.pk}:{now.timestamp()}",
            kind="waitlist_offer",
            to=[entry.user.email],
            template="waitlist_offer",
            context={"entry": entry, "slot": slot, "surgery": slot.surgery, "event": event, "person": entry.user},
        )
        offered += 1
    return offered


def slot_places_offer(*, slot_id, now=None):
    """Offer a slot's free places to its surgery's waiting list, as a cancellation offers its freed place.

    For a slot a coordinator has just added or given more places: people who
    joined the list because the surgery was full hear first, in order, before
    anyone else can book. Call it in the transaction that saved the slot, so
    the offers commit with it (their emails leave after). Returns how many.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _lock(Slot.objects.filter(pk=slot_id)).get()
        return _offer_freed_places(slot_id=slot_id, now=now)


def waitlist_join(*, user, surgery_id, now=None):
    """Join a full surgery's waiting list, or raise a WaitlistError (BookingBusy if its slots stay locked)."""
    now = now or timezone.now()
    surgery = Surgery.objects.select_related("event").get(pk=surgery_id)
    if acting_contact(user) is None:
        raise WaitlistError("Only provider contacts can join a waiting list.")
    if surgery.event.status != EventStatus.PUBLISHED or not booking_window_open(surgery.event, now=now):
        raise WaitlistError("Booking for this event is not open.")
    try:
        with transaction.atomic():
            _set_lock_timeout()
            # The person, then the surgery's slots in id order (a booking's order; slots_lock's): a place
            # freed or added is offered to the list under its slot's lock, so a cancellation offering one
            # now has either seen this entry (it committed first) or committed before the check below.
            _lock_person(user.pk)
            slots = list(_lock(surgery.slots.filter(starts_at__gt=now).order_by("pk")))
            # Free means bookable by this person: a place held for someone on the list is not (booking_create).
            if any(places > 0 for places in free_places(slots, user_id=user.pk, now=now).values()):
                raise WaitlistError("This surgery still has free slots: book one of those.")
            _after_checks()
            return WaitlistEntry.objects.create(surgery=surgery, user=user)
    except IntegrityError:
        raise WaitlistError("You are already on this waiting list.") from None
    except OperationalError as error:
        if _is_lock_failure(error):
            raise BookingBusy() from error
        raise


def waitlist_leave(*, user, entry_id, now=None):
    """Leave a waiting list; a slot held for this person passes to the next in line."""
    now = now or timezone.now()
    active = [WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
    with transaction.atomic():
        # Lock order slot, then entry (as in booking_create), so these never deadlock.
        held_slot_id = (
            WaitlistEntry.objects.filter(pk=entry_id, user=user, status=WaitlistStatus.OFFERED)
            .values_list("offered_slot_id", flat=True)
            .first()
        )
        if held_slot_id:
            _lock(Slot.objects.filter(pk=held_slot_id)).get()
        entry = _lock(WaitlistEntry.objects.filter(pk=entry_id, user=user, status__in=active)).get()
        was_offered = entry.status == WaitlistStatus.OFFERED
        entry.status = WaitlistStatus.LEFT
        entry.save(update_fields=["status"])
        if was_offered and entry.offered_slot_id:
            _offer_freed_places(slot_id=entry.offered_slot_id, now=now)
        return entry


def waitlist_entry_remove(*, entry_id, now=None):
    """A coordinator is deleting this entry: take its person off the list as waitlist_leave does first.

    A place held for them passes to the next in line (emailed after commit).
    Call it in the delete's transaction, before the delete. An entry no longer
    waiting or offered (booked, lapsed, left) holds nothing: nothing to do.
    """
    entry = WaitlistEntry.objects.select_related("user").filter(pk=entry_id).first()
    if entry is None:
        return
    try:
        waitlist_leave(user=entry.user, entry_id=entry.pk, now=now)
    except WaitlistEntry.DoesNotExist:
        pass  # not (or no longer, after waiting for its lock) waiting or offered


def waitlist_leave_all(*, user, now=None):
    """Take a person off every waiting list; places held for them pass on (their account is being deleted)."""
    active = [WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
    for entry_id in list(WaitlistEntry.objects.filter(user=user, status__in=active).values_list("pk", flat=True)):
        waitlist_leave(user=user, entry_id=entry_id, now=now)


def waitlist_expire_offers(*, now=None):
    """Pass on every held slot whose holder did not book it in time. Returns how many lapsed."""
    now = now or timezone.now()
    lapsed = 0
    ids = WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED, offered_until__lte=now).values_list(
        "pk", "offered_slot_id"
    )
    for entry_id, slot_id in list(ids):
        with transaction.atomic():
            _lock(Slot.objects.filter(pk=slot_id)).get()
            entry = (
                _lock(WaitlistEntry.objects.filter(pk=entry_id, status=WaitlistStatus.OFFERED, offered_until__lte=now))
                .first()
            )
            if entry is None:
                continue
            entry.status = WaitlistStatus.EXPIRED
            entry.save(update_fields=["status"])
            _offer_freed_places(slot_id=slot_id, now=now)
            lapsed += 1
    return lapsed


def waitlist_offers_withdraw(*, slot_ids, list_closes=False, now=None):
    """Withdraw the places held on slots about to be deleted; returns how many people are told.

    Call it in the delete's transaction, after `slots_lock`, before the delete:
    deleting a slot would otherwise set an offer's slot to NULL, which
    `waitlist_offer_has_slot_and_deadline` refuses. A person whose offer still
    stood goes back to waiting with their time of joining (the list's order),
    ahead of everyone who joined after them, and is emailed after commit; a lapsed offer ends as
    `waitlist_expire_offers` would end it (the slot goes, so nothing passes on).
    `list_closes`: the surgery is deleted too, and its waiting list with it.
    """
    now = now or timezone.now()
    slots = Slot.objects.select_related("surgery__event").in_bulk(list(slot_ids))
    # Slot, then entry: the lock order of waitlist_leave and waitlist_expire_offers.
    entries = _lock(
        WaitlistEntry.objects.filter(offered_slot_id__in=list(slots), status=WaitlistStatus.OFFERED).order_by("pk")
    )
    told = 0
    for entry in entries:  # no select_related: FOR UPDATE would lock the people's rows too
        slot = slots[entry.offered_slot_id]
        if entry.offered_until <= now:
            entry.status = WaitlistStatus.EXPIRED
            entry.save(update_fields=["status"])
            continue
        entry.status = WaitlistStatus.WAITING
        entry.offered_slot = entry.offered_until = None
        entry.save(update_fields=["status", "offered_slot", "offered_until"])
        outbox_add(
            key=f"waitlist-withdrawn:{entry.pk}:{slot.pk}:{now.timestamp()}",
            kind="waitlist_offer_withdrawn",
            to=[entry.user.email],
            template="waitlist_offer_withdrawn",
            context={
                "entry": entry, "slot": slot, "surgery": slot.surgery, "event": slot.surgery.event,
                "person": entry.user, "list_closes": list_closes,
            },
        )
        told += 1
    return told


def waitlist_close(*, surgery_ids, now=None):
    """Tell the people still waiting for surgeries about to be deleted that their list has closed; how many.

    Call it in the delete's transaction, after `slots_lock` and before
    `waitlist_offers_withdraw` (whose people, waiting again, are told by its
    own email that the list has closed): the entries go with their surgery
    (CASCADE), and the emails leave after the delete commits.
    """
    now = now or timezone.now()
    surgeries = Surgery.objects.select_related("event").in_bulk(list(surgery_ids))
    # Slot, then entry, as in waitlist_offers_withdraw.
    entries = _lock(
        WaitlistEntry.objects.filter(surgery_id__in=list(surgeries), status=WaitlistStatus.WAITING).order_by("pk")
    )
    told = 0
    for entry in entries:  # no select_related: FOR UPDATE would lock the people's rows too
        surgery = surgeries[entry.surgery_id]
        outbox_add(
            key=f"waitlist-closed:{entry.pk}:{now.timestamp()}",
            kind="waitlist_closed",
            to=[entry.user.email],
            template="waitlist_closed",
            context={"entry": entry, "surgery": surgery, "event": surgery.event, "person": entry.user},
        )
        told += 1
    return told


# --- Scheduling (coordinators) ------------------------------------------------


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
            _cancel_one(booking, slots[booking.slot_id], now=now, template="event_cancelled")
        _waitlists_close_for_cancelled_event(event, now=now)
        return len(bookings)


def _waitlists_close_for_cancelled_event(event, *, now):
    """End every waiting list of a cancelled event and email each person on one (after commit)."""
    surgeries = Surgery.objects.filter(event=event).in_bulk()
    # Slots (the caller holds them), then entries, as in every waiting-list write. By surgery id, not
    # surgery__event: FOR UPDATE over a join would lock the surgery rows too.
    entries = _lock(
        WaitlistEntry.objects.filter(
            surgery_id__in=list(surgeries), status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
        ).order_by("pk")
    )
    for entry in entries:  # no select_related: FOR UPDATE would lock the people's rows too
        held = entry.status == WaitlistStatus.OFFERED
        entry.status = WaitlistStatus.EXPIRED
        entry.save(update_fields=["status"])
        outbox_add(
            key=f"waitlist-closed:{entry.pk}:{now.timestamp()}",
            kind="waitlist_closed",
            to=[entry.user.email],
            template="waitlist_closed",
            context={
                "entry": entry, "surgery": surgeries[entry.surgery_id], "event": event, "person": entry.user,
                "event_cancelled": True, "held": held,
            },
        )


def schedule_lock(*, event_ids, host_ids=(), surgery_ids=()):
    """Lock events, then hosts, each in id order; return {id: event as now saved}. Raises ScheduleBusy.

    Every save that adds or moves slots, changes a surgery's hosts or an
    event's hours calls this before its checks, inside the transaction that
    then writes (the admin wraps a POST's validation and save in one), and so
    holds the locks until it commits: two such saves cannot both pass their
    checks against a database that lacks the other's change. The event's row
    stands for its hours and its surgeries' slots; a host's row for the slots
    they sit at anywhere, other events included. The hosts of `surgery_ids`
    are read once their events are locked: a change of hosts takes that lock.
    """
    try:
        # A savepoint: a lock not granted in time leaves the caller's transaction usable for its error page.
        with transaction.atomic():
            _set_lock_timeout()
            # FOR NO KEY UPDATE: a booking's insert (its event foreign key) still goes ahead. With FOR UPDATE,
            # a booking holding its slot would wait for the event while this save waits for that slot.
            events = {
                event.pk: event
                for event in _lock(JointEvent.objects.filter(pk__in=event_ids).order_by("pk"), no_key=True)
            }
            saved_hosts = Surgery.hosts.through.objects.filter(surgery_id__in=surgery_ids)
            host_ids = set(host_ids) | set(saved_hosts.values_list("regionalworker_id", flat=True))
            list(_lock(RegionalWorker.objects.filter(pk__in=host_ids).order_by("pk")).values_list("pk", flat=True))
    except OperationalError as error:
        if _is_lock_failure(error):
            raise ScheduleBusy() from error
        raise
    return events


def slots_lock(*, slot_ids):
    """Lock slots in id order, the lock a booking takes on the slot it books; return {id: slot as now saved}.

    A coordinator's save that moves, resizes or deletes booked slots calls this
    after `schedule_lock` (events, then hosts, then slots: never the reverse,
    and a booking locks no event or host) and only then reads the bookings: a
    booking made at the same moment is either counted or waits for the save to
    commit. Raises ScheduleBusy.
    """
    try:
        with transaction.atomic():
            _set_lock_timeout()
            return {slot.pk: slot for slot in _lock(Slot.objects.filter(pk__in=list(slot_ids)).order_by("pk"))}
    except OperationalError as error:
        if _is_lock_failure(error):
            raise ScheduleBusy(
                "Someone is booking or changing these slots right now. Please save again in a moment. Nothing was saved."
            ) from error
        raise


def people_lock(*, user_ids):
    """Lock people (auth user rows) in id order, as a booking first locks its person. Raises ScheduleBusy.

    A coordinator deleting accounts calls this before reading their bookings,
    in the delete's transaction: a booking made at the same moment is listed,
    or waits and then finds its person gone.
    """
    try:
        with transaction.atomic():
            _set_lock_timeout()
            list(_lock(get_user_model().objects.filter(pk__in=list(user_ids)).order_by("pk")).values_list("pk"))
    except OperationalError as error:
        if _is_lock_failure(error):
            raise ScheduleBusy(
                "This person is booking or cancelling right now. Please try again in a moment. Nothing was deleted."
            ) from error
        raise


def slots_generate(*, surgery_id, day, start, end, length_minutes, break_minutes=0, capacity=1):
    """Create a surgery's slots from `start` to `end` (local times on `day`), refusing overlaps.

    A new slot may not overlap an existing slot of this surgery, nor a slot of
    another surgery at which one of this surgery's hosts sits. Its places are
    offered to the surgery's waiting list first (see slot_places_offer).
    """
    if length_minutes <= 0:
        raise SlotGenerationError("The slot length must be at least one minute.")
    if break_minutes < 0:
        raise SlotGenerationError("The break cannot be negative.")
    first = dt.datetime.combine(day, start, tzinfo=LONDON)
    last = dt.datetime.combine(day, end, tzinfo=LONDON)
    if last <= first:
        raise SlotGenerationError("The end time must be after the start time.")
    length, gap = dt.timedelta(minutes=length_minutes), dt.timedelta(minutes=break_minutes)
    wanted = []
    cursor = first
    while cursor + length <= last:
        wanted.append((cursor, cursor + length))
        cursor += length + gap
    if not wanted:
        raise SlotGenerationError("No slot of that length fits between the start and end times.")
    with transaction.atomic():
        surgery = Surgery.objects.get(pk=surgery_id)
        try:
            event = schedule_lock(event_ids=[surgery.event_id], surgery_ids=[surgery.pk])[surgery.event_id]
        except ScheduleBusy as busy:
            raise SlotGenerationError(busy.message) from None
        outside = event.slot_outside_message(wanted[0][0], wanted[-1][1])
        if outside:
            raise SlotGenerationError(outside)
        host_ids = list(surgery.hosts.values_list("pk", flat=True))
        existing = slots_overlapping(
            surgery_id=surgery.pk, host_ids=host_ids, starts_at=wanted[0][0], ends_at=wanted[-1][1]
        )
        for slot in existing:
            for starts, ends in wanted:
                if slot.starts_at < ends and slot.ends_at > starts:
                    raise SlotGenerationError(
                        f"A new slot would overlap {slot.overlap_label(surgery.pk)}. Nothing was created."
                    )
        created = Slot.objects.bulk_create(
            [Slot(surgery=surgery, starts_at=s, ends_at=e, capacity=capacity) for s, e in wanted]
        )
        now = timezone.now()
        for slot in created:  # earliest first: the first in line is offered the earliest new place
            _offer_freed_places(slot_id=slot.pk, now=now)
        return created


# --- Reminders, host lists, evaluations (beat tasks) ---------------------------


def _local_day_bounds(day):
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=LONDON)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=LONDON)


def reminders_send(*, now=None):
    """Remind each confirmed booking of tomorrow (London), exactly once; email hosts their list."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now, LONDON).date() + dt.timedelta(days=1)
    start, end = _local_day_bounds(tomorrow)
    due = Booking.objects.filter(
        status=BookingStatus.CONFIRMED, reminded_at__isnull=True, starts_at__gte=start, starts_at__lt=end,
        event__status=EventStatus.PUBLISHED,
    )
    reminded = 0
    for booking_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            # Compare-and-set: a second beat run (or a concurrent one) finds nothing to claim.
            claimed = Booking.objects.filter(
                pk=booking_id, status=BookingStatus.CONFIRMED, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            booking = Booking.objects.select_related("user", "slot__surgery__event").get(pk=booking_id)
            outbox_add(
                key=f"reminder:{booking.pk}",
                may_exist=True,
                kind="booking_reminder",
                to=[booking.user.email],
                template="booking_reminder",
                context=_booking_context(booking),
                booking=booking,
                attachment=("surgery.ics", "text/calendar", booking_ics(booking).decode()),
            )
            reminded += 1
    surgeries = Surgery.objects.filter(
        slots__bookings__status=BookingStatus.CONFIRMED,
        slots__starts_at__gte=start, slots__starts_at__lt=end, event__status=EventStatus.PUBLISHED,
    ).distinct()
    for surgery in surgeries:
        host_list_send(surgery_id=surgery.pk, key_suffix=tomorrow.isoformat())
    return reminded


def host_list_send(*, surgery_id, key_suffix=None):
    """Email each host of a surgery the list of its confirmed bookings with their questions."""
    surgery = Surgery.objects.select_related("event").get(pk=surgery_id)
    bookings = list(
        Booking.objects.filter(slot__surgery=surgery, status=BookingStatus.CONFIRMED)
        .select_related("user", "organisation", "slot")
        .prefetch_related("priorities")
        .order_by("starts_at", "pk")
    )
    suffix = key_suffix or timezone.now().isoformat()
    written = 0
    with transaction.atomic():
        for host in surgery.hosts.select_related("user"):
            row = outbox_add(
                key=f"host-list:{surgery.pk}:{host.pk}:{suffix}",
                may_exist=True,
                kind="host_list",
                to=[host.contact_email],
                template="host_list",
                context={"surgery": surgery, "event": surgery.event, "host": host, "bookings": bookings},
            )
            written += row is not None
    return written


def evaluation_invitations_send(*, now=None, within_days=14):
    """After an event ends, invite each attendee once to evaluate it."""
    now = now or timezone.now()
    events = JointEvent.objects.filter(
        status=EventStatus.PUBLISHED, ends_at__lte=now, ends_at__gt=now - dt.timedelta(days=within_days)
    )
    written = 0
    for event in events:
        attendees = (
            get_user_model().objects.filter(bookings__event=event, bookings__status=BookingStatus.CONFIRMED)
            .exclude(evaluations__event=event)  # evaluated already (from the event page): nothing to ask
            .distinct()
            .order_by("pk")
        )
        for person in attendees:
            with transaction.atomic():
                row = outbox_add(
                    key=f"evaluation:{event.pk}:{person.pk}",
                    may_exist=True,
                    kind="evaluation_invitation",
                    to=[person.email],
                    template="evaluation_invitation",
                    context={"event": event, "person": person},
                )
            written += row is not None
    return written


EVALUATION_FIELDS = ["main_benefits", "key_messages", "ideas", "future_meetings", "other_comments", "rating"]


def is_attendee(*, user, event):
    return Booking.objects.filter(event=event, user=user, status=BookingStatus.CONFIRMED).exists()


def evaluation_submit(*, user, event_id, answers, now=None):
    now = now or timezone.now()
    event = JointEvent.objects.get(pk=event_id)
    if event.ends_at > now:
        raise EvaluationError("You can evaluate the event once it has finished.")
    if not is_attendee(user=user, event=event):
        raise EvaluationError("Only people who attended this event can evaluate it.")
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                event=event, user=user, **{name: answers.get(name, "") for name in EVALUATION_FIELDS}
            )
    except IntegrityError:
        raise EvaluationError("You have already evaluated this event. Thank you!") from None
