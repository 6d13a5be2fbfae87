"""The search seam: PostgreSQL full-text search where available, a plain fallback elsewhere.

On PostgreSQL each searchable table has a stored `search_vector` (tsvector) kept up to date by a
trigger and indexed with GIN. On SQLite the column exists but stays empty, and searches fall back
to case-insensitive substring matching of every word.
"""

from django.db import connection
from django.db.models import Q

SEARCH_CONFIG = "english"


def is_postgres(conn=None):
    """Return whether the (default) database connection is PostgreSQL."""
    return (conn or connection).vendor == "postgresql"


def _trigger_names(table):
    return f"{table}_search_update", f"{table}_search_trigger", f"{table}_search_gin"


def create_search_trigger(schema_editor, table, weighted_columns):
    """Create the trigger that fills `search_vector` and its GIN index (PostgreSQL only).

    `weighted_columns` maps column names to weights "A"–"D" (A ranks highest).
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    function, trigger, index = _trigger_names(table)
    vector = " || ".join(
        f"setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(NEW.{column}, '')), '{weight}')"
        for column, weight in weighted_columns.items()
    )
    columns = ", ".join(weighted_columns)
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
        BEGIN
            NEW.search_vector := {vector};
            RETURN NEW;
        END
        $$ LANGUAGE plpgsql;
        DROP TRIGGER IF EXISTS {trigger} ON {table};
        CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE OF {columns} ON {table}
            FOR EACH ROW EXECUTE FUNCTION {function}();
        UPDATE {table} SET {next(iter(weighted_columns))} = {next(iter(weighted_columns))};
        CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (search_vector);
        """
    )


def drop_search_trigger(schema_editor, table):
    """Drop what create_search_trigger made (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    function, trigger, index = _trigger_names(table)
    schema_editor.execute(
        f"DROP INDEX IF EXISTS {index}; DROP TRIGGER IF EXISTS {trigger} ON {table}; "
        f"DROP FUNCTION IF EXISTS {function}();"
    )


def search_trigger_operation(table, weighted_columns):
    """Return a migration operation installing the search trigger of `table`."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        create_search_trigger(schema_editor, table, weighted_columns)

    def backwards(apps, schema_editor):
        drop_search_trigger(schema_editor, table)

    return migrations.RunPython(forwards, backwards)


def fallback_q(text, fields):
    """Return a Q requiring every word of `text` in at least one of `fields` (any database)."""
    query = Q()
    for word in text.split()[:12]:
        word_q = Q()
        for field in fields:
            word_q |= Q(**{f"{field}__icontains": word})
        query &= word_q
    return query
