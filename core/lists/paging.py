"""Pagination that stays cheap at a million rows: bounded counts and deferred joins.

- Counting stops at `COUNT_LIMIT` rows. Beyond that the count shown is the database planner's
  estimate ("about 950,000"; PostgreSQL) or a bound ("more than 500"; SQLite), labelled so.
- A page is read as a deferred join: the ids of its rows come from a subquery of the filtered,
  ordered query alone, which a partial index on the sort key answers without reading the rows
  it skips; only those rows are then read with their joins (and prefetches).
"""

import json
import math
from functools import cached_property

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections

#: Rows counted exactly; a larger result shows an estimate.
COUNT_LIMIT = 500


def estimated_count(queryset):
    """Return the planner's estimate of the rows of `queryset` (PostgreSQL), else None."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = queryset.order_by().values("pk").explain(format="json")
    return int(json.loads(plan)[0]["Plan"]["Plan Rows"])


def bounded_count(queryset, limit=None):
    """Return (count, exact): exact up to `limit` (COUNT_LIMIT), else an estimate above it."""
    limit = COUNT_LIMIT if limit is None else limit
    counted = queryset.order_by().values("pk")[: limit + 1].count()
    if counted <= limit:
        return counted, True
    return max(estimated_count(queryset) or 0, limit + 1), False


def about(number):
    """Return `number` rounded to two significant digits, with thousands separators."""
    if number < 100:
        return f"{number:,}"
    digits = 10 ** (int(math.log10(number)) - 1)
    return f"{round(number / digits) * digits:,}"


def count_label(count, exact, limit=None):
    """Return how a count reads on a page: '1,234', 'about 950,000' or 'more than 500'."""
    limit = COUNT_LIMIT if limit is None else limit
    if exact:
        return f"{count:,}"
    if count > limit + 1:
        return f"about {about(count)}"
    return f"more than {limit:,}"


def capped_label(count, limit):
    """Return a count that stopped at `limit`+1 as it reads: '120' or 'more than 100'."""
    return f"{count:,}" if count <= limit else f"more than {limit:,}"


class BoundedPage(Page):
    """A page that knows whether rows follow it even when the total is an estimate."""

    def __init__(self, object_list, number, paginator, more):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


class BoundedPaginator(Paginator):
    """Pages of an ordered QuerySet, counted up to a bound, each read by a deferred join.

    `prepare(queryset)` adds what a shown row needs (select_related, prefetches) to the query
    that reads the page's rows. `counted`, (count, exact) from bounded_count() when the caller
    has run it, spares counting again. `first_ids`, the ids of the first rows in this order
    when the caller has read them (all of them if `all_ids`), spare the pages among them the
    subquery that finds their ids.
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        prepare=None,
        count_limit=None,
        counted=None,
        first_ids=None,
        all_ids=False,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.prepare = prepare or (lambda queryset: queryset)
        self.count_limit = COUNT_LIMIT if count_limit is None else count_limit
        self.counted = counted
        self.first_ids = first_ids or []
        self.all_ids = all_ids

    @cached_property
    def bounded(self):
        """Return (count, exact) of the rows."""
        return self.counted or bounded_count(self.object_list, self.count_limit)

    @cached_property
    def count(self):
        return self.bounded[0]

    @property
    def exact(self):
        """Return whether `count` is the exact number of rows."""
        return self.bounded[1]

    @property
    def count_label(self):
        return count_label(self.count, self.exact, self.count_limit)

    def validate_number(self, number):
        if self.exact:
            return super().validate_number(number)
        # The total is an estimate: any page may exist; one past the end is simply empty.
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        # One more row than shown tells whether another page follows.
        end = start + self.per_page + 1
        if end <= len(self.first_ids) or self.all_ids:
            rows = self.rows_of(self.first_ids[start:end])
        else:
            window = self.object_list.values("pk")[start:end]
            rows = list(self.prepare(self.object_list.filter(pk__in=window)))
        return BoundedPage(rows[: self.per_page], number, self, len(rows) > self.per_page)

    def rows_of(self, ids):
        """Return the rows `ids` (rows of the list), prepared, in the order of `ids`.

        Read by id alone: the filters and the order would only lead the planner to walk the
        list's index in order, testing each row against the ids.
        """
        if not ids:
            return []
        rows = self.prepare(self.object_list.model.objects.filter(pk__in=ids).order_by())
        position = {pk: index for index, pk in enumerate(ids)}
        return sorted(rows, key=lambda row: position[row.pk])

    def page_links(self, page, on_each_side=2, on_ends=2):
        """Return the page numbers to link (ELLIPSIS between gaps), as Django's elided range.

        With an estimated total the last pages are not known: the range ends after the pages
        next to the current one.
        """
        if self.exact:
            return list(
                self.get_elided_page_range(page.number, on_each_side=on_each_side, on_ends=on_ends)
            )
        last = page.number + (on_each_side if page.has_next() else 0)
        numbers = sorted(
            set(range(1, on_ends + 1)) | set(range(page.number - on_each_side, last + 1))
        )
        links, previous = [], 0
        for number in numbers:
            if number < 1:
                continue
            if number > previous + 1:
                links.append(self.ELLIPSIS)
            links.append(number)
            previous = number
        if page.has_next():
            links.append(self.ELLIPSIS)
        return links
