"""Coordinators deleting a slot that holds a place for someone on the waiting list.

The offer is withdrawn in the delete's transaction: the person goes back to
waiting with their time of joining (their place in line) and is told by email
after commit. Deleting the surgery or event closes its waiting list, and the
email says so; the people still waiting (no place held) are told it closed. A lapsed offer ends as the expiry task would end it. Every
delete path: the slot's page, a surgery's slots, "delete selected"; a
surgery's page, an event's surgeries, "delete selected"; an event's page and
"delete selected".
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.booking import booking_cancel, booking_create
from events.choices import WaitlistStatus
from events.models import JointEvent, Slot, Surgery, WaitlistEntry
from events.tests.conftest import make_provider
from events.tests.test_admin import at, event_form_data, surgery_form_data
from events.waitlist import slot_places_offer, waitlist_join
from programmes.models import OutboxEmail
from tests_support import factories

pytestmark = pytest.mark.django_db

WITHDRAWN = "We were holding a slot for you from the waiting list, but the organisers have removed it"
STAYS = "You stay on the waiting list, in the place you joined it"
CLOSED = "The surgery itself has been removed, so its waiting list has closed."


@pytest.fixture
def held(surgery):
    """The surgery's 10:00 slot is booked; two people wait; an added 11:00 slot is held for the first."""
    booked = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "10:00"), ends_at=at(surgery, "10:20"))
    holder = make_provider("holder")
    booking_create(user=holder, slot_id=booked.pk)
    first, second = make_provider("first"), make_provider("second")
    for person in (first, second):
        waitlist_join(user=person, surgery_id=surgery.pk)
    added = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "11:00"), ends_at=at(surgery, "11:20"))
    assert slot_places_offer(slot_id=added.pk) == 1
    return added, first, second, holder


@pytest.fixture
def unbooked(held):
    """As `held`, with the 10:00 booking cancelled: its place is now held for the second person."""
    added, first, second, holder = held
    booking = holder.bookings.get()
    booking_cancel(booking_id=booking.pk, user=holder)
    return added, first, second


def waiting_list(surgery):
    """[(email, status, offered slot id, offered until)] in the list's order."""
    entries = WaitlistEntry.objects.filter(surgery=surgery).select_related("user").order_by("created_at", "pk")
    return [(e.user.email, e.status, e.offered_slot_id, e.offered_until) for e in entries]


def withdrawn_emails():
    return list(OutboxEmail.objects.filter(kind="waitlist_offer_withdrawn").order_by("pk"))


# --- Deleting the slot: the person goes back to waiting, in their place ----------------------


def test_slot_delete_page_withdraws_the_held_place_and_emails_the_person(
    staff, surgery, held, mailoutbox, django_capture_on_commit_callbacks
):
    added, first, second, _ = held

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("admin:events_slot_delete", args=[added.pk]), {"post": "yes"}, follow=True)

    assert response.redirect_chain[-1][1] == 302
    assert not Slot.objects.filter(pk=added.pk).exists()
    assert waiting_list(surgery) == [
        (first.email, WaitlistStatus.WAITING, None, None), (second.email, WaitlistStatus.WAITING, None, None)
    ]
    assert "Withdrew the places held for 1 person on the waiting list; each is told by email." in (
        response.content.decode()
    )
    assert "deleting withdraws it" not in response.content.decode()
    (email,) = mailoutbox
    assert email.to == [first.email]
    assert email.subject == "The slot held for you is no longer available: Maths teaching excellence"
    assert WITHDRAWN in email.body
    assert "11:00 to 11:20 (UK time)" in email.body
    assert STAYS in email.body
    assert CLOSED not in email.body


def test_slot_delete_page_names_the_held_place_before_deleting(staff, surgery, held):
    added, first, _, _ = held
    until = timezone.localtime(WaitlistEntry.objects.get(user=first).offered_until)

    page = staff.get(reverse("admin:events_slot_delete", args=[added.pk])).content.decode()

    assert (
        f"A place on {added} is held for first@provider.example from the waiting list until "
        f"{until:%H:%M} on {until:%-d %B}: deleting withdraws it, and they are told by email."
    ) in page
    assert Slot.objects.filter(pk=added.pk).exists()


