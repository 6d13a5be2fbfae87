"""Which rows of a counted list changed, by blocks of ids, as the database itself records it.

A list's exact counts are kept per block of `BUCKET_ROWS` ids (see core.lists.tally), so that a
write makes the site count again only the blocks it touched, not a million rows. To know which
blocks those are, whatever wrote (the admin, a bulk action, an import, a merge, raw SQL), every
table a list reads has triggers that append to `core_countlog` one row per block of the
counted table whose rows the statement may have moved in or out of a list, or from one facet
value to another. Each block's *stamp* is the number of such changes, summed: it only grows,
so a count made when a block's stamp was s is right for as long as the stamp is still s (a
stamp also carries the time of the latest change, so a database restored from a backup never
gives a block a stamp it had in another history).

What a list reads is derived from its FilterSet, once, when the triggers are installed (after
every `migrate`): the counted model's own rows; the links of each many-to-many relation it
filters on; and, for a filter through another table (`visit__visitor`, a visit's
`sources__kind`), the rows of that table whose named column changes, mapped to the counted rows
that reach them. A filter on something computed from other tables (a visit's record, an
assertion's agreement) names the paths it reads in its model's `counted_paths`.

The same triggers tell whether a statement hid something the public saw: a public row made
non-public, or deleted. Such a transaction raises the data's `hidden_version` as it commits
(core.dataversion), and no page rendered before it is ever served again.
"""

import hashlib
import importlib
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import connections, transaction

from core.lists.blocks import BUCKET_ROWS

#: The stamp of a whole table (a TRUNCATE changes every block).
WHOLE_TABLE = -1
LOG_TABLE = "core_countlog"
STAMP_TABLE = "core_countstamp"
TRIGGER_PREFIX = "core_count"
#: Fold the log into the stamps once it holds this many rows.
COMPACT_ROWS = 1000
#: The time of a change, in microseconds since 1970, as each database writes it.
PG_NOW = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"
SQLITE_NOW = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"


@dataclass(frozen=True, order=True)
class Edge:
    """Changes to rows of `source` that move rows of the counted table `target`.

    Direct (`column`): the changed row's `column` holds the id of the target row it moves (the
    target's own id, a link's owner, a child's foreign key), before and after the change.
    Linked (`link` = (table, key, value)): the target rows are the `value`s of the rows of
    `table` whose `key` is the changed row's id (a visit's claims, a source's visits), or its
    `source_key` column: a link row of a parent's many-to-many (a visit's issue, for the
    visit's participations), whose every insert and delete counts too.
    On UPDATE, only a change to one of the `when` columns counts (none: any change).
    """

    target: str
    source: str
    column: str = ""
    link: tuple = ()
    when: tuple = ()
    source_key: str = ""


def filtersets():
    """Return every public FilterSet class (each app's `filters` module is imported)."""
    from core.lists.filters import PublicFilterSet

    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.filters")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.filters":
                raise
    found, pending = [], [PublicFilterSet]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass._meta.model is not None:
                found.append(subclass)
    return found


def filter_paths(filterset_class):
    """Return the field paths the filters of `filterset_class` read (besides the row itself).

    A filter on something computed from other tables (a visit's `record`, an assertion's
    `agreement`) reads the paths its model names in `counted_paths`, a dict by that name;
    every path there counts, as the list's own queryset may read it too.
    """
    from core.lists.filters import RecordFilter, SearchFilter, SortFilter

    model = filterset_class._meta.model
    declared = getattr(model, "counted_paths", {})
    paths = {path for named in declared.values() for path in named}
    for filter_ in filterset_class.base_filters.values():
        if isinstance(filter_, SearchFilter | SortFilter):
            continue  # the row's own text, and an order (which counts nothing)
        name = filter_.field_name
        try:
            model._meta.get_field(name.split("__")[0])
        except FieldDoesNotExist:
            if name not in declared and not isinstance(filter_, RecordFilter):
                raise ImproperlyConfigured(
                    f"{filterset_class.__name__}.{name} reads no field of {model.__name__}: "
                    f"name the paths it reads in {model.__name__}.counted_paths"
                ) from None
            continue
        paths.add(name)
    return paths


def visibility_columns(model):
    """Return the columns that say whether a row of `model` is public."""
    names = {field.name: field.column for field in model._meta.concrete_fields}
    for name in ("is_public", "publication_status"):
        if name in names:
            return (names[name],)
    return ()


