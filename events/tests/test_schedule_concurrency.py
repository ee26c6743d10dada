"""Coordinators scheduling in the admin at the same moment (as each other, or as a booking), on PostgreSQL.

Two saves, each through the admin in its own thread and connection. The first
is held after its checks and before its writes (a hook around the admin's
save_model); only then is the second started. With the locks (the product)
the second waits for a lock the first holds, which the test sees in
pg_stat_activity before releasing the first; it then checks against what the
first saved and is refused. As controls, with the locks switched off the
second passes its checks too and both are saved: the race is real.
Every wait is bounded; the verdict does not depend on timing.
"""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brokerage.roles import coordinators_group_sync
from events import booking as booking_module
from events import locking
from events.admin import JointEventAdmin, SlotAdmin, SurgeryAdmin
from events.booking import booking_cancel, booking_create, event_cancel
from events.choices import BookingStatus, WaitlistStatus
from events.errors import WaitlistError
from events.models import Booking, JointEvent, Slot, WaitlistEntry
from events.tests.test_admin import at, event_form_data, local_split, local_times, post_surgery
from events.waitlist import waitlist_join
from tests_support import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WAIT = 30  # seconds: the longest any step may take before the test fails


def coordinator_client(name):
    user = factories.UserFactory(username=f"{name}@example.org", is_staff=True)
    user.groups.add(coordinators_group_sync())
    client = Client()
    client.force_login(user)
    return client


def lock_waiters():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def save_together(monkeypatch, first, second):
    """Post `first` until it has passed its checks, then `second`; release `first` once `second` waits or is done.

    Returns (first's response, second's response, whether `second` was seen waiting for a lock).
    """
    hold_at = [(admin_class, "save_model") for admin_class in (SurgeryAdmin, JointEventAdmin, SlotAdmin)]
    return run_together(monkeypatch, hold_at, first, second)


def run_together(monkeypatch, hold_at, first, second):
    """Run `first` until it calls one of `hold_at` ((owner, name) pairs), then `second`; as save_together."""
    checked, release = threading.Event(), threading.Event()
    held = []

    def held_before(function):
        def hook(*args, **kwargs):
            if not held:  # the first call only; the second is started after this
                held.append(True)
                checked.set()
                assert release.wait(WAIT)
            return function(*args, **kwargs)

        return hook

    for owner, name in hold_at:
        monkeypatch.setattr(owner, name, held_before(getattr(owner, name)))
    results = {}

    def run(name, post):
        try:
            results[name] = post()
        except Exception as error:  # the test fails on it below
            results[name] = error
        finally:
            connections.close_all()

    one = threading.Thread(target=run, args=("first", first))
    two = threading.Thread(target=run, args=("second", second))
    one.start()
    try:
        assert checked.wait(WAIT), "the first never passed its checks"
        two.start()
        deadline = time.monotonic() + WAIT
        while two.is_alive() and not lock_waiters():
            assert time.monotonic() < deadline, "the second neither waited for a lock nor finished"
            time.sleep(0.01)
        waited = two.is_alive()  # still running, so waiting for the first's lock
    finally:
        release.set()
        one.join(WAIT)
        if two.ident:
            two.join(WAIT)
    assert not one.is_alive() and not two.is_alive(), "one of them hung"
    return results["first"], results["second"], waited


