"""Housekeeping for the bulk commands."""

from django.db import connections


def analyze(*models):
    """Refresh the planner's statistics for the tables of `models` after a bulk write.

    Without it, the first pages after a large import are planned as if the tables were empty
    (nested loops over thousands of rows) until autovacuum catches up.
    """
    for model in models:
        connection = connections[model.objects.db]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
