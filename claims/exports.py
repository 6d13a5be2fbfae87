"""CSV/JSON rows of the claims list."""

from claims.models import ClaimKind, ClaimStatus
from core.lists.exports import Choice, Date, Field, Link, ListExporter, Names
from core.text import web_url


class ClaimExporter(ListExporter):
    """One row per claim, with the columns of the public contract (and who disputed it)."""

    name = "claims"
    columns = {
        "id": Field("pk"),
        "summary": Field("summary"),
        "quote": Field("quote"),
        "kind": Choice("kind", ClaimKind.choices),
        "status": Choice("status", ClaimStatus.choices),
        "speaker": Field("speaker__name"),
        "actors": Names("actors"),
        "issues": Names("issues"),
        "visit": Field("visit__title"),
        "source_title": Field("source__title"),
        "source_publisher": Field("source__publisher"),
        "source_date": Date("source__published_date"),
        "source_url": Field("source__url", web_url),
        "url": Link("claims:detail", "pk", "pk"),
        "disputed_by": Names("disputed_by"),
        "status_note": Field("status_note"),
        "visit_slug": Field("visit__slug"),
        "visit_url": Link("visits:detail", "visit__slug"),
    }
