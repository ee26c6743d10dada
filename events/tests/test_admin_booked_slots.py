"""Coordinators changing booked slots in the admin: bookings copy their slot's times and event.

A booked slot keeps its times and surgery (or its bookings would be left at the
old ones), its capacity goes no lower than the booked count, and a slot,
surgery or event is not deleted with its confirmed bookings. Unbooked slots
move freely; cancelled bookings block nothing.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.admin import SlotAdmin
from events.booking import booking_cancel, booking_create, event_cancel
from events.choices import BookingStatus
from events.models import Booking, JointEvent, Slot, Surgery
from events.tests.conftest import make_provider
from events.tests.test_admin import at, event_form_data, local_times, post_surgery, surgery_form_data
from tests_support import factories

pytestmark = pytest.mark.django_db

MOVED = (
    "2 people have booked this slot. Moving it would leave their bookings at the old time: cancel the slot&#x27;s "
    "bookings first (they are told by email), or add a new slot. Nothing was saved."
)


@pytest.fixture
def booked(surgery):
    """A slot at 10:00 for two people, both booked."""
    slot = factories.SlotFactory(
        surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"), capacity=2
    )
    for name in ("ann", "bob"):
        booking_create(user=make_provider(name), slot_id=slot.pk)
    return slot


def copies(slot):
    """The bookings' copies of their slot: (start, end, event) per confirmed booking."""
    confirmed = Booking.objects.filter(slot=slot, status=BookingStatus.CONFIRMED)
    return list(confirmed.values_list("starts_at", "ends_at", "event_id"))


def slot_form_data(slot, starts, ends, *, surgery=None, capacity=None):
    surgery = surgery or slot.surgery
    day = timezone.localtime(surgery.event.starts_at).date().isoformat()
    return {
        "surgery": surgery.pk, "capacity": slot.capacity if capacity is None else capacity,
        "starts_at_0": day, "starts_at_1": starts, "ends_at_0": day, "ends_at_1": ends,
    }


def post_slot(client, slot, starts, ends, **kwargs):
    data = slot_form_data(slot, starts, ends, **kwargs)
    return client.post(reverse("admin:events_slot_change", args=[slot.pk]), data)


# --- The slot's own page ------------------------------------------------------------


def test_slot_page_moving_a_booked_slot_refused_and_its_bookings_keep_their_time(staff, fair, booked):
    response = post_slot(staff, booked, "11:00", "11:20")

    assert response.status_code == 200
    assert MOVED in response.content.decode()
    assert local_times(booked.surgery) == ["10:00"]
    assert copies(booked) == [(at(booked.surgery, "10:00"), at(booked.surgery, "10:20"), fair.pk)] * 2


def test_slot_page_moving_a_booked_slot_to_another_surgery_refused(staff, fair, booked):
    elsewhere = factories.SurgeryFactory(event=factories.JointEventFactory(
        starts_at=fair.starts_at, ends_at=fair.ends_at), title="Leadership clinic")

    response = post_slot(staff, booked, "10:00", "10:20", surgery=elsewhere)

    assert response.status_code == 200
    assert (
        "2 people have booked this slot. Moving it would leave their bookings with its old surgery: "
        in response.content.decode()
    )
    assert Slot.objects.get(pk=booked.pk).surgery_id == booked.surgery_id
    assert {event for _, _, event in copies(booked)} == {fair.pk}


def test_slot_page_one_booking_is_named_in_the_singular(staff, surgery):
    slot = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    booking_create(user=make_provider(), slot_id=slot.pk)

    response = post_slot(staff, slot, "10:05", "10:25")

    assert "1 person has booked this slot. Moving it would leave their bookings at the old time" in (
        response.content.decode()
    )


def test_slot_page_raising_a_booked_slots_capacity_is_saved(staff, booked):
    response = post_slot(staff, booked, "10:00", "10:20", capacity=3)

    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.capacity, booked.booked_count) == (3, 2)


def test_slot_page_capacity_below_the_booked_count_refused(staff, booked):
    response = post_slot(staff, booked, "10:00", "10:20", capacity=1)

    assert response.status_code == 200  # not the database's check constraint failing the save
    assert (
        "2 people have booked this slot: its capacity cannot be less than 2. Nothing was saved."
        in response.content.decode()
    )
    booked.refresh_from_db()
    assert booked.capacity == 2


