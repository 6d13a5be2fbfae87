"""Public pages of source documents."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView

from core.highlight import Quote, highlight_body
from core.lists.views import FilteredListView
from core.preview import PreviewMixin
from sources import citations
from sources.exports import SourceExporter
from sources.filters import SourceFilterSet
from sources.models import SourceDocument

#: Claims listed beside a source's text (all of them are highlighted in it; a dataset may
#: carry thousands, which the claims list pages through).
NOTES_SHOWN = 200
VISITS_SHOWN = 50


class SourceListView(FilteredListView):
    """Sources: filter by kind, publisher, year, issue, visit and text; facets; CSV and JSON."""

    model = SourceDocument
    filterset_class = SourceFilterSet
    api_view_name = "api:source-list"
    api_serializer = "api.serializers.SourceSerializer"
    exporter_class = SourceExporter
    title = "Sources"
    headline_field = "body"

    def prepare(self, queryset):
        return queryset.for_list().with_visit_count()

    def decorate(self, objects):
        for source in objects:
            source.visit_count_label = f"{source.visit_count:,}"
        return objects


class SourceDetailView(PreviewMixin, DetailView):
    """A source: its metadata, citations, and its body with each claim's quote highlighted."""

    context_object_name = "source"

    def get_queryset(self):
        return self.viewable(SourceDocument.objects).defer("raw_text", "search_vector")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        # Claims sit above sources: reached through the reverse relation, not imported.
        claims = source.claims.published()
        columns = ("pk", "quote", "summary", "quote_start", "is_orphaned")
        rows = list(claims.order_by("pk").values_list(*columns))
        quotes = {
            pk: Quote(
                anchor=f"claim-{pk}",
                text=quote,
                title=summary,
                key=pk,
                start=start,
                orphaned=orphaned,
            )
            for pk, quote, summary, start, orphaned in rows
        }

        def note_url(quote):
            if quote.number <= NOTES_SHOWN:
                return f"#note-{quote.key}"
            return reverse("claims:detail", kwargs={"pk": quote.key})

        body_html = highlight_body(source.body, list(quotes.values()), note_url)
        shown = [pk for pk, quote in quotes.items() if quote.number <= NOTES_SHOWN]
        notes = list(claims.for_list().filter(pk__in=shown))
        for claim in notes:
            claim.note_number = quotes[claim.pk].number
            claim.quote_found = quotes[claim.pk].found
            claim.quote_orphaned = quotes[claim.pk].orphaned
        notes.sort(key=lambda claim: claim.note_number)
        visits = source.visits.published()
        context.update(
            body_html=body_html,
            claims=notes,
            claim_count=len(rows),
            citations=list(source.citations.all()),
            visits=list(visits.order_by("-start_date", "pk")[:VISITS_SHOWN]),
            visit_total=visits.count(),
            issues=list(source.issues.published().only("name", "slug")),
            actors=list(source.actors.published().only("name", "slug")[:100]),
            permalink=self.request.build_absolute_uri(source.get_absolute_url()),
            api_url=reverse("api:source-detail", kwargs={"slug": source.slug}),
            **cite_context(
                self.request, citations.source_item(self.request, source), self.cite_files()
            ),
        )
        return context

    def cite_files(self):
        slug = self.object.slug
        return [
            (label, reverse("sources:cite", kwargs={"slug": slug, "ext": ext}))
            for label, ext in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))
        ]


#: The citation files: extension → (content type, writer of a list of CSL items).
CITATION_FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", citations.bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", citations.ris),
    "json": (
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        lambda items: json.dumps(items, ensure_ascii=False, indent=2),
    ),
}


def citation_response(items, ext, filename):
    """Return the citation file of CSL `items` in the format of `ext` (404 for another)."""
    if ext not in CITATION_FORMATS:
        raise Http404("No such citation format: use .bib, .ris or .json.")
    content_type, write = CITATION_FORMATS[ext]
    response = HttpResponse(write(items), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}.{ext}"'
    return response


def cite_context(request, item, files):
    """Return the template context of a record's Cite block."""
    return {
        "cite_references": citations.formatted(item),
        "cite_files": [(label, request.build_absolute_uri(url)) for label, url in files],
    }


def source_cite(request, slug, ext):
    """/sources/<slug>/cite.bib|.ris|.json: the source's citation."""
    sources = SourceDocument.objects.published().defer("raw_text", "body")
    source = get_object_or_404(sources, slug=slug)
    return citation_response([citations.source_item(request, source)], ext, source.slug)
