"""CSV/JSON rows of the visits and issues lists."""

from config.exports import ListExporter, iso, url_maker
from visits.models import VisitKind
from visits.querysets import attach_counts

# Labels looked up once: get_FOO_display() is costly over many rows.
KINDS = dict(VisitKind.choices)


class VisitExporter(ListExporter):
    """One row per visit, with the columns of the public contract."""

    name = "visits"
    columns = (
        "slug",
        "title",
        "visitor",
        "origin",
        "destination",
        "city",
        "start_date",
        "end_date",
        "date_precision",
        "kind",
        "issues",
        "summary",
        "url",
    )

    many = {"issue_names": "issues"}

    def __init__(self, request):
        super().__init__(request)
        self.url = url_maker(request, "visits:detail", "slug")

    def prepare(self, queryset):
        # Only the columns a row shows: a hundred thousand rows are read.
        return queryset.select_related("visitor", "origin", "destination").only(
            "slug",
            "title",
            "city",
            "start_date",
            "end_date",
            "date_precision",
            "kind",
            "summary",
            "visitor__name",
            "origin__name",
            "destination__name",
        )

    def row(self, visit):
        return [
            visit.slug,
            visit.title,
            visit.visitor.name,
            visit.origin.name if visit.origin else "",
            visit.destination.name if visit.destination else "",
            visit.city,
            iso(visit.start_date),
            iso(visit.end_date),
            visit.date_precision,
            KINDS.get(visit.kind, visit.kind),
            visit.issue_names,
            visit.summary,
            self.url(visit.slug),
        ]


class IssueExporter(ListExporter):
    """One row per issue, with its numbers of public visits and claims."""

    name = "issues"
    columns = ("slug", "name", "parent", "description", "visits", "claims", "url")

    def __init__(self, request):
        super().__init__(request)
        self.url = url_maker(request, "visits:issue-detail", "slug")

    def prepare(self, queryset):
        return queryset.select_related("parent")

    def extend(self, chunk):
        attach_counts(chunk)

    def row(self, issue):
        parent = issue.parent if issue.parent_id and issue.parent.is_published else None
        return [
            issue.slug,
            issue.name,
            parent.name if parent else "",
            issue.description,
            issue.visit_count,
            issue.claim_count,
            self.url(issue.slug),
        ]
