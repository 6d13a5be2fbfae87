"""Reads for source pages that go beyond the model's QuerySet."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from core.models import public_q
from sources.models import SourceDocument
from visits.models import Visit

#: Visits counted per source on the sources list; a dataset covering thousands shows as more.
LIST_VISIT_LIMIT = 100


class CappedCount(Subquery):
    """The number of rows of a sliced subquery: counting stops at its LIMIT."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


def _public_links():
    through = SourceDocument.visits.through
    return through.objects.filter(
        public_q(Visit, prefix="visit__"), sourcedocument_id=OuterRef("pk")
    ).order_by()


def visit_count():
    """Return an annotation counting the public visits a source covers (a subquery per row)."""
    links = _public_links().values("sourcedocument_id").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(links, output_field=IntegerField()), Value(0))


def capped_visit_count(limit=None):
    """Return an annotation counting a source's public visits up to `limit`+1 (for a list page).

    A dataset source covers thousands of visits: counting them all for each row of a page
    would cost more than the page.
    """
    limit = LIST_VISIT_LIMIT if limit is None else limit
    return CappedCount(_public_links().values("pk")[: limit + 1])
