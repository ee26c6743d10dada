"""Scheduling (coordinators): the rules a change to an event's hours, surgeries or slots must keep.

Every entry point (the admin's forms, an import, a command) goes through
these; deleting is events.deletion's, generating slots events.slot_generation's,
writing a checked change events.schedule_save's (and slot_write here). A
change is checked under row locks taken in the documented order
(docs/invariants.md): the event (FOR NO KEY UPDATE), its hosts, then, when
booked slots may move, shrink or go, the slots; the change is written in the
same transaction (the admin wraps a POST's validation and save in one), so two
coordinators saving at once are checked one after the other, and a booking
made at that moment is counted or waits. Refusals are ScheduleRefused
(ScheduleBusy when a lock is not granted in time), with the message a
coordinator sees.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from programmes.models import RegionalWorker

from .errors import ScheduleRefused
from .locking import schedule_lock, slots_lock
from .models import Slot, Surgery
from .selectors import (
    confirmed_booking_counts, held_place_counts, slots_of_hosts_elsewhere, slots_outside, slots_overlapping,
)
from .waitlist import slot_places_offer

SLOTS_NAMED = 10  # slots named in a refusal of new hours: a whole day of slots would bury the message


@dataclass
class SlotRow:
    """One slot of a surgery as a coordinator's change would leave it.

    `key` is the caller's handle (a form), returned in refusals; `slot_id` is
    None for a new slot; `changed`: the change writes this saved row;
    `times_edited`: new, or its times changed.
    """

    key: object
    slot_id: int | None
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    capacity: int | None = None
    changed: bool = True
    delete: bool = False
    times_edited: bool = True


@dataclass
class SurgeryRow:
    """One surgery on its event's page: its hosts as chosen (None if deleted or invalid), deleted or not."""

    key: object
    surgery_id: int | None
    title: str
    host_ids: set | None
    delete: bool = False


# --- Messages ---------------------------------------------------------------------------


def _people_have(count):
    return "1 person has" if count == 1 else f"{count} people have"


def _places_held(count):
    return (
        "1 place is held for someone" if count == 1 else f"{count} places are held for people"
    ) + " on the waiting list until they book or their offer lapses"


def deleted_with_bookings_message(booked, what):
    return (
        f"{_people_have(booked)} booked {what}. Deleting it would delete their bookings without telling them: "
        "cancel those bookings first (each person is told by email). Nothing was saved."
    )


def _added_host_message(slot, host, where):
    at = timezone.localtime(slot.starts_at)
    return (
        f"{host.name} already sits at “{slot.surgery.title}” at {at:%H:%M}, which overlaps {where}. "
        "Choose another host or move the slot first. Nothing was saved."
    )


# --- The rules --------------------------------------------------------------------------
# A booking copies its slot's times and event (overlaps, the per-event limit,
# reminders, the .ics its person was sent): a booked slot keeps its times and
# surgery, and is not deleted with its bookings (CASCADE, nobody told).
# Harmless edits (capacity down to the booked count and the places held for
# the waiting list) stay allowed. Slots keep the slot generator's rules: within
# the event's times, no overlap with the surgery's other slots, nor with a slot
# its hosts sit at elsewhere. A host added to a surgery must be free at all of
# its slots. An event's new hours must hold its surgeries' slots.


def _booked_slot_refusal(saved, booked, *, surgery_id, starts, ends, capacity, held=0):
    """Why a booked slot cannot be saved so, as (field, message), or None. `saved` is the locked row.

    `held`: places offered to people on the waiting list and not lapsed; each was promised a place.
    """
    moved = surgery_id != saved.surgery_id or (starts, ends) != (saved.starts_at, saved.ends_at)
    if booked and moved:
        where = "at the old time" if surgery_id == saved.surgery_id else "with its old surgery"
        return None, (
            f"{_people_have(booked)} booked this slot. Moving it would leave their bookings {where}: "
            "cancel the slot's bookings first (they are told by email), or add a new slot. Nothing was saved."
        )
    if capacity is not None and capacity < booked + held:
        taken = [f"{_people_have(booked)} booked this slot"] if booked else []
        taken += [_places_held(held)] if held else []
        return "capacity", (
            f"{' and '.join(taken)}: its capacity cannot be less than {booked + held}. Nothing was saved."
        )
    return None


