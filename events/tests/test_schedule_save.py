"""Saving surgeries and slots through events.schedule_save, as an import or a command would (no admin)."""

import datetime as dt

import pytest

from events.booking import booking_create
from events.choices import WaitlistStatus
from events.errors import ScheduleRefused
from events.models import Slot, Surgery
from events.schedule_save import event_surgeries_save, surgery_slots_save
from events.scheduling import SlotRow, SurgeryRow
from events.tests.conftest import make_provider
from tests_support import factories

pytestmark = pytest.mark.django_db

MINUTES_20 = dt.timedelta(minutes=20)


def kept(slot, key):
    return SlotRow(key=key, slot_id=slot.pk, starts_at=slot.starts_at, ends_at=slot.ends_at,
                   capacity=slot.capacity, changed=False, times_edited=False)


def test_surgery_slots_save_deletes_moves_and_adds_slots_and_offers_new_places(surgery, slots, provider):
    first, second, third = slots
    booking_create(user=provider, slot_id=first.pk)
    entry = factories.WaitlistEntryFactory(surgery=surgery, user=make_provider("waiting"))  # joined when it was full
    later = third.ends_at + dt.timedelta(hours=1)
    rows = [
        SlotRow(key="resized", slot_id=first.pk, starts_at=first.starts_at, ends_at=first.ends_at, capacity=2,
                times_edited=False),
        SlotRow(key="gone", slot_id=second.pk, starts_at=second.starts_at, ends_at=second.ends_at, delete=True),
        kept(third, "kept"),
        SlotRow(key="new", slot_id=None, starts_at=later, ends_at=later + MINUTES_20, capacity=1),
    ]

    saved = surgery_slots_save(surgery=surgery, host_ids=[surgery.hosts.get().pk], rows=rows)

    assert (saved.deleted, list(saved.changed), list(saved.added)) == (["gone"], ["resized"], ["new"])
    stored = {slot.starts_at: (slot.capacity, slot.booked_count) for slot in Slot.objects.filter(surgery=surgery)}
    assert stored == {first.starts_at: (2, 1), third.starts_at: (1, 0), later: (1, 0)}
    entry.refresh_from_db()  # the resized slot is the earliest with a free place
    assert (saved.offered, entry.status, entry.offered_slot_id) == (1, WaitlistStatus.OFFERED, first.pk)


def test_surgery_slots_save_refuses_deleting_a_booked_slot_and_writes_nothing(surgery, slots, provider):
    first, second, _ = slots
    booking_create(user=provider, slot_id=first.pk)
    later = slots[-1].ends_at + dt.timedelta(hours=1)
    rows = [
        SlotRow(key="booked", slot_id=first.pk, starts_at=first.starts_at, ends_at=first.ends_at, delete=True),
        SlotRow(key="new", slot_id=None, starts_at=later, ends_at=later + MINUTES_20, capacity=1),
    ]

    with pytest.raises(ScheduleRefused, match="1 person has booked the slot at"):
        surgery_slots_save(surgery=surgery, host_ids=[surgery.hosts.get().pk], rows=rows)

    assert Slot.objects.filter(surgery=surgery).count() == 3


def test_surgery_slots_save_refuses_an_overlapping_new_slot(surgery, slots):
    rows = [SlotRow(key="new", slot_id=None, starts_at=slots[0].starts_at + dt.timedelta(minutes=5),
                    ends_at=slots[0].ends_at + dt.timedelta(minutes=5), capacity=1)]

    with pytest.raises(ScheduleRefused) as refused:
        surgery_slots_save(surgery=surgery, host_ids=[surgery.hosts.get().pk], rows=rows)

    assert refused.value.refusals[0][0] == "new"
    assert Slot.objects.filter(surgery=surgery).count() == 3


def test_event_surgeries_save_adds_changes_and_deletes_surgeries(fair, surgery, slots, host):
    spare = factories.SurgeryFactory(event=fair, title="Spare table")
    other_host = factories.RegionalWorkerFactory()
    rows = [
        SurgeryRow(key=0, surgery_id=surgery.pk, title=surgery.title, host_ids={host.pk}),
        SurgeryRow(key=1, surgery_id=spare.pk, title=spare.title, host_ids=None, delete=True),
        SurgeryRow(key=2, surgery_id=None, title="", host_ids={other_host.pk}),
    ]
    values = {
        0: {"title": "Maths teaching", "room": "Room 3"},
        2: {"title": "Science clinic", "room": "Room 4", "hosts": [other_host]},
    }

    saved = event_surgeries_save(event=fair, rows=rows, values=values)

    assert (saved.deleted, list(saved.changed), list(saved.added)) == ([1], [0], [2])
    stored = {s.title: (s.room, sorted(s.hosts.values_list("pk", flat=True))) for s in fair.surgeries.all()}
    assert stored == {"Maths teaching": ("Room 3", [host.pk]), "Science clinic": ("Room 4", [other_host.pk])}


def test_event_surgeries_save_refuses_deleting_a_booked_surgery(fair, surgery, slots, provider):
    booking_create(user=provider, slot_id=slots[0].pk)
    rows = [SurgeryRow(key=0, surgery_id=surgery.pk, title=surgery.title, host_ids=None, delete=True)]

    with pytest.raises(ScheduleRefused, match="1 person has booked “Maths teaching excellence”"):
        event_surgeries_save(event=fair, rows=rows, values={})

    assert Surgery.objects.filter(pk=surgery.pk).exists()


def test_event_surgeries_save_refuses_a_host_already_at_an_overlapping_slot(fair, surgery, slots):
    busy = factories.RegionalWorkerFactory()
    elsewhere = factories.SurgeryFactory(event=fair, title="Elsewhere")
    elsewhere.hosts.set([busy])
    Slot.objects.create(surgery=elsewhere, starts_at=slots[0].starts_at, ends_at=slots[0].ends_at, capacity=1)
    rows = [
        SurgeryRow(key="maths", surgery_id=surgery.pk, title=surgery.title, host_ids={busy.pk}),
        SurgeryRow(key="elsewhere", surgery_id=elsewhere.pk, title=elsewhere.title, host_ids={busy.pk}),
    ]

    with pytest.raises(ScheduleRefused) as refused:
        event_surgeries_save(event=fair, rows=rows, values={"maths": {"hosts": [busy]}})

    (key, field, message), = refused.value.refusals
    assert (key, field) == ("maths", "hosts")
    assert "Nothing was saved." in message
    assert list(surgery.hosts.all()) != [busy]
