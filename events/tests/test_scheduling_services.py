"""The scheduling and deletion services on their own, as an import or a command would call them (no admin)."""

import datetime as dt

import pytest

from events.booking import booking_cancel, booking_create
from events.choices import WaitlistStatus
from events.deletion import schedule_delete, schedule_delete_check, users_delete, users_delete_check
from events.errors import DeleteRefused, ScheduleRefused
from events.models import Slot, Surgery, WaitlistEntry
from events.scheduling import SlotRow, event_hours_check, slot_check, slot_save, surgery_slots_check
from events.tests.conftest import make_provider
from events.waitlist import waitlist_join

pytestmark = pytest.mark.django_db


def test_slot_check_refuses_a_slot_overlapping_another_of_the_surgery(surgery, slots):
    first = slots[0]

    with pytest.raises(ScheduleRefused) as refused:
        slot_check(
            slot_id=None, surgery=surgery, starts_at=first.starts_at + dt.timedelta(minutes=10),
            ends_at=first.ends_at + dt.timedelta(minutes=10), capacity=1, moved=True,
        )

    (row, field, message), = refused.value.refusals
    assert (row, field) == (None, None)
    assert message.startswith("This slot overlaps the slot at ") and message.endswith("Nothing was saved.")


def test_slot_check_refuses_moving_a_booked_slot_and_returns_the_locked_row_otherwise(surgery, slots, provider):
    booking_create(user=provider, slot_id=slots[0].pk)
    later = slots[-1].ends_at + dt.timedelta(hours=1)

    with pytest.raises(ScheduleRefused, match="1 person has booked this slot. Moving it would leave their bookings"):
        slot_check(slot_id=slots[0].pk, surgery=surgery, starts_at=later, ends_at=later + dt.timedelta(minutes=20),
                   capacity=1, moved=True)
    locked = slot_check(slot_id=slots[0].pk, surgery=surgery, starts_at=slots[0].starts_at,
                        ends_at=slots[0].ends_at, capacity=2, moved=False)

    assert locked.booked_count == 1


def test_surgery_slots_check_keys_each_refusal_by_its_row(surgery, slots, host):
    first = slots[0]
    rows = [
        SlotRow(key="kept", slot_id=first.pk, starts_at=first.starts_at, ends_at=first.ends_at, changed=False,
                times_edited=False),
        SlotRow(key="new", slot_id=None, starts_at=first.starts_at, ends_at=first.ends_at),
        SlotRow(key="early", slot_id=None, starts_at=surgery.event.starts_at - dt.timedelta(hours=1),
                ends_at=surgery.event.starts_at - dt.timedelta(minutes=40)),
    ]

    with pytest.raises(ScheduleRefused) as refused:
        surgery_slots_check(surgery_id=surgery.pk, event_id=surgery.event_id, host_ids=[host.pk], rows=rows)

    keys = [row for row, _, _ in refused.value.refusals]
    assert keys == ["early", "new"]
    assert refused.value.refusals[1][2].startswith("This slot overlaps the slot at ")


def test_event_hours_check_names_the_slots_left_outside(fair, slots):
    with pytest.raises(ScheduleRefused, match="These slots would fall outside the new hours"):
        event_hours_check(event_id=fair.pk, starts_at=slots[1].starts_at, ends_at=fair.ends_at)


def test_deleting_a_booked_surgery_is_refused_with_its_booking(surgery, slots, provider):
    booking = booking_create(user=provider, slot_id=slots[0].pk)

    with pytest.raises(DeleteRefused) as refused:
        schedule_delete(surgery_ids=[surgery.pk])

    assert refused.value.bookings == [booking]
    assert refused.value.message.startswith("1 person has booked what you asked to delete")
    assert Surgery.objects.filter(pk=surgery.pk).exists()


def test_deleting_a_slot_withdraws_the_place_held_on_it(surgery, slots, mailoutbox, django_capture_on_commit_callbacks):
    holders = [make_provider(f"holder{index}") for index in range(3)]
    booked = [booking_create(user=person, slot_id=slot.pk) for person, slot in zip(holders, slots)]
    waiting = make_provider("waiting")
    entry = waitlist_join(user=waiting, surgery_id=surgery.pk)

    booking_cancel(booking_id=booked[0].pk, user=holders[0])  # the place is offered to `waiting`
    entry.refresh_from_db()
    assert (entry.status, entry.offered_slot_id) == (WaitlistStatus.OFFERED, slots[0].pk)
    assert len(schedule_delete_check(slot_ids=[slots[0].pk])) == 1

    with django_capture_on_commit_callbacks(execute=True):
        told = schedule_delete(slot_ids=[slots[0].pk])

    assert told == 1
    assert not Slot.objects.filter(pk=slots[0].pk).exists()
    entry.refresh_from_db()
    assert (entry.status, entry.offered_slot_id) == (WaitlistStatus.WAITING, None)


def test_deleting_a_person_with_a_booking_to_come_is_refused_and_allowed_once_cancelled(slots, provider):
    booking = booking_create(user=provider, slot_id=slots[0].pk)

    with pytest.raises(DeleteRefused, match="Deleting would delete 1 confirmed booking still to come"):
        users_delete_check(user_ids=[provider.pk])

    booking_cancel(booking_id=booking.pk, user=provider)
    users_delete(user_ids=[provider.pk])

    assert not WaitlistEntry.objects.exists()
    assert not type(provider).objects.filter(pk=provider.pk).exists()


def test_slot_save_adds_a_slot_and_offers_its_place_to_the_waiting_list(surgery, slots):
    holders = [make_provider(f"holder{index}") for index in range(3)]
    for person, slot in zip(holders, slots):
        booking_create(user=person, slot_id=slot.pk)
    entry = waitlist_join(user=make_provider("waiting"), surgery_id=surgery.pk)
    starts = slots[-1].ends_at

    added = slot_save(surgery_id=surgery.pk, starts_at=starts, ends_at=starts + dt.timedelta(minutes=20), capacity=1)

    entry.refresh_from_db()
    assert (entry.status, entry.offered_slot_id) == (WaitlistStatus.OFFERED, added.pk)


def test_slot_save_refuses_resizing_a_booked_slot_below_its_bookings(surgery, slots, provider):
    booking_create(user=provider, slot_id=slots[0].pk)
    slot = Slot.objects.get(pk=slots[0].pk)
    slot.capacity = 2
    slot.save()

    with pytest.raises(ScheduleRefused, match="its capacity cannot be less than 1"):
        slot_save(slot_id=slot.pk, surgery_id=surgery.pk, starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=0)

    assert Slot.objects.get(pk=slot.pk).capacity == 2