def locked_slots(slot_ids):
    """slots_lock, then {id: slot as saved}, {id: confirmed bookings}, {id: places held for the waiting list}."""
    saved = slots_lock(slot_ids=slot_ids)
    return saved, confirmed_booking_counts(slot_ids=saved), held_place_counts(slot_ids=saved, now=timezone.now())


def _added_host_clash(*, surgery_id, added_ids, times):
    """(slot of another surgery, its newly added host, the (starts, ends) it overlaps), or None."""
    if not added_ids or not times:
        return None
    elsewhere = slots_of_hosts_elsewhere(
        host_ids=added_ids, exclude_surgery_ids=[surgery_id],
        starts_at=min(starts for starts, _ in times), ends_at=max(ends for _, ends in times),
    )
    for slot in elsewhere:
        for starts, ends in times:
            if slot.starts_at < ends and slot.ends_at > starts:
                host = next(host for host in slot.surgery.hosts.all() if host.pk in added_ids)
                return slot, host, (starts, ends)
    return None


def surgery_slots_check(*, surgery_id, event_id, host_ids, rows):
    """Check a surgery's slots as a change would save them (its page); return {slot id: slot as locked now}.

    `host_ids` are the surgery's hosts as the change leaves them. Raises
    ScheduleRefused (each refusal keyed by its row) or ScheduleBusy. The caller
    saves in this transaction, writing each saved slot's booked count as
    returned (the count as locked now, not as read before the lock).
    """
    event = schedule_lock(event_ids=[event_id], host_ids=host_ids).get(event_id)
    refusals, saved = [], {}
    edited = [row for row in rows if row.slot_id and row.changed]  # unchanged rows are not saved
    if edited:
        saved, counts, held = locked_slots(row.slot_id for row in edited)
        deleted = []
        for row in edited:
            slot = saved.get(row.slot_id)
            if slot is None:
                continue
            if row.delete:
                if counts[slot.pk]:
                    at = timezone.localtime(slot.starts_at)
                    deleted.append(deleted_with_bookings_message(counts[slot.pk], f"the slot at {at:%H:%M}"))
                continue
            refusal = _booked_slot_refusal(
                slot, counts[slot.pk], surgery_id=surgery_id, starts=row.starts_at, ends=row.ends_at,
                capacity=row.capacity, held=held[slot.pk],
            )
            if refusal is not None:
                refusals.append((row.key, *refusal))
        if deleted:  # a row marked for deletion shows no errors of its own
            raise ScheduleRefused(refusals + [(None, None, message) for message in deleted])
    active = [row for row in rows if row.starts_at and row.ends_at and not row.delete]
    # Only new or moved slots: a slot left outside the event's times (before
    # the event's page refused that) must not block editing the surgery.
    if event is not None:  # else the surgery's own form reports a missing event
        for row in active:
            outside = row.times_edited and event.slot_outside_message(row.starts_at, row.ends_at)
            if outside:
                refusals.append((row.key, None, f"{outside} Nothing was saved."))
    refusals += _added_host_refusals(surgery_id, host_ids, [row for row in active if not row.times_edited])
    refusals += _overlap_refusals(surgery_id, host_ids, rows, active)
    if refusals:
        raise ScheduleRefused(refusals)
    return saved


def _added_host_refusals(surgery_id, host_ids, unedited):
    """A host chosen now must be free at the surgery's slots (new or moved ones: see _overlap_refusals)."""
    if not surgery_id or not unedited:
        return []
    saved = set(Surgery.hosts.through.objects.filter(surgery_id=surgery_id).values_list("regionalworker_id", flat=True))
    added = [pk for pk in host_ids if pk not in saved]
    times = {(row.starts_at, row.ends_at): row for row in unedited}
    clash = _added_host_clash(surgery_id=surgery_id, added_ids=added, times=list(times))
    if clash is None:
        return []
    slot, host, overlapped = clash
    return [(times[overlapped].key, None, _added_host_message(slot, host, "this slot"))]


