"""load_demo run again after people have used the demo: no crash, the demo comes back, their rows stay."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, F, Q

from brokerage.demo import DemoLoader
from brokerage.models import Enquiry, Subscriber
from events.booking import booking_cancel, booking_create
from events.choices import BookingStatus, WaitlistStatus
from events.models import Booking, Slot, Surgery, WaitlistEntry
from events.waitlist import waitlist_join, waitlist_leave
from programmes.models import Offer
from providers import services as plans
from providers.models import PlanItem, ProviderOrganisation
from tests_support import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)
NOW = dt.datetime(2026, 11, 18, 10, tzinfo=dt.UTC)


@pytest.fixture
def demo(time_machine):
    time_machine.move_to(NOW, tick=True)
    DemoLoader(today=TODAY).run()


def user(username):
    return get_user_model().objects.get(username=username)


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
    booking_cancel(booking_id=booking.pk, user=booking.user)
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
        waitlist_leave(user=entry.user, entry_id=entry.pk)
    left = [username for username, _, _ in waiting_list(full)]

    DemoLoader(today=TODAY).run()

    assert list(
        Booking.objects.filter(slot=cancelled.slot_id).order_by("pk").values_list("user_id", "status")
    ) == [(cancelled.user_id, BookingStatus.CANCELLED), (cancelled.user_id, BookingStatus.CONFIRMED)]
    assert waiting_list(full)[2:] == [(username, WaitlistStatus.WAITING, None) for username in left]
    assert slots_out_of_step() == []


def test_load_demo_again_after_ordinary_use_restores_the_demo_and_keeps_what_people_added(demo):
    # Arrange: the demo's sign-ins and its people use it.
    provider, worker = user("provider"), user("worker").worker_profile
    exeter = ProviderOrganisation.objects.get(name="Exeter College")
    demo_plan = dict(PlanItem.objects.filter(organisation=exeter).values_list("offer_id", "status"))
    full = full_maths_surgery()
    waitlist_join(user=provider, surgery_id=full.pk)
    cancel_first_booking_on(full)
    other = Surgery.objects.filter(event=full.event).exclude(pk=full.pk).order_by("title").first()
    free_slot, demo_slot = other.slots.order_by("starts_at")[:2]
    given_up = cancel_first_booking_on(other)
    assert given_up.slot_id == demo_slot.pk
    booked = [
        booking_create(user=provider, slot_id=free_slot.pk),
        booking_create(user=provider, slot_id=demo_slot.pk),  # the place the demo contact gave up
    ]
    edited = worker.contact_for.filter(status="published").order_by("title").first()
    demo_title = edited.title
    edited.title = "Renamed by the worker"
    edited.save()
    own_offer = factories.OfferFactory(
        title="A first look at fractions", slug="a-first-look-at-fractions", programme=edited.programme,
        contact=worker,
    )
    own_item, _ = plans.plan_item_add(organisation=exeter, offer=own_offer, user=provider)
    plans.plan_item_set_status(item=own_item, status="done")
    demo_item = PlanItem.objects.get(organisation=exeter, status="considering")
    plans.plan_item_set_status(item=demo_item, status="done")
    newcomer = factories.ProviderContactFactory(
        user=factories.UserFactory(username="newcomer@exeter-college.example", last_name="Abbott"),
        organisation=exeter,
    ).user
    waiting_before = waiting_list(full)

    # Act
    DemoLoader(today=TODAY).run()

    # Assert: the demo's own rows are as it defines them...
    assert Offer.objects.get(pk=edited.pk).title == demo_title
    assert Enquiry.objects.filter(email="sam.pearce@exeter-college.example").count() == 1
    assert waiting_list(full) == waiting_before
    # ...and what people added or took is theirs still.
    assert Offer.objects.get(pk=own_offer.pk).title == "A first look at fractions"
    assert dict(PlanItem.objects.filter(organisation=exeter).values_list("offer_id", "status")) == {
        **demo_plan, own_offer.pk: "done"
    }
    assert list(
        Booking.objects.filter(user=provider).order_by("starts_at").values_list("pk", "status")
    ) == [(b.pk, BookingStatus.CONFIRMED) for b in booked]
    assert not Booking.objects.filter(user=given_up.user, event=full.event, status=BookingStatus.CONFIRMED).exists()
    assert list(Booking.objects.filter(user=newcomer)) == []
    assert list(WaitlistEntry.objects.filter(user=newcomer)) == []
    assert not Subscriber.objects.filter(email=newcomer.email).exists()
    assert slots_out_of_step() == []


def table_counts():
    # Offers' history grows by one row per offer and run (each run saves them): not a duplicate of anything.
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if not model._meta.label.split(".")[-1].startswith("Historical")
    }


def test_load_demo_twice_on_a_fresh_database_adds_no_rows(time_machine):
    time_machine.move_to(NOW, tick=True)
    call_command("load_demo", stdout=io.StringIO())
    first = table_counts()

    call_command("load_demo", stdout=io.StringIO())

    assert table_counts() == first
    assert first["events.Booking"] > 0 and first["events.WaitlistEntry"] == 2
