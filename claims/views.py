"""Public pages of claims."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView

from claims.exports import ClaimExporter
from claims.filters import ClaimFilterSet
from claims.models import Claim
from core.lists.views import FilteredListView
from core.preview import PreviewMixin
from sources import citations
from sources.views import citation_response, cite_context


class ClaimListView(FilteredListView):
    """Claims: filter by issue, people, visit, source, status, kind, year and text."""

    model = Claim
    filterset_class = ClaimFilterSet
    api_view_name = "api:claim-list"
    api_serializer = "api.serializers.ClaimSerializer"
    exporter_class = ClaimExporter
    title = "Claims"
    headline_field = "quote"


class ClaimDetailView(PreviewMixin, DetailView):
    """A claim: its quote in context, who says it, its status, what it is about."""

    def get_queryset(self):
        return self.viewable(Claim.objects).for_list().select_related("visit__visitor")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.object
        files = [
            (label, reverse("claims:cite", kwargs={"pk": claim.pk, "ext": ext}))
            for label, ext in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))
        ]
        context.update(
            permalink=self.request.build_absolute_uri(claim.get_absolute_url()),
            api_url=reverse("api:claim-detail", kwargs={"pk": claim.pk}),
            **cite_context(self.request, claim_item(self.request, claim), files),
        )
        return context


def claim_item(request, claim):
    """Return the CSL item citing `claim`: its source, with its quote and permalink as a note."""
    permalink = request.build_absolute_uri(claim.get_absolute_url())
    return citations.csl_item(
        claim.source,
        key=f"claim-{claim.pk}",
        note=citations.claim_note(claim, permalink),
        page_url=permalink,
    )


def claim_cite(request, pk, ext):
    """/claims/<id>/cite.bib|.ris|.json: the claim's citation (its source, quoted)."""
    claim = get_object_or_404(Claim.objects.published().select_related("source"), pk=pk)
    return citation_response([claim_item(request, claim)], ext, f"claim-{claim.pk}")