def _column(model, name):
    field = model._meta.get_field(name)
    if not field.concrete or field.many_to_many:
        raise ImproperlyConfigured(f"{model.__name__}.{name} is not a column")
    return field.column


def _link_columns(field):
    """Return (through table, the model's column, the other side's column) of a m2m `field`."""
    if field.auto_created:  # the reverse side (a source's visits, seen from a visit)
        forward = field.field
        return (
            forward.remote_field.through._meta.db_table,
            forward.m2m_reverse_name(),
            forward.m2m_column_name(),
        )
    return (
        field.remote_field.through._meta.db_table,
        field.m2m_column_name(),
        field.m2m_reverse_name(),
    )


def edges_for(model, path):
    """Return the Edges through which `path` (e.g. "visit__visitor") moves rows of `model`."""
    table, pk = model._meta.db_table, model._meta.pk.column
    parts = path.split("__")
    try:
        field = model._meta.get_field(parts[0])
    except FieldDoesNotExist as error:
        raise ImproperlyConfigured(
            f"{model.__name__} has no field for the path {path!r}"
        ) from error
    edges = []
    if field.many_to_many:
        through, own, other = _link_columns(field)
        edges.append(Edge(table, through, column=own))
        if len(parts) > 1:
            related = field.related_model
            when = (_column(related, parts[1]), *visibility_columns(related))
            edges.append(Edge(table, related._meta.db_table, link=(through, other, own), when=when))
    elif field.one_to_many:  # rows of another table pointing here (a visit's claims)
        child, link = field.related_model, field.field.column
        when = [link, *visibility_columns(child)]
        if len(parts) > 1:
            when.append(_column(child, parts[1]))
        edges.append(Edge(table, child._meta.db_table, column=link, when=tuple(when)))
        if len(parts) > 2:
            key = child._meta.get_field(parts[1])
            parent = key.related_model
            edges.append(
                Edge(
                    table,
                    parent._meta.db_table,
                    link=(child._meta.db_table, key.column, link),
                    when=(_column(parent, parts[2]), *visibility_columns(parent)),
                )
            )
    elif field.many_to_one and len(parts) > 1:  # a parent's column (a visit's visitor)
        if len(parts) > 2:
            raise ImproperlyConfigured(f"{path!r}: paths reach at most one table beyond a parent")
        parent = field.related_model
        beyond = parent._meta.get_field(parts[1])
        if beyond.many_to_many:  # a parent's links (a visit's issues, for its participations)
            through, parent_column, _other = _link_columns(beyond)
            edges.append(
                Edge(table, through, link=(table, field.column, pk), source_key=parent_column)
            )
            return edges
        edges.append(
            Edge(
                table,
                parent._meta.db_table,
                link=(table, field.column, pk),
                when=(_column(parent, parts[1]),),
            )
        )
    return edges


def all_edges():
    """Return every Edge of every counted list, each once."""
    edges = set()
    for filterset_class in filtersets():
        model = filterset_class._meta.model
        table = model._meta.db_table
        edges.add(Edge(table, table, column=model._meta.pk.column))
        for path in filter_paths(filterset_class):
            edges.update(edges_for(model, path))
    return sorted(edges)


def counted_tables():
    """Return the tables whose rows the lists count, by block."""
    return sorted({edge.target for edge in all_edges()})


# --- The triggers --------------------------------------------------------------------------


def _name(*parts):
    name = "_".join((TRIGGER_PREFIX, *parts))
    if len(name) > 63:  # PostgreSQL's limit
        name = f"{TRIGGER_PREFIX}_{hashlib.sha256(name.encode()).hexdigest()[:24]}"
    return name


