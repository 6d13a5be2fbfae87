"""CSV/JSON rows of the claims list."""

from claims.models import ClaimKind, ClaimStatus
from core.lists.exports import ListExporter, iso, url_maker
from core.text import web_url

# Labels looked up once: get_FOO_display() is costly over a million rows.
KINDS, STATUSES = dict(ClaimKind.choices), dict(ClaimStatus.choices)


class ClaimExporter(ListExporter):
    """One row per claim, with the columns of the public contract (and who disputed it)."""

    name = "claims"
    columns = (
        "id",
        "summary",
        "quote",
        "kind",
        "status",
        "speaker",
        "actors",
        "issues",
        "visit",
        "source_title",
        "source_publisher",
        "source_date",
        "source_url",
        "url",
        "disputed_by",
        "status_note",
        "visit_slug",
        "visit_url",
    )

    many = {"actor_names": "actors", "issue_names": "issues", "disputer_names": "disputed_by"}

    def __init__(self, request):
        super().__init__(request)
        self.url = url_maker(request, "claims:detail", "pk")
        self.visit_url = url_maker(request, "visits:detail", "slug")

    fields = (
        "summary",
        "quote",
        "kind",
        "status",
        "speaker__name",
        "visit__title",
        "visit__slug",
        "status_note",
        "source__title",
        "source__publisher",
        "source__published_date",
        "source__url",
    )

    def row(self, claim):
        return [
            claim["pk"],
            claim["summary"],
            claim["quote"],
            KINDS.get(claim["kind"], claim["kind"]),
            STATUSES.get(claim["status"], claim["status"]),
            claim["speaker__name"] or "",
            claim["actor_names"],
            claim["issue_names"],
            claim["visit__title"] or "",
            claim["source__title"],
            claim["source__publisher"],
            iso(claim["source__published_date"]),
            web_url(claim["source__url"]),
            self.url(claim["pk"]),
            claim["disputer_names"],
            claim["status_note"],
            claim["visit__slug"] or "",
            self.visit_url(claim["visit__slug"]) if claim["visit__slug"] else "",
        ]
