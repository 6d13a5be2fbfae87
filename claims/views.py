"""Public pages of claims."""

from django.views.generic import DetailView

from claims.exports import ClaimExporter
from claims.filters import ClaimFilterSet
from claims.models import Claim, ClaimKind, ClaimStatus
from core.lists.facets import ChoiceFacet, ManyFacet, RelationFacet, YearFacet
from core.lists.views import FilteredListView
from visits.views import IssueOptionsMixin


class ClaimListView(IssueOptionsMixin, FilteredListView):
    """Claims: filter by issue, people, visit, source, status, kind, year and text."""

    model = Claim
    filterset_class = ClaimFilterSet
    exporter_class = ClaimExporter
    title = "Claims"
    form_fields = ("q", "issue", "status", "kind", "speaker", "actor", "leader", "year")
    facet_choice_fields = ("speaker", "actor", "leader")
    headline_field = "quote"

    def get_facets(self):
        return [
            ManyFacet("issue", "Issue", relation="issues"),
            ChoiceFacet("status", "Status", path="status", choices=tuple(ClaimStatus.choices)),
            ChoiceFacet("kind", "Kind of claim", path="kind", choices=tuple(ClaimKind.choices)),
            YearFacet("year", "Year (of the source)", path="source_date"),
            RelationFacet("speaker", "Speaker", path="speaker"),
            ManyFacet("actor", "About", relation="actors"),
            RelationFacet("leader", "Leader (of the visit)", path="visit__visitor"),
        ]


class ClaimDetailView(DetailView):
    """A claim: its quote in context, who says it, its status, what it is about."""

    def get_queryset(self):
        return Claim.objects.published().for_list().select_related("visit__visitor")
