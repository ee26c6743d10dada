"""The outbox moved to programmes (the lowest app) so every app can send through it.

The rows are copied with their ids (a task queued before the move still
finds its row) and the sequence is moved past them; then the old table goes.
The link to the booking is dropped: the row's key names the booking.
"""

from django.core.management.color import no_style
from django.db import migrations

FIELDS = [
    "id", "key", "kind", "to", "subject", "body", "html", "attachment_name", "attachment_type", "attachment",
    "status", "forget_after_send", "attempts", "last_error", "created_at", "claimed_at", "sent_at",
]


def copy_rows(apps, schema_editor):
    old = apps.get_model("events", "OutboxEmail")
    new = apps.get_model("programmes", "OutboxEmail")
    db = schema_editor.connection.alias
    rows = old.objects.using(db).order_by("pk").values(*FIELDS)
    batch = []
    for row in rows.iterator(chunk_size=1000):
        batch.append(new(**row))
        if len(batch) == 1000:
            new.objects.using(db).bulk_create(batch)
            batch = []
    new.objects.using(db).bulk_create(batch)
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [new]):
            cursor.execute(statement)


def copy_rows_back(apps, schema_editor):
    old = apps.get_model("events", "OutboxEmail")
    new = apps.get_model("programmes", "OutboxEmail")
    db = schema_editor.connection.alias
    old.objects.using(db).bulk_create(
        [old(**row) for row in new.objects.using(db).order_by("pk").values(*FIELDS)], batch_size=1000
    )
    new.objects.using(db).all().delete()  # moved back, not copied: a second forward run starts clean
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [old]):
            cursor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0005_text_length_limits"),
        ("programmes", "0007_outbox_email_for_every_app"),
    ]

    operations = [
        migrations.RunPython(copy_rows, copy_rows_back),
        migrations.DeleteModel(name="OutboxEmail"),
    ]
