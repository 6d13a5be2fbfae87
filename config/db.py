"""Database helpers: housekeeping for the bulk commands, and a lookup for long id lists."""

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import AutoField, BigAutoField, ForeignKey, IntegerField, Lookup, Subquery
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators


def analyze(*models):
    """Refresh the planner's statistics for the tables of `models` after a bulk write.

    Without it, the first pages after a large import are planned as if the tables were empty
    (nested loops over thousands of rows) until autovacuum catches up.
    """
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


class CappedCount(Subquery):
    """The number of rows of a sliced subquery: counting stops at its LIMIT."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


class Ids:
    """Ids handed whole to the any_of lookup: Django leaves a value that is not a list alone,
    where it would otherwise check and prepare each of thousands of ids one by one."""

    __slots__ = ("values",)

    def __init__(self, values):
        self.values = list(values)


class AnyOf(Lookup):
    """`column = ANY(%s)`: a long list of ids as one array parameter (PostgreSQL).

    `__in` with two thousand ids sends two thousand parameters, each prepared by Django and
    spliced into the SQL by the driver, which costs more than the query. Elsewhere it is `IN`.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        if isinstance(self.rhs, Ids):
            return self.rhs.values
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *self.rhs]

    def as_postgresql(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        # One array literal: the driver would otherwise check and quote every id in turn.
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, id_array(self.rhs)]


def id_array(ids):
    """Return `ids` as one PostgreSQL array literal ("{6,1,4}"), a single parameter."""
    return "{" + ",".join(map(str, ids)) + "}"


for _field in (ForeignKey, AutoField, BigAutoField):
    _field.register_lookup(AnyOf)


#: A stand-in id for compiling a statement once (see rows_for_ids); never a real row's.
_SENTINEL = -7_331_001
#: The sentinel as the parameter that a compiled statement's ids take the place of.
_MARKER = id_array([_SENTINEL])
_STATEMENTS = {}


def rows_for_ids(key, build, ids, using="default"):
    """Return the rows (tuples) of `build(Ids(ids))`, a values_list queryset.

    On PostgreSQL the ids travel as one array parameter, so a query is the same statement for
    any ids: it is compiled once per process under `key`, then run with each list of ids, its
    values converted as Django's own converters would (e.g. a count's int()). Django would
    build and compile the queryset again on every call, which costs a list page more than
    running it. Elsewhere (or for a flat query) the queryset runs.
    """
    if not ids:
        return []
    return _rows(key, lambda: build(Ids(ids)), using, lambda: build(Ids([_SENTINEL])), ids)


def objects_for_ids(key, build, ids, using="default"):
    """Return the model instances of `build(Ids(ids))`, a queryset of a model's rows, as the
    queryset would give them (select_related rows, annotations, links attached).

    Compiled once per process under `key` as rows_for_ids is: a list page reads its rows by
    id, and Django would build and compile that query again on every page. Elsewhere (or for
    a queryset this cannot repeat: prefetches, rows other than model instances) it runs.
    """
    if not ids:
        return []
    conn = connections[using]
    if conn.vendor != "postgresql":
        return list(build(Ids(ids)))
    reader = _READERS.get((using, key))
    if reader is None:
        reader = _READERS[(using, key)] = _ObjectReader.compile(build(Ids([_SENTINEL])), using)
    if reader is False:
        return list(build(Ids(ids)))
    return reader.read(ids, conn)


_READERS = {}