def _overlap_refusals(surgery_id, host_ids, rows, active):
    edited = [row for row in active if row.times_edited]
    if not edited:
        return []
    others = list(slots_overlapping(
        surgery_id=surgery_id,
        host_ids=host_ids,
        starts_at=min(row.starts_at for row in edited),
        ends_at=max(row.ends_at for row in edited),
        # The change's own rows are compared as they would be saved, not as saved now.
        exclude_ids=[row.slot_id for row in rows if row.slot_id],
    ))
    refusals = []
    for row in edited:
        starts, ends = row.starts_at, row.ends_at
        clash = next((slot for slot in others if slot.starts_at < ends and slot.ends_at > starts), None)
        if clash is not None:
            message = f"This slot overlaps {clash.overlap_label(surgery_id)}. Nothing was saved."
            refusals.append((row.key, None, message))
            continue
        twin = next((
            other for other in active if other is not row and other.starts_at < ends and other.ends_at > starts
        ), None)
        if twin is not None:
            at = timezone.localtime(twin.starts_at)
            message = f"This slot overlaps the slot at {at:%H:%M} on this page. Nothing was saved."
            refusals.append((row.key, None, message))
    return refusals


def event_surgeries_check(*, event_id, rows):
    """Check an event's surgeries as a change would save them (its page, where slots are not shown).

    A surgery deleted with confirmed bookings is refused; a newly chosen host
    must be free at the surgery's slots, hosts compared as chosen in the change
    (a host moved from one surgery to another is no longer at the first) and as
    saved for surgeries elsewhere. Raises ScheduleRefused (a host refusal keyed
    by its row, on the field "hosts") or ScheduleBusy.
    """
    chosen = {
        row.surgery_id: row.host_ids for row in rows if row.surgery_id and row.host_ids is not None and not row.delete
    }
    schedule_lock(event_ids=[event_id], host_ids=set().union(*chosen.values()))
    _deleted_surgeries_check({row.surgery_id: row.title for row in rows if row.surgery_id and row.delete})
    saved = set(
        Surgery.hosts.through.objects.filter(surgery_id__in=chosen).values_list("surgery_id", "regionalworker_id")
    )
    added = sorted(
        (surgery_id, host_id) for surgery_id, hosts in chosen.items() for host_id in hosts
        if (surgery_id, host_id) not in saved
    )
    page_slots = list(Slot.objects.filter(surgery_id__in=chosen).select_related("surgery"))
    if not added or not page_slots:  # new surgeries have no slots yet
        return
    slots = {surgery_id: [] for surgery_id in chosen}
    for slot in page_slots:
        slots[slot.surgery_id].append(slot)
    # The slots each host sits at: elsewhere as saved, in this change as chosen.
    busy = defaultdict(list)
    for slot in slots_of_hosts_elsewhere(
        host_ids={host_id for _, host_id in added},
        exclude_surgery_ids=[row.surgery_id for row in rows if row.surgery_id],
        starts_at=min(slot.starts_at for slot in page_slots), ends_at=max(slot.ends_at for slot in page_slots),
    ):
        for host in slot.surgery.hosts.all():
            busy[host.pk].append(slot)
    for surgery_id, hosts in chosen.items():
        for host_id in hosts:
            busy[host_id].extend(slots[surgery_id])
    keys = {row.surgery_id: row.key for row in rows if row.surgery_id}
    hosts = RegionalWorker.objects.select_related("user").in_bulk({host_id for _, host_id in added})
    refusals, refused = [], set()
    for surgery_id, host_id in added:
        clash = next((
            (mine, other) for mine in slots[surgery_id] for other in busy[host_id]
            if other.surgery_id != surgery_id and other.starts_at < mine.ends_at and other.ends_at > mine.starts_at
        ), None)
        if clash is not None and surgery_id not in refused:  # one refusal per surgery
            refused.add(surgery_id)
            mine, other = clash
            where = f"this surgery's slot at {timezone.localtime(mine.starts_at):%H:%M}"
            refusals.append((keys[surgery_id], "hosts", _added_host_message(other, hosts[host_id], where)))
    if refusals:
        raise ScheduleRefused(refusals)