@pytest.fixture
def fair():
    start = (timezone.now() + dt.timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    return factories.JointEventFactory(
        title="South West Learning Fair", starts_at=start, ends_at=start + dt.timedelta(hours=8)
    )


@pytest.fixture
def host():
    return factories.RegionalWorkerFactory()


@pytest.fixture
def surgery(fair, host):
    surgery = factories.SurgeryFactory(event=fair, title="Maths teaching excellence")
    surgery.hosts.set([host])
    return surgery


# --- Two slots for one surgery ---------------------------------------------------


def two_overlapping_slots(monkeypatch, surgery):
    return save_together(
        monkeypatch,
        lambda: post_surgery(coordinator_client("ann"), surgery, [(None, "10:00", "10:20")]),
        lambda: post_surgery(coordinator_client("bob"), surgery, [(None, "10:10", "10:30")]),
    )


def test_two_coordinators_adding_overlapping_slots_at_once_the_second_is_refused(monkeypatch, surgery):
    first, second, waited = two_overlapping_slots(monkeypatch, surgery)

    assert waited
    assert first.status_code == 302
    assert second.status_code == 200
    page = second.content.decode()
    assert "This slot overlaps the slot at 10:00 of this surgery. Nothing was saved." in page
    assert 'value="10:10"' in page  # what the second coordinator typed is shown again
    assert local_times(surgery) == ["10:00"]


def test_two_overlapping_slots_control_without_locks_both_are_saved(monkeypatch, locks_off, surgery):
    first, second, waited = two_overlapping_slots(monkeypatch, surgery)

    assert not waited
    assert (first.status_code, second.status_code) == (302, 302)
    assert local_times(surgery) == ["10:00", "10:10"]  # the race is real: overlapping slots


# --- One host at two events' surgeries ------------------------------------------


def one_host_twice(monkeypatch, fair, surgery, host):
    # Another fair the same day: the events' locks do not meet, only the host's does.
    elsewhere = factories.JointEventFactory(title="Plymouth fair", starts_at=fair.starts_at, ends_at=fair.ends_at)
    clinic = factories.SurgeryFactory(event=elsewhere, title="Leadership clinic")
    clinic.hosts.set([host])
    first, second, waited = save_together(
        monkeypatch,
        lambda: post_surgery(coordinator_client("ann"), surgery, [(None, "10:00", "10:20")]),
        lambda: post_surgery(coordinator_client("bob"), clinic, [(None, "10:10", "10:30")]),
    )
    return clinic, first, second, waited


def test_two_saves_putting_one_host_at_overlapping_slots_the_second_is_refused(monkeypatch, fair, surgery, host):
    clinic, first, second, waited = one_host_twice(monkeypatch, fair, surgery, host)

    assert waited
    assert (first.status_code, second.status_code) == (302, 200)
    assert (
        "This slot overlaps the slot at 10:00 of “Maths teaching excellence” (same host). Nothing was saved."
        in second.content.decode()
    )
    assert (local_times(surgery), local_times(clinic)) == (["10:00"], [])


def test_one_host_twice_control_without_locks_both_are_saved(monkeypatch, locks_off, fair, surgery, host):
    clinic, first, second, waited = one_host_twice(monkeypatch, fair, surgery, host)

    assert not waited
    assert (first.status_code, second.status_code) == (302, 302)
    assert (local_times(surgery), local_times(clinic)) == (["10:00"], ["10:10"])


# --- A slot added while the event's hours are narrowed -----------------------------


def slot_and_new_hours(monkeypatch, fair, surgery, host):
    data = event_form_data(fair, [(surgery, [host.pk])])
    data["starts_at_0"], data["starts_at_1"] = local_split(at(surgery, "11:00"))
    return save_together(
        monkeypatch,
        lambda: post_surgery(coordinator_client("ann"), surgery, [(None, "10:00", "10:20")]),
        lambda: coordinator_client("bob").post(reverse("admin:events_jointevent_change", args=[fair.pk]), data),
    )


def test_narrowing_the_hours_while_a_slot_is_added_before_them_the_second_is_refused(monkeypatch, fair, surgery, host):
    was = fair.starts_at
    first, second, waited = slot_and_new_hours(monkeypatch, fair, surgery, host)

    assert waited
    assert (first.status_code, second.status_code) == (302, 200)
    (slot,) = Slot.objects.filter(surgery=surgery)
    assert f"These slots would fall outside the new hours: {slot}." in second.content.decode()
    assert JointEvent.objects.get(pk=fair.pk).starts_at == was


def test_slot_and_new_hours_control_without_locks_leaves_a_slot_outside(monkeypatch, locks_off, fair, surgery, host):
    first, second, waited = slot_and_new_hours(monkeypatch, fair, surgery, host)

    assert not waited
    assert (first.status_code, second.status_code) == (302, 302)
    (slot,) = Slot.objects.filter(surgery=surgery)
    assert slot.starts_at < JointEvent.objects.get(pk=fair.pk).starts_at  # the race is real


# --- A slot moved while someone books it ---------------------------------------------------
# The booking copies the slot's times: it must see the slot as moved, or the
# move must see the booking (and be refused); never a booking at the old time.


def move_slot(client, slot, starts, ends):
    day = timezone.localtime(slot.starts_at).date().isoformat()
    return client.post(reverse("admin:events_slot_change", args=[slot.pk]), {
        "surgery": slot.surgery_id, "capacity": slot.capacity,
        "starts_at_0": day, "starts_at_1": starts, "ends_at_0": day, "ends_at_1": ends,
    })


@pytest.fixture
def slot(surgery):
    return factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))


@pytest.fixture
def provider():
    return factories.ProviderContactFactory(user=factories.UserFactory(username="priya@college.example")).user


def move_then_book(monkeypatch, slot, provider):
    return save_together(
        monkeypatch,
        lambda: move_slot(coordinator_client("ann"), slot, "11:00", "11:20"),
        lambda: booking_create(user=provider, slot_id=slot.pk),
    )