class _ObjectReader:
    """A compiled query of model rows and how its rows become instances (ModelIterable's
    steps, once): run again with other ids, it skips building and compiling the query."""

    def __init__(self, queryset, compiler, sql, params, position):
        self.queryset, self.sql, self.params, self.position = queryset, sql, params, position
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, queryset.db)
        self.annotations = tuple(compiler.annotation_col_map.items())
        self.converters = _converters(compiler)

    @classmethod
    def compile(cls, queryset, using):
        """Return a reader of `queryset` (built with the sentinel id), or False."""
        if (
            queryset._iterable_class is not ModelIterable
            or queryset._prefetch_related_lookups
            or queryset._known_related_objects
        ):
            return False
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        params = tuple(params)
        if params.count(_MARKER) != 1 or compiler.has_composite_fields(
            [column[0] for column in compiler.select]
        ):
            return False
        return cls(queryset, compiler, sql, params, params.index(_MARKER))

    def read(self, ids, conn):
        rows = _fetch(conn, self.sql, self.params, self.position, self.converters, ids)
        db = self.queryset.db
        objects = []
        for row in rows:
            obj = self.model.from_db(db, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        attach = getattr(self.queryset, "attach_links_to", None)
        if attach is not None:
            attach(objects)
        return objects


def fixed_rows(key, build, using="default"):
    """Return the rows of `build()`, a values_list queryset whose SQL and parameters never
    change (e.g. every public issue), compiled once per process as rows_for_ids does."""
    return _rows(key, build, using)


def plain_statement(queryset):
    """Return (sql, params) of a values_list `queryset` to run straight from the cursor.

    None off PostgreSQL, or for a query whose rows need converters (it must run as the
    queryset); ("", ()) for a query that can have no rows.
    """
    using = queryset.db
    if connections[using].vendor != "postgresql":
        return None
    try:
        statement = _compile(queryset, using, with_ids=False)
    except EmptyResultSet:
        return "", ()
    return statement[:2] if statement and not statement[3] else None


def plain_rows(queryset, statement=None):
    """Return the rows (tuples) of a values_list `queryset`, on PostgreSQL straight from the cursor.

    Django hands rows over one by one through its iterators, which for the five hundred rows a
    list page reads for its facets costs a third as much as the query. `statement` is
    plain_statement(queryset) when the caller has it already.
    """
    statement = statement or plain_statement(queryset)
    if statement is None:
        return list(queryset)
    sql, params = statement
    if not sql:
        return []
    return _fetch(connections[queryset.db], sql, params, None, (), None)


def _rows(key, run, using, template=None, ids=None):
    conn = connections[using]
    if conn.vendor != "postgresql":
        return list(run())
    statement = _STATEMENTS.get((using, key))
    if statement is None:
        queryset = (template or run)()
        statement = _STATEMENTS[(using, key)] = _compile(queryset, using, ids is not None)
    if statement is False:
        return list(run())
    return _fetch(conn, *statement, ids)


def _fetch(conn, sql, params, position, converters, ids):
    """Return the rows of a compiled statement, `ids` in place of the parameter at `position`
    (unless None), converted by `converters` as the queryset's rows would be."""
    if position is not None:
        params = list(params)
        params[position] = id_array(ids)
    with conn.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _converted(rows, converters, conn) if converters else rows


def _converted(rows, converters, connection):
    """Return `rows` with `converters` ((position, functions, expression) of a compiled query)
    applied, as Django's compiler applies them (apply_converters) to the rows of a queryset."""
    converted = []
    for row in rows:
        row = list(row)
        for position, functions, expression in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        converted.append(tuple(row))
    return converted


def _converters(compiler):
    """Return ((position, functions, expression), …) of a compiled query's converted columns,
    the converters Django's results_iter applies to its rows."""
    columns = [column[0] for column in compiler.select[: compiler.col_count]]
    return tuple(
        (position, tuple(functions), expression)
        for position, (functions, expression) in compiler.get_converters(columns).items()
    )


def _compile(queryset, using, with_ids):
    """Return (sql, params, position of the ids or None, converters) of `queryset`, or False if
    it cannot be run again as it is (rows other than tuples, or no single ids parameter where
    one is expected)."""
    if queryset._iterable_class is not ValuesListIterable:  # rows as plain tuples only
        return False
    compiler = queryset.query.get_compiler(using)
    sql, params = compiler.as_sql()
    params = tuple(params)
    converters = _converters(compiler)
    if not with_ids:
        return sql, params, None, converters
    if params.count(_MARKER) != 1:
        return False
    return sql, params, params.index(_MARKER), converters
