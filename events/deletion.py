"""Deleting slots, surgeries, events and people without deleting confirmed bookings untold.

A delete would take bookings with it (CASCADE): nobody told, places left
taken. So a delete is refused (DeleteRefused, listing what blocks it) while
any is confirmed; cancel them first, which emails each person. The check locks
the rows a booking locks (the slots; for people, the people), in the delete's
transaction: a booking made at the same moment is listed, or waits and then
finds its slot or person gone. Call the check, then the delete, in one
transaction (the admin's delete page and "delete selected" are one).
Places held for the waiting list on a deleted slot are withdrawn, each person
told; a deleted surgery's list closes.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from .errors import DeleteRefused
from .locking import people_lock, schedule_lock, slots_lock
from .models import JointEvent, Slot, Surgery
from .selectors import bookings_to_come_of, confirmed_bookings, offers_held_on, surgeries_booked_to_come_hosted_by
from .waitlist import waitlist_close, waitlist_leave_all, waitlist_offers_withdraw

CANCEL_BOOKINGS_FIRST = "Cancel their bookings first (each person is told by email), then delete."
CANCEL_EVENT_FIRST = (
    "Cancel the event first (“Cancel the selected events” emails everyone booked), "
    "or cancel those bookings, then delete."
)


def _slot_ids(*, slot_ids=(), surgery_ids=(), event_ids=()):
    slots = Slot.objects.filter(
        Q(pk__in=list(slot_ids)) | Q(surgery_id__in=list(surgery_ids)) | Q(surgery__event_id__in=list(event_ids))
    )
    return list(slots.values_list("pk", flat=True))


def schedule_delete_check(*, slot_ids=(), surgery_ids=(), event_ids=(), now=None):
    """May these slots, surgeries and events be deleted? Return the waiting-list offers the delete would withdraw.

    Locks their events, then their slots. Raises DeleteRefused (with the
    confirmed bookings) or ScheduleBusy. The offers come with their people and
    slots, earliest slot first, for the coordinator to be told before deleting.
    """
    now = now or timezone.now()
    ids = _slot_ids(slot_ids=slot_ids, surgery_ids=surgery_ids, event_ids=event_ids)
    schedule_lock(event_ids=set(Slot.objects.filter(pk__in=ids).values_list("surgery__event_id", flat=True)))
    locked = slots_lock(slot_ids=ids)
    booked = list(confirmed_bookings(slot_ids=locked).select_related("user", "slot__surgery"))
    if booked:
        people = "1 person has" if len(booked) == 1 else f"{len(booked)} people have"
        raise DeleteRefused(
            f"{people} booked what you asked to delete: deleting it would delete their bookings without "
            f"telling them. {CANCEL_EVENT_FIRST if event_ids else CANCEL_BOOKINGS_FIRST}",
            bookings=booked,
        )
    return list(
        offers_held_on(slot_ids=locked, now=now)
        .select_related("user", "offered_slot__surgery").order_by("offered_slot__starts_at", "pk")
    )


def schedule_delete(*, slot_ids=(), surgery_ids=(), event_ids=(), now=None):
    """Delete these slots, surgeries and events (checked as schedule_delete_check); return how many people are told.

    Places held on the slots for the waiting list are withdrawn (each person is
    emailed after commit); a deleted surgery's waiting list closes, and the
    people still waiting on it are told.
    """
    schedule_delete_check(slot_ids=slot_ids, surgery_ids=surgery_ids, event_ids=event_ids, now=now)
    ids = _slot_ids(slot_ids=slot_ids, surgery_ids=surgery_ids, event_ids=event_ids)
    closes = bool(surgery_ids or event_ids)
    if closes:  # before the withdrawal: those it puts back on the list get its own email
        closing = Surgery.objects.filter(Q(pk__in=list(surgery_ids)) | Q(event_id__in=list(event_ids)))
        waitlist_close(surgery_ids=closing.values_list("pk", flat=True), now=now)
    told = waitlist_offers_withdraw(slot_ids=ids, list_closes=closes, now=now)
    Slot.objects.filter(pk__in=list(slot_ids)).delete()
    Surgery.objects.filter(pk__in=list(surgery_ids)).delete()
    JointEvent.objects.filter(pk__in=list(event_ids)).delete()
    return told


def users_delete_check(*, user_ids, now=None):
    """May these accounts be deleted? Not while they hold a confirmed booking still to come or host a booked surgery.

    Locks the people as a booking does. Raises DeleteRefused (with those
    bookings and surgeries) or ScheduleBusy. Deactivating an account keeps everything.
    """
    now = now or timezone.now()
    people_lock(user_ids=user_ids)
    booked = list(bookings_to_come_of(user_ids=user_ids, now=now).select_related("user", "slot__surgery"))
    hosted = list(surgeries_booked_to_come_hosted_by(user_ids=user_ids, now=now).select_related("event"))
    if not (booked or hosted):
        return
    why = []
    if booked:
        bookings = "1 confirmed booking" if len(booked) == 1 else f"{len(booked)} confirmed bookings"
        why.append(
            f"Deleting would delete {bookings} still to come without telling anyone, and the places would "
            "stay taken: cancel them first (each person is told by email and the place is offered to the "
            "waiting list)."
        )
    if hosted:
        surgeries = "1 booked surgery" if len(hosted) == 1 else f"{len(hosted)} booked surgeries"
        why.append(f"Deleting would leave {surgeries} without their host: give them another host first.")
    why.append("To close an account and keep its records, untick “Active” on the user's page instead.")
    raise DeleteRefused(" ".join(why), bookings=booked, surgeries=hosted)


def users_delete(*, user_ids, now=None):
    """Delete these accounts (checked as users_delete_check); places held for them on waiting lists pass on."""
    users_delete_check(user_ids=user_ids, now=now)
    users = get_user_model().objects.filter(pk__in=list(user_ids))
    for user in users:
        waitlist_leave_all(user=user, now=now)
    users.delete()