def test_slot_page_moving_a_slot_whose_bookings_are_cancelled_is_saved(staff, booked):
    for booking in Booking.objects.filter(slot=booked).select_related("user"):
        booking_cancel(booking_id=booking.pk, user=booking.user)

    response = post_slot(staff, booked, "11:00", "11:20")

    assert response.status_code == 302
    assert local_times(booked.surgery) == ["11:00"]


def test_slot_page_moving_an_unbooked_slot_is_saved(staff, surgery):
    slot = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))

    response = post_slot(staff, slot, "11:00", "11:20")

    assert response.status_code == 302
    assert local_times(surgery) == ["11:00"]


def test_slot_page_save_keeps_a_booking_made_after_the_page_was_read(staff, monkeypatch, surgery):
    # The admin reads the slot, then a provider books it, then the coordinator's save writes the whole row.
    slot = factories.SlotFactory(
        surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"), capacity=2
    )
    get_object = SlotAdmin.get_object

    def read_then_booked(self, request, object_id, from_field=None):
        obj = get_object(self, request, object_id, from_field)
        booking_create(user=make_provider(), slot_id=slot.pk)
        return obj

    monkeypatch.setattr(SlotAdmin, "get_object", read_then_booked)

    response = post_slot(staff, slot, "10:00", "10:20", capacity=3)

    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked_count) == (3, 1)


# --- The slots inline on the surgery's page ---------------------------------------------


def test_inline_moving_a_booked_slot_refused_and_other_rows_not_saved(staff, surgery, booked):
    free = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "12:00"), ends_at=at(surgery, "12:20"))

    response = post_surgery(staff, surgery, [(booked, "11:00", "11:20"), (free, "12:30", "12:50")])

    assert response.status_code == 200
    assert MOVED in response.content.decode()
    assert local_times(surgery) == ["10:00", "12:00"]
    assert {start for start, _, _ in copies(booked)} == {at(surgery, "10:00")}


def test_inline_moving_an_unbooked_slot_beside_a_booked_one_is_saved(staff, surgery, booked):
    free = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "12:00"), ends_at=at(surgery, "12:20"))
    data = surgery_form_data(surgery, [(booked, "10:00", "10:20"), (free, "12:30", "12:50")])
    data["slots-0-capacity"] = 2  # as it is

    response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data)

    assert response.status_code == 302
    assert local_times(surgery) == ["10:00", "12:30"]
    booked.refresh_from_db()
    assert (booked.capacity, booked.booked_count) == (2, 2)


def test_inline_capacity_below_the_booked_count_refused(staff, surgery, booked):
    response = post_surgery(staff, surgery, [(booked, "10:00", "10:20")])  # the form posts capacity 1

    assert response.status_code == 200
    assert "2 people have booked this slot: its capacity cannot be less than 2. Nothing was saved." in (
        response.content.decode()
    )
    booked.refresh_from_db()
    assert booked.capacity == 2


def test_inline_deleting_a_booked_slot_refused(staff, surgery, booked):
    data = surgery_form_data(surgery, [(booked, "10:00", "10:20")])
    data |= {"slots-0-capacity": 2, "slots-0-DELETE": "on"}

    response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data)

    assert response.status_code == 200
    assert (
        "2 people have booked the slot at 10:00. Deleting it would delete their bookings without telling them: "
        "cancel those bookings first (each person is told by email). Nothing was saved."
    ) in response.content.decode()
    assert len(copies(booked)) == 2


def test_inline_deleting_an_unbooked_slot_is_saved(staff, surgery):
    slot = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    data = surgery_form_data(surgery, [(slot, "10:00", "10:20")]) | {"slots-0-DELETE": "on"}

    response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data)

    assert response.status_code == 302
    assert local_times(surgery) == []


# --- Deleting: not with confirmed bookings ---------------------------------------------------


def test_slot_delete_page_with_bookings_refuses_and_lists_them(staff, booked):
    url = reverse("admin:events_slot_delete", args=[booked.pk])

    page = staff.get(url).content.decode()
    response = staff.post(url, {"post": "yes"})

    assert "Cannot delete slot" in page
    assert page.count("Confirmed booking: <a href=") == 2
    assert "2 people have booked what you asked to delete" in page
    assert response.status_code == 200
    assert len(copies(booked)) == 2