def install(using="default", edges=None):
    """(Re)install the count triggers on every table the lists read (`edges`: all_edges())."""
    from core import dataversion

    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    if LOG_TABLE not in existing:
        return
    edges = all_edges() if edges is None else edges
    by_source = {}
    for table in existing & {edge.source for edge in edges}:
        model = _model_of(table)
        if model is None or model._meta.pk.column != "id":
            raise ImproperlyConfigured(f"{table}: a table the lists read needs an 'id' key")
    for edge in edges:
        if edge.source in existing and edge.target in existing:
            by_source.setdefault(edge.source, []).append(edge)
    from core.models import CuratedModel

    hiding = {}
    for table in dataversion.public_tables():
        if table in existing:
            model = _model_of(table)
            if model is not None and issubclass(model, CuratedModel):
                hiding[table] = (model._meta.pk.column, visibility_columns(model)[0])
    builder = _PostgreSQL if connection.vendor == "postgresql" else _SQLite
    now = PG_NOW if connection.vendor == "postgresql" else SQLITE_NOW
    with transaction.atomic(using=using), connection.cursor() as cursor:
        builder(cursor, connection).install(sorted(set(by_source) | set(hiding)), by_source, hiding)
        # A migration may change rows without the triggers: every kept count is retired.
        for table in sorted({edge.target for edges in by_source.values() for edge in edges}):
            cursor.execute(
                f'INSERT INTO {LOG_TABLE} ("table", bucket, n, at) VALUES (%s, %s, 1, {now})',
                [table, WHOLE_TABLE],
            )


def _model_of(table):
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == table:
            return model
    return None


def _changed(old, new, columns, distinct):
    return " OR ".join(f"{old}.{c} {distinct} {new}.{c}" for c in columns)


def _visible(alias, column):
    return (
        f"{alias}.{column}" if column != "publication_status" else f"{alias}.{column} = 'published'"
    )


