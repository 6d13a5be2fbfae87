"""CSV/JSON rows of the sources list."""

from core.lists.exports import Choice, Date, Field, Link, ListExporter, Names
from core.text import web_url
from sources import citations
from sources.models import SourceKind, author_list


class SourceExporter(ListExporter):
    """One row per source document (its text is on its page, not in the export)."""

    name = "sources"
    columns = {
        "slug": Field("slug"),
        "title": Field("title"),
        "kind": Choice("kind", SourceKind.choices),
        "publisher": Field("publisher"),
        "authors": Field("authors", author_list),
        "published_date": Date("published_date"),
        "language": Field("language"),
        "issues": Names("issues"),
        "visit_count": Field("visit_count"),
        "source_url": Field("url", web_url),
        "url": Link("sources:detail"),
    }

    def prepare(self, queryset):
        return queryset.with_visit_count()

    def citation_items(self, queryset):
        """Yield the citation (CSL item) of each source of `queryset` (its BibTeX and RIS)."""
        for source in queryset.defer("raw_text", "body", "search_vector").iterator(2000):
            yield citations.source_item(self.request, source)