def test_slot_delete_page_after_its_bookings_are_cancelled_deletes(staff, booked):
    for booking in Booking.objects.filter(slot=booked).select_related("user"):
        booking_cancel(booking_id=booking.pk, user=booking.user)

    response = staff.post(reverse("admin:events_slot_delete", args=[booked.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Slot.objects.filter(pk=booked.pk).exists()


def test_delete_selected_slots_with_a_booked_one_refused(staff, surgery, booked):
    free = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "12:00"), ends_at=at(surgery, "12:20"))

    response = staff.post(reverse("admin:events_slot_changelist"), {
        "action": "delete_selected", "_selected_action": [booked.pk, free.pk], "post": "yes",
    })

    assert response.status_code == 200
    assert "Confirmed booking: <a href=" in response.content.decode()
    assert local_times(surgery) == ["10:00", "12:00"]


def test_delete_selected_unbooked_slots_deletes(staff, surgery):
    free = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "12:00"), ends_at=at(surgery, "12:20"))

    response = staff.post(reverse("admin:events_slot_changelist"), {
        "action": "delete_selected", "_selected_action": [free.pk], "post": "yes",
    })

    assert response.status_code == 302
    assert local_times(surgery) == []


def test_surgery_delete_page_with_bookings_refused(staff, surgery, booked):
    response = staff.post(reverse("admin:events_surgery_delete", args=[surgery.pk]), {"post": "yes"})

    assert response.status_code == 200
    assert response.content.decode().count("Confirmed booking: <a href=") == 2
    assert Surgery.objects.filter(pk=surgery.pk).exists()


def test_event_delete_page_with_bookings_refused_until_the_event_is_cancelled(staff, fair, booked):
    url = reverse("admin:events_jointevent_delete", args=[fair.pk])

    refused = staff.post(url, {"post": "yes"})
    event_cancel(event_id=fair.pk)
    deleted = staff.post(url, {"post": "yes"})

    assert refused.status_code == 200
    assert "Cancel the event first" in refused.content.decode()
    assert deleted.status_code == 302
    assert not JointEvent.objects.filter(pk=fair.pk).exists()


def test_event_page_deleting_a_booked_surgery_refused(staff, fair, surgery, host, booked):
    data = event_form_data(fair, [(surgery, [host.pk])]) | {"surgeries-0-DELETE": "on"}

    response = staff.post(reverse("admin:events_jointevent_change", args=[fair.pk]), data)

    assert response.status_code == 200
    assert (
        "2 people have booked “Maths teaching excellence”. Deleting it would delete their bookings" in
        response.content.decode()
    )
    assert Surgery.objects.filter(pk=surgery.pk).exists()


def test_event_page_deleting_an_unbooked_surgery_is_saved(staff, fair, surgery, host):
    factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    data = event_form_data(fair, [(surgery, [host.pk])]) | {"surgeries-0-DELETE": "on"}

    response = staff.post(reverse("admin:events_jointevent_change", args=[fair.pk]), data)

    assert response.status_code == 302
    assert not Surgery.objects.filter(pk=surgery.pk).exists()


def test_slot_pages_link_the_booked_count_to_the_slots_confirmed_bookings(staff, surgery, booked):
    cancelled = Booking.objects.filter(slot=booked).select_related("user").first()
    booking_cancel(booking_id=cancelled.pk, user=cancelled.user)
    link = reverse("admin:events_booking_changelist") + f"?slot__id__exact={booked.pk}&amp;status__exact=confirmed"

    slot_page = staff.get(reverse("admin:events_slot_change", args=[booked.pk])).content.decode()
    surgery_page = staff.get(reverse("admin:events_surgery_change", args=[surgery.pk])).content.decode()
    bookings = staff.get(reverse("admin:events_booking_changelist"),
                         {"slot__id__exact": booked.pk, "status__exact": "confirmed"})

    assert f'<a href="{link}">1</a>' in slot_page
    assert f'<a href="{link}">1</a>' in surgery_page
    assert [b.pk for b in bookings.context["cl"].result_list] == [
        b.pk for b in Booking.objects.filter(slot=booked, status=BookingStatus.CONFIRMED)
    ]
