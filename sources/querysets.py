"""The reads of source documents: what a list row, a CSV row and a count of visits need."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from core.models import CuratedQuerySet, public_q, shown


class SourceDocumentQuerySet(CuratedQuerySet):
    def articles(self):
        """Return the public sources curators read: every kind but an imported dataset."""
        return self.published().exclude(kind=self.model.DATASET_KIND)

    def for_list(self):
        """Return sources without their (long) texts, with what a list row shows."""
        issue_model = self.model._meta.get_field("issues").related_model
        issues = issue_model.objects.published().as_links()
        return (
            self.defer_unshown()
            .defer("raw_text", "body")
            .prefetch_related(shown("issues", issues, "shown_issues"))
        )

    def with_visit_count(self):
        """Return sources annotated with `visit_count`, their public visits (a subquery each)."""
        links = self.public_visit_links()
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