def test_slot_delete_keeps_the_persons_place_so_the_next_place_is_theirs(staff, surgery, held):
    added, first, second, _ = held

    staff.post(reverse("admin:events_slot_delete", args=[added.pk]), {"post": "yes"})
    again = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "12:00"), ends_at=at(surgery, "12:20"))
    slot_places_offer(slot_id=again.pk)

    assert [(email, status, slot_id) for email, status, slot_id, _ in waiting_list(surgery)] == [
        (first.email, WaitlistStatus.OFFERED, again.pk), (second.email, WaitlistStatus.WAITING, None)
    ]


def test_slot_delete_page_with_a_lapsed_offer_deletes_and_ends_the_offer_untold(staff, surgery, held):
    added, first, second, _ = held
    lapsed_at = timezone.now() - dt.timedelta(minutes=1)
    WaitlistEntry.objects.filter(user=first).update(offered_until=lapsed_at)

    response = staff.post(reverse("admin:events_slot_delete", args=[added.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Slot.objects.filter(pk=added.pk).exists()
    assert waiting_list(surgery) == [
        (first.email, WaitlistStatus.EXPIRED, None, lapsed_at), (second.email, WaitlistStatus.WAITING, None, None)
    ]
    assert withdrawn_emails() == []


def test_inline_deleting_a_slot_withdraws_the_held_place(staff, surgery, held):
    added, first, second, _ = held
    booked = surgery.slots.get(starts_at=at(surgery, "10:00"))
    data = surgery_form_data(surgery, [(booked, "10:00", "10:20"), (added, "11:00", "11:20")])
    data |= {"slots-1-DELETE": "on"}

    response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data, follow=True)

    assert response.redirect_chain[-1][1] == 302
    assert "Withdrew the places held for 1 person on the waiting list; each is told by email." in (
        response.content.decode()
    )
    assert list(surgery.slots.values_list("pk", flat=True)) == [booked.pk]
    assert waiting_list(surgery) == [
        (first.email, WaitlistStatus.WAITING, None, None), (second.email, WaitlistStatus.WAITING, None, None)
    ]
    (email,) = withdrawn_emails()
    assert email.to == [first.email]
    assert STAYS in email.body


def test_inline_deleting_a_slot_with_a_lapsed_offer_is_saved(staff, surgery, held):
    added, first, _, _ = held
    WaitlistEntry.objects.filter(user=first).update(offered_until=timezone.now() - dt.timedelta(minutes=1))
    booked = surgery.slots.get(starts_at=at(surgery, "10:00"))
    data = surgery_form_data(surgery, [(booked, "10:00", "10:20"), (added, "11:00", "11:20")])
    data |= {"slots-1-DELETE": "on"}

    response = staff.post(reverse("admin:events_surgery_change", args=[surgery.pk]), data)

    assert response.status_code == 302
    assert WaitlistEntry.objects.get(user=first).status == WaitlistStatus.EXPIRED
    assert withdrawn_emails() == []


def test_delete_selected_slots_withdraws_the_held_place(staff, surgery, held):
    added, first, second, _ = held
    free = factories.SlotFactory(surgery=surgery, starts_at=at(surgery, "12:00"), ends_at=at(surgery, "12:20"))

    confirmation = staff.post(reverse("admin:events_slot_changelist"), {
        "action": "delete_selected", "_selected_action": [added.pk, free.pk],
    })
    response = staff.post(reverse("admin:events_slot_changelist"), {
        "action": "delete_selected", "_selected_action": [added.pk, free.pk], "post": "yes",
    })

    assert f"A place on {added} is held for first@provider.example" in confirmation.content.decode()
    assert response.status_code == 302
    assert not Slot.objects.filter(pk__in=[added.pk, free.pk]).exists()
    assert waiting_list(surgery) == [
        (first.email, WaitlistStatus.WAITING, None, None), (second.email, WaitlistStatus.WAITING, None, None)
    ]
    assert [email.to for email in withdrawn_emails()] == [[first.email]]


# --- Deleting the surgery or event: the waiting list closes, each held place is told --------------


def assert_both_told_the_list_closed(first, second):
    emails = withdrawn_emails()
    assert sorted(email.to[0] for email in emails) == sorted([first.email, second.email])
    assert all(CLOSED in email.body and STAYS not in email.body for email in emails)


def test_surgery_delete_page_withdraws_the_held_places(staff, surgery, unbooked):
    _, first, second = unbooked

    response = staff.post(reverse("admin:events_surgery_delete", args=[surgery.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Surgery.objects.filter(pk=surgery.pk).exists()
    assert not WaitlistEntry.objects.exists()
    assert_both_told_the_list_closed(first, second)


def test_delete_selected_surgeries_with_lapsed_offers_deletes_untold(staff, surgery, unbooked):
    WaitlistEntry.objects.update(offered_until=timezone.now() - dt.timedelta(minutes=1))

    response = staff.post(reverse("admin:events_surgery_changelist"), {
        "action": "delete_selected", "_selected_action": [surgery.pk], "post": "yes",
    })

    assert response.status_code == 302
    assert not Surgery.objects.filter(pk=surgery.pk).exists()
    assert withdrawn_emails() == []


def test_delete_selected_surgeries_withdraws_the_held_places(staff, surgery, unbooked):
    _, first, second = unbooked

    response = staff.post(reverse("admin:events_surgery_changelist"), {
        "action": "delete_selected", "_selected_action": [surgery.pk], "post": "yes",
    })

    assert response.status_code == 302
    assert not Surgery.objects.filter(pk=surgery.pk).exists()
    assert_both_told_the_list_closed(first, second)


def test_event_page_deleting_a_surgery_withdraws_the_held_places(staff, fair, surgery, host, unbooked):
    _, first, second = unbooked
    data = event_form_data(fair, [(surgery, [host.pk])]) | {"surgeries-0-DELETE": "on"}

    response = staff.post(reverse("admin:events_jointevent_change", args=[fair.pk]), data, follow=True)

    assert response.redirect_chain[-1][1] == 302
    assert "Withdrew the places held for 2 people on the waiting list; each is told by email." in (
        response.content.decode()
    )
    assert not Surgery.objects.filter(pk=surgery.pk).exists()
    assert_both_told_the_list_closed(first, second)


def test_event_delete_page_withdraws_the_held_places(staff, fair, unbooked):
    _, first, second = unbooked

    response = staff.post(reverse("admin:events_jointevent_delete", args=[fair.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not JointEvent.objects.filter(pk=fair.pk).exists()
    assert_both_told_the_list_closed(first, second)


def test_delete_selected_events_withdraws_the_held_places(staff, fair, unbooked):
    _, first, second = unbooked

    response = staff.post(reverse("admin:events_jointevent_changelist"), {
        "action": "delete_selected", "_selected_action": [fair.pk], "post": "yes",
    })

    assert response.status_code == 302
    assert not JointEvent.objects.filter(pk=fair.pk).exists()
    assert_both_told_the_list_closed(first, second)


# --- ... and the people still waiting (no place held) are told the list has closed ------------


def closed_emails():
    return list(OutboxEmail.objects.filter(kind="waitlist_closed").order_by("pk"))


def delete_through(page, staff, fair, surgery, host):
    if page == "surgery page":
        return staff.post(reverse("admin:events_surgery_delete", args=[surgery.pk]), {"post": "yes"})
    if page == "event page":
        return staff.post(reverse("admin:events_jointevent_delete", args=[fair.pk]), {"post": "yes"})
    if page == "surgeries selected":
        return staff.post(reverse("admin:events_surgery_changelist"), {
            "action": "delete_selected", "_selected_action": [surgery.pk], "post": "yes",
        })
    data = event_form_data(fair, [(surgery, [host.pk])]) | {"surgeries-0-DELETE": "on"}  # an event's surgeries
    return staff.post(reverse("admin:events_jointevent_change", args=[fair.pk]), data)


@pytest.mark.parametrize("page", ["surgery page", "event page", "surgeries selected", "event's surgeries"])
def test_deleting_the_surgery_tells_the_people_still_waiting_that_the_list_has_closed(
    staff, fair, surgery, host, unbooked, page, mailoutbox, django_capture_on_commit_callbacks
):
    _, first, second = unbooked
    third = make_provider("third")
    WaitlistEntry.objects.create(surgery=surgery, user=third)  # joined after the places were held

    with django_capture_on_commit_callbacks(execute=True):
        response = delete_through(page, staff, fair, surgery, host)

    assert response.status_code == 302
    assert not WaitlistEntry.objects.exists()
    assert [email.to for email in closed_emails()] == [[third.email]]
    assert_both_told_the_list_closed(first, second)  # by their own email, and not by this one too
    (message,) = [m for m in mailoutbox if m.to == [third.email]]
    assert message.subject == "Waiting list closed: Maths teaching excellence"
    assert "The organisers have removed the surgery, so its waiting list has closed" in message.body
