"""The reads of visits and issues: what a card, a link and an issue's counts need."""

from django.db import connections
from django.db.models import Count

from core.lists.paging import about
from core.models import CuratedQuerySet, public_q, shown

#: Counts of an issue's visits or claims above which the issues list shows an estimate.
ESTIMATE_ABOVE = 1_000


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

    def attach_counts(self, issues):
        """Set `visit_count` and `claim_count` (public rows) and their labels on each issue.

        Counts are exact, except where the planner's statistics put them above
        ESTIMATE_ABOVE: those show its estimate ("about 240,000"), read without counting.
        """
        issues = list(issues)
        relations = {"visit": self.model.visits, "claim": self.model.claims}
        estimates = _estimated_counts(list(relations.values()), self.model, self.db)
        for kind, relation in relations.items():
            estimated = {pk: n for pk, n in estimates[relation].items() if n > ESTIMATE_ABOVE}
            wanted = [issue.pk for issue in issues if issue.pk not in estimated]
            exact = _link_counts(relation, wanted, self.model)
            for issue in issues:
                count = estimated.get(issue.pk, exact.get(issue.pk, 0))
                setattr(issue, f"{kind}_count", count)
                label = f"about {about(count)}" if issue.pk in estimated else f"{count:,}"
                setattr(issue, f"{kind}_count_label", label)
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
    if not issue_ids:  # every count is an estimate: nothing to read
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


def _estimated_counts(relations, issue_model, using):
    """Return {relation: {issue id: estimated public rows}} from the planner's statistics.

    PostgreSQL keeps, per column, the most common values and their frequencies; for a link
    table's `issue_id` they are each issue's share of the links. Times the number of links
    and the share of public rows on the other side, that is the estimate the planner itself
    would make, read in two small queries instead of counting a million links. Empty where
    there are no statistics (another database, or a table never analysed).
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return {relation: {} for relation in relations}
    links = {relation: relation.through._meta.db_table for relation in relations}
    owners = {
        relation: _owner_field(relation, issue_model).related_model._meta.db_table
        for relation in relations
    }
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.tablename, c.reltuples, s.most_common_vals::text, s.most_common_freqs
            FROM pg_stats s JOIN pg_class c
                ON c.relname = s.tablename AND c.relnamespace = current_schema()::regnamespace
            WHERE s.schemaname = current_schema() AND s.attname = 'issue_id'
                AND s.tablename = ANY(%s)
            """,
            [list(links.values())],
        )
        link_stats = {table: (rows, values, freqs) for table, rows, values, freqs in cursor}
        cursor.execute(
            """
            SELECT tablename, most_common_vals::text, most_common_freqs FROM pg_stats
            WHERE schemaname = current_schema() AND attname = 'is_public'
                AND tablename = ANY(%s)
            """,
            [list(owners.values())],
        )
        public_share = {
            table: dict(zip(_array(values), freqs, strict=True)).get("t", 0.0)
            for table, values, freqs in cursor
        }
    result = {}
    for relation, table in links.items():
        rows, values, freqs = link_stats.get(table, (0, None, None))
        share = public_share.get(owners[relation], 0.0)
        result[relation] = {
            int(pk): round(rows * freq * share)
            for pk, freq in zip(_array(values), freqs or [], strict=True)
        }
    return result


def _array(text):
    """Return the items of a PostgreSQL array written as text ("{6,1,4}")."""
    return text.strip("{}").split(",") if text else []
