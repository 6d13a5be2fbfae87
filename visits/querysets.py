"""Reads for issue pages that go beyond one model's QuerySet."""

from django.db.models import Count

from visits.models import Issue, Visit


def _link_counts(relation, issue_ids):
    """Return {issue id: number of public rows linked through `relation`}: one query.

    `relation` is a many-to-many descriptor whose `through` has an `issue` side; the rows on
    the other side are counted only when public (a semi-join on their public ids).
    """
    through = relation.through
    owner_field = next(
        field
        for field in through._meta.get_fields()
        if field.is_relation and field.related_model is not Issue
    )
    owners = owner_field.related_model.objects.published().values("pk")
    rows = (
        through.objects.filter(issue_id__in=issue_ids, **{f"{owner_field.name}_id__in": owners})
        .values("issue_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {row["issue_id"]: row["n"] for row in rows}


def attach_counts(issues):
    """Set `visit_count` and `claim_count` (public rows) on each issue: two queries in all."""
    issues = list(issues)
    ids = [issue.pk for issue in issues]
    visits = _link_counts(Visit.issues, ids)
    # Issue.claims is the reverse side of Claim.issues: claims sit above visits and are
    # reached through the relation rather than imported.
    claims = _link_counts(Issue.claims, ids)
    for issue in issues:
        issue.visit_count = visits.get(issue.pk, 0)
        issue.claim_count = claims.get(issue.pk, 0)
    return issues