class _PostgreSQL:
    """Statement triggers with transition tables: one aggregated INSERT per statement."""

    def __init__(self, cursor, connection):
        self.cursor, self.quote = cursor, connection.ops.quote_name

    def install(self, tables, by_source, hiding):
        self.cursor.execute(
            "SELECT tgname, relname FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid "
            "WHERE NOT tgisinternal AND tgname LIKE %s",
            [f"{TRIGGER_PREFIX}%"],
        )
        for trigger, table in self.cursor.fetchall():
            self.cursor.execute(f"DROP TRIGGER {self.quote(trigger)} ON {self.quote(table)}")
        for table in tables:
            edges = by_source.get(table, [])
            hide = hiding.get(table)
            for event in ("INSERT", "UPDATE", "DELETE"):
                body = self.body(event, edges, hide)
                if not body:
                    continue
                function = _name(table, event.lower())
                referencing = {
                    "INSERT": "NEW TABLE AS new_rows",
                    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                    "DELETE": "OLD TABLE AS old_rows",
                }[event]
                self.cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
                    f"AS $$ BEGIN {body} RETURN NULL; END; $$"
                )
                self.cursor.execute(
                    f"CREATE TRIGGER {self.quote(function)} AFTER {event} ON {self.quote(table)} "
                    f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                )
            targets = sorted({edge.target for edge in edges})
            if targets:
                function = _name(table, "truncate")
                values = ", ".join(
                    f"('{target}', {WHOLE_TABLE}, 1, {PG_NOW})" for target in targets
                )
                self.cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
                    f'AS $$ BEGIN INSERT INTO {LOG_TABLE} ("table", bucket, n, at) '
                    f"VALUES {values}; RETURN NULL; END; $$"
                )
                self.cursor.execute(
                    f"CREATE TRIGGER {self.quote(function)} AFTER TRUNCATE ON {self.quote(table)} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                )

    def body(self, event, edges, hide):
        from core.dataversion import TABLE as VERSION_TABLE

        statements = []
        for edge in edges:
            rows = self.rows(event, edge)
            if rows:
                statements.append(
                    f'INSERT INTO {LOG_TABLE} ("table", bucket, n, at) '
                    f"SELECT '{edge.target}', b, count(*), {PG_NOW} FROM ({rows}) AS changed "
                    f"GROUP BY b;"
                )
        if hide and event in ("UPDATE", "DELETE"):
            pk, column = hide
            if event == "UPDATE":
                hidden = (
                    f"SELECT 1 FROM old_rows o JOIN new_rows n ON n.{pk} = o.{pk} "
                    f"WHERE {_visible('o', column)} AND NOT {_visible('n', column)}"
                )
            else:
                hidden = f"SELECT 1 FROM old_rows o WHERE {_visible('o', column)}"
            # The version is raised at commit (core.dataversion), which reads the flag; where
            # constraints are immediate (a test's transaction) it was raised already.
            statements.append(
                f"IF EXISTS ({hidden}) THEN "
                f"PERFORM set_config('core.data_hides', 'on', true); "
                f"IF current_setting('core.data_version_at', true) = statement_timestamp()::text "
                f"THEN UPDATE {VERSION_TABLE} SET hidden_version = version WHERE id = 1; END IF; "
                f"END IF;"
            )
        return " ".join(statements)

    @staticmethod
    def rows(event, edge):
        """Return a SELECT of the block (`b`) of each target row `edge` says a statement moved."""
        pk = "id"  # every source table's key (install checks it)
        if edge.link and edge.source_key:
            link_table, key, value = edge.link
            sides = {"INSERT": ("new_rows",), "DELETE": ("old_rows",)}.get(
                event, ("old_rows", "new_rows")
            )
            keys = " UNION ".join(f"SELECT {edge.source_key} FROM {side}" for side in sides)
            return (
                f"SELECT l.{value} / {BUCKET_ROWS} AS b FROM {link_table} l "
                f"WHERE l.{value} IS NOT NULL AND l.{key} IN ({keys})"
            )
        if edge.link:
            if event != "UPDATE":
                return ""  # a new parent has no rows below it yet; a deleted one took them along
            link_table, key, value = edge.link
            changed = _changed("o", "n", edge.when, "IS DISTINCT FROM")
            return (
                f"SELECT l.{value} / {BUCKET_ROWS} AS b FROM {link_table} l "
                f"WHERE l.{value} IS NOT NULL AND l.{key} IN (SELECT o.{pk} FROM old_rows o "
                f"JOIN new_rows n ON n.{pk} = o.{pk} WHERE {changed})"
            )
        column = edge.column
        if event == "INSERT":
            return f"SELECT {column} / {BUCKET_ROWS} AS b FROM new_rows WHERE {column} IS NOT NULL"
        if event == "DELETE":
            return f"SELECT {column} / {BUCKET_ROWS} AS b FROM old_rows WHERE {column} IS NOT NULL"
        if not edge.when:
            return (
                f"SELECT {column} / {BUCKET_ROWS} AS b FROM old_rows WHERE {column} IS NOT NULL "
                f"UNION ALL "
                f"SELECT {column} / {BUCKET_ROWS} FROM new_rows WHERE {column} IS NOT NULL"
            )
        changed = _changed("o", "n", edge.when, "IS DISTINCT FROM")
        return " UNION ALL ".join(
            f"SELECT {side}.{column} / {BUCKET_ROWS} AS b FROM old_rows o "
            f"JOIN new_rows n ON n.{pk} = o.{pk} WHERE {side}.{column} IS NOT NULL AND ({changed})"
            for side in ("o", "n")
        )


class _SQLite:
    """Row triggers (SQLite has no statement triggers); one writer at a time."""

    def __init__(self, cursor, connection):
        self.cursor, self.quote = cursor, connection.ops.quote_name

    def install(self, tables, by_source, hiding):
        from core.dataversion import TABLE as VERSION_TABLE

        self.cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
            [f"{TRIGGER_PREFIX}%"],
        )
        for (trigger,) in self.cursor.fetchall():
            self.cursor.execute(f"DROP TRIGGER {self.quote(trigger)}")
        now = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
        for table in tables:
            for event in ("INSERT", "UPDATE", "DELETE"):
                statements = [self.statement(event, edge) for edge in by_source.get(table, [])]
                hide = hiding.get(table)
                if hide and event != "INSERT":
                    _pk, column = hide
                    gone = (
                        f"{_visible('OLD', column)} AND NOT {_visible('NEW', column)}"
                        if event == "UPDATE"
                        else _visible("OLD", column)
                    )
                    # Its own raise of the version, so that the hidden version is never below
                    # the version a page of the old data was kept under.
                    statements.append(
                        f"UPDATE {VERSION_TABLE} SET version = max(version + 1, {now}), "
                        f"hidden_version = max(version + 1, {now}), "
                        f"changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') "
                        f"WHERE id = 1 AND {gone};"
                    )
                statements = [statement for statement in statements if statement]
                if statements:
                    name = _name(table, event.lower())
                    self.cursor.execute(
                        f"CREATE TRIGGER {self.quote(name)} AFTER {event} ON {self.quote(table)} "
                        f"BEGIN {' '.join(statements)} END"
                    )

    @staticmethod
    def statement(event, edge):
        insert = f'INSERT INTO {LOG_TABLE} ("table", bucket, n, at) '
        changed = "1"
        if event == "UPDATE" and edge.when:
            changed = _changed("OLD", "NEW", edge.when, "IS NOT")
        if edge.link and edge.source_key:
            link_table, key, value = edge.link
            sides = {"INSERT": ("NEW",), "DELETE": ("OLD",)}.get(event, ("OLD", "NEW"))
            return " ".join(
                f"{insert}SELECT '{edge.target}', {value} / {BUCKET_ROWS}, count(*), "
                f"{SQLITE_NOW} FROM {link_table} WHERE {key} = {side}.{edge.source_key} "
                f"AND {value} IS NOT NULL GROUP BY 2;"
                for side in sides
            )
        if edge.link:
            if event != "UPDATE":
                return ""
            link_table, key, value = edge.link
            return (
                f"{insert}SELECT '{edge.target}', {value} / {BUCKET_ROWS}, count(*), {SQLITE_NOW} "
                f"FROM {link_table} WHERE {key} = NEW.id AND {value} IS NOT NULL AND ({changed}) "
                f"GROUP BY 2;"
            )
        sides = {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("OLD", "NEW")}[event]
        return " ".join(
            f"{insert}SELECT '{edge.target}', {side}.{edge.column} / {BUCKET_ROWS}, 1, "
            f"{SQLITE_NOW} WHERE {side}.{edge.column} IS NOT NULL AND ({changed});"
            for side in sides
        )


