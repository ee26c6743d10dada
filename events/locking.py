"""Row locks of the events services, taken in one fixed order (docs/invariants.md, "Lock order").

The event (FOR NO KEY UPDATE), then its hosts, then people, then slots, then
waiting-list entries; each step by id. Bookings, cancellations, waiting-list
joins and scheduling wait at most LOCK_TIMEOUT for a row (PostgreSQL), then
answer "busy, try again" and save nothing.
"""

from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, transaction

from programmes.models import RegionalWorker

from .errors import ScheduleBusy
from .models import JointEvent, Slot, Surgery

LOCK_TIMEOUT = "5s"


def set_lock_timeout():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")


def is_lock_failure(error):
    # 55P03 lock_not_available (our lock_timeout), 40P01 deadlock_detected.
    return getattr(getattr(error, "__cause__", None), "pgcode", None) in {"55P03", "40P01"}


def lock_person(user_id):
    get_user_model().objects.select_for_update().filter(pk=user_id).get()


def lock_slot(slot_id):
    return Slot.objects.select_for_update().get(pk=slot_id)


def schedule_lock(*, event_ids, host_ids=(), surgery_ids=()):
    """Lock events, then hosts, each in id order; return {id: event as now saved}. Raises ScheduleBusy.

    Every save that adds or moves slots, changes a surgery's hosts or an
    event's hours calls this before its checks, inside the transaction that
    then writes, and so holds the locks until it commits: two such saves
    cannot both pass their checks against a database that lacks the other's
    change. The event's row stands for its hours and its surgeries' slots; a
    host's row for the slots they sit at anywhere, other events included. The
    hosts of `surgery_ids` are read once their events are locked: a change of
    hosts takes that lock.
    """
    try:
        # A savepoint: a lock not granted in time leaves the caller's transaction usable for its error page.
        with transaction.atomic():
            set_lock_timeout()
            # FOR NO KEY UPDATE: a booking's insert (its event foreign key) still goes ahead. With FOR UPDATE,
            # a booking holding its slot would wait for the event while this save waits for that slot.
            events = {
                event.pk: event
                for event in JointEvent.objects.filter(pk__in=event_ids).order_by("pk").select_for_update(no_key=True)
            }
            saved_hosts = Surgery.hosts.through.objects.filter(surgery_id__in=surgery_ids)
            host_ids = set(host_ids) | set(saved_hosts.values_list("regionalworker_id", flat=True))
            list(RegionalWorker.objects.filter(pk__in=host_ids).order_by("pk").select_for_update().values_list("pk"))
    except OperationalError as error:
        if is_lock_failure(error):
            raise ScheduleBusy() from error
        raise
    return events


def slots_lock(*, slot_ids):
    """Lock slots in id order, the lock a booking takes on the slot it books; return {id: slot as now saved}.

    A coordinator's change that moves, resizes or deletes booked slots calls
    this after `schedule_lock` (events, then hosts, then slots: never the
    reverse, and a booking locks no event or host) and only then reads the
    bookings: a booking made at the same moment is either counted or waits for
    the change to commit. Raises ScheduleBusy.
    """
    try:
        with transaction.atomic():
            set_lock_timeout()
            slots = Slot.objects.filter(pk__in=list(slot_ids)).order_by("pk").select_for_update()
            return {slot.pk: slot for slot in slots}
    except OperationalError as error:
        if is_lock_failure(error):
            raise ScheduleBusy(
                "Someone is booking or changing these slots right now. "
                "Please save again in a moment. Nothing was saved."
            ) from error
        raise


def people_lock(*, user_ids):
    """Lock people (auth user rows) in id order, as a booking first locks its person. Raises ScheduleBusy.

    Deleting or erasing accounts calls this before reading their bookings, in
    the delete's transaction: a booking made at the same moment is listed, or
    waits and then finds its person gone.
    """
    try:
        with transaction.atomic():
            set_lock_timeout()
            people = get_user_model().objects.filter(pk__in=list(user_ids)).order_by("pk")
            list(people.select_for_update().values_list("pk"))
    except OperationalError as error:
        if is_lock_failure(error):
            raise ScheduleBusy(
                "This person is booking or cancelling right now. Please try again in a moment. Nothing was deleted."
            ) from error
        raise
