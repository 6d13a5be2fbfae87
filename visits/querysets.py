"""Reads for issue pages that go beyond one model's QuerySet."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from config.curation import public_q
from visits.models import Issue, Visit


def _count_subquery(through, owner):
    """Return a Subquery counting public `owner` rows linked to the outer issue."""
    owner_model = through._meta.get_field(owner).related_model
    links = (
        through.objects.filter(public_q(owner_model, prefix=f"{owner}__"))
        .filter(issue_id=OuterRef("pk"))
        .order_by()
        .values("issue_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(links, output_field=IntegerField()), Value(0))


def with_counts(issues):
    """Return `issues` annotated with their numbers of public visits and claims."""
    return issues.select_related("parent").annotate(
        visit_count=_count_subquery(Visit.issues.through, "visit"),
        # Issue.claims is the reverse side of Claim.issues: claims sit above visits and are
        # reached through the relation rather than imported.
        claim_count=_count_subquery(Issue.claims.through, "claim"),
    )
