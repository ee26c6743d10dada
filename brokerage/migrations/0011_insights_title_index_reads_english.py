"""The duplicate finder's trigram index moves to the English title (PostgreSQL only).

Since programmes 0012 the English title is `title_en_gb`; the original column
holds whichever language an offer was last saved in.
"""

from django.db import migrations

OLD_INDEX = "insights_offer_title_trgm"
INDEX = "insights_offer_title_en_gb_trgm"


def english_title_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    # Serves the duplicate finder's "title_en_gb % title_en_gb" self-join.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON programmes_offer USING gin (title_en_gb gin_trgm_ops)"
    )


def original_title_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON programmes_offer USING gin (title gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("brokerage", "0010_content_in_welsh"),
        ("programmes", "0012_content_in_welsh"),
    ]

    operations = [migrations.RunPython(english_title_index, original_title_index, elidable=False)]
