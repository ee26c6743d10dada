"""Waiting lists: joining and leaving, offering freed or added places in order, withdrawing and closing.

A place freed or added is offered to the list's entries under its slot's row
lock, then the entries are locked one at a time in the list's order (lock
order: docs/invariants.md). Emails leave after the transaction commits.
"""

import datetime as dt

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.services import email_language_for
from programmes.outbox import email_queue
from providers.permissions import acting_contact

from .choices import EventStatus, WaitlistStatus
from .errors import BookingBusy, WaitlistError
from .locking import is_lock_failure, lock_person, lock_slot, set_lock_timeout
from .models import Slot, Surgery, WaitlistEntry
from .selectors import booking_window_open, free_places, offers_held_on

ACTIVE = [WaitlistStatus.WAITING, WaitlistStatus.OFFERED]


def offer_freed_places(*, slot_id, now):
    """Offer a slot's free places, in order, to the surgery's waiting list (caller holds the slot lock); how many."""
    slot = Slot.objects.select_related("surgery__event").get(pk=slot_id)
    event = slot.surgery.event
    if slot.starts_at <= now or event.status != EventStatus.PUBLISHED:
        return 0
    free = slot.capacity - slot.booked_count - offers_held_on(slot_ids=[slot.pk], now=now).count()
    offered = 0
    while offered < free:
        # Lock order: the slot (the caller holds it), then the entries one at a time in the list's
        # order, as in every waiting-list write, so two offers on different slots cannot deadlock.
        # One reaching a person another offer has just locked waits for their row; PostgreSQL then
        # re-checks it (no longer waiting) and reads on to the next person in the same statement,
        # as LIMIT applies after the lock: the next place goes to the next in line, not to no one.
        entry = (
            WaitlistEntry.objects.filter(surgery=slot.surgery, status=WaitlistStatus.WAITING)
            .select_for_update()
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
        email_queue(
            key=f"waitlist-offer:{entry.pk}:{slot.pk}:{now.timestamp()}",
            kind="waitlist_offer",
            to=[entry.user.email],
            template="events/waitlist_offer",
            context={"entry": entry, "slot": slot, "surgery": slot.surgery, "event": event, "person": entry.user},
            language=email_language_for(entry.user),
        )
        offered += 1
    return offered


def waitlist_accept(*, user_id, surgery, slot, now):
    """The person has just booked `slot` (their person and the slot are locked): their entry on its list is done.

    A place held for them on another slot of the surgery passes to the next in line.
    """
    entry = WaitlistEntry.objects.filter(surgery=surgery, user_id=user_id, status__in=ACTIVE).first()
    if entry is None:
        return
    other_slot = entry.offered_slot if entry.status == WaitlistStatus.OFFERED and entry.offered_slot_id != slot.pk else None
    entry.status = WaitlistStatus.ACCEPTED
    entry.save(update_fields=["status"])
    if other_slot is not None:
        # They booked another time than the one held for them: pass the held one on.
        lock_slot(other_slot.pk)
        offer_freed_places(slot_id=other_slot.pk, now=now)


def slot_places_offer(*, slot_id, now=None):
    """Offer a slot's free places to its surgery's waiting list, as a cancellation offers its freed place.

    For a slot a coordinator has just added or given more places: people who
    joined the list because the surgery was full hear first, in order, before
    anyone else can book. Call it in the transaction that saved the slot, so
    the offers commit with it (their emails leave after). Returns how many.
    """
    now = now or timezone.now()
    with transaction.atomic():
        lock_slot(slot_id)
        return offer_freed_places(slot_id=slot_id, now=now)


def waitlist_join(*, user, surgery_id, now=None):
    """Join a full surgery's waiting list, or raise a WaitlistError (BookingBusy if its slots stay locked)."""
    now = now or timezone.now()
    surgery = Surgery.objects.select_related("event").get(pk=surgery_id)
    if acting_contact(user) is None:
        raise WaitlistError(_("Only provider contacts can join a waiting list."))
    if surgery.event.status != EventStatus.PUBLISHED or not booking_window_open(surgery.event, now=now):
        raise WaitlistError(_("Booking for this event is not open."))
    try:
        with transaction.atomic():
            set_lock_timeout()
            # The person, then the surgery's slots in id order (a booking's order; slots_lock's): a place
            # freed or added is offered to the list under its slot's lock, so a cancellation offering one
            # now has either seen this entry (it committed first) or committed before the check below.
            lock_person(user.pk)
            slots = list(surgery.slots.filter(starts_at__gt=now).order_by("pk").select_for_update())
            # Free means bookable by this person: a place held for someone on the list is not (booking_create).
            if any(places > 0 for places in free_places(slots, user_id=user.pk, now=now).values()):
                raise WaitlistError(_("This surgery still has free slots: book one of those."))
            return WaitlistEntry.objects.create(surgery=surgery, user=user)
    except IntegrityError:
        raise WaitlistError(_("You are already on this waiting list.")) from None
    except OperationalError as error:
        if is_lock_failure(error):
            raise BookingBusy() from error
        raise


def waitlist_leave(*, user, entry_id, now=None):
    """Leave a waiting list; a slot held for this person passes to the next in line."""
    now = now or timezone.now()
    with transaction.atomic():
        # Lock order slot, then entry (as in booking_create), so these never deadlock.
        held_slot_id = (
            WaitlistEntry.objects.filter(pk=entry_id, user=user, status=WaitlistStatus.OFFERED)
            .values_list("offered_slot_id", flat=True)
            .first()
        )
        if held_slot_id:
            lock_slot(held_slot_id)
        entry = WaitlistEntry.objects.select_for_update().filter(pk=entry_id, user=user, status__in=ACTIVE).get()
        was_offered = entry.status == WaitlistStatus.OFFERED
        entry.status = WaitlistStatus.LEFT
        entry.save(update_fields=["status"])
        if was_offered and entry.offered_slot_id:
            offer_freed_places(slot_id=entry.offered_slot_id, now=now)
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


def waitlist_entries_remove(*, entry_ids, now=None):
    """A coordinator is deleting these entries: take each person off their list (see waitlist_entry_remove).

    The waiting first: a place passed on by an offered one must not go to someone deleted with it.
    """
    entries = WaitlistEntry.objects.filter(pk__in=list(entry_ids)).order_by("pk").values_list("pk", "status")
    for entry_id, _status in sorted(entries, key=lambda entry: entry[1] == WaitlistStatus.OFFERED):
        waitlist_entry_remove(entry_id=entry_id, now=now)


def waitlist_leave_all(*, user, now=None):
    """Take a person off every waiting list; places held for them pass on (their account is being deleted)."""
    for entry_id in list(WaitlistEntry.objects.filter(user=user, status__in=ACTIVE).values_list("pk", flat=True)):
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
            lock_slot(slot_id)
            entry = (
                WaitlistEntry.objects.select_for_update()
                .filter(pk=entry_id, status=WaitlistStatus.OFFERED, offered_until__lte=now)
                .first()
            )
            if entry is None:
                continue
            entry.status = WaitlistStatus.EXPIRED
            entry.save(update_fields=["status"])
            offer_freed_places(slot_id=slot_id, now=now)
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
    entries = _entries_locked(offered_slot_id__in=list(slots), status=WaitlistStatus.OFFERED)
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
        email_queue(
            key=f"waitlist-withdrawn:{entry.pk}:{slot.pk}:{now.timestamp()}",
            kind="waitlist_offer_withdrawn",
            to=[entry.user.email],
            template="events/waitlist_offer_withdrawn",
            context={
                "entry": entry, "slot": slot, "surgery": slot.surgery, "event": slot.surgery.event,
                "person": entry.user, "list_closes": list_closes,
            },
            language=email_language_for(entry.user),
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
    entries = _entries_locked(surgery_id__in=list(surgeries), status=WaitlistStatus.WAITING)
    told = 0
    for entry in entries:  # no select_related: FOR UPDATE would lock the people's rows too
        surgery = surgeries[entry.surgery_id]
        email_queue(
            key=f"waitlist-closed:{entry.pk}:{now.timestamp()}",
            kind="waitlist_closed",
            to=[entry.user.email],
            template="events/waitlist_closed",
            context={"entry": entry, "surgery": surgery, "event": surgery.event, "person": entry.user},
            language=email_language_for(entry.user),
        )
        told += 1
    return told


def waitlists_close_for_cancelled_event(event, *, now):
    """End every waiting list of a cancelled event and email each person on one (after commit)."""
    surgeries = Surgery.objects.filter(event=event).in_bulk()
    # Slots (the caller holds them), then entries, as in every waiting-list write. By surgery id, not
    # surgery__event: FOR UPDATE over a join would lock the surgery rows too.
    entries = _entries_locked(surgery_id__in=list(surgeries), status__in=ACTIVE)
    for entry in entries:  # no select_related: FOR UPDATE would lock the people's rows too
        held = entry.status == WaitlistStatus.OFFERED
        entry.status = WaitlistStatus.EXPIRED
        entry.save(update_fields=["status"])
        email_queue(
            key=f"waitlist-closed:{entry.pk}:{now.timestamp()}",
            kind="waitlist_closed",
            to=[entry.user.email],
            template="events/waitlist_closed",
            context={
                "entry": entry, "surgery": surgeries[entry.surgery_id], "event": event, "person": entry.user,
                "event_cancelled": True, "held": held,
            },
            language=email_language_for(entry.user),
        )


def _entries_locked(**filters):
    """The matching entries, locked in id order (the order every bulk change of entries locks in)."""
    return WaitlistEntry.objects.filter(**filters).order_by("pk").select_for_update()
