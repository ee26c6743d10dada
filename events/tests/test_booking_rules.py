"""Every booking rule of events.booking and events.waitlist, one behaviour per test (SQLite and PostgreSQL)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.booking import booking_cancel, booking_create
from events.choices import BookingStatus, EventStatus, WaitlistStatus
from events.errors import (
    AlreadyBooked, BookingError, BookingWindowClosed, CancellationTooLate, EventLimitReached, NotBookable,
    OverlappingBooking, SlotTaken, WaitlistError,
)
from events.models import Booking, Slot, WaitlistEntry
from events.tests.conftest import make_provider, make_slots
from events.waitlist import waitlist_expire_offers, waitlist_join, waitlist_leave
from programmes.models import OutboxEmail
from tests_support import factories

pytestmark = pytest.mark.django_db


def book(user, slot, **kwargs):
    return booking_create(user=user, slot_id=slot.pk, **kwargs)


def test_booking_create_confirms_and_counts_the_place(provider, slots):
    theme = factories.ThemeFactory(name="Maths and numeracy")
    booking = book(provider, slots[0], priorities=[theme], questions="  How do we start?  ")
    slots[0].refresh_from_db()
    assert (booking.status, booking.questions, list(booking.priorities.all())) == (
        BookingStatus.CONFIRMED, "How do we start?", [theme]
    )
    assert (booking.starts_at, booking.ends_at, booking.event_id) == (
        slots[0].starts_at, slots[0].ends_at, slots[0].surgery.event_id
    )
    assert booking.organisation == provider.provider_profile.organisation
    assert slots[0].booked_count == 1


def test_booking_create_writes_one_confirmation_to_the_outbox(provider, slots):
    booking = book(provider, slots[0])
    rows = list(OutboxEmail.objects.values_list("kind", "to", "key"))
    assert rows == [("booking_confirmation", [provider.email], f"confirmation:{booking.pk}")]


def test_booking_before_window_opens_refused(provider, slots, fair):
    fair.booking_opens_at = timezone.now() + dt.timedelta(days=2)
    fair.save()
    with pytest.raises(BookingWindowClosed, match="Booking opens on"):
        book(provider, slots[0])
    assert Booking.objects.count() == 0


def test_booking_after_window_closes_refused(provider, slots, fair):
    fair.booking_opens_at = timezone.now() - dt.timedelta(days=5)
    fair.booking_closes_at = timezone.now() - dt.timedelta(minutes=1)
    fair.save()
    with pytest.raises(BookingWindowClosed, match="has closed"):
        book(provider, slots[0])


def test_booking_full_slot_refused_as_just_taken(provider, slots):
    book(make_provider("first"), slots[0])
    with pytest.raises(SlotTaken, match="just been taken"):
        book(provider, slots[0])
    slots[0].refresh_from_db()
    assert slots[0].booked_count == 1


def test_booking_capacity_two_takes_two_people(provider, surgery):
    slot = make_slots(surgery, 1, capacity=2, start=surgery.event.starts_at + dt.timedelta(hours=4))[0]
    book(make_provider("first"), slot)
    book(provider, slot)
    with pytest.raises(SlotTaken):
        book(make_provider("third"), slot)
    assert Booking.objects.filter(slot=slot, status=BookingStatus.CONFIRMED).count() == 2


def test_booking_same_slot_twice_refused(provider, surgery):
    slot = make_slots(surgery, 1, capacity=3)[0]
    book(provider, slot)
    with pytest.raises(AlreadyBooked):
        book(provider, slot)


def test_booking_overlapping_slot_refused(provider, fair, slots, host):
    other = factories.SurgeryFactory(event=fair, title="English and ESOL")
    overlapping = factories.SlotFactory(
        surgery=other, starts_at=slots[0].starts_at + dt.timedelta(minutes=10),
        ends_at=slots[0].ends_at + dt.timedelta(minutes=10),
    )
    book(provider, slots[0])
    with pytest.raises(OverlappingBooking):
        book(provider, overlapping)


def test_booking_back_to_back_slots_allowed(provider, slots):
    book(provider, slots[0])
    book(provider, slots[1])
    assert Booking.objects.filter(user=provider, status=BookingStatus.CONFIRMED).count() == 2


def test_booking_beyond_event_limit_refused(provider, fair, slots):
    fair.max_surgeries_per_person = 2
    fair.save()
    book(provider, slots[0])
    book(provider, slots[1])
    with pytest.raises(EventLimitReached, match="2 surgeries"):
        book(provider, slots[2])


def test_booking_limit_counts_only_confirmed_bookings(provider, fair, slots):
    fair.max_surgeries_per_person = 1
    fair.save()
    first = book(provider, slots[0])
    booking_cancel(booking_id=first.pk, user=provider)
    assert book(provider, slots[1]).status == BookingStatus.CONFIRMED


def test_booking_by_someone_without_provider_profile_refused(worker, slots):
    with pytest.raises(NotBookable, match="Only provider contacts"):
        book(worker.user, slots[0])


def test_booking_draft_event_refused(provider, fair, slots):
    fair.status = EventStatus.DRAFT
    fair.save()
    with pytest.raises(NotBookable):
        book(provider, slots[0])


def test_booking_slot_already_started_refused(provider, fair, slots):
    now = slots[0].starts_at + dt.timedelta(minutes=1)
    fair.booking_closes_at = None
    fair.save()
    with pytest.raises(NotBookable, match="already started"):
        booking_create(user=provider, slot_id=slots[0].pk, now=now)


def test_cancel_frees_the_place(provider, slots):
    booking = book(provider, slots[0])
    booking_cancel(booking_id=booking.pk, user=provider)
    booking.refresh_from_db()
    slots[0].refresh_from_db()
    assert (booking.status, booking.cancelled_at is not None, slots[0].booked_count) == (
        BookingStatus.CANCELLED, True, 0
    )
    assert book(make_provider("next"), slots[0]).status == BookingStatus.CONFIRMED


def test_cancel_after_cutoff_refused(provider, slots, fair):
    booking = book(provider, slots[0])
    late = slots[0].starts_at - dt.timedelta(hours=fair.cancellation_cutoff_hours - 1)
    with pytest.raises(CancellationTooLate):
        booking_cancel(booking_id=booking.pk, user=provider, now=late)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_cancel_someone_elses_booking_not_found(provider, slots):
    booking = book(provider, slots[0])
    with pytest.raises(Booking.DoesNotExist):
        booking_cancel(booking_id=booking.pk, user=make_provider("intruder"))


def test_cancel_twice_refused(provider, slots):
    booking = book(provider, slots[0])
    booking_cancel(booking_id=booking.pk, user=provider)
    with pytest.raises(BookingError, match="already cancelled"):
        booking_cancel(booking_id=booking.pk, user=provider)


def test_capacity_counter_cannot_exceed_capacity_in_the_database(slots):
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slots[0].pk).update(booked_count=2)


# --- Waiting list -----------------------------------------------------------


@pytest.fixture
def full_surgery(surgery):
    slot = make_slots(surgery, 1)[0]
    holder = make_provider("holder")
    booking = book(holder, slot)
    return surgery, slot, holder, booking


def test_waitlist_join_when_full(provider, full_surgery):
    surgery, *_ = full_surgery
    entry = waitlist_join(user=provider, surgery_id=surgery.pk)
    assert (entry.status, entry.user) == (WaitlistStatus.WAITING, provider)


def test_waitlist_join_with_free_slots_refused(provider, surgery, slots):
    with pytest.raises(WaitlistError, match="free slots"):
        waitlist_join(user=provider, surgery_id=surgery.pk)


def test_waitlist_join_while_the_only_free_place_is_held_for_someone_else(provider, full_surgery):
    surgery, slot, holder, booking = full_surgery
    first = make_provider("first")
    waitlist_join(user=first, surgery_id=surgery.pk)
    booking_cancel(booking_id=booking.pk, user=holder)
    with pytest.raises(SlotTaken):
        book(provider, slot)
    entry = waitlist_join(user=provider, surgery_id=surgery.pk)
    assert (entry.status, entry.user) == (WaitlistStatus.WAITING, provider)


def test_waitlist_join_refused_when_a_place_is_free_beside_a_held_one(provider, surgery):
    slot = make_slots(surgery, 1, capacity=2)[0]
    holder = make_provider("holder")
    booking = book(holder, slot)
    book(make_provider("other"), slot)
    waitlist_join(user=make_provider("first"), surgery_id=surgery.pk)
    booking_cancel(booking_id=booking.pk, user=holder)
    Slot.objects.filter(pk=slot.pk).update(capacity=3)  # one more place, not yet offered
    with pytest.raises(WaitlistError, match="free slots"):
        waitlist_join(user=provider, surgery_id=surgery.pk)


def test_waitlist_join_twice_refused(provider, full_surgery):
    surgery, *_ = full_surgery
    waitlist_join(user=provider, surgery_id=surgery.pk)
    with pytest.raises(WaitlistError, match="already"):
        waitlist_join(user=provider, surgery_id=surgery.pk)


def test_cancel_offers_the_place_to_the_first_in_line_and_holds_it(full_surgery):
    surgery, slot, holder, booking = full_surgery
    first, second = make_provider("first"), make_provider("second")
    waitlist_join(user=first, surgery_id=surgery.pk)
    waitlist_join(user=second, surgery_id=surgery.pk)
    now = timezone.now()
    booking_cancel(booking_id=booking.pk, user=holder, now=now)
    entries = {e.user_id: e for e in WaitlistEntry.objects.all()}
    assert entries[first.pk].status == WaitlistStatus.OFFERED
    assert entries[first.pk].offered_slot == slot
    assert entries[first.pk].offered_until == now + dt.timedelta(hours=24)
    assert entries[second.pk].status == WaitlistStatus.WAITING
    # Held: the second in line (or anyone else) cannot take it meanwhile.
    with pytest.raises(SlotTaken):
        book(second, slot)
    assert OutboxEmail.objects.filter(kind="waitlist_offer", to=[first.email]).count() == 1


def test_offered_person_books_the_held_slot(full_surgery):
    surgery, slot, holder, booking = full_surgery
    first = make_provider("first")
    waitlist_join(user=first, surgery_id=surgery.pk)
    booking_cancel(booking_id=booking.pk, user=holder)
    taken = book(first, slot)
    assert taken.status == BookingStatus.CONFIRMED
    assert WaitlistEntry.objects.get(user=first).status == WaitlistStatus.ACCEPTED


def test_lapsed_offer_passes_to_the_next_in_line(full_surgery):
    surgery, slot, holder, booking = full_surgery
    first, second = make_provider("first"), make_provider("second")
    waitlist_join(user=first, surgery_id=surgery.pk)
    waitlist_join(user=second, surgery_id=surgery.pk)
    now = timezone.now()
    booking_cancel(booking_id=booking.pk, user=holder, now=now)
    later = now + dt.timedelta(hours=25)
    assert waitlist_expire_offers(now=later) == 1
    statuses = dict(WaitlistEntry.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: WaitlistStatus.EXPIRED, second.pk: WaitlistStatus.OFFERED}
    with pytest.raises(SlotTaken):
        booking_create(user=first, slot_id=slot.pk, now=later)
    assert booking_create(user=second, slot_id=slot.pk, now=later).status == BookingStatus.CONFIRMED


def test_leaving_with_an_offer_passes_it_on(full_surgery):
    surgery, slot, holder, booking = full_surgery
    first, second = make_provider("first"), make_provider("second")
    entry = waitlist_join(user=first, surgery_id=surgery.pk)
    waitlist_join(user=second, surgery_id=surgery.pk)
    booking_cancel(booking_id=booking.pk, user=holder)
    waitlist_leave(user=first, entry_id=entry.pk)
    statuses = dict(WaitlistEntry.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: WaitlistStatus.LEFT, second.pk: WaitlistStatus.OFFERED}


def test_leaving_while_waiting_takes_you_off_the_list(full_surgery):
    surgery, slot, holder, booking = full_surgery
    first = make_provider("first")
    entry = waitlist_join(user=first, surgery_id=surgery.pk)
    waitlist_leave(user=first, entry_id=entry.pk)
    booking_cancel(booking_id=booking.pk, user=holder)
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.LEFT
    assert book(make_provider("walk-in"), slot).status == BookingStatus.CONFIRMED


def test_taking_an_offer_then_cancelling_frees_it_for_the_next(full_surgery):
    surgery, slot, holder, booking = full_surgery
    first, second = make_provider("first"), make_provider("second")
    waitlist_join(user=first, surgery_id=surgery.pk)
    waitlist_join(user=second, surgery_id=surgery.pk)
    booking_cancel(booking_id=booking.pk, user=holder)
    taken = book(first, slot)
    booking_cancel(booking_id=taken.pk, user=first)
    second_entry = WaitlistEntry.objects.get(user=second)
    assert (second_entry.status, second_entry.offered_slot) == (WaitlistStatus.OFFERED, slot)


def test_waitlist_offers_go_in_order_of_joining(full_surgery):
    surgery, slot, holder, booking = full_surgery
    people = [make_provider(f"p{n}") for n in range(3)]
    for person in people:
        waitlist_join(user=person, surgery_id=surgery.pk)
    booking_cancel(booking_id=booking.pk, user=holder)
    offered = list(WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).values_list("user_id", flat=True))
    assert offered == [people[0].pk]
