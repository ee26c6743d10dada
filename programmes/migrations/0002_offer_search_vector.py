"""Full-text search for offers on PostgreSQL; nothing at all on SQLite.

The weighted vector (title A, summary B, description C, English
configuration) lives in a column the model does not declare, kept current by
a trigger (so bulk inserts, admin edits and raw updates all stay indexed) and
served by a GIN index. SQLite gets none of it and searches with LIKE
(programmes.search).
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE programmes_offer ADD COLUMN IF NOT EXISTS search_vector tsvector",
    """
    CREATE OR REPLACE FUNCTION programmes_offer_search_vector_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.summary, '')), 'B') ||
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.description, '')), 'C');
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS programmes_offer_search_vector_trigger ON programmes_offer",
    """
    CREATE TRIGGER programmes_offer_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title, summary, description ON programmes_offer
    FOR EACH ROW EXECUTE FUNCTION programmes_offer_search_vector_update()
    """,
    # Fill the vector for offers that existed before the trigger.
    "UPDATE programmes_offer SET title = title",
    # Serves `search_vector @@ query` in the catalogue search.
    "CREATE INDEX IF NOT EXISTS offer_search_vector_gin ON programmes_offer USING gin (search_vector)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS offer_search_vector_gin",
    "DROP TRIGGER IF EXISTS programmes_offer_search_vector_trigger ON programmes_offer",
    "DROP FUNCTION IF EXISTS programmes_offer_search_vector_update()",
    "ALTER TABLE programmes_offer DROP COLUMN IF EXISTS search_vector",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite: no full-text column, the catalogue searches with LIKE.
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
