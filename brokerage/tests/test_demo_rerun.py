"""load_demo run again after people have used the demo: no crash, the demo comes back, their rows stay."""

import datetime as dt

import pytest
from django.db.models import Count, F, Q

from brokerage.demo import DemoLoader
from events import services as events
from events.choices import BookingStatus, WaitlistStatus
from events.models import Booking, Slot, Surgery, WaitlistEntry

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)
NOW = dt.datetime(2026, 11, 18, 10, tzinfo=dt.UTC)


@pytest.fixture
def demo(time_machine):
    time_machine.move_to(NOW, tick=True)
    DemoLoader(today=TODAY).run()


def full_maths_surgery():
    return Surgery.objects.get(event__slug="exeter-learning-fair", title__startswith="Maths teaching")


def waiting_list(surgery):
    """(username, status, held slot) in the list's order."""
    return list(
        WaitlistEntry.objects.filter(surgery=surgery)
        .order_by("created_at", "pk")
        .values_list("user__username", "status", "offered_slot")
    )


def slots_out_of_step():
    """Slots whose counter is not their confirmed bookings, or that hold more than their places."""
    counted = Slot.objects.annotate(confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)))
    return list(counted.exclude(booked_count=F("confirmed")).values_list("pk", flat=True)) + list(
        Slot.objects.filter(booked_count__gt=F("capacity")).values_list("pk", flat=True)
    )


def cancel_first_booking_on(surgery):
    confirmed = Booking.objects.filter(slot__surgery=surgery, status=BookingStatus.CONFIRMED)
    booking = confirmed.order_by("starts_at").first()
    events.booking_cancel(booking_id=booking.pk, user=booking.user)
    return booking


def test_load_demo_again_after_a_cancellation_on_the_full_surgery_keeps_the_offered_place(demo):
    full = full_maths_surgery()
    before = waiting_list(full)
    cancelled = cancel_first_booking_on(full)
    first_in_line, second_in_line = before[0][0], before[1][0]

    DemoLoader(today=TODAY).run()

    assert waiting_list(full) == [
        (first_in_line, WaitlistStatus.OFFERED, cancelled.slot_id),
        (second_in_line, WaitlistStatus.WAITING, None),
    ]
    # The place is held for the first in line: the demo does not book it again for the one who cancelled.
    assert list(Booking.objects.filter(slot=cancelled.slot_id).values_list("user_id", "status")) == [
        (cancelled.user_id, BookingStatus.CANCELLED)
    ]
    assert slots_out_of_step() == []


def test_load_demo_again_gives_back_a_demo_place_nobody_took(demo):
    full = full_maths_surgery()
    cancelled = cancel_first_booking_on(full)
    for username, _, _ in waiting_list(full):  # each leaves in turn; the place passes on, then is free
        entry = WaitlistEntry.objects.get(surgery=full, user__username=username, status__in=["waiting", "offered"])
        events.waitlist_leave(user=entry.user, entry_id=entry.pk)
    left = [username for username, _, _ in waiting_list(full)]

    DemoLoader(today=TODAY).run()

    assert list(
        Booking.objects.filter(slot=cancelled.slot_id).order_by("pk").values_list("user_id", "status")
    ) == [(cancelled.user_id, BookingStatus.CANCELLED), (cancelled.user_id, BookingStatus.CONFIRMED)]
    assert waiting_list(full)[2:] == [(username, WaitlistStatus.WAITING, None) for username in left]
    assert slots_out_of_step() == []
