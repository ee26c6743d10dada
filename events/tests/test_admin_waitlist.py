"""Coordinators adding places in the admin: people on the surgery's waiting list are offered them first.

A waiting list only forms when every slot of a surgery is full, so a new slot
or a raised capacity is a freed place like a cancellation's: it is offered in
order of joining and held, in the save's transaction, the emails after commit.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.booking import booking_cancel, booking_create
from events.choices import EventStatus, WaitlistStatus
from events.errors import SlotTaken
from events.models import Slot, WaitlistEntry
from events.tests.conftest import make_provider
from events.tests.test_admin import at, generate, surgery_form_data
from events.tests.test_admin_booked_slots import post_slot, slot_form_data
from events.waitlist import slot_places_offer, waitlist_join
from programmes.models import OutboxEmail
from tests_support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(surgery):
    """The surgery's only slot, at 10:00 for one person, booked; then two people join the waiting list."""
    slot = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    booking_create(user=make_provider("holder"), slot_id=slot.pk)
    waiting = [make_provider("first"), make_provider("second")]
    for person in waiting:
        waitlist_join(user=person, surgery_id=surgery.pk)
    return slot, waiting


def offers():
    """{email: (status, offered slot id)} of the waiting list."""
    return {
        entry.user.email: (entry.status, entry.offered_slot_id)
        for entry in WaitlistEntry.objects.select_related("user")
    }


# --- Raising a slot's capacity ------------------------------------------------------------


def test_slot_page_raising_capacity_offers_the_new_place_to_the_first_in_line(
    staff, full, mailoutbox, django_capture_on_commit_callbacks
):
    slot, (first, second) = full

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("admin:events_slot_change", args=[slot.pk]), slot_form_data(slot, "10:00", "10:20", capacity=2)
        )

    assert response.status_code == 302
    assert offers() == {first.email: (WaitlistStatus.OFFERED, slot.pk), second.email: (WaitlistStatus.WAITING, None)}
    (email,) = mailoutbox
    assert email.to == [first.email]
    assert "A slot has come free at the surgery you were waiting for" in email.body
    assert "10:00 to 10:20 (UK time)" in email.body
    # Held for them: nobody else takes it meanwhile.
    with pytest.raises(SlotTaken):
        booking_create(user=make_provider("walk-in"), slot_id=slot.pk)


def test_slot_page_raising_capacity_by_two_offers_both_in_order_and_says_so(staff, full):
    slot, (first, second) = full

    response = staff.post(
        reverse("admin:events_slot_change", args=[slot.pk]), slot_form_data(slot, "10:00", "10:20", capacity=3),
        follow=True,
    )

    assert offers() == {first.email: (WaitlistStatus.OFFERED, slot.pk), second.email: (WaitlistStatus.OFFERED, slot.pk)}
    assert "Offered a place to 2 people on the waiting list; each is told by email." in response.content.decode()


def test_slot_page_refused_save_offers_nothing(staff, full):
    slot, _ = full

    response = post_slot(staff, slot, "11:00", "11:20", capacity=2)  # a booked slot is not moved

    assert response.status_code == 200
    assert {status for status, _ in offers().values()} == {WaitlistStatus.WAITING}
    assert not OutboxEmail.objects.filter(kind="waitlist_offer").exists()
    slot.refresh_from_db()
    assert slot.capacity == 1


def test_inline_raising_capacity_offers_the_new_place(staff, surgery, full, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    slot, (first, second) = full
    data = surgery_form_data(surgery, [(slot, "10:00", "10:20")]) | {"slots-0-capacity": 2}

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data)

    assert response.status_code == 302
    assert offers() == {first.email: (WaitlistStatus.OFFERED, slot.pk), second.email: (WaitlistStatus.WAITING, None)}
    assert [m.to for m in mailoutbox] == [[first.email]]


def test_inline_unchanged_slot_offers_nothing(staff, surgery, full):
    slot, _ = full
    data = surgery_form_data(surgery, [(slot, "10:00", "10:20")])  # capacity 1, as it is

    response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data)

    assert response.status_code == 302
    assert {status for status, _ in offers().values()} == {WaitlistStatus.WAITING}


# --- A new slot for a full surgery ----------------------------------------------------------


