"""Exports: one row generator per list (a header, then rows), rendered as CSV or JSON, streamed.

In the manner of pretix's ListExporter: an exporter knows its columns and how to turn one record
into one row; the renderers know nothing about the records. Rows are read as plain values with a
server-side cursor in chunks, each chunk with its related names, so a large export never sits in
memory.
"""

import datetime
import io
import json
import queue
import threading
import unicodedata
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass

from defusedcsv import csv
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, transaction
from django.db.models import OuterRef
from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.module_loading import import_string

from core.dates import format_partial_date
from core.lists.fields import column_field, related_model
from core.models import public_q
from core.status import PublicationStatus

#: Rows read from the database per round trip (each chunk also reads its many-valued names).
CHUNK_SIZE = 2000
#: Chunks read ahead of the one being written (see read_ahead).
READ_AHEAD = 2
#: Signs a spreadsheet reads as the start of a formula (OWASP's list), with their full-width
#: and small forms.
FORMULA_SIGNS = frozenset("=+-@|%\uff1d\uff0b\uff0d\uff20\uff5c\uff05\ufe66\ufe62\ufe63\ufe6b")
#: Characters a spreadsheet may pass over before the first it reads (or trim on import):
#: spaces of every kind, controls and invisible formatting (zero-width space, byte order mark).
SKIPPED_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
MULTI_SEPARATOR = "; "


def public_links(model, relation):
    """Return (queryset of the links of `relation`, owner field, target path) of `model`.

    The links of a many-to-many relation to public targets ("target__" prefixes the target's
    fields), or the rows of a reverse foreign key (e.g. an actor's aliases; target path "").
    """
    field = model._meta.get_field(relation)
    target_model = field.related_model
    if field.many_to_many:
        through = field.remote_field.through
        owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        links = through.objects.all()
        if hasattr(target_model, "publication_status"):
            links = links.filter(public_q(target_model, f"{target}__"))
        return links, owner, f"{target}__"
    return target_model.objects.all(), field.field.name, ""


def url_maker(request, viewname, kwarg):
    """Return a function giving the absolute URL of `viewname` for a value of `kwarg`.

    Reverses once per export rather than once per row.
    """
    sentinel = "987654321" if kwarg == "pk" else "export-url-sentinel"
    template = request.build_absolute_uri(reverse(viewname, kwargs={kwarg: sentinel}))
    head, tail = template.split(sentinel, 1)
    return lambda value: f"{head}{value}{tail}"


def iso(value):
    """Return a date as YYYY-MM-DD, or ''."""
    return value.isoformat() if isinstance(value, datetime.date) else ""


@dataclass
class Cell:
    """A cell of a table of results: its text, and the page it links to ("" for none)."""

    text: str
    url: str = ""


@dataclass
class Table:
    headings: list
    rows: list


class Column:
    """One column of an export: what it reads, and its cell from a record.

    `reads` are values() paths; `many` a relation whose public names the column lists (read
    per chunk, see ListExporter). `bind(exporter)` returns the function giving a record's cell.
    """

    reads: tuple[str, ...] = ()
    many = ""
    #: The column's heading in a table ("" for its name, in words: "start_date", "Start date").
    label = ""
    #: Whether a table of results shows the column (a download always has it).
    in_table = True

    def bind(self, exporter):
        return self.cell

    def bind_text(self, exporter):
        """Return the function giving a record's cell as a table shows it (as downloaded)."""
        return self.bind(exporter)

    def cell(self, record):
        raise NotImplementedError


class Field(Column):
    """A value read as it is ('' for none), or shown by `show` (a function of the value).

    With `if_public` (a relation's path), the value shows only while that related row is public
    (an actor's country, an issue's parent)."""

    def __init__(self, path, show=None, *, if_public="", label="", in_table=True):
        self.path, self.show, self.if_public, self.label = path, show, if_public, label
        self.in_table = in_table
        self.status = f"{if_public}__publication_status" if if_public else ""
        self.reads = (path, self.status) if if_public else (path,)

    def cell(self, record):
        value = record[self.path]
        if value is None or (self.status and record[self.status] != PublicationStatus.PUBLISHED):
            return ""
        return self.show(value) if self.show else value


