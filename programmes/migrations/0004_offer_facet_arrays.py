"""Each offer's theme, audience and region ids on the offer row (PostgreSQL only).

Three bigint-array columns the model does not declare (like search_vector),
kept equal to the link tables by statement-level triggers on those tables, so
the ORM's m2m add/remove/set/clear, admin edits, bulk COPY and raw SQL all
keep them current. The catalogue filters with `theme_ids && ARRAY[...]` and
counts every facet in one pass over the matching offers (unnest + GROUP BY)
instead of joining the link tables once per facet. GIN indexes serve a
filter on its own. SQLite gets none of it and keeps the join-based queries.
"""

from django.db import migrations

LINKS = [
    # (column on the offer, link table, the link table's vocabulary column)
    ("theme_ids", "programmes_offer_themes", "theme_id"),
    ("audience_ids", "programmes_offer_audiences", "audience_id"),
    ("region_ids", "programmes_offer_regions", "region_id"),
]


def _forward():
    columns, functions, backfill = [], [], []
    for column, table, key in LINKS:
        function = f"{table}_sync_offer"
        recompute = (
            f"{column} = coalesce((SELECT array_agg(l.{key} ORDER BY l.{key}) FROM {table} l "
            f"WHERE l.offer_id = o.id), '{{}}')"
        )
        columns += [
            f"ALTER TABLE programmes_offer ADD COLUMN IF NOT EXISTS {column} bigint[] NOT NULL DEFAULT '{{}}'",
            f"CREATE INDEX IF NOT EXISTS offer_{column}_gin ON programmes_offer USING gin ({column})",
        ]
        functions += [
            # Lock the offers first, then recompute in a new statement (a fresh
            # snapshot under READ COMMITTED): two transactions changing one
            # offer's links one after the other cannot overwrite each other.
            f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
            BEGIN
              PERFORM 1 FROM programmes_offer WHERE id IN (SELECT offer_id FROM changed) ORDER BY id FOR UPDATE;
              UPDATE programmes_offer o SET {recompute} WHERE o.id IN (SELECT offer_id FROM changed);
              RETURN NULL;
            END
            $$ LANGUAGE plpgsql
            """,
            f"DROP TRIGGER IF EXISTS {table}_ins ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_del ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_upd ON {table}",
            f"""CREATE TRIGGER {table}_ins AFTER INSERT ON {table}
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
            f"""CREATE TRIGGER {table}_del AFTER DELETE ON {table}
            REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
            # Django never updates link rows; raw SQL that moves a link to
            # another offer re-syncs the new offer here (the old one on its
            # next change of links).
            f"""CREATE TRIGGER {table}_upd AFTER UPDATE ON {table}
            REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
        ]
        backfill.append(f"UPDATE programmes_offer o SET {recompute}")
    # Indexes before any row is updated (PostgreSQL refuses CREATE INDEX on a
    # table with pending trigger events in the same transaction).
    return columns + functions + backfill


def _backward():
    statements = []
    for column, table, _ in LINKS:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_ins ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_del ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_upd ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_sync_offer()",
            f"DROP INDEX IF EXISTS offer_{column}_gin",
            f"ALTER TABLE programmes_offer DROP COLUMN IF EXISTS {column}",
        ]
    return statements


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # SQLite: the catalogue filters and counts through the link tables.
        for statement in statements():
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("programmes", "0003_merge_20261122_2326")]

    operations = [migrations.RunPython(run(_forward), run(_backward))]
