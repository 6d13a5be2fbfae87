"""The reads of source documents: what a list row, a CSV row and a count of visits need."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from core.models import CuratedQuerySet, public_q, shown

#: Visits counted per source on the sources list; a dataset covering thousands shows as more.
LIST_VISIT_LIMIT = 100


class CappedCount(Subquery):
    """The number of rows of a sliced subquery: counting stops at its LIMIT."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


class SourceDocumentQuerySet(CuratedQuerySet):
    def for_list(self):
        """Return sources without their (long) texts, with what a list row shows."""
        issue_model = self.model._meta.get_field("issues").related_model
        issues = issue_model.objects.published().as_links()
        return (
            self.defer_unshown()
            .defer("raw_text", "body")
            .prefetch_related(shown("issues", issues, "shown_issues"))
        )

    def with_visit_count(self, limit=None):
        """Return sources annotated with `visit_count`, their public visits (a subquery each).

        Given a `limit`, counting stops at `limit`+1: a dataset source covers thousands of
        visits, and counting them all for each row of a list page would cost more than the page.
        """
        links = self.public_visit_links()
        if limit is not None:
            return self.annotate(visit_count=CappedCount(links.values("pk")[: limit + 1]))
        counted = links.values("sourcedocument_id").annotate(n=Count("*")).values("n")
        return self.annotate(
            visit_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
        )

    def public_visit_links(self):
        """Return the links of the outer query's source to its public visits (a subquery)."""
        visit_model = self.model._meta.get_field("visits").related_model
        return self.model.visits.through.objects.filter(
            public_q(visit_model, prefix="visit__"), sourcedocument_id=OuterRef("pk")
        ).order_by()