def test_inline_new_slot_is_offered_to_the_waiting_list(staff, surgery, full, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    slot, (first, second) = full
    data = surgery_form_data(surgery, [(slot, "10:00", "10:20"), (None, "11:00", "11:20")])

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data)

    assert response.status_code == 302
    new = Slot.objects.get(surgery=surgery, starts_at=at(surgery, "11:00"))
    assert offers() == {first.email: (WaitlistStatus.OFFERED, new.pk), second.email: (WaitlistStatus.WAITING, None)}
    (email,) = mailoutbox
    assert (email.to, "11:00 to 11:20 (UK time)" in email.body) == ([first.email], True)


def test_slot_page_adding_a_slot_offers_it_to_the_waiting_list(staff, surgery, full):
    _, (first, second) = full
    data = slot_form_data(Slot(surgery=surgery, capacity=2), "11:00", "11:20")

    response = staff.post(reverse("admin:events_slot_add"), data)

    assert response.status_code == 302
    new = Slot.objects.get(surgery=surgery, starts_at=at(surgery, "11:00"))
    assert offers() == {first.email: (WaitlistStatus.OFFERED, new.pk), second.email: (WaitlistStatus.OFFERED, new.pk)}


def test_slot_generator_offers_the_earliest_new_slots_in_order_of_joining(staff, surgery, full):
    _, (first, second) = full

    response = generate(staff, surgery, start="11:00", end="12:00")

    assert response.status_code == 302
    new = dict(Slot.objects.filter(surgery=surgery).values_list("starts_at", "pk"))
    assert offers() == {
        first.email: (WaitlistStatus.OFFERED, new[at(surgery, "11:00")]),
        second.email: (WaitlistStatus.OFFERED, new[at(surgery, "11:20")]),
    }


def test_new_places_of_a_draft_event_are_not_offered(staff, fair, full):
    slot, _ = full
    type(fair).objects.filter(pk=fair.pk).update(status=EventStatus.DRAFT)

    response = post_slot(staff, slot, "10:00", "10:20", capacity=2)

    assert response.status_code == 302
    assert {status for status, _ in offers().values()} == {WaitlistStatus.WAITING}


def test_offer_made_by_a_raised_capacity_is_held_until_the_events_hold_hours(staff, fair, full):
    slot, (first, _) = full
    before = timezone.now()

    post_slot(staff, slot, "10:00", "10:20", capacity=2)

    until = WaitlistEntry.objects.get(user=first).offered_until
    assert before + dt.timedelta(hours=fair.waitlist_hold_hours) <= until <= timezone.now() + dt.timedelta(
        hours=fair.waitlist_hold_hours
    )


# --- Lowering a slot's capacity: not below its bookings and the places held for the waiting list -------------


@pytest.fixture
def held(surgery):
    """The surgery's only slot, at 10:00 for two, both booked; one joins the waiting list, then one booking is
    cancelled: 1 booked, 1 place held for the waiting person."""
    slot = factories.SlotFactory(
        surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"), capacity=2
    )
    bookers = [make_provider("ann"), make_provider("bob")]
    bookings = [booking_create(user=person, slot_id=slot.pk) for person in bookers]
    waitlist_join(user=make_provider("waiting"), surgery_id=surgery.pk)
    booking_cancel(booking_id=bookings[0].pk, user=bookers[0])
    return slot


HELD_REFUSAL = (
    "1 person has booked this slot and 1 place is held for someone on the waiting list until they book or their "
    "offer lapses: its capacity cannot be less than 2. Nothing was saved."
)


def test_slot_page_capacity_below_booked_and_held_places_refused_naming_them(staff, held):
    response = post_slot(staff, held, "10:00", "10:20", capacity=1)

    assert response.status_code == 200
    assert HELD_REFUSAL in response.content.decode()
    held.refresh_from_db()
    assert (held.capacity, held.booked_count) == (2, 1)


def test_inline_capacity_below_booked_and_held_places_refused(staff, surgery, held):
    response = staff.post(
        reverse("admin:events_surgery_change", args=[surgery.pk]),
        surgery_form_data(surgery, [(held, "10:00", "10:20")]),  # capacity 1
    )

    assert response.status_code == 200
    assert HELD_REFUSAL in response.content.decode()
    held.refresh_from_db()
    assert held.capacity == 2


def test_slot_page_capacity_below_places_held_for_two_people_refused(staff, surgery):
    slot = factories.SlotFactory(
        surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"), capacity=2
    )
    bookers = [make_provider("ann"), make_provider("bob")]
    bookings = [booking_create(user=person, slot_id=slot.pk) for person in bookers]
    for name in ("cat", "dan"):
        waitlist_join(user=make_provider(name), surgery_id=surgery.pk)
    for booking, person in zip(bookings, bookers):
        booking_cancel(booking_id=booking.pk, user=person)

    response = post_slot(staff, slot, "10:00", "10:20", capacity=1)

    assert (
        "2 places are held for people on the waiting list until they book or their offer lapses: "
        "its capacity cannot be less than 2. Nothing was saved."
    ) in response.content.decode()
    slot.refresh_from_db()
    assert slot.capacity == 2


