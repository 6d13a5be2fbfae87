"""CSV/JSON rows of the assertions list."""

from assertions.models import Agreement
from core.lists.exports import ListExporter, url_maker

AGREEMENTS = dict(Agreement.choices)


class AssertionExporter(ListExporter):
    """One row per assertion: what is stated, about which visit, and how far sources agree."""

    name = "assertions"
    columns = (
        "id",
        "statement",
        "agreement",
        "sources_for",
        "claims_against",
        "claims",
        "visit",
        "visit_slug",
        "visit_url",
        "issues",
        "url",
    )
    fields = (
        "statement",
        "slug",
        "agreement",
        "sources_for",
        "claims_against",
        "claim_count",
        "visit__title",
        "visit__slug",
    )
    many = {"issue_names": "issues"}

    def __init__(self, request):
        super().__init__(request)
        self.url = url_maker(request, "assertions:detail", "slug")
        self.visit_url = url_maker(request, "visits:detail", "slug")

    def row(self, assertion):
        visit_slug = assertion["visit__slug"] or ""
        return [
            assertion["pk"],
            assertion["statement"],
            AGREEMENTS.get(assertion["agreement"], assertion["agreement"]).split(":")[0],
            assertion["sources_for"],
            assertion["claims_against"],
            assertion["claim_count"],
            assertion["visit__title"] or "",
            visit_slug,
            self.visit_url(visit_slug) if visit_slug else "",
            assertion["issue_names"],
            self.url(assertion["slug"]),
        ]
