"""Database helpers: housekeeping for the bulk commands, and a lookup for long id lists."""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BigAutoField, ForeignKey
from django.db.models.lookups import In, Lookup


def analyze(*models):
    """Refresh the planner's statistics for the tables of `models` after a bulk write.

    Without it, the first pages after a large import are planned as if the tables were empty
    (nested loops over thousands of rows) until autovacuum catches up.
    """
    for model in models:
        connection = connections[model.objects.db]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class AnyOf(Lookup):
    """`column = ANY(%s)`: a long list of ids as one array parameter on PostgreSQL, IN elsewhere.

    A list page hands the database the ids of its first five hundred results to count their
    links by. As IN, each id is checked and placed in the statement one by one, which costs
    the page more than the query; as an array it is one parameter, passed as it is (the ids
    come from the database, so they need no preparing).
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [value for value in self.rhs if value is not None]

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        if connection.vendor != "postgresql":
            return In(self.lhs, self.rhs).as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, self.rhs]


ForeignKey.register_lookup(AnyOf)
BigAutoField.register_lookup(AnyOf)
