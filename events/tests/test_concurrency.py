"""Booking invariants under real concurrency, on PostgreSQL.

Eight threads, each with its own database connection, are released together by
a threading.Barrier before every attempt, so each round is eight simultaneous
bookings. Each invariant is shown three ways: with the row locks (the
product), and as controls with the locks switched off, where the race really
happens (double bookings) unless a database constraint still catches it.
A control opens the race window every time: two attempts each wait, after
their checks and before writing, until the other has checked too.
"""

import datetime as dt
import threading
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import locking
from events.booking import booking_create
from events.choices import BookingStatus
from events.errors import BookingBusy, BookingError, SlotTaken
from events.models import Booking, Slot
from tests_support import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
ATTEMPTS = 200


def race(attempts, threads=THREADS):
    """Run the callables from `threads` threads, all released at once for every round.

    Returns a Counter of outcomes: "ok", a BookingError class name, or "ERROR ..." for anything else.
    """
    assert len(attempts) % threads == 0
    rounds = len(attempts) // threads
    barrier = threading.Barrier(threads)
    outcomes = []
    lock = threading.Lock()

    def run(thread_index):
        try:
            for round_index in range(rounds):
                attempt = attempts[round_index * threads + thread_index]
                barrier.wait(timeout=60)
                try:
                    attempt()
                    outcome = "ok"
                except BookingError as refusal:
                    outcome = type(refusal).__name__
                except Exception as error:  # recorded, and the test fails on it
                    outcome = f"ERROR {error!r}"
                with lock:
                    outcomes.append(outcome)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert not any(worker.is_alive() for worker in workers), "a thread hung (deadlock?)"
    return Counter(outcomes)


def providers(count):
    return [
        factories.ProviderContactFactory(user=factories.UserFactory(username=f"race{n}@provider.example")).user
        for n in range(count)
    ]


def open_fair(**kwargs):
    start = (timezone.now() + dt.timedelta(days=20)).replace(hour=9, minute=0, second=0, microsecond=0)
    return factories.JointEventFactory(starts_at=start, ends_at=start + dt.timedelta(hours=8), **kwargs)


def slots_at(event, count, *, overlapping, capacity):
    """`count` slots, each in its own surgery; all at 10:00 if overlapping, else one after another."""
    result = []
    for index in range(count):
        surgery = factories.SurgeryFactory(event=event, title=f"Surgery {index}")
        starts = event.starts_at + dt.timedelta(hours=1, minutes=0 if overlapping else 20 * index)
        result.append(
            factories.SlotFactory(surgery=surgery, starts_at=starts, ends_at=starts + dt.timedelta(minutes=20),
                                  capacity=capacity)
        )
    return result


def attempt(user, slot):
    return lambda: booking_create(user=user, slot_id=slot.pk)


# locks_off (events/tests/conftest.py): the control, no row locks.


@pytest.fixture
def checked_together(monkeypatch):
    """Two attempts: each passes its checks, then waits for the other to pass them before either writes.

    A booking's first write is its insert (Booking.save), right after its checks.
    """
    both_checked = threading.Barrier(2)
    save = Booking.save

    def save_once_both_checked(booking, *args, **kwargs):
        both_checked.wait(timeout=60)
        return save(booking, *args, **kwargs)

    monkeypatch.setattr(Booking, "save", save_once_both_checked)


@pytest.fixture
def no_overlap_constraint():
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE events_booking DROP CONSTRAINT booking_no_overlap_per_person")
    yield
    Booking.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE events_booking ADD CONSTRAINT booking_no_overlap_per_person EXCLUDE USING gist "
            "(user_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status = 'confirmed')"
        )


def confirmed_per_slot():
    return Counter(Booking.objects.filter(status=BookingStatus.CONFIRMED).values_list("slot_id", flat=True))


# --- Capacity: 200 people, 10 single-place slots ----------------------------------


