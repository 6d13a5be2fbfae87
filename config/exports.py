"""Exports: one row generator per list (a header, then rows), rendered as CSV or JSON, streamed.

In the manner of pretix's ListExporter: an exporter knows its columns and how to turn one object
into one row; the renderers know nothing about the objects. Rows are read with a server-side
cursor in chunks, each chunk with its prefetches, so a large export never sits in memory.
"""

import csv
import datetime
import json

from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse

#: Rows read from the database per round trip (each chunk also runs the prefetch queries).
CHUNK_SIZE = 1000
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
    """Base exporter: `columns` and `row(obj)`; yields the header then one row per object."""

    #: The download's file name, without extension.
    name = "export"
    columns: tuple[str, ...] = ()

    def __init__(self, request):
        self.request = request

    def row(self, obj):
        """Return the cells of one object, in `columns` order (lists for multi-valued cells)."""
        raise NotImplementedError

    def iterate_list(self, queryset):
        """Yield the header, then a row per object, reading `queryset` in chunks."""
        yield list(self.columns)
        for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield self.row(obj)


class _Echo:
    """A file-like object whose write() returns what it is given (for csv.writer)."""

    def write(self, value):
        return value


def _csv_cell(cell):
    if isinstance(cell, list | tuple):
        cell = MULTI_SEPARATOR.join(str(item) for item in cell)
    elif cell is None:
        cell = ""
    return neutralise(cell)


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
