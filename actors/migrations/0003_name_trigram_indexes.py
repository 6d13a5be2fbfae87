"""Trigram indexes for actor-name lookups (PostgreSQL only; SQLite keeps plain scans).

The admin's actor search and every autocomplete of an actor (visits, claims, sources) match
`name ILIKE '%…%'`, which Django writes as UPPER(name::text) LIKE UPPER(…): the indexes are on
that same expression so that the planner can use them.
"""

from django.db import migrations

INDEXES = {
    "actors_actor_name_trgm": "actors_actor",
    "actors_actoralias_name_trgm": "actors_actoralias",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for index, table in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} "
            "USING gin ((UPPER(name::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0002_search_and_import_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
