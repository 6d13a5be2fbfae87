"""Pagination that stays cheap at a million rows: a known total and deferred joins.

- The total is the list's exact count, counted once per filter set and data version (see
  tally) and handed to the paginator, which therefore never counts.
- A page is read as a deferred join: the ids of its rows come from a subquery of the filtered,
  ordered query alone, which a partial index on the sort key answers without reading the rows
  it skips; only those rows are then read with their joins (and prefetches).
"""

import json
import math
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db import connections

# LEGACY (being replaced by exact counts)

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


class ListPaginator(Paginator):
    """Pages of an ordered QuerySet of `count` rows, each read by a deferred join.

    `prepare(queryset)` adds what a shown row needs (select_related, prefetches) to the query
    that reads the page's rows.
    """

    def __init__(self, object_list, per_page, *, prepare=None, count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.prepare = prepare or (lambda queryset: queryset)
        self.known_count = count

    @cached_property
    def count(self):
        return self.object_list.count() if self.known_count is None else self.known_count

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        window = self.object_list.values("pk")[start : start + self.per_page]
        rows = list(self.prepare(self.object_list.filter(pk__in=window)))
        return Page(rows, number, self)

    def page_links(self, page, on_each_side=2, on_ends=1):
        """Return the page numbers to link (ELLIPSIS between gaps): the first, the last, and
        those next to the current page, as Django's elided range."""
        return list(
            self.get_elided_page_range(page.number, on_each_side=on_each_side, on_ends=on_ends)
        )
