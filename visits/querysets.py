"""The reads of visits and issues: what a card, a link and an issue's counts need."""

from django.db import models
from django.db.models import Exists, OuterRef

from core.cache import once
from core.lists.facets import ManyFacet
from core.lists.tally import TIMEOUT, counts
from core.models import CuratedQuerySet, public_q, shown


class IssueQuerySet(CuratedQuerySet):
    def as_links(self):
        """Return issues with only what a link to one needs (its name and slug)."""
        return self.only("name", "slug")

    def public_counts(self, version=None):
        """Return {issue id: (public visits, public claims)} of every issue, exact.

        Kept up to date block by block (core.lists.tally): counting the links of a million
        claims takes the database about half a second. `version` is the data's version if
        the caller has read it.
        """
        if version is None:
            return self.count_links()
        return once(f"issue-counts:{version}", self.count_links, timeout=TIMEOUT)

    def count_links(self):
        """Return {issue id: (public visits, public claims)}, as kept by block: six queries."""
        per_issue = {}
        for relation in ("visits", "claims"):
            # Issue.claims is the reverse side of Claim.issues: claims sit above visits and
            # are reached through the relation rather than imported.
            model = self.model._meta.get_field(relation).related_model
            facet = ManyFacet("issue", "Issue", relation="issues")
            kept = counts(f"issue-{relation}", model.objects.published(), [facet])
            per_issue[relation] = kept.counts.values.get("issue", {})
        issues = set(per_issue["visits"]) | set(per_issue["claims"])
        return {
            pk: (per_issue["visits"].get(pk, 0), per_issue["claims"].get(pk, 0)) for pk in issues
        }

    def attach_counts(self, issues, version=None):
        """Set `visit_count` and `claim_count` (public rows) and their labels on each issue."""
        issues = list(issues)
        counts = self.public_counts(version)
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


class ParticipationQuerySet(models.QuerySet):
    def published(self):
        """Return the parts in public visits of public actors."""
        visit, actor = (
            self.model._meta.get_field(name).related_model for name in ("visit", "actor")
        )
        return self.filter(public_q(visit, "visit__"), public_q(actor, "actor__"))

    def for_list(self):
        """Return parts with their visit, its visitor and the actor, in one query."""
        return self.select_related("visit__visitor", "actor")
