"""CSV/JSON rows of the sources list."""

from config.exports import ListExporter, iso, public_url, url_maker
from sources.querysets import visit_count


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

    def prepare(self, queryset):
        return queryset.defer("raw_text", "body", "search_vector").annotate(
            visit_count=visit_count()
        )

    def row(self, source):
        return [
            source.slug,
            source.title,
            source.get_kind_display(),
            source.publisher,
            source.author_list,
            iso(source.published_date),
            source.language,
            source.issue_names,
            source.visit_count,
            public_url(source.url),
            self.url(source.slug),
        ]
