"""Exports: one row generator per list (a header, then rows), rendered as CSV or JSON, streamed.

In the manner of pretix's ListExporter: an exporter knows its columns and how to turn one object
into one row; the renderers know nothing about the objects. Rows are read with a server-side
cursor in chunks, each chunk with its prefetches, so a large export never sits in memory.
"""

import csv
import datetime
import json
from collections import defaultdict

from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse

#: Rows read from the database per round trip (each chunk also runs the prefetch queries).
CHUNK_SIZE = 2000
#: What a spreadsheet would read as the start of a formula (including full-width forms).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
MULTI_SEPARATOR = "; "


def neutralise(cell):
    """Return a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def url_maker(request, viewname, kwarg):
    """Return a function giving the absolute URL of `viewname` for a value of `kwarg`.

    Reverses once per export rather than once per row.
    """
    sentinel = "987654321" if kwarg == "pk" else "export-url-sentinel"
    template = request.build_absolute_uri(reverse(viewname, kwargs={kwarg: sentinel}))
    head, tail = template.split(sentinel, 1)
    return lambda value: f"{head}{value}{tail}"


def public_url(url):
    """Return `url` if it is a web link (http or https), else ''."""
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else ""


def iso(value):
    """Return a date as YYYY-MM-DD, or ''."""
    return value.isoformat() if isinstance(value, datetime.date) else ""


class ListExporter:
    """Base exporter: `columns` and `row(obj)`; yields the header then one row per object.

    Rows are read in chunks through one server-side cursor. For each chunk, every relation
    named in `many` is read in two queries (the links, then the public names), and each object
    gets a plain list of names: no model instance or related manager per linked row, which
    keeps a million-row export cheap in memory and in time.
    """

    #: The download's file name, without extension.
    name = "export"
    columns: tuple[str, ...] = ()
    #: {attribute to set: many-to-many or reverse relation whose names the rows show}.
    many: dict[str, str] = {}

    def __init__(self, request):
        self.request = request

    def prepare(self, queryset):
        """Return `queryset` with the joins a row needs (no prefetches: see `many`)."""
        return queryset

    def extend(self, chunk):
        """Add to a chunk of objects what their rows need beyond `many` (one query or two)."""

    def row(self, obj):
        """Return the cells of one object, in `columns` order (lists for multi-valued cells)."""
        raise NotImplementedError

    def iterate_list(self, queryset):
        """Yield the header, then a row per object, reading `queryset` in chunks."""
        yield list(self.columns)
        chunk = []
        for obj in self.prepare(queryset).iterator(chunk_size=CHUNK_SIZE):
            chunk.append(obj)
            if len(chunk) == CHUNK_SIZE:
                yield from self._rows(chunk)
                chunk = []
        if chunk:
            yield from self._rows(chunk)

    def _rows(self, chunk):
        model = type(chunk[0])
        ids = [obj.pk for obj in chunk]
        for attribute, relation in self.many.items():
            names = linked_names(model, relation, ids)
            for obj in chunk:
                setattr(obj, attribute, names.get(obj.pk, []))
        self.extend(chunk)
        for obj in chunk:
            yield self.row(obj)


def linked_names(model, relation, ids):
    """Return {id: [names]} of the public rows linked to each of `ids` through `relation`.

    Two queries: the links by owner id (an index lookup), then the names of the public
    targets among them.
    """
    field = model._meta.get_field(relation)
    target_model = field.related_model
    if field.many_to_many:
        through = field.remote_field.through
        owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        links = list(
            through.objects.filter(**{f"{owner}_id__in": ids}).values_list(
                f"{owner}_id", f"{target}_id"
            )
        )
        targets = target_model._default_manager.filter(pk__in={t for _o, t in links})
        if hasattr(targets, "published"):
            targets = targets.published()
        names = dict(targets.values_list("pk", "name"))
        pairs = [
            (owner_id, names[target_id]) for owner_id, target_id in links if target_id in names
        ]
    else:  # a reverse foreign key, e.g. an actor's aliases
        foreign_key = field.field.name
        pairs = target_model._default_manager.filter(**{f"{foreign_key}_id__in": ids}).values_list(
            f"{foreign_key}_id", "name"
        )
    result = defaultdict(list)
    for owner_id, name in pairs:
        result[owner_id].append(name)
    for values in result.values():
        values.sort(key=str.casefold)
    return result


class _Echo:
    """A file-like object whose write() returns what it is given (for csv.writer)."""

    def write(self, value):
        return value


def _csv_cell(cell):
    if cell.__class__ is str:  # the common case first: a million rows pass here
        return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell
    if isinstance(cell, list | tuple):
        return neutralise(MULTI_SEPARATOR.join(str(item) for item in cell))
    return "" if cell is None else neutralise(cell)


def _csv_lines(rows):
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([_csv_cell(cell) for cell in row])


def _json_chunks(rows):
    rows = iter(rows)
    header = next(rows)
    yield "["
    for index, row in enumerate(rows):
        separator = ",\n" if index else "\n"
        record = dict(zip(header, row, strict=True))
        yield separator + json.dumps(record, ensure_ascii=False, default=str)
    yield "\n]\n"


def export_response(exporter, queryset, fmt):
    """Return a streamed CSV or JSON response with every row of `queryset`."""
    rows = exporter.iterate_list(queryset)
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(
            _json_chunks(rows), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{exporter.name}.{fmt}"'
    return response


def error_response(message, errors=None, status=400):
    """Return the JSON body of a refused export: what was wrong, per parameter."""
    body = {"error": message}
    if errors:
        body["errors"] = {name: [str(error) for error in errs] for name, errs in errors.items()}
    return JsonResponse(body, status=status)
