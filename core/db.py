"""Database helpers: housekeeping for the bulk commands, and a lookup for long id lists."""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import ForeignKey
from django.db.models.lookups import In


def analyze(*models):
    """Refresh the planner's statistics for the tables of `models` after a bulk write.

    Without it, the first pages after a large import are planned as if the tables were empty
    (nested loops over thousands of rows) until autovacuum catches up.
    """
    for model in models:
        connection = connections[model.objects.db]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class AnyOf(In):
    """`column = ANY(%s)`: a long list of ids as one array parameter on PostgreSQL, IN elsewhere.

    A list page hands the database the ids of its first five hundred results to count their
    links by. As IN, that is five hundred parameters, each placed in the statement by the
    driver, which costs the page more than the query; as an array it is one parameter.
    """

    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]


ForeignKey.register_lookup(AnyOf)