def test_slot_page_capacity_down_to_bookings_once_the_hold_has_lapsed_is_saved(staff, held):
    WaitlistEntry.objects.update(offered_until=timezone.now() - dt.timedelta(minutes=1))

    response = post_slot(staff, held, "10:00", "10:20", capacity=1)

    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.capacity, held.booked_count) == (1, 1)


def test_slot_page_capacity_down_to_booked_and_held_places_is_saved(staff, held):
    Slot.objects.filter(pk=held.pk).update(capacity=3)

    response = post_slot(staff, held, "10:00", "10:20", capacity=2)

    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.capacity, held.booked_count) == (2, 1)


# --- The waiting list's own admin: offers are read-only -------------------------------------------


def test_waitlist_entry_page_shows_the_offer_but_cannot_change_it(staff, surgery, full):
    slot, (first, second) = full
    other = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "11:00"), ends_at=at(surgery, "11:20"))
    assert slot_places_offer(slot_id=other.pk) == 1
    entry = WaitlistEntry.objects.get(user=first)
    url = reverse("admin:events_waitlistentry_change", args=[entry.pk])

    page = staff.get(url).content.decode()
    # Taking the offer back by hand: the place would be neither held nor offered to anyone.
    response = staff.post(url, {
        "surgery": surgery.pk, "user": first.pk, "status": WaitlistStatus.WAITING, "offered_slot": "",
        "offered_until_0": "", "offered_until_1": "",
    })

    assert response.status_code == 302
    assert offers() == {
        first.email: (WaitlistStatus.OFFERED, other.pk), second.email: (WaitlistStatus.WAITING, None),
    }
    entry.refresh_from_db()
    assert entry.offered_until > timezone.now()
    for name in ("surgery", "user", "status", "offered_slot", "offered_until_0"):
        assert f'name="{name}"' not in page
    assert "Slot offered" in page  # shown, as text


def test_waitlist_entry_can_still_be_deleted(staff, full):
    _, (first, second) = full
    entry = WaitlistEntry.objects.get(user=first)

    response = staff.post(reverse("admin:events_waitlistentry_delete", args=[entry.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert list(WaitlistEntry.objects.values_list("user__email", flat=True)) == [second.email]


@pytest.fixture
def offered(full, surgery):
    """full, then its booking is cancelled: the place is held for the first in line; a third person waits."""
    slot, (first, second) = full
    third = make_provider("third")
    waitlist_join(user=third, surgery_id=surgery.pk)
    booking = slot.bookings.get()
    booking_cancel(booking_id=booking.pk, user=booking.user)
    assert offers()[first.email] == (WaitlistStatus.OFFERED, slot.pk)
    return slot, (first, second, third)


def test_waitlist_entry_delete_page_passes_the_held_place_to_the_next_in_line(
    staff, offered, mailoutbox, django_capture_on_commit_callbacks
):
    slot, (first, second, third) = offered
    mailoutbox.clear()
    entry = WaitlistEntry.objects.get(user=first)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("admin:events_waitlistentry_delete", args=[entry.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert offers() == {second.email: (WaitlistStatus.OFFERED, slot.pk), third.email: (WaitlistStatus.WAITING, None)}
    assert [(email.to, "A slot has come free" in email.body) for email in mailoutbox] == [([second.email], True)]


def test_waitlist_entry_delete_selected_passes_the_held_place_past_the_deleted(
    staff, offered, mailoutbox, django_capture_on_commit_callbacks
):
    slot, (first, second, third) = offered
    mailoutbox.clear()
    selected = WaitlistEntry.objects.filter(user__in=[first, second]).values_list("pk", flat=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("admin:events_waitlistentry_changelist"),
            {"action": "delete_selected", "_selected_action": list(selected), "post": "yes"},
        )

    assert response.status_code == 302
    assert offers() == {third.email: (WaitlistStatus.OFFERED, slot.pk)}
    assert [email.to for email in mailoutbox] == [[third.email]]
    with pytest.raises(SlotTaken):
        booking_create(user=make_provider("walk-in"), slot_id=slot.pk)