def _deleted_surgeries_check(titles):
    """Refuse deleting surgeries ({id: title}) with confirmed bookings (ScheduleRefused); their slots get locked."""
    if not titles:
        return
    saved, counts, _ = locked_slots(Slot.objects.filter(surgery_id__in=titles).values_list("pk", flat=True))
    booked = defaultdict(int)
    for slot in saved.values():
        booked[slot.surgery_id] += counts[slot.pk]
    refusals = [
        (None, None, deleted_with_bookings_message(booked[pk], f"“{title}”"))
        for pk, title in titles.items() if booked[pk]
    ]
    if refusals:
        raise ScheduleRefused(refusals)


def slot_check(*, slot_id, surgery, starts_at, ends_at, capacity, moved):
    """Check one slot as a change would save it (the slot's own page); return the slot as locked now, or None.

    `slot_id` is None for a new slot; `moved`: new, or its surgery or times
    changed. Raises ScheduleRefused (field "capacity" or None) or ScheduleBusy.
    """
    event = schedule_lock(event_ids=[surgery.event_id], surgery_ids=[surgery.pk])[surgery.event_id]
    slot = None
    if slot_id:
        saved, counts, held = locked_slots([slot_id])
        slot = saved.get(slot_id)
        if slot is not None:
            refusal = _booked_slot_refusal(
                slot, counts[slot.pk], surgery_id=surgery.pk, starts=starts_at, ends=ends_at,
                capacity=capacity, held=held[slot.pk],
            )
            if refusal is not None:
                raise ScheduleRefused([(None, *refusal)])
    # New or moved slots only (see surgery_slots_check).
    outside = moved and event.slot_outside_message(starts_at, ends_at)
    if outside:
        raise ScheduleRefused([(None, None, f"{outside} Nothing was saved.")])
    clash = slots_overlapping(
        surgery_id=surgery.pk, host_ids=list(surgery.hosts.values_list("pk", flat=True)),
        starts_at=starts_at, ends_at=ends_at, exclude_ids=[slot_id] if slot_id else [],
    ).first()
    if clash is not None:
        message = f"This slot overlaps {clash.overlap_label(surgery.pk)}. Nothing was saved."
        raise ScheduleRefused([(None, None, message)])
    return slot


def slot_save(*, surgery_id, starts_at, ends_at, capacity, slot_id=None, now=None):
    """Add a slot, or move or resize one: slot_check, then slot_write. Returns the slot.

    Raises ScheduleRefused or ScheduleBusy, and then writes nothing.
    """
    with transaction.atomic():
        surgery = Surgery.objects.get(pk=surgery_id)
        slot = Slot.objects.get(pk=slot_id) if slot_id else Slot(surgery=surgery)
        moved = slot_id is None or (surgery_id, starts_at, ends_at) != (slot.surgery_id, slot.starts_at, slot.ends_at)
        locked = slot_check(
            slot_id=slot_id, surgery=surgery, starts_at=starts_at, ends_at=ends_at, capacity=capacity, moved=moved
        )
        slot = locked or slot  # the row as locked now, its booked count current
        slot_write(slot=slot, surgery=surgery, starts_at=starts_at, ends_at=ends_at, capacity=capacity, now=now)
        return slot


def slot_write(*, slot, surgery, starts_at, ends_at, capacity, now=None):
    """Write one slot as slot_check allowed in this transaction; offer its free places to the waiting list.

    `slot` is new, or the row slot_check returned (locked, its booked count
    current). Returns how many people were offered a place.
    """
    with transaction.atomic():
        slot.surgery, slot.starts_at, slot.ends_at, slot.capacity = surgery, starts_at, ends_at, capacity
        slot.save()
        return slot_places_offer(slot_id=slot.pk, now=now)


def event_hours_check(*, event_id, starts_at, ends_at):
    """New hours of an event must still hold every slot of its surgeries. Raises ScheduleRefused or ScheduleBusy."""
    schedule_lock(event_ids=[event_id])
    outside = list(slots_outside(event_id=event_id, starts_at=starts_at, ends_at=ends_at))
    if outside:
        named = "; ".join(str(slot) for slot in outside[:SLOTS_NAMED])
        if len(outside) > SLOTS_NAMED:
            named += f"; and {len(outside) - SLOTS_NAMED} more"
        raise ScheduleRefused([(None, None, (
            f"These slots would fall outside the new hours: {named}. "
            "Move or delete them first, or choose hours that hold them. Nothing was saved."
        ))])