def test_booking_a_slot_while_it_is_moved_waits_and_books_the_new_time(monkeypatch, surgery, slot, provider):
    moved, booking, waited = move_then_book(monkeypatch, slot, provider)

    assert waited
    assert moved.status_code == 302
    slot.refresh_from_db()
    assert (booking.starts_at, booking.ends_at) == (at(surgery, "11:00"), at(surgery, "11:20"))
    assert (slot.starts_at, slot.booked_count) == (at(surgery, "11:00"), 1)


def test_booking_while_moved_control_without_locks_books_the_old_time(monkeypatch, locks_off, surgery, slot, provider):
    moved, booking, waited = move_then_book(monkeypatch, slot, provider)

    assert not waited
    assert moved.status_code == 302
    slot.refresh_from_db()
    # The race is real: the booking keeps the old time, and the move wrote back the count it read before.
    assert (booking.starts_at, slot.starts_at, slot.booked_count) == (at(surgery, "10:00"), at(surgery, "11:00"), 0)


def book_then_change(monkeypatch, slot, provider, change):
    return run_together(
        monkeypatch,
        [(Booking, "save")],  # a booking's insert, right after its checks
        lambda: booking_create(user=provider, slot_id=slot.pk),
        lambda: change(coordinator_client("ann")),
    )


def test_moving_a_slot_while_it_is_booked_waits_and_is_refused(monkeypatch, surgery, slot, provider):
    booking, moved, waited = book_then_change(
        monkeypatch, slot, provider, lambda client: move_slot(client, slot, "11:00", "11:20")
    )

    assert waited
    assert moved.status_code == 200
    assert "1 person has booked this slot. Moving it would leave their bookings at the old time" in (
        moved.content.decode()
    )
    slot.refresh_from_db()
    assert (booking.starts_at, slot.starts_at, slot.booked_count) == (at(surgery, "10:00"), at(surgery, "10:00"), 1)


def test_moving_while_booked_control_without_locks_leaves_the_booking_at_the_old_time(
    monkeypatch, locks_off, surgery, slot, provider
):
    booking, moved, waited = book_then_change(
        monkeypatch, slot, provider, lambda client: move_slot(client, slot, "11:00", "11:20")
    )

    assert not waited
    assert moved.status_code == 302
    slot.refresh_from_db()
    assert (booking.starts_at, slot.starts_at) == (at(surgery, "10:00"), at(surgery, "11:00"))  # the race is real


def test_deleting_a_slot_while_it_is_booked_waits_and_is_refused(monkeypatch, slot, provider):
    url = reverse("admin:events_slot_delete", args=[slot.pk])
    booking, deleted, waited = book_then_change(
        monkeypatch, slot, provider, lambda client: client.post(url, {"post": "yes"})
    )

    assert waited
    assert deleted.status_code == 200
    assert "Confirmed booking: <a href=" in deleted.content.decode()
    assert Booking.objects.get(pk=booking.pk).slot_id == slot.pk


def test_cancelling_an_event_while_a_slot_is_booked_waits_and_cancels_that_booking_too(
    monkeypatch, fair, slot, provider
):
    booking, cancelled, waited = run_together(
        monkeypatch,
        [(Booking, "save")],  # a booking's insert, right after its checks
        lambda: booking_create(user=provider, slot_id=slot.pk),
        lambda: event_cancel(event_id=fair.pk),
    )

    assert waited
    assert cancelled == 1
    slot.refresh_from_db()
    assert (Booking.objects.get(pk=booking.pk).status, slot.booked_count) == (BookingStatus.CANCELLED, 0)


# --- A lock held too long: "busy, save again", nothing lost ---------------------------


def test_save_while_the_event_stays_locked_answers_busy_and_keeps_what_was_typed(monkeypatch, fair, surgery):
    monkeypatch.setattr(locking, "LOCK_TIMEOUT", "200ms")
    locked, release = threading.Event(), threading.Event()

    def hold_the_event():
        try:
            with transaction.atomic():
                JointEvent.objects.select_for_update().get(pk=fair.pk)
                locked.set()
                release.wait(timeout=WAIT)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_event)
    holder.start()
    try:
        assert locked.wait(timeout=WAIT)
        response = post_surgery(coordinator_client("ann"), surgery, [(None, "10:00", "10:20")])
    finally:
        release.set()
        holder.join(timeout=WAIT)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Please save again in a moment. Nothing was saved." in page
    assert 'value="10:00"' in page
    assert local_times(surgery) == []
    assert post_surgery(coordinator_client("bob"), surgery, [(None, "10:00", "10:20")]).status_code == 302


# --- Two cancellations at once offer their places to the first two people waiting ----------


