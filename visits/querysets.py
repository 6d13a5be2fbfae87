"""Reads for issue pages that go beyond one model's QuerySet."""

from django.db.models import Count, IntegerField, OuterRef, Subquery

from config.curation import public_q
from config.paging import capped_label
from visits.models import Issue, Visit

#: Links counted per issue on the issues list; more show as "more than 1,000".
LIST_COUNT_LIMIT = 1_000


class CappedCount(Subquery):
    """The number of rows of a sliced subquery: counting stops at its LIMIT."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped)"
    output_field = IntegerField()


def _owner_field(relation):
    through = relation.through
    return next(
        field
        for field in through._meta.get_fields()
        if field.is_relation and field.many_to_one and field.related_model is not Issue
    )


def _link_counts(relation, issue_ids):
    """Return {issue id: number of public rows linked through `relation`}: one query.

    `relation` is a many-to-many descriptor whose `through` has an `issue` side; the rows on
    the other side are counted only when public (a semi-join on their public ids).
    """
    through = relation.through
    owner_field = _owner_field(relation)
    owners = owner_field.related_model.objects.published().values("pk")
    rows = (
        through.objects.filter(issue_id__in=issue_ids, **{f"{owner_field.name}_id__in": owners})
        .values("issue_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {row["issue_id"]: row["n"] for row in rows}


def issue_counts(issue_ids):
    """Return {issue id: (public visits, public claims)}: two queries in all."""
    visits = _link_counts(Visit.issues, issue_ids)
    # Issue.claims is the reverse side of Claim.issues: claims sit above visits and are
    # reached through the relation rather than imported.
    claims = _link_counts(Issue.claims, issue_ids)
    return {pk: (visits.get(pk, 0), claims.get(pk, 0)) for pk in issue_ids}


def _capped_link_count(relation, limit):
    """Return an annotation counting an issue's public rows through `relation`, up to `limit`+1.

    Each issue's count reads at most limit+1 links, so the list costs the same whether an
    issue has a hundred claims or a million.
    """
    owner_field = _owner_field(relation)
    links = (
        relation.through.objects.filter(issue_id=OuterRef("pk"))
        .filter(public_q(owner_field.related_model, prefix=f"{owner_field.name}__"))
        .order_by()
        .values("pk")[: limit + 1]
    )
    return CappedCount(links)


def attach_counts(issues, limit=None):
    """Set `visit_count` and `claim_count` (public rows, up to `limit`+1) and their labels.

    One query for the shown issues.
    """
    limit = LIST_COUNT_LIMIT if limit is None else limit
    issues = list(issues)
    counts = {
        pk: (visits, claims)
        for pk, visits, claims in Issue.objects.filter(pk__in=[issue.pk for issue in issues])
        .annotate(
            n_visits=_capped_link_count(Visit.issues, limit),
            # Issue.claims is the reverse side of Claim.issues: claims sit above visits and
            # are reached through the relation rather than imported.
            n_claims=_capped_link_count(Issue.claims, limit),
        )
        .values_list("pk", "n_visits", "n_claims")
    }
    for issue in issues:
        issue.visit_count, issue.claim_count = counts.get(issue.pk, (0, 0))
        issue.visit_count_label = capped_label(issue.visit_count, limit)
        issue.claim_count_label = capped_label(issue.claim_count, limit)
    return issues