class Choice(Field):
    """A field with choices, shown by its label (by the name before its explanation, with
    `name_only`: "Contested" of "Contested: disputed or denied"). The choices are the model
    field's unless given."""

    def __init__(self, path, choices=None, *, name_only=False, label=""):
        self.choices, self.name_only = choices, name_only
        super().__init__(path, label=label)

    def bind(self, exporter):
        choices = self.choices
        if choices is None:
            choices = column_field(exporter.model, self.path).choices
        # Looked up once: get_FOO_display() is costly over a million rows.
        labels = {value: str(label) for value, label in choices}
        if self.name_only:
            labels = {value: label.split(":")[0] for value, label in labels.items()}
        path = self.path
        return lambda record: "" if record[path] is None else labels.get(record[path], record[path])


class Date(Field):
    """A date as YYYY-MM-DD; in a table, as precisely as the field `precision` (a values()
    path) says it is known: "July 2019", not "2019-07-01"."""

    def __init__(self, path, *, precision="", label=""):
        super().__init__(path, iso, label=label)
        self.precision = precision
        if precision:
            self.reads = (path, precision)

    def bind_text(self, exporter):
        if not self.precision:
            return self.cell
        path, precision = self.path, self.precision
        return lambda record: format_partial_date(record[path], record[precision])


class Names(Column):
    """The public names linked through the many-to-many or reverse relation `relation`, of the
    row or of a related row ("visit__issues": the issues of a participation's visit)."""

    def __init__(self, relation, *, label=""):
        self.many, self.label = relation, label
        owner = relation.rpartition("__")[0]
        self.reads = (owner,) if owner else ()

    @property
    def key(self):
        return f"names_of_{self.many}"

    def cell(self, record):
        return record[self.key]


class Link(Column):
    """The absolute URL of the page `viewname` of the row (or related row) at `path`.

    In a table of results the URL is not a column: it links the cell of the column `on` (the
    first column if none is named).
    """

    def __init__(self, viewname, path="slug", kwarg="slug", *, on=""):
        self.viewname, self.path, self.kwarg, self.on = viewname, path, kwarg, on
        self.reads = (path,)

    def bind(self, exporter):
        url = url_maker(exporter.request, self.viewname, self.kwarg)
        path = self.path
        return lambda record: url(record[path]) if record[path] else ""


class Extra(Column):
    """A value the exporter's `extend()` adds to each record (counted, not read)."""

    def __init__(self, key):
        self.key = key

    def cell(self, record):
        return record[self.key]


