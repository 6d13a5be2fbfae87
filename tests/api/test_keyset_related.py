"""The API's pages can follow a related row's column (a claim's visit's date), cursor by cursor."""

import datetime

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.pagination import KeysetPagination
from claims.filters import ClaimFilterSet
from claims.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db


class ByVisitDate:
    """A list ordered by its rows' visits' dates, newest first (a view as the pager sees it)."""

    filterset_class = ClaimFilterSet

    def get_ordering(self):
        return "-visit-date", ("-visit__start_date", "-pk")


def walk(queryset, page_size):
    """Return the ids of every page, following `next` cursors, and the number of pages."""
    ids, cursor, pages = [], None, 0
    while True:
        query = {"page_size": page_size, **({"cursor": cursor} if cursor else {})}
        request = Request(APIRequestFactory().get("/api/v1/claims/", query))
        pager = KeysetPagination()
        rows = pager.paginate_queryset(queryset, request, ByVisitDate())
        ids += [row.pk for row in rows]
        pages += 1
        cursor = pager.next_cursor()
        if cursor is None:
            return ids, pages


def test_pages_by_a_related_column_give_every_row_once_in_the_lists_order():
    source = factories.SourceDocumentFactory()
    days = [datetime.date(2019, 7, 21), datetime.date(2023, 12, 11), datetime.date(2019, 7, 21)]
    visits = [factories.VisitFactory(start_date=day, end_date=day) for day in days]
    for visit in visits:
        for _ in range(2):
            factories.ClaimFactory(source=source, visit=visit)
    for _ in range(3):
        factories.ClaimFactory(source=source, visit=None)  # no visit: no date to sort by
    queryset = Claim.objects.order_by("-visit__start_date", "-pk")

    ids, pages = walk(queryset, page_size=2)

    assert ids == list(queryset.values_list("pk", flat=True))
    assert len(ids) == 9 and pages == 5
