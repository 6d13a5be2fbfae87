"""CSV/JSON rows of the sources list."""

from config.exports import ListExporter, iso, public_url, url_maker


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
        "visits",
        "source_url",
        "url",
    )

    def __init__(self, request):
        super().__init__(request)
        self.url = url_maker(request, "sources:detail", "slug")

    def row(self, source):
        return [
            source.slug,
            source.title,
            source.get_kind_display(),
            source.publisher,
            source.author_list,
            iso(source.published_date),
            source.language,
            [issue.name for issue in source.issues.all()],
            [visit.title for visit in source.visits.all()],
            public_url(source.url),
            self.url(source.slug),
        ]
