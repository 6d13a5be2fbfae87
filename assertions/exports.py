"""CSV/JSON rows of the assertions list."""

from assertions.models import Agreement
from core.lists.exports import Choice, Field, Link, ListExporter, Names


class AssertionExporter(ListExporter):
    """One row per assertion: what is stated, about which visit, and how far sources agree."""

    name = "assertions"
    columns = {
        "id": Field("pk"),
        "statement": Field("statement"),
        "agreement": Choice("agreement", Agreement.choices, name_only=True),
        "sources_for": Field("sources_for"),
        "claims_against": Field("claims_against"),
        "claims": Field("claim_count"),
        "visit": Field("visit__title"),
        "visit_slug": Field("visit__slug"),
        "visit_url": Link("visits:detail", "visit__slug"),
        "issues": Names("issues"),
        "url": Link("assertions:detail"),
    }