# --- Reading and folding the stamps ---------------------------------------------------------


def stamps(table, using="default"):
    """Return {block: (changes, latest)} of the counted `table` (blocks never changed are absent).

    The number of changes grows with every commit that touches the block; the time of the
    latest makes the stamp unique even across a database restored from a backup.
    """
    return read_stamps(table, using)[0]


def read_stamps(table, using="default"):
    """Return (stamps, as `stamps` does; the rows of the log not yet folded), in one query."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT bucket, SUM(n), MAX(at), SUM(logged) FROM ("
            f'SELECT bucket, n, at, 0 AS logged FROM {STAMP_TABLE} WHERE "table" = %s UNION ALL '
            f'SELECT bucket, n, at, 1 FROM {LOG_TABLE} WHERE "table" = %s) AS blocks '
            f"GROUP BY bucket",
            [table, table],
        )
        rows = cursor.fetchall()
    return {bucket: (int(n), int(at)) for bucket, n, at, _ in rows}, sum(row[3] for row in rows)


def compact(using="default", at_least=COMPACT_ROWS):
    """Fold the count log into the stamps if it holds `at_least` rows; return the rows folded.

    Every block's stamp (stamp plus log) is the same before and after, so no count is
    retired by it. One statement on PostgreSQL; SQLite has one writer at a time anyway.
    """
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), max(id) FROM {LOG_TABLE}")
        rows, last = cursor.fetchone()
        if not rows or rows < at_least:
            return 0
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [STAMP_TABLE])
            cursor.execute(
                f"WITH moved AS (DELETE FROM {LOG_TABLE} WHERE id <= %s "
                f'RETURNING "table", bucket, n, at) '
                f'INSERT INTO {STAMP_TABLE} ("table", bucket, n, at) '
                f'SELECT "table", bucket, SUM(n), MAX(at) FROM moved GROUP BY "table", bucket '
                f'ON CONFLICT ("table", bucket) DO UPDATE SET n = {STAMP_TABLE}.n + EXCLUDED.n, '
                f"at = GREATEST({STAMP_TABLE}.at, EXCLUDED.at)",
                [last],
            )
        else:
            cursor.execute(
                f'INSERT INTO {STAMP_TABLE} ("table", bucket, n, at) '
                f'SELECT "table", bucket, SUM(n), MAX(at) FROM {LOG_TABLE} WHERE id <= %s '
                f'GROUP BY "table", bucket '
                f'ON CONFLICT ("table", bucket) DO UPDATE SET n = {STAMP_TABLE}.n + excluded.n, '
                f"at = max({STAMP_TABLE}.at, excluded.at)",
                [last],
            )
            cursor.execute(f"DELETE FROM {LOG_TABLE} WHERE id <= %s", [last])
        return rows
