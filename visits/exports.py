"""CSV/JSON rows of the visits and issues lists."""

from core.lists.exports import ListExporter, iso, url_maker
from core.status import PublicationStatus
from visits.models import Issue, VisitKind

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

    fields = (
        "slug",
        "title",
        "visitor__name",
        "origin__name",
        "destination__name",
        "city",
        "start_date",
        "end_date",
        "date_precision",
        "kind",
        "summary",
    )

    def row(self, visit):
        return [
            visit["slug"],
            visit["title"],
            visit["visitor__name"],
            visit["origin__name"] or "",
            visit["destination__name"] or "",
            visit["city"],
            iso(visit["start_date"]),
            iso(visit["end_date"]),
            visit["date_precision"],
            KINDS.get(visit["kind"], visit["kind"]),
            visit["issue_names"],
            visit["summary"],
            self.url(visit["slug"]),
        ]


class IssueExporter(ListExporter):
    """One row per issue, with its numbers of public visits and claims."""

    name = "issues"
    columns = ("slug", "name", "parent", "description", "visits", "claims", "url")

    def __init__(self, request):
        super().__init__(request)
        self.url = url_maker(request, "visits:issue-detail", "slug")

    fields = ("slug", "name", "description", "parent__name", "parent__publication_status")

    def extend(self, records):
        counts = Issue.objects.public_counts(getattr(self.request, "data_version", None))
        for record in records:
            record["visit_count"], record["claim_count"] = counts.get(record["pk"], (0, 0))

    def row(self, issue):
        parent_public = issue["parent__publication_status"] == PublicationStatus.PUBLISHED
        return [
            issue["slug"],
            issue["name"],
            issue["parent__name"] if parent_public else "",
            issue["description"],
            issue["visit_count"],
            issue["claim_count"],
            self.url(issue["slug"]),
        ]
