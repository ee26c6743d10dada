"""Trigram similarity for the duplicate finder, on PostgreSQL only.

SQLite has no pg_trgm: there the finder computes the same trigram similarity
in Python over a bounded candidate set, so this migration does nothing.
"""

from django.db import migrations

TITLE_INDEX = "insights_offer_title_trgm"


def enable_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # Serves the duplicate finder's "title % title" self-join.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TITLE_INDEX} ON programmes_offer USING gin (title gin_trgm_ops)"
    )


def disable_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension may be used by others: keep it, drop only our index.
    schema_editor.execute(f"DROP INDEX IF EXISTS {TITLE_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("brokerage", "0003_insights"),
        ("programmes", "0001_initial"),
    ]

    operations = [migrations.RunPython(enable_trigrams, disable_trigrams, elidable=False)]
