"""Assertions as the public site reads them: their agreement counted from their public claims."""

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from core.models import CuratedQuerySet

SUPPORTS = "supports"
#: The relations order in which an assertion's claims are shown: for it, then against it.
RELATION_ORDER = {"supports": 0, "disputes": 1, "denies": 2}


class AssertionQuerySet(CuratedQuerySet):
    def _links(self):
        """Return the links of the outer assertion to its public claims."""
        links = self.model._meta.get_field("links").related_model.objects
        return links.filter(assertion=OuterRef("pk"), claim__is_public=True).order_by()

    def _count(self, links, column):
        counted = links.values("assertion").annotate(n=Count(column, distinct=True)).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    def with_agreement(self):
        """Annotate each assertion's public claims: `sources_for` (distinct sources stating it),
        `claims_against` (claims disputing or denying it) and `agreement` (contested,
        uncontested or single-source), and `claim_count`.

        Counted by subqueries, not a GROUP BY: the annotations filter, sort and facet as columns.
        """
        links = self._links()
        return self.annotate(
            sources_for=self._count(links.filter(relation=SUPPORTS), "claim__source"),
            claims_against=self._count(links.exclude(relation=SUPPORTS), "claim"),
            claim_count=self._count(links, "claim"),
        ).annotate(
            agreement=Case(
                When(claims_against__gt=0, then=Value("contested")),
                When(sources_for__gte=2, then=Value("uncontested")),
                default=Value("single-source"),
            )
        )

    def shown(self):
        """Return the public assertions with at least one public claim, with their agreement."""
        return self.published().with_agreement().filter(claim_count__gt=0)

    def with_public_links(self):
        """Prefetch each assertion's links to public claims, as `public_links`, for its cards."""
        links = self.model._meta.get_field("links").related_model.objects
        return self.prefetch_related(
            Prefetch(
                "links",
                queryset=links.filter(claim__is_public=True)
                .select_related("claim__source", "claim__speaker", "by")
                .order_by("claim__source_date", "pk"),
                to_attr="public_links",
            )
        )

    def for_list(self):
        return self.select_related("visit").with_public_links()
