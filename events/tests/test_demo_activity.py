"""The events part of the demo: counters consistent, a full surgery with a waiting list, a past fair's evaluations."""

import datetime as dt

import pytest
from django.db.models import Count, F, Q

from brokerage.demo import DemoLoader
from events.choices import BookingStatus
from events.models import Booking, Evaluation, JointEvent, Slot, WaitlistEntry

pytestmark = pytest.mark.django_db


def test_demo_bookings_keep_the_invariants_and_show_every_state(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 18, 10, tzinfo=dt.UTC), tick=True)
    DemoLoader(today=dt.date(2026, 11, 18)).run()
    DemoLoader(today=dt.date(2026, 11, 18)).run()  # safe to run again
    mismatched = Slot.objects.annotate(
        confirmed=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED))
    ).exclude(booked_count=F("confirmed"))
    assert list(mismatched) == []
    assert not Slot.objects.filter(booked_count__gt=F("capacity")).exists()
    # No host is at two tables at once.
    for slot in Slot.objects.filter(surgery__event__slug="exeter-learning-fair").prefetch_related("surgery__hosts"):
        for host in slot.surgery.hosts.all():
            clashes = Slot.objects.filter(surgery__hosts=host, starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at)
            assert clashes.count() == 1, (host, slot)
    fair = JointEvent.objects.get(slug="exeter-learning-fair")
    full = [s for s in fair.surgeries.all() if not s.slots.filter(booked_count__lt=F("capacity")).exists()]
    assert len(full) == 1
    assert WaitlistEntry.objects.filter(surgery=full[0]).count() == 2
    assert not Booking.objects.filter(user__username="provider").exists()  # the browser test books from scratch
    past = JointEvent.objects.get(slug="spring-learning-fair-taunton")
    assert Evaluation.objects.filter(event=past).count() == 5
    attendees = set(Booking.objects.filter(event=past, status="confirmed").values_list("user_id", flat=True))
    assert set(Evaluation.objects.filter(event=past).values_list("user_id", flat=True)) <= attendees
