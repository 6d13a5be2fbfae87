"""The reads of visits and issues: what a card, a link and an issue's counts need."""

from django.db.models import Count, Exists, OuterRef

from core.lists.tally import digest, kept
from core.models import CuratedQuerySet, public_q, shown


class IssueQuerySet(CuratedQuerySet):
    def as_links(self):
        """Return issues with only what a link to one needs (its name and slug)."""
        return self.only("name", "slug")

    def counts(self, issue_ids):
        """Return {issue id: (public visits, public claims)}, exact: two queries in all."""
        # Issue.claims is the reverse side of Claim.issues: claims sit above visits and are
        # reached through the relation rather than imported.
        visits = _link_counts(self.model.visits, issue_ids, self.model)
        claims = _link_counts(self.model.claims, issue_ids, self.model)
        return {pk: (visits.get(pk, 0), claims.get(pk, 0)) for pk in issue_ids}

    def attach_counts(self, issues, version=None):
        """Set `visit_count` and `claim_count` (public rows) and their labels on each issue.

        Exact, and kept per data version (core.lists.tally.kept): counting the links of a
        million claims takes the database about half a second. `version` is the data's
        version if the caller has read it.
        """
        issues = list(issues)
        ids = sorted(issue.pk for issue in issues)
        counts = kept(f"issue-counts:{digest(ids)}", lambda: self.counts(ids), version, self.db)
        for issue in issues:
            visits, claims = counts.get(issue.pk, (0, 0))
            issue.visit_count, issue.visit_count_label = visits, f"{visits:,}"
            issue.claim_count, issue.claim_count_label = claims, f"{claims:,}"
        return issues


class VisitQuerySet(CuratedQuerySet):
    def for_list(self):
        """Return visits with everything a card shows, in a fixed few queries."""
        related = ("visitor", "origin", "destination")
        issue_model = self.model._meta.get_field("issues").related_model
        issues = issue_model.objects.published().as_links()
        return (
            self.select_related(*related)
            .defer_unshown(*related)
            .prefetch_related(shown("issues", issues, "shown_issues"))
        )

    def covered_q(self, sources):
        """Return an Exists() true for visits one of `sources` (source documents) covers.

        Visits sit below sources: the sources are given rather than imported.
        """
        links = self.model.sources.through.objects.filter(
            visit_id=OuterRef("pk"), sourcedocument__in=sources
        )
        return Exists(links)

    def claimed_q(self, sources):
        """Return an Exists() true for visits one of `sources` makes a public claim about."""
        claim_model = self.model._meta.get_field("claims").related_model
        claims = claim_model.objects.published().filter(visit_id=OuterRef("pk"), source__in=sources)
        return Exists(claims)

    def covered_by(self, sources):
        """Return visits that one of `sources` covers."""
        return self.filter(self.covered_q(sources))

    def claimed_in(self, sources):
        """Return visits that one of `sources` makes a public claim about."""
        return self.filter(self.claimed_q(sources))

    def discussed_in(self, sources):
        """Return visits that one of `sources` covers or makes a public claim about."""
        return self.filter(self.covered_q(sources) | self.claimed_q(sources))


def _owner_field(relation, issue_model):
    """Return the foreign key of `relation`'s link table to the rows linked to issues."""
    return next(
        field
        for field in relation.through._meta.get_fields()
        if field.is_relation and field.many_to_one and field.related_model is not issue_model
    )


def _link_counts(relation, issue_ids, issue_model):
    """Return {issue id: number of public rows linked through `relation`}: one query.

    `relation` is a many-to-many descriptor whose `through` has an `issue` side; the rows on
    the other side are counted only when public.
    """
    if not issue_ids:
        return {}
    owner_field = _owner_field(relation, issue_model)
    rows = (
        relation.through.objects.filter(issue_id__in=issue_ids)
        .filter(public_q(owner_field.related_model, prefix=f"{owner_field.name}__"))
        .values("issue_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {row["issue_id"]: row["n"] for row in rows}
