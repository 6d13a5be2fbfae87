"""Pagination that stays cheap at a million rows: a known total and deferred joins.

- The total is the list's exact count, counted once per filter set and data version (see
  tally) and handed to the paginator, which therefore never counts.
- A page is read as a deferred join: the ids of its rows come from a subquery of the filtered,
  ordered query alone, which a partial index on the sort key answers without reading the rows
  it skips; only those rows are then read with their joins (and prefetches).
"""

from functools import cached_property

from django.core.paginator import Page, Paginator


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
