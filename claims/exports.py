"""CSV/JSON rows of the claims list."""

from claims.models import ClaimKind, ClaimStatus
from config.exports import ListExporter, iso, public_url, url_maker

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
    )

    many = {"actor_names": "actors", "issue_names": "issues", "disputer_names": "disputed_by"}

    def __init__(self, request):
        super().__init__(request)
        self.url = url_maker(request, "claims:detail", "pk")

    def prepare(self, queryset):
        # Only the columns a row shows: a million rows are read.
        return queryset.select_related("source", "speaker", "visit").only(
            "summary",
            "quote",
            "kind",
            "status",
            "speaker__name",
            "visit__title",
            "source__title",
            "source__publisher",
            "source__published_date",
            "source__url",
        )

    def row(self, claim):
        source = claim.source
        return [
            claim.pk,
            claim.summary,
            claim.quote,
            KINDS.get(claim.kind, claim.kind),
            STATUSES.get(claim.status, claim.status),
            claim.speaker.name if claim.speaker else "",
            claim.actor_names,
            claim.issue_names,
            claim.visit.title if claim.visit else "",
            source.title,
            source.publisher,
            iso(source.published_date),
            public_url(source.url),
            self.url(claim.pk),
            claim.disputer_names,
        ]
