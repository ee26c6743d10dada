import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Booking
from tests_support import factories

pytestmark = pytest.mark.django_db


def assert_rejected(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_slot_ending_before_start_rejected():
    slot = factories.SlotFactory()
    assert_rejected(
        lambda: factories.SlotFactory(
            surgery=slot.surgery, starts_at=slot.starts_at + dt.timedelta(hours=1), ends_at=slot.starts_at
        )
    )


def test_slot_zero_capacity_rejected():
    assert_rejected(lambda: factories.SlotFactory(capacity=0))


def test_event_ending_before_start_rejected():
    event = factories.JointEventFactory.build()
    event.ends_at = event.starts_at - dt.timedelta(hours=1)
    assert_rejected(event.save)


def test_event_booking_window_closing_before_opening_rejected():
    event = factories.JointEventFactory.build()
    event.booking_closes_at = event.booking_opens_at - dt.timedelta(days=1)
    assert_rejected(event.save)


def test_second_active_booking_same_person_and_slot_rejected():
    booking = factories.BookingFactory()
    assert_rejected(lambda: Booking.objects.create(slot=booking.slot, user=booking.user))


def test_cancelled_booking_frees_the_pair_for_a_new_booking():
    booking = factories.BookingFactory(status="cancelled", cancelled_at=timezone.now())
    again = Booking.objects.create(slot=booking.slot, user=booking.user)
    assert again.status == "confirmed"


def test_evaluation_rating_outside_1_to_5_rejected():
    from events.models import Evaluation

    event = factories.JointEventFactory()
    user = factories.UserFactory()
    assert_rejected(lambda: Evaluation.objects.create(event=event, user=user, rating=6))
