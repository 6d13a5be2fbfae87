"""Public pages of source documents."""

from django.views.generic import DetailView

from config.facets import ChoiceFacet, ManyFacet, ValueFacet, YearFacet
from config.highlight import Quote, highlight_body
from config.listing import FilteredListView
from sources.exports import SourceExporter
from sources.filters import SourceFilterSet
from sources.models import SourceDocument, SourceKind
from visits.views import issue_choices


class SourceListView(FilteredListView):
    """Sources: filter by kind, publisher, year, issue, visit and text; facets; CSV and JSON."""

    model = SourceDocument
    filterset_class = SourceFilterSet
    exporter_class = SourceExporter
    template_name = "sources/sourcedocument_list.html"
    title = "Sources"
    form_fields = ("q", "kind", "publisher", "issue", "year")
    facet_choice_fields = ("publisher",)
    headline_field = "body"

    def get_facets(self):
        return [
            ChoiceFacet("kind", "Kind", path="kind", choices=tuple(SourceKind.choices)),
            ValueFacet("publisher", "Publisher", path="publisher"),
            YearFacet("year", "Year published", path="published_date"),
            ManyFacet("issue", "Issue", relation="issues"),
        ]

    def fill_form(self, form, facets, chips):
        super().fill_form(form, facets, chips)
        form.fields["issue"].widget.choices = issue_choices()


class SourceDetailView(DetailView):
    """A source: its metadata, citations, and its body with each claim's quote highlighted."""

    template_name = "sources/sourcedocument_detail.html"
    context_object_name = "source"

    def get_queryset(self):
        return SourceDocument.objects.published().defer("raw_text", "search_vector")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        # The claim model sits above sources: reached through the reverse relation.
        claims = list(source.claims.published().for_list().order_by("pk"))
        quotes = [
            Quote(
                anchor=f"claim-{claim.pk}",
                text=claim.quote,
                title=claim.summary,
                note_url=f"#note-{claim.pk}",
            )
            for claim in claims
        ]
        body_html = highlight_body(source.body, quotes)
        for claim, quote in zip(claims, quotes, strict=True):
            claim.note_number, claim.quote_found = quote.number, quote.found
        claims.sort(key=lambda claim: claim.note_number)
        context.update(
            body_html=body_html,
            claims=claims,
            citations=list(source.citations.all()),
            visits=list(source.visits.published().for_list()),
            issues=list(source.issues.published().only("name", "slug")),
            actors=list(source.actors.published().only("name", "slug")),
        )
        return context
