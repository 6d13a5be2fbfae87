"""Cursor pagination: each page continues from the last row of the one before (keyset).

A list's order is a sort column (its own, or a related row's: "visit__start_date") and the
primary key (`("-source_date", "-pk")`); a cursor holds
the sort key and that last row's two values. The next page is the rows strictly after them in
that order, which an index on (column, id) finds directly: page 40,000 of the claims costs what
page 1 does, and rows added or removed meanwhile neither repeat nor skip a row.
"""

import base64
import binascii
import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.db.models import BooleanField, F, Func, Q
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from core.lists.fields import column_field


def encode_cursor(payload):
    """Return the cursor of [sort key, value, id]: URL-safe base64 of its JSON."""
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor):
    """Return [sort key, value, id] of a cursor, or None if it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not (isinstance(payload, list) and len(payload) == 3):
        return None
    sort_key, value, pk = payload
    valid = (
        _is_text(sort_key)
        and (value is None or (_is_text(value) and "\x00" not in value))
        and type(pk) is int
        and 0 < pk < 2**63
    )
    return payload if valid else None


#: The name a page's rows carry their sort value under, when it is a related row's column.
SORT_VALUE = "keyset_sort_value"


def _is_text(value):
    """Return whether `value` is a string the database can take (JSON may carry a lone
    surrogate, "\\ud800", which is no character at all)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def after(queryset, ordering, value, pk):
    """Return `queryset` limited to the rows after (`value`, `pk`) in `ordering`.

    `ordering` is (sort column, primary key), both ascending or both descending ("-"). The
    rows after a place are those whose (column, id) pair compares beyond it: one row-value
    comparison, which an index on (column, id) answers as a range, starting at the cursor.
    Rows whose column is NULL sort after all others on PostgreSQL and before them on SQLite
    (each database's own rule, the one ORDER BY follows); a comparison never matches them, so
    they are added or left out by that rule.
    """
    column, pk_order = ordering
    descending = column.startswith("-")
    if descending != pk_order.startswith("-"):
        raise ValueError(f"A keyset order runs one way: {ordering}")
    name = column.lstrip("-")
    connection = connections[queryset.db]
    nulls_largest = connection.features.nulls_order_largest
    # Whether the rows with no value come after the rows with one, in this order.
    nulls_after = nulls_largest != descending
    pk_beyond = "lt" if descending else "gt"
    if value is None:
        # Among the rows with no value, by id; then, if they come first, every other row.
        rest = Q(**{f"{name}__isnull": True, f"pk__{pk_beyond}": pk})
        if not nulls_after:
            rest |= Q(**{f"{name}__isnull": False})
        return queryset.filter(rest)
    # The value as the database stores it (a date as SQLite's text, say).
    stored = column_field(queryset.model, name).get_db_prep_value(value, connection)
    beyond = RowBeyond(F(name), F("pk"), (stored, pk), descending=descending)
    if nulls_after:
        return queryset.filter(Q(beyond) | Q(**{f"{name}__isnull": True}))
    return queryset.filter(beyond)


class RowBeyond(Func):
    """`(column, id) < (value, id)` (or `>`): a row-value comparison, as the query names the
    columns, which an index on (column, id) answers as a range."""

    output_field = BooleanField()

    def __init__(self, column, pk, place, *, descending):
        self.place, self.operator = place, "<" if descending else ">"
        super().__init__(column, pk)

    def as_sql(self, compiler, connection, **extra_context):
        columns, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            columns.append(sql)
            params += expression_params
        sql = f"({', '.join(columns)}) {self.operator} (%s, %s)"
        return sql, [*params, *self.place]


class KeysetPagination(BasePagination):
    """Pages of `page_size` rows (at most API_MAX_PAGE_SIZE), linked by a `next` cursor.

    The view tells the order by `get_ordering()`: (sort key, (column, primary key)).
    """

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    #: The parameters it reads (the API refuses parameters no one reads).
    query_params = (cursor_query_param, page_size_query_param)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.sort_key, self.ordering = view.get_ordering()
        self.filter_names = set(view.filterset_class.base_filters)
        column = self.ordering[0].lstrip("-")
        # A related row's column is read with each row (annotated), not a query per row.
        self.value_name = SORT_VALUE if "__" in column else column
        if "__" in column:
            queryset = queryset.annotate(**{SORT_VALUE: F(column)})
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor:
            payload = decode_cursor(cursor)
            if payload is None:
                raise ValidationError({"cursor": ["Not a cursor of this API: use a `next` link."]})
            sort_key, value, pk = payload
            if sort_key != self.sort_key:
                raise ValidationError(
                    {"cursor": ["This cursor belongs to another order: keep the same `sort`."]}
                )
            field = column_field(queryset.model, column)
            try:
                value = None if value is None else field.to_python(value)
            except DjangoValidationError:
                raise ValidationError({"cursor": ["Not a cursor of this API."]}) from None
            queryset = after(queryset, self.ordering, value, pk)
        rows = list(queryset[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        rows = rows[: self.page_size]
        self.last = rows[-1] if rows else None
        return rows

    def get_page_size(self, request):
        default = settings.API_PAGE_SIZE
        maximum = settings.API_MAX_PAGE_SIZE
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return default
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError(
                {"page_size": [f"Give a whole number from 1 to {maximum}."]}
            ) from None
        if not 1 <= size <= maximum:
            raise ValidationError(
                {"page_size": [f"The page size is at most {maximum} (and at least 1)."]}
            )
        return size

    def next_cursor(self):
        if not self.has_next:
            return None
        value = getattr(self.last, self.value_name)
        if value is not None and not isinstance(value, str):
            value = value.isoformat()
        return encode_cursor([self.sort_key, value, self.last.pk])

    def get_next_link(self):
        cursor = self.next_cursor()
        if cursor is None:
            return None
        # The list's own parameters only: anything else the request carried stays behind.
        known = {*self.filter_names, self.page_size_query_param}
        params = [
            (name, values) for name, values in self.request.query_params.lists() if name in known
        ]
        query = urlencode([*params, (self.cursor_query_param, [cursor])], doseq=True)
        return self.request.build_absolute_uri(f"{self.request.path}?{query}")

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "page_size": self.page_size, "results": data}
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "page_size", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last one.",
                },
                "page_size": {"type": "integer", "minimum": 1},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: take it from the `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page (default {settings.API_PAGE_SIZE}, "
                f"at most {settings.API_MAX_PAGE_SIZE}).",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": settings.API_MAX_PAGE_SIZE,
                    "default": settings.API_PAGE_SIZE,
                },
            },
        ]
