"""The offer's search vector and the catalogue's words read the English columns (PostgreSQL only).

Since programmes 0012 the original `title`, `summary` and `description`
columns hold whichever language an offer was last saved in (modeltranslation
keeps them for its own use); the English text lives in `*_en_gb`. The English
search (title A, summary B, description C) and the "Did you mean" words read
those, whatever language a worker edits in.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION programmes_offer_search_vector_update() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.{title}, '')), 'A') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.{summary}, '')), 'B') ||
    setweight(to_tsvector('pg_catalog.english', coalesce(NEW.{description}, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql
"""
TRIGGER = """
CREATE TRIGGER programmes_offer_search_vector_trigger
BEFORE INSERT OR UPDATE OF {title}, {summary}, {description} ON programmes_offer
FOR EACH ROW EXECUTE FUNCTION programmes_offer_search_vector_update()
"""

WORDS = """
SELECT to_tsvector('simple', coalesce({title}, '') || ' ' || coalesce({summary}, '') || ' ' || coalesce({description}, ''))
  FROM programmes_offer WHERE status = 'published'
UNION ALL SELECT to_tsvector('simple', {name}) FROM programmes_theme
UNION ALL SELECT to_tsvector('simple', {name}) FROM programmes_audience
UNION ALL SELECT to_tsvector('simple', {name}) FROM programmes_region
UNION ALL SELECT to_tsvector('simple', coalesce({plain_name}, '') || ' ' || coalesce({official_name}, '') || ' ' || acronym)
  FROM programmes_programme
UNION ALL SELECT to_tsvector('simple', coalesce({acronym}, '') || ' ' || coalesce({meaning}, '')) FROM programmes_glossaryterm
UNION ALL SELECT to_tsvector('simple', replace(terms, ',', ' ')) FROM programmes_searchsynonym
"""
WORDS_VIEW = [
    "DROP MATERIALIZED VIEW IF EXISTS programmes_search_word",
    "CREATE MATERIALIZED VIEW programmes_search_word AS "
    "SELECT word, ndoc FROM ts_stat($words$" + WORDS + "$words$) "
    "WHERE length(word) >= 3 AND word ~ '^[[:alpha:]]+$' WITH DATA",
    # Serves `word % %s` ordered by similarity() in programmes.search.
    "CREATE INDEX IF NOT EXISTS programmes_search_word_trgm ON programmes_search_word USING gin (word gin_trgm_ops)",
]


def columns(suffix):
    names = ("title", "summary", "description", "name", "plain_name", "official_name", "acronym", "meaning")
    return {name: f"{name}{suffix}" for name in names}


def statements(suffix):
    named = columns(suffix)
    return [
        FUNCTION.format(**named),
        "DROP TRIGGER IF EXISTS programmes_offer_search_vector_trigger ON programmes_offer",
        TRIGGER.format(**named),
        # Recompute every vector from the English columns.
        f"UPDATE programmes_offer SET {named['title']} = {named['title']}",
        *[statement.format(**named) for statement in WORDS_VIEW],
    ]


def qualified(statement, schema):
    # As in 0010: ts_stat() runs its query text later, under whatever search_path is set then.
    for table in ("offer", "theme", "audience", "region", "programme", "glossaryterm", "searchsynonym"):
        statement = statement.replace(f"FROM programmes_{table}", f'FROM "{schema}".programmes_{table}')
    return statement


def run(suffix):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite: no trigger, no view (programmes.search).
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            (schema,) = cursor.fetchone()
        for statement in statements(suffix):
            schema_editor.execute(qualified(statement, schema))

    return operation


class Migration(migrations.Migration):
    dependencies = [("programmes", "0012_content_in_welsh")]

    operations = [migrations.RunPython(run("_en_gb"), run(""))]
