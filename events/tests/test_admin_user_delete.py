"""Coordinators deleting a user in the admin: not while it would delete bookings to come unannounced.

A user's bookings, waiting-list entries and provider or worker profile go
with the account (CASCADE), their evaluations stay without them (SET_NULL); a delete tells nobody and leaves the
slots' places taken. Bookings not yet over and surgeries the user hosts that
are booked refuse the delete, listed; past bookings do not block. A place
held for the user on a waiting list passes to the next in line.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from events.booking import booking_cancel, booking_create
from events.choices import BookingStatus, WaitlistStatus
from events.models import Booking, Slot, WaitlistEntry
from events.tests.conftest import make_provider
from events.tests.test_admin import at
from events.waitlist import waitlist_join
from tests_support import factories

pytestmark = pytest.mark.django_db
User = get_user_model()

REFUSAL = (
    "Deleting would delete 1 confirmed booking still to come without telling anyone, and the places would stay "
    "taken: cancel them first (each person is told by email and the place is offered to the waiting list). "
    "To close an account and keep its records, untick “Active” on the user&#x27;s page instead."
)


@pytest.fixture
def staff(client):
    # Coordinators may add and change users, not delete them (brokerage.roles): an administrator does.
    client.force_login(factories.UserFactory(username="admin@example.org", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def slot(surgery):
    return factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))


def delete(client, user):
    return client.post(reverse("admin:auth_user_delete", args=[user.pk]), {"post": "yes"})


def test_user_delete_page_with_a_booking_to_come_refuses_and_lists_it(staff, provider, slot):
    booking = booking_create(user=provider, slot_id=slot.pk)
    url = reverse("admin:auth_user_delete", args=[provider.pk])

    page = staff.get(url).content.decode()
    response = staff.post(url, {"post": "yes"})

    assert "Cannot delete user" in page
    assert REFUSAL in page
    link = reverse("admin:events_booking_change", args=[booking.pk])
    assert f'Confirmed booking: <a href="{link}">{booking}</a>' in page
    assert response.status_code == 200
    assert User.objects.filter(pk=provider.pk).exists()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_user_delete_page_after_the_booking_is_cancelled_deletes(staff, provider, slot):
    booking = booking_create(user=provider, slot_id=slot.pk)
    booking_cancel(booking_id=booking.pk, user=provider)

    response = delete(staff, provider)

    assert response.status_code == 302
    assert not User.objects.filter(pk=provider.pk).exists()
    assert Slot.objects.get(pk=slot.pk).booked_count == 0


def test_user_with_only_past_bookings_is_deleted(staff, provider):
    starts = timezone.now() - dt.timedelta(days=10)
    past = factories.JointEventFactory(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=8), booking_opens_at=None, booking_closes_at=None
    )
    surgery = factories.SurgeryFactory(event=past)
    slot = factories.SlotFactory(surgery=surgery, starts_at=past.starts_at + dt.timedelta(hours=1))
    booking_create(user=provider, slot_id=slot.pk, now=past.starts_at - dt.timedelta(days=1))

    response = delete(staff, provider)

    assert response.status_code == 302
    assert not User.objects.filter(pk=provider.pk).exists()


def test_delete_selected_users_with_a_booking_to_come_refused(staff, provider, slot):
    booking_create(user=provider, slot_id=slot.pk)
    other = make_provider("other")

    response = staff.post(reverse("admin:auth_user_changelist"), {
        "action": "delete_selected", "_selected_action": [provider.pk, other.pk], "post": "yes",
    })

    assert response.status_code == 200
    assert response.content.decode().count("Confirmed booking: <a href=") == 1
    assert set(User.objects.filter(pk__in=[provider.pk, other.pk]).values_list("pk", flat=True)) == {
        provider.pk, other.pk
    }


def test_user_hosting_a_booked_surgery_refused(staff, host, surgery, slot):
    booking_create(user=make_provider(), slot_id=slot.pk)

    response = delete(staff, host.user)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Deleting would leave 1 booked surgery without their host: give them another host first." in content
    link = reverse("admin:events_surgery_change", args=[surgery.pk])
    assert f'Hosts a booked surgery: <a href="{link}">{surgery}</a>' in content
    assert list(surgery.hosts.all()) == [host]


def test_user_hosting_an_unbooked_surgery_is_deleted(staff, host, surgery, slot):
    response = delete(staff, host.user)

    assert response.status_code == 302
    assert list(surgery.hosts.all()) == []


def test_deleting_a_user_with_a_held_place_passes_it_to_the_next_in_line(
    staff, surgery, slot, mailoutbox, django_capture_on_commit_callbacks
):
    holder, first, second = make_provider("holder"), make_provider("first"), make_provider("second")
    booking = booking_create(user=holder, slot_id=slot.pk)
    for person in (first, second):
        waitlist_join(user=person, surgery_id=surgery.pk)
    booking_cancel(booking_id=booking.pk, user=holder)  # held for first

    with django_capture_on_commit_callbacks(execute=True):
        response = delete(staff, first)

    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(user=second)
    assert (entry.status, entry.offered_slot_id) == (WaitlistStatus.OFFERED, slot.pk)
    assert [m.to for m in mailoutbox] == [[second.email]]
