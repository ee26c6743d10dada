"""The slot generator: a surgery's slots from a start to an end time, by length and break (coordinators)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from .errors import ScheduleBusy, SlotGenerationError
from .locking import schedule_lock
from .models import Slot, Surgery
from .selectors import slots_overlapping
from .waitlist import offer_freed_places

LONDON = ZoneInfo("Europe/London")


def slots_generate(*, surgery_id, day, start, end, length_minutes, break_minutes=0, capacity=1):
    """Create a surgery's slots from `start` to `end` (local times on `day`), refusing overlaps.

    A new slot may not overlap an existing slot of this surgery, nor a slot of
    another surgery at which one of this surgery's hosts sits. Its places are
    offered to the surgery's waiting list first (see slot_places_offer).
    """
    if length_minutes <= 0:
        raise SlotGenerationError("The slot length must be at least one minute.")
    if break_minutes < 0:
        raise SlotGenerationError("The break cannot be negative.")
    first = dt.datetime.combine(day, start, tzinfo=LONDON)
    last = dt.datetime.combine(day, end, tzinfo=LONDON)
    if last <= first:
        raise SlotGenerationError("The end time must be after the start time.")
    length, gap = dt.timedelta(minutes=length_minutes), dt.timedelta(minutes=break_minutes)
    wanted = []
    cursor = first
    while cursor + length <= last:
        wanted.append((cursor, cursor + length))
        cursor += length + gap
    if not wanted:
        raise SlotGenerationError("No slot of that length fits between the start and end times.")
    with transaction.atomic():
        surgery = Surgery.objects.get(pk=surgery_id)
        try:
            event = schedule_lock(event_ids=[surgery.event_id], surgery_ids=[surgery.pk])[surgery.event_id]
        except ScheduleBusy as busy:
            raise SlotGenerationError(busy.message) from None
        outside = event.slot_outside_message(wanted[0][0], wanted[-1][1])
        if outside:
            raise SlotGenerationError(outside)
        host_ids = list(surgery.hosts.values_list("pk", flat=True))
        existing = slots_overlapping(
            surgery_id=surgery.pk, host_ids=host_ids, starts_at=wanted[0][0], ends_at=wanted[-1][1]
        )
        for slot in existing:
            for starts, ends in wanted:
                if slot.starts_at < ends and slot.ends_at > starts:
                    raise SlotGenerationError(
                        f"A new slot would overlap {slot.overlap_label(surgery.pk)}. Nothing was created."
                    )
        created = Slot.objects.bulk_create(
            [Slot(surgery=surgery, starts_at=s, ends_at=e, capacity=capacity) for s, e in wanted]
        )
        now = timezone.now()
        for slot in created:  # earliest first: the first in line is offered the earliest new place
            offer_freed_places(slot_id=slot.pk, now=now)
        return created
