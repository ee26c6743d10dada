"""Saving a coordinator's change to an event's surgeries or a surgery's slots: check, then write.

Each change comes as plain rows (events.scheduling's SlotRow and SurgeryRow).
`*_save` checks it under the locks of events.scheduling (the documented
order, docs/invariants.md) and writes it in one transaction: an import or a
command needs nothing from the admin. `*_write` is the second half, for a
caller that ran the check itself earlier in the same transaction (the admin
checks while it validates the page, to show refusals as form errors, and
writes when it saves): the locks are held since that check, so nothing has
changed under it. Refusals are ScheduleRefused or ScheduleBusy.
"""

from dataclasses import dataclass, field

from django.db import transaction

from .deletion import schedule_delete
from .models import Slot, Surgery
from .scheduling import event_surgeries_check, surgery_slots_check
from .waitlist import slot_places_offer


@dataclass
class Saved:
    """What a save wrote: rows by their caller's key, and the people told on the waiting list."""

    added: dict = field(default_factory=dict)  # key: new row
    changed: dict = field(default_factory=dict)  # key: changed row
    deleted: list = field(default_factory=list)  # keys of deleted rows
    offered: int = 0  # people offered a place on a new or larger slot
    withdrawn: int = 0  # people whose held place went with a deleted slot


def _deleted_first(deleted, keyword, now):
    """Delete the rows ({key: id}) of a change (events.deletion) before it writes the rest; return a Saved."""
    saved = Saved(deleted=list(deleted))
    if deleted:
        saved.withdrawn = schedule_delete(**{keyword: list(deleted.values())}, now=now)
    return saved


def surgery_slots_save(*, surgery, host_ids, rows, now=None):
    """Check (events.scheduling.surgery_slots_check) and write (surgery_slots_write) a surgery's slots.

    `surgery` is saved, with `host_ids` its hosts as the change leaves them.
    Returns Saved; raises ScheduleRefused or ScheduleBusy, and then writes nothing.
    """
    with transaction.atomic():
        locked = surgery_slots_check(surgery_id=surgery.pk, event_id=surgery.event_id, host_ids=host_ids, rows=rows)
        return surgery_slots_write(surgery=surgery, rows=rows, locked=locked, now=now)


def surgery_slots_write(*, surgery, rows, locked, now=None):
    """Write a surgery's slots (SlotRow: new, changed, deleted, unchanged) as checked in this transaction.

    `locked` is what surgery_slots_check returned. Deleted slots go first
    (events.deletion: held places withdrawn, each person told), then changed
    ones, written from the row as locked (its booked count as counted then),
    then new ones; then the free places of new and changed slots are offered to
    the waiting list, earliest first. Returns Saved.
    """
    with transaction.atomic():
        saved = _deleted_first({row.key: row.slot_id for row in rows if row.slot_id and row.delete}, "slot_ids", now)
        for row in rows:
            if row.delete or (row.slot_id and not row.changed):
                continue
            if row.slot_id:
                slot = locked.get(row.slot_id) or Slot(pk=row.slot_id, surgery=surgery)
            else:
                slot = Slot(surgery=surgery)
            slot.starts_at, slot.ends_at, slot.capacity = row.starts_at, row.ends_at, row.capacity
            slot.save()
            (saved.changed if row.slot_id else saved.added)[row.key] = slot
        offering = sorted([*saved.changed.values(), *saved.added.values()], key=lambda slot: slot.starts_at)
        saved.offered = sum(slot_places_offer(slot_id=slot.pk, now=now) for slot in offering)
        return saved


def event_surgeries_save(*, event, rows, values, now=None):
    """Check (events.scheduling.event_surgeries_check) and write (event_surgeries_write) an event's surgeries.

    Returns Saved; raises ScheduleRefused or ScheduleBusy, and then writes nothing.
    """
    with transaction.atomic():
        event_surgeries_check(event_id=event.pk, rows=rows)
        return event_surgeries_write(event=event, rows=rows, values=values, now=now)


def event_surgeries_write(*, event, rows, values, now=None):
    """Write an event's surgeries (SurgeryRow) as checked by event_surgeries_check in this transaction.

    `values` maps a row's key to its surgery's fields ({name: value}, many-to-many
    fields as lists) for new and changed rows; rows not in it are unchanged.
    Deleted surgeries go first (events.deletion: their waiting lists close, each
    person told). Returns Saved.
    """
    many = {field.name for field in Surgery._meta.many_to_many}
    with transaction.atomic():
        saved = _deleted_first(
            {row.key: row.surgery_id for row in rows if row.surgery_id and row.delete}, "surgery_ids", now
        )
        for row in rows:
            if row.delete or row.key not in values:
                continue
            surgery = Surgery.objects.get(pk=row.surgery_id) if row.surgery_id else Surgery(event=event)
            fields = values[row.key]
            for name, value in fields.items():
                if name not in many:
                    setattr(surgery, name, value)
            surgery.save()
            for name in many & set(fields):
                getattr(surgery, name).set(fields[name])
            (saved.changed if row.surgery_id else saved.added)[row.key] = surgery
        return saved
