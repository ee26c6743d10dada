"""Fill the booking copies and slot counters; on PostgreSQL, exclude overlaps.

The exclusion constraint (one person never holds two overlapping confirmed
bookings) needs btree_gist and exists only on PostgreSQL; on SQLite the
service's checks under a transaction are the guard (SQLite serialises writers).
"""

from django.db import migrations

CONSTRAINT = "booking_no_overlap_per_person"


def backfill(apps, schema_editor):
    Booking = apps.get_model("events", "Booking")
    Slot = apps.get_model("events", "Slot")
    for booking in Booking.objects.select_related("slot__surgery").filter(starts_at__isnull=True):
        booking.starts_at, booking.ends_at = booking.slot.starts_at, booking.slot.ends_at
        booking.event_id = booking.slot.surgery.event_id
        booking.save(update_fields=["starts_at", "ends_at", "event"])
    for slot in Slot.objects.all():
        slot.booked_count = Booking.objects.filter(slot=slot, status="confirmed").count()
        slot.save(update_fields=["booked_count"])


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE events_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(user_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status = 'confirmed')"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE events_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("events", "0002_booking_copies_slot_counter_outbox")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(add_exclusion, drop_exclusion),
    ]