def test_two_cancellations_at_once_offer_both_places_in_order_of_the_waiting_list(
    monkeypatch, surgery, mailoutbox
):
    """Both reach the first person waiting; the second must go on to the next, and neither deadlocks."""
    first_slot = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    second_slot = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:20"), ends_at=at(surgery, "10:40"))
    booked = [
        booking_create(user=factories.ProviderContactFactory().user, slot_id=slot.pk)
        for slot in (first_slot, second_slot)
    ]
    waiting = [factories.ProviderContactFactory().user for _ in range(3)]
    entries = [waitlist_join(user=person, surgery_id=surgery.pk) for person in waiting]
    mailoutbox.clear()

    # The first cancellation is held once it has locked the first person waiting (before it saves
    # their offer); the second then waits for that person's row, and is let go on when the first commits.
    first, second, waited = run_together(
        monkeypatch,
        [(WaitlistEntry, "save")],
        lambda: booking_cancel(booking_id=booked[0].pk, user=booked[0].user),
        lambda: booking_cancel(booking_id=booked[1].pk, user=booked[1].user),
    )

    assert waited
    assert (first.status, second.status) == (BookingStatus.CANCELLED, BookingStatus.CANCELLED)
    offers = {entry.pk: (entry.status, entry.offered_slot_id) for entry in WaitlistEntry.objects.all()}
    assert offers == {
        entries[0].pk: (WaitlistStatus.OFFERED, first_slot.pk),
        entries[1].pk: (WaitlistStatus.OFFERED, second_slot.pk),
        entries[2].pk: (WaitlistStatus.WAITING, None),
    }
    offered_to = sorted(m.to[0] for m in mailoutbox if "A slot is free for you" in m.subject)
    assert offered_to == sorted([waiting[0].email, waiting[1].email])


# --- Joining a waiting list while a cancellation offers its place ----------------------------------


class Offered:
    """A seam after a cancellation's offer query (offer_freed_places), before it commits."""

    @staticmethod
    def done():
        pass


def cancel_then_join(monkeypatch, surgery, slot):
    holder = factories.ProviderContactFactory().user
    booking = booking_create(user=holder, slot_id=slot.pk)
    joiner = factories.ProviderContactFactory().user
    offer = booking_module.offer_freed_places

    def offer_then_hold(**kwargs):
        offered = offer(**kwargs)
        Offered.done()
        return offered

    monkeypatch.setattr(booking_module, "offer_freed_places", offer_then_hold)
    # The cancellation is held once it has freed the place and found nobody waiting; then the person joins.
    cancelled, joined, waited = run_together(
        monkeypatch,
        [(Offered, "done")],
        lambda: booking_cancel(booking_id=booking.pk, user=holder),
        lambda: waitlist_join(user=joiner, surgery_id=surgery.pk),
    )
    return cancelled, joined, waited, joiner


def test_joining_while_a_cancellation_offers_its_place_waits_and_is_told_to_book_it(monkeypatch, surgery, slot):
    cancelled, joined, waited, joiner = cancel_then_join(monkeypatch, surgery, slot)

    assert waited
    assert cancelled.status == BookingStatus.CANCELLED
    assert isinstance(joined, WaitlistError)
    assert joined.message == "This surgery still has free slots: book one of those."
    assert list(WaitlistEntry.objects.all()) == []
    assert booking_create(user=joiner, slot_id=slot.pk).status == BookingStatus.CONFIRMED


def test_joining_while_a_cancellation_offers_control_without_locks_the_place_is_offered_to_no_one(
    monkeypatch, locks_off, surgery, slot
):
    cancelled, joined, waited, joiner = cancel_then_join(monkeypatch, surgery, slot)

    assert not waited
    assert cancelled.status == BookingStatus.CANCELLED
    # The race is real: the person waits on the list while the freed place is open to anyone.
    assert (joined.status, joined.offered_slot_id) == (WaitlistStatus.WAITING, None)
    slot.refresh_from_db()
    assert slot.booked_count == 0


def test_a_cancellation_while_someone_joins_waits_and_offers_them_the_place(monkeypatch, surgery, slot, mailoutbox):
    holder = factories.ProviderContactFactory().user
    booking = booking_create(user=holder, slot_id=slot.pk)
    joiner = factories.ProviderContactFactory().user
    mailoutbox.clear()

    # The join is held after its check (surgery full), holding the slots; the cancellation then waits for them.
    joined, cancelled, waited = run_together(
        monkeypatch,
        [(WaitlistEntry, "save")],  # the join's insert, right after its check
        lambda: waitlist_join(user=joiner, surgery_id=surgery.pk),
        lambda: booking_cancel(booking_id=booking.pk, user=holder),
    )

    assert waited
    assert cancelled.status == BookingStatus.CANCELLED
    joined.refresh_from_db()
    assert (joined.status, joined.offered_slot_id) == (WaitlistStatus.OFFERED, slot.pk)
    assert [m.to for m in mailoutbox if "A slot is free for you" in m.subject] == [[joiner.email]]