class ListExporter:
    """Base exporter: `columns`, each declared once; yields the header then one row per record.

    Rows are read as plain values (what the columns read, through values(): no model
    instance per row) in chunks through one server-side cursor. For each chunk, the names of
    every relation a column lists are read in one query (the links joined to their public
    targets' names), and each record gets a plain list of names. That keeps a million-row
    export cheap in memory and in time.
    """

    #: The download's file name, without extension.
    name = "export"
    #: {column name: Column}, in the order of the download's columns.
    columns: dict[str, Column] = {}

    def __init__(self, request, model=None):
        self.request, self.model = request, model
        self.cells = [column.bind(self) for column in self.columns.values()]
        #: The values a row is built from, as values() names them; "pk" is always read.
        self.fields = list(dict.fromkeys(p for c in self.columns.values() for p in c.reads))
        #: {record key to set: relation whose names the rows show}.
        self.many = {c.key: c.many for c in self.columns.values() if c.many}

    def prepare(self, queryset):
        """Return `queryset` with any annotation a column reads."""
        return queryset

    def extend(self, records):
        """Add to a chunk of records what their rows need beyond the names (a query or two)."""

    def row(self, record):
        """Return the cells of one record (a dict), in the order of `columns`."""
        return [cell(record) for cell in self.cells]

    @classmethod
    def headings(cls, labels=None):
        """Return {column name: heading}: the column's label, else the one `labels` gives its
        name (the list's filter of that name), else its name in words ("Start date")."""
        labels = labels or {}
        return {
            name: column.label or labels.get(name) or name.replace("_", " ").capitalize()
            for name, column in cls.columns.items()
        }

    def table_of(self, objects, labels=None):
        """Return the Table of `objects` (a page of records): its headings (see headings) and
        rows of Cells.

        A Link column is not shown: its URL links the cell of the column it names.
        """
        columns = self.columns
        names = list(columns)
        linked_by = {
            column.on or names[0]: column.bind(self)
            for column in columns.values()
            if isinstance(column, Link)
        }
        shown = [
            (name, column.bind_text(self), linked_by.get(name))
            for name, column in columns.items()
            if column.in_table and not isinstance(column, Link)
        ]
        rows = []
        for record in self.records_of(objects):
            cells = []
            for _name, text_of, link_of in shown:
                value = text_of(record)
                text = MULTI_SEPARATOR.join(map(str, value)) if isinstance(value, list) else value
                cells.append(
                    Cell("" if text is None else str(text), link_of(record) if link_of else "")
                )
            rows.append(cells)
        headings = self.headings(labels)
        return Table([headings[name] for name, _text, _link in shown], rows)

    def rows_of(self, objects):
        """Return the rows of `objects` (a page of records), each a {column: cell}, in order."""
        names = list(self.columns)
        return [
            dict(zip(names, self.row(record), strict=True)) for record in self.records_of(objects)
        ]

    def records_of(self, objects):
        """Return the records (values, names, extras) of `objects`, a page of rows, in order.

        Two queries or so for the page, whatever its size: its values, and each relation's
        names.
        """
        ids = [obj.pk for obj in objects]
        if not ids:
            return []
        model = type(objects[0])
        fields = ["pk", *(name for name in self.fields if name != "pk")]
        queryset = self.prepare(model._meta.default_manager.filter(pk__in=ids))
        records = {record["pk"]: record for record in queryset.values(*fields)}
        return self.complete(model, [records[pk] for pk in ids if pk in records])

    def iterate_list(self, queryset):
        """Yield the header, then a row per record, reading `queryset` in chunks."""
        for rows in self.iterate_chunks(queryset):
            yield from rows

    def iterate_chunks(self, queryset):
        """Yield lists of rows: [header] first, then the rows of each chunk of records.

        The renderers write a chunk at a time: a million rows then cost a few hundred
        writes rather than a million trips through generators. The records are read on
        another connection while the rows before them are written (read_ahead), so the
        database's time and the writing overlap; inside a transaction, whose rows another
        connection would not see, they are read here.
        """
        yield [list(self.columns)]
        if transaction.get_connection(queryset.db).in_atomic_block:
            chunks = self.record_chunks(queryset)
        else:
            chunks = read_ahead(lambda: self.record_chunks(queryset))
        row = self.row
        for chunk in chunks:
            yield [row(record) for record in chunk]

    def record_chunks(self, queryset):
        """Yield the records of `queryset` in chunks, each with its names from `many`.

        On PostgreSQL the names come with each record, as arrays read by the same query (as
        COPY would read them); elsewhere each chunk reads them in one query per relation.
        """
        model = queryset.model
        fields = ["pk", *(name for name in self.fields if name != "pk")]
        if connections[queryset.db].vendor == "postgresql":
            arrays = {key: names_array(model, relation) for key, relation in self.many.items()}
        else:
            arrays = {}
        records = self.prepare(queryset).values(*fields, **arrays)
        # In a transaction, PostgreSQL's server-side cursor streams; outside one it would be
        # declared WITH HOLD and the whole result materialised before the first row is sent.
        in_transaction = transaction.get_connection(queryset.db).in_atomic_block
        with nullcontext() if in_transaction else transaction.atomic(using=queryset.db):
            if arrays and not in_transaction:
                # The planner would compile a query this costly to machine code first, which
                # takes longer than reading the first rows: a stream wants them at once.
                with connections[queryset.db].cursor() as cursor:
                    cursor.execute("SET LOCAL jit = off")
            chunk = []
            for record in records.iterator(chunk_size=CHUNK_SIZE):
                chunk.append(record)
                if len(chunk) == CHUNK_SIZE:
                    yield self.complete(model, chunk)
                    chunk = []
            if chunk:
                yield self.complete(model, chunk)

    def complete(self, model, chunk):
        """Give each record of `chunk` the names of `many` and what `extend()` adds."""
        for key, relation in self.many.items():
            if chunk and key in chunk[0]:  # read with the records (names_array)
                for record in chunk:
                    if len(record[key]) > 1:
                        record[key].sort(key=str.casefold)
                continue
            owner_model, last, owner = relation_owner(model, relation)
            names = linked_names(owner_model, last, {record[owner] for record in chunk})
            for record in chunk:
                record[key] = names.get(record[owner], [])
        self.extend(chunk)
        return chunk


