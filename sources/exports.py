"""CSV/JSON rows of the sources list."""

from core.lists.exports import ListExporter, iso, url_maker
from core.text import web_url
from sources.models import SourceKind, author_list

KINDS = dict(SourceKind.choices)


class SourceExporter(ListExporter):
    """One row per source document (its text is on its page, not in the export)."""

    name = "sources"
    columns = (
        "slug",
        "title",
        "kind",
        "publisher",
        "authors",
        "published_date",
        "language",
        "issues",
        "visit_count",
        "source_url",
        "url",
    )

    many = {"issue_names": "issues"}

    def __init__(self, request):
        super().__init__(request)
        self.url = url_maker(request, "sources:detail", "slug")

    fields = (
        "slug",
        "title",
        "kind",
        "publisher",
        "authors",
        "published_date",
        "language",
        "visit_count",
        "url",
    )

    def prepare(self, queryset):
        return queryset.with_visit_count()

    def row(self, source):
        return [
            source["slug"],
            source["title"],
            KINDS.get(source["kind"], source["kind"]),
            source["publisher"],
            author_list(source["authors"]),
            iso(source["published_date"]),
            source["language"],
            source["issue_names"],
            source["visit_count"],
            web_url(source["url"]),
            self.url(source["slug"]),
        ]
