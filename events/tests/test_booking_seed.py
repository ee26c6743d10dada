"""booking_seed: the demo's way to book, with booking_create's rules about places but no email or window."""

import datetime as dt

import pytest

from events.booking import booking_cancel, booking_create, booking_seed
from events.choices import BookingStatus, EventStatus, WaitlistStatus
from events.errors import NotBookable, OverlappingBooking, SlotTaken
from events.models import Booking, Slot, Surgery
from programmes.models import OutboxEmail
from events.tests.conftest import make_provider, make_slots
from events.waitlist import waitlist_join

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 18, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    # Before the events fixtures, which place the fair from "now".
    time_machine.move_to(NOW)


def test_booking_seed_books_a_past_slot_without_email(surgery, provider):
    past = make_slots(surgery, 1, start=NOW - dt.timedelta(days=40))[0]

    booking = booking_seed(user=provider, slot_id=past.pk, questions="  Where do we start?  ")

    assert (booking.status, booking.questions) == (BookingStatus.CONFIRMED, "Where do we start?")
    assert Slot.objects.get(pk=past.pk).booked_count == 1
    assert OutboxEmail.objects.count() == 0


def test_booking_seed_refuses_a_place_held_for_the_waiting_list(surgery, slots, provider):
    people = [make_provider(f"person{n}") for n in range(3)]
    for slot, person in zip(slots, people):
        booking_create(user=person, slot_id=slot.pk)
    waitlist_join(user=provider, surgery_id=surgery.pk)
    booking_cancel(booking_id=Booking.objects.get(user=people[0]).pk, user=people[0])

    with pytest.raises(SlotTaken):
        booking_seed(user=people[0], slot_id=slots[0].pk)

    assert Slot.objects.get(pk=slots[0].pk).booked_count == 0
    assert provider.waitlist_entries.get().status == WaitlistStatus.OFFERED


def test_booking_seed_refuses_an_overlapping_slot(surgery, slots, provider):
    digital = Surgery.objects.create(event=surgery.event, title="Digital learning")
    other = make_slots(digital, 1, start=slots[0].starts_at)[0]
    booking_seed(user=provider, slot_id=slots[0].pk)

    with pytest.raises(OverlappingBooking):
        booking_seed(user=provider, slot_id=other.pk)

    assert list(Booking.objects.filter(user=provider).values_list("slot_id", flat=True)) == [slots[0].pk]


def test_booking_seed_refuses_a_cancelled_event(surgery, slots, provider):
    surgery.event.status = EventStatus.CANCELLED
    surgery.event.save(update_fields=["status"])

    with pytest.raises(NotBookable):
        booking_seed(user=provider, slot_id=slots[0].pk)

    assert Booking.objects.count() == 0