def read_ahead(make_items, size=READ_AHEAD):
    """Yield the items of the iterable `make_items()`, made in a thread while the caller works.

    The thread's database queries run on its own connection (closed when it ends), so they
    overlap with what the caller does with the items before them; at most `size` items wait,
    so memory stays bounded. An error in the thread is raised here; when the caller stops
    early (a download cancelled), the thread stops after the item it is making.
    """
    waiting = queue.Queue(maxsize=size)
    stop = threading.Event()
    end = object()

    def hand_over(item):
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make():
        items = None
        try:
            items = make_items()
            for item in items:
                if not hand_over(item):
                    return
            hand_over(end)
        except Exception as error:  # noqa: BLE001 - raised again in the caller's thread
            hand_over(error)
        finally:
            if items is not None and hasattr(items, "close"):
                items.close()  # leaves the transaction and the server-side cursor
            connections.close_all()

    worker = threading.Thread(target=make, name="export-read-ahead", daemon=True)
    worker.start()
    try:
        while (item := waiting.get()) is not end:
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        stop.set()


def relation_owner(model, relation):
    """Return (the model owning the last step of `relation`, that step, the values() path of
    the owner's id in a row of `model`): (Visit, "issues", "visit") for "visit__issues"."""
    path, _, last = relation.rpartition("__")
    if not path:
        return model, relation, "pk"
    return related_model(model, path), last, path


def names_array(model, relation):
    """Return an expression: the public names linked to each row through `relation`, as a list.

    PostgreSQL only (an ARRAY subquery, one index lookup per row).
    """
    owner_model, last, key = relation_owner(model, relation)
    links, owner, target = public_links(owner_model, last)
    names = links.filter(**{owner: OuterRef(key)}).order_by().values(f"{target}name")
    return ArraySubquery(names)


def linked_names(model, relation, ids):
    """Return {id: [names]} of the public rows linked to each of `ids` (ids of `model`, the
    owner of `relation`) through `relation`.

    One query: the links by owner id (an index lookup) joined to their public targets.
    """
    links, owner, target = public_links(model, relation)
    pairs = links.filter(**{f"{owner}__in": ids})
    pairs = pairs.values_list(f"{owner}_id", f"{target}name")
    result = defaultdict(list)
    for owner_id, label in pairs:
        result[owner_id].append(label)
    for values in result.values():
        if len(values) > 1:
            values.sort(key=str.casefold)
    return result


def starts_a_formula(text):
    """Return whether a spreadsheet could read `text` as a formula: a control character first
    (a tab, a line break), or a formula sign as its first visible character, after any spaces
    or invisible characters."""
    if not text:
        return False
    if unicodedata.category(text[0]) == "Cc":
        return True
    for char in text:
        if unicodedata.category(char) not in SKIPPED_CATEGORIES:
            return char in FORMULA_SIGNS
    return False


def _csv_cell(cell):
    """Return a cell as text for the CSV writer: one a spreadsheet could run gets a leading
    apostrophe, which shows it as the text it is."""
    if isinstance(cell, list | tuple):
        cell = MULTI_SEPARATOR.join(map(str, cell))
    if isinstance(cell, str) and starts_a_formula(cell):
        return "'" + cell
    return "" if cell is None else cell


