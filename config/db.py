"""Database housekeeping shared by the bulk commands."""

from django.db import connection


def analyze(*models):
    """Refresh the planner's statistics for the tables of `models` after a bulk write.

    Without it, the first pages after a large import are planned as if the tables were empty
    (nested loops over thousands of rows) until autovacuum catches up.
    """
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
