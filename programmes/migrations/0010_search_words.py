"""The catalogue's words for "Did you mean ...?" (PostgreSQL only; SQLite uses difflib).

A materialized view of every word of published offers and of the search
vocabulary (themes, audiences, regions, programmes, glossary, synonyms), with
a pg_trgm index serving `word % 'typed'` and similarity(); fuzzystrmatch's
levenshtein() orders the candidates. It is refreshed by
programmes.search once per catalogue version, when a search first needs it.
"""

from django.contrib.postgres.operations import CreateExtension, TrigramExtension
from django.db import migrations

WORDS = """
SELECT to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(description, ''))
  FROM programmes_offer WHERE status = 'published'
UNION ALL SELECT to_tsvector('simple', name) FROM programmes_theme
UNION ALL SELECT to_tsvector('simple', name) FROM programmes_audience
UNION ALL SELECT to_tsvector('simple', name) FROM programmes_region
UNION ALL SELECT to_tsvector('simple', plain_name || ' ' || official_name || ' ' || acronym) FROM programmes_programme
UNION ALL SELECT to_tsvector('simple', acronym || ' ' || meaning) FROM programmes_glossaryterm
UNION ALL SELECT to_tsvector('simple', replace(terms, ',', ' ')) FROM programmes_searchsynonym
"""

FORWARD = [
    "CREATE MATERIALIZED VIEW IF NOT EXISTS programmes_search_word AS "
    "SELECT word, ndoc FROM ts_stat($words$" + WORDS + "$words$) "
    "WHERE length(word) >= 3 AND word ~ '^[[:alpha:]]+$' WITH DATA",
    # Serves `word % %s` ordered by similarity() in programmes.search.
    "CREATE INDEX IF NOT EXISTS programmes_search_word_trgm ON programmes_search_word USING gin (word gin_trgm_ops)",
]
BACKWARD = ["DROP MATERIALIZED VIEW IF EXISTS programmes_search_word"]


def qualified(statement, schema):
    # ts_stat() runs its query text later, under whatever search_path is set then: pg_restore
    # refreshes the view with an empty one, so the tables carry their schema.
    for table in ("offer", "theme", "audience", "region", "programme", "glossaryterm", "searchsynonym"):
        statement = statement.replace(f"FROM programmes_{table}", f'FROM "{schema}".programmes_{table}')
    return statement


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite: difflib over the offers' words (programmes.search).
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            (schema,) = cursor.fetchone()
        for statement in statements:
            schema_editor.execute(qualified(statement, schema))

    return operation


class Migration(migrations.Migration):
    dependencies = [("programmes", "0009_search_synonym")]

    # fuzzystrmatch: levenshtein() for swapped letters, which trigrams score low ("autsim").
    operations = [
        TrigramExtension(), CreateExtension("fuzzystrmatch"), migrations.RunPython(run(FORWARD), run(BACKWARD)),
    ]