def _csv_lines(chunks, bom=False):
    """Yield the CSV text of each chunk of rows, every cell shown as text by spreadsheets.

    With `bom`, the text starts with a byte order mark: Excel then reads it as UTF-8 (without
    one it takes "Türkiye" for Windows-1252 and garbles it).
    """
    if bom:
        yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for rows in chunks:
        writer.writerows([[_csv_cell(cell) for cell in row] for row in rows])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _json_chunks(chunks, meta):
    """Yield a JSON object: `meta` (the count, the filters…), then "results", every row."""
    chunks = iter(chunks)
    header = next(chunks)[0]
    opening = json.dumps(meta, ensure_ascii=False, default=str)
    yield opening[:-1] + (", " if meta else "") + '"results": ['
    separator = "\n"
    for rows in chunks:
        parts = []
        for row in rows:
            record = dict(zip(header, row, strict=True))
            parts.append(separator + json.dumps(record, ensure_ascii=False, default=str))
            separator = ",\n"
        yield "".join(parts)
    yield "\n]}\n"


class Format:
    """A download format of the lists: its `format=` value, label, content type, and how it
    writes the rows of an exporter. FORMATS lists them all; a list offers those its exporter
    can write (`offered`)."""

    name = ""
    label = ""
    content_type = ""
    #: The `bom` the list page's link asks for (a CSV for a spreadsheet: 1), or None.
    bom = None

    def offered(self, exporter_class):
        return True

    def chunks(self, exporter, queryset, *, bom, meta):
        """Yield the text of the download, a chunk at a time."""
        raise NotImplementedError

    def response(self, exporter, queryset, *, filename="", bom=False, meta=None):
        """Return the streamed download of every row of `queryset`, named `filename`."""
        body = self.chunks(exporter, queryset, bom=bom, meta=meta or {})
        response = StreamingHttpResponse(body, content_type=self.content_type)
        name = f"{filename or exporter.name}.{self.name}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class Csv(Format):
    name, label, content_type = "csv", "CSV", "text/csv; charset=utf-8"
    bom = 1

    def chunks(self, exporter, queryset, *, bom, meta):
        return _csv_lines(exporter.iterate_chunks(queryset), bom=bom)


class Json(Format):
    name, label, content_type = "json", "JSON", "application/json; charset=utf-8"

    def chunks(self, exporter, queryset, *, bom, meta):
        return _json_chunks(exporter.iterate_chunks(queryset), meta)


class Citations(Format):
    """A bibliography of the rows, for lists whose exporter makes each row a citation (CSL
    item: `citation_items`); `writer` (a dotted path) writes a batch of items as text."""

    #: Items written at a time.
    batch = 500

    def __init__(self, name, label, content_type, writer):
        self.name, self.label, self.content_type, self.writer = name, label, content_type, writer

    def offered(self, exporter_class):
        return hasattr(exporter_class, "citation_items")

    def chunks(self, exporter, queryset, *, bom, meta):
        write = import_string(self.writer)
        batch = []
        for item in exporter.citation_items(queryset):
            batch.append(item)
            if len(batch) == self.batch:
                yield write(batch)
                batch = []
        if batch:
            yield write(batch)


#: Every download format, in the order the lists offer them.
FORMATS = {
    fmt.name: fmt
    for fmt in (
        Csv(),
        Json(),
        Citations(
            "bib", "BibTeX", "application/x-bibtex; charset=utf-8", "sources.citations.bibtex"
        ),
        Citations(
            "ris",
            "RIS",
            "application/x-research-info-systems; charset=utf-8",
            "sources.citations.ris",
        ),
    )
}


def formats_of(exporter_class):
    """Return {name: Format} of the formats a list with `exporter_class` offers."""
    return {name: fmt for name, fmt in FORMATS.items() if fmt.offered(exporter_class)}


def error_response(message, errors=None, status=400):
    """Return the JSON body of a refused export: what was wrong, per parameter."""
    body = {"error": message}
    if errors:
        body["errors"] = {name: [str(error) for error in errs] for name, errs in errors.items()}
    return JsonResponse(body, status=status)
