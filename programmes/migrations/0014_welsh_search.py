"""Welsh search on PostgreSQL (SQLite searches the Welsh columns with LIKE: programmes.search).

PostgreSQL has no Welsh stemmer. welsh_simple is the simple configuration
with unaccent in front (ŵ, ŷ, â... match w, y, a), and the offers' Welsh
title, summary and description get their own weighted vector,
search_vector_cy, kept by the same trigger as the English one and served by
its own GIN index: a Welsh page searches both columns, an English page only
the English one, whose words and ranking stay as they were (the English
vector reads the English columns, as programmes/0013 made it).

programmes_search_word_cy lists the Welsh words (offers and vocabulary) for
"Did you mean ...?" on Welsh pages, beside programmes_search_word.

Everything names its schema: pg_restore runs with an empty search_path
(programmes/0010), and the trigger and ts_stat() resolve names when they run.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

FORWARD = [
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS {schema}.welsh_simple",
    "CREATE TEXT SEARCH CONFIGURATION {schema}.welsh_simple (COPY = pg_catalog.simple)",
    "ALTER TEXT SEARCH CONFIGURATION {schema}.welsh_simple "
    "ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part "
    "WITH {unaccent}.unaccent, pg_catalog.simple",
    "ALTER TABLE programmes_offer ADD COLUMN IF NOT EXISTS search_vector_cy tsvector",
    """
    CREATE OR REPLACE FUNCTION programmes_offer_search_vector_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.title_en_gb, '')), 'A') ||
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.summary_en_gb, '')), 'B') ||
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.description_en_gb, '')), 'C');
      NEW.search_vector_cy :=
        setweight(to_tsvector('{schema}.welsh_simple', coalesce(NEW.title_cy, '')), 'A') ||
        setweight(to_tsvector('{schema}.welsh_simple', coalesce(NEW.summary_cy, '')), 'B') ||
        setweight(to_tsvector('{schema}.welsh_simple', coalesce(NEW.description_cy, '')), 'C');
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS programmes_offer_search_vector_trigger ON programmes_offer",
    """
    CREATE TRIGGER programmes_offer_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title_en_gb, summary_en_gb, description_en_gb, title_cy, summary_cy, description_cy
    ON programmes_offer
    FOR EACH ROW EXECUTE FUNCTION programmes_offer_search_vector_update()
    """,
    # Serves `search_vector_cy @@ query` on Welsh pages. Before the backfill: PostgreSQL refuses
    # CREATE INDEX on a table with pending trigger events in the same transaction.
    "CREATE INDEX IF NOT EXISTS offer_search_vector_cy_gin ON programmes_offer USING gin (search_vector_cy)",
    "UPDATE programmes_offer SET title_cy = title_cy",
    "CREATE MATERIALIZED VIEW IF NOT EXISTS programmes_search_word_cy AS "
    "SELECT word, ndoc FROM ts_stat($words$"
    "SELECT to_tsvector('pg_catalog.simple', coalesce(title_cy, '') || ' ' || coalesce(summary_cy, '') || ' ' "
    "|| coalesce(description_cy, '')) FROM {schema}.programmes_offer WHERE status = 'published' "
    "UNION ALL SELECT to_tsvector('pg_catalog.simple', coalesce(name_cy, '')) FROM {schema}.programmes_theme "
    "UNION ALL SELECT to_tsvector('pg_catalog.simple', coalesce(name_cy, '')) FROM {schema}.programmes_audience "
    "UNION ALL SELECT to_tsvector('pg_catalog.simple', coalesce(name_cy, '')) FROM {schema}.programmes_region "
    "UNION ALL SELECT to_tsvector('pg_catalog.simple', coalesce(plain_name_cy, '')) "
    "FROM {schema}.programmes_programme "
    "UNION ALL SELECT to_tsvector('pg_catalog.simple', coalesce(acronym_cy, '') || ' ' || coalesce(meaning_cy, '')) "
    "FROM {schema}.programmes_glossaryterm"
    "$words$) WHERE length(word) >= 3 AND word ~ '^[[:alpha:]]+$' WITH DATA",
    # Serves `word % %s` ordered by similarity() in programmes.search, as for the English words.
    "CREATE INDEX IF NOT EXISTS programmes_search_word_cy_trgm ON programmes_search_word_cy "
    "USING gin (word gin_trgm_ops)",
]

BACKWARD = [
    "DROP MATERIALIZED VIEW IF EXISTS programmes_search_word_cy",
    # The trigger and its function as programmes/0013 made them.
    """
    CREATE OR REPLACE FUNCTION programmes_offer_search_vector_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.title_en_gb, '')), 'A') ||
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.summary_en_gb, '')), 'B') ||
        setweight(to_tsvector('pg_catalog.english', coalesce(NEW.description_en_gb, '')), 'C');
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS programmes_offer_search_vector_trigger ON programmes_offer",
    """
    CREATE TRIGGER programmes_offer_search_vector_trigger
    BEFORE INSERT OR UPDATE OF title_en_gb, summary_en_gb, description_en_gb ON programmes_offer
    FOR EACH ROW EXECUTE FUNCTION programmes_offer_search_vector_update()
    """,
    "DROP INDEX IF EXISTS offer_search_vector_cy_gin",
    "ALTER TABLE programmes_offer DROP COLUMN IF EXISTS search_vector_cy",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS {schema}.welsh_simple",
]


def _schema_of(cursor, query, *params):
    cursor.execute(query, params)
    return '"' + cursor.fetchone()[0].replace('"', '""') + '"'


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite: the search reads the Welsh columns with LIKE (programmes.search).
        with schema_editor.connection.cursor() as cursor:
            schema = _schema_of(cursor, "SELECT current_schema()")
            unaccent = _schema_of(
                cursor,
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                "WHERE e.extname = %s", "unaccent",
            )
        for statement in statements:
            schema_editor.execute(statement.replace("{schema}", schema).replace("{unaccent}", unaccent))

    return operation


class Migration(migrations.Migration):
    dependencies = [("programmes", "0013_offer_search_reads_english")]

    operations = [UnaccentExtension(), migrations.RunPython(run(FORWARD), run(BACKWARD))]