def capacity_attempts():
    event = open_fair(max_surgeries_per_person=10)
    slots = slots_at(event, 10, overlapping=False, capacity=1)
    people = providers(ATTEMPTS)
    # Twenty people want each slot; a round of eight mostly wants the same one.
    return slots, [attempt(person, slots[index // 20]) for index, person in enumerate(people)]


def test_capacity_under_contention_exactly_one_per_slot():
    slots, attempts = capacity_attempts()
    outcomes = race(attempts)
    assert outcomes == Counter({"ok": 10, "SlotTaken": 190})
    assert confirmed_per_slot() == Counter({slot.pk: 1 for slot in slots})
    assert list(Slot.objects.order_by("pk").values_list("booked_count", flat=True)) == [1] * 10


def test_capacity_control_without_locks_double_books(locks_off, checked_together):
    (slot,) = slots_at(open_fair(), 1, overlapping=False, capacity=1)
    first, second = providers(2)

    outcomes = race([attempt(first, slot), attempt(second, slot)], threads=2)

    # The race is real: a one-place slot held by two people, and the count's update lost.
    assert outcomes == Counter({"ok": 2})
    assert confirmed_per_slot() == Counter({slot.pk: 2})
    assert Slot.objects.get(pk=slot.pk).booked_count == 1


def test_capacity_through_the_booking_page_never_errors():
    event = open_fair(max_surgeries_per_person=10)
    slots = slots_at(event, 2, overlapping=False, capacity=1)
    clients = []
    for person in providers(40):
        client = Client()
        client.force_login(person)
        clients.append(client)

    def post(client, slot):
        def go():
            response = client.post(reverse("events:booking_new", args=[event.slug, slot.pk]), {"questions": "Hi"})
            if response.status_code == 409:
                assert "just been taken" in response.content.decode()
                raise SlotTaken()
            assert response.status_code == 302, response.status_code

        return go

    outcomes = race([post(client, slots[index // 20]) for index, client in enumerate(clients)])
    assert outcomes == Counter({"ok": 2, "SlotTaken": 38})


# --- Overlap: one person, ten slots at the same time --------------------------------


def overlap_attempts():
    event = open_fair(max_surgeries_per_person=50)
    slots = slots_at(event, 10, overlapping=True, capacity=50)
    people = providers(20)
    # Each person tries all ten simultaneous slots; a round is mostly one person.
    return [attempt(people[index // 10], slots[index % 10]) for index in range(ATTEMPTS)]


def confirmed_per_person():
    return Counter(Booking.objects.filter(status=BookingStatus.CONFIRMED).values_list("user_id", flat=True))


def test_overlap_under_contention_one_booking_per_person():
    outcomes = race(overlap_attempts())
    assert outcomes == Counter({"ok": 20, "OverlappingBooking": 180})
    assert set(confirmed_per_person().values()) == {1}


def two_overlapping_attempts():
    """One person, two slots at the same time."""
    slots = slots_at(open_fair(), 2, overlapping=True, capacity=50)
    (person,) = providers(1)
    return person, [attempt(person, slot) for slot in slots]


def test_overlap_control_without_locks_or_constraint_double_books(locks_off, checked_together, no_overlap_constraint):
    person, attempts = two_overlapping_attempts()

    outcomes = race(attempts, threads=2)

    assert outcomes == Counter({"ok": 2})
    assert confirmed_per_person() == Counter({person.pk: 2})


def test_overlap_exclusion_constraint_alone_holds_without_locks(locks_off, checked_together):
    person, attempts = two_overlapping_attempts()

    outcomes = race(attempts, threads=2)

    # Both passed their checks; the constraint lets one insert through. The
    # other is refused as overlapping (or, had the inserts deadlocked, "busy,
    # try again"); never an error.
    assert outcomes["ok"] == 1
    assert set(outcomes) <= {"ok", "OverlappingBooking", "BookingBusy"}
    assert sum(outcomes.values()) == 2
    assert confirmed_per_person() == Counter({person.pk: 1})


def test_overlap_exclusion_constraint_alone_holds_under_contention_without_locks(locks_off):
    outcomes = race(overlap_attempts())
    # Without the row locks, two inserts checking the exclusion constraint can
    # deadlock; PostgreSQL aborts one, which the service answers as "busy, try
    # again". The invariant is what matters: one booking per person, no error.
    assert outcomes["ok"] == 20
    assert set(outcomes) <= {"ok", "OverlappingBooking", "BookingBusy"}
    assert sum(outcomes.values()) == ATTEMPTS
    assert set(confirmed_per_person().values()) == {1}


# --- Per-event limit: one person, ten separate slots, limit three ---------------------


def limit_attempts():
    event = open_fair(max_surgeries_per_person=3)
    slots = slots_at(event, 10, overlapping=False, capacity=50)
    people = providers(20)
    return [attempt(people[index // 10], slots[index % 10]) for index in range(ATTEMPTS)]


def test_event_limit_under_contention_exactly_three_each():
    outcomes = race(limit_attempts())
    assert outcomes == Counter({"ok": 60, "EventLimitReached": 140})
    assert set(confirmed_per_person().values()) == {3}


def test_event_limit_control_without_locks_exceeds_the_limit(locks_off, checked_together):
    slots = slots_at(open_fair(max_surgeries_per_person=1), 2, overlapping=False, capacity=50)
    (person,) = providers(1)

    outcomes = race([attempt(person, slot) for slot in slots], threads=2)

    assert outcomes == Counter({"ok": 2})
    assert confirmed_per_person() == Counter({person.pk: 2})


# --- The constraints on their own ------------------------------------------------------


def test_raw_second_active_booking_same_person_and_slot_raises_integrity_error():
    event = open_fair()
    (slot,) = slots_at(event, 1, overlapping=False, capacity=5)
    user = get_user_model().objects.create(username="raw@provider.example")
    Booking.objects.create(slot=slot, user=user)
    with pytest.raises(IntegrityError, match="booking_one_active_per_person_and_slot"), transaction.atomic():
        Booking.objects.create(slot=slot, user=user)


def test_raw_overlapping_booking_raises_integrity_error():
    event = open_fair()
    first, second = slots_at(event, 2, overlapping=True, capacity=5)
    user = get_user_model().objects.create(username="raw@provider.example")
    Booking.objects.create(slot=first, user=user)
    with pytest.raises(IntegrityError, match="booking_no_overlap_per_person"), transaction.atomic():
        Booking.objects.create(slot=second, user=user)


def test_lock_wait_beyond_the_timeout_answers_busy_not_an_error(monkeypatch):
    """A slot held locked by a slow transaction: the booking gives up politely after the lock timeout."""
    monkeypatch.setattr(locking, "LOCK_TIMEOUT", "200ms")
    event = open_fair()
    (slot,) = slots_at(event, 1, overlapping=False, capacity=1)
    (person,) = providers(1)
    locked, release = threading.Event(), threading.Event()

    def hold_the_slot():
        try:
            with transaction.atomic():
                Slot.objects.select_for_update().get(pk=slot.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_slot)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        with pytest.raises(BookingBusy, match="try again in a moment"):
            booking_create(user=person, slot_id=slot.pk)
    finally:
        release.set()
        holder.join(timeout=30)
    assert booking_create(user=person, slot_id=slot.pk).status == BookingStatus.CONFIRMED
