"""Public pages of assertions: the list by agreement, and each one's sources side by side."""

from django.views.generic import DetailView

from assertions.exports import AssertionExporter
from assertions.filters import AssertionFilterSet
from assertions.models import Agreement, Assertion
from core.lists.facets import ChoiceFacet, ManyFacet, RelationFacet, YearFacet
from core.lists.views import FilteredListView
from core.preview import PreviewMixin, may_preview
from visits.views import IssueOptionsMixin

#: The facet's labels: the agreement's name without its explanation.
AGREEMENT_LABELS = tuple((value, label.split(":")[0]) for value, label in Agreement.choices)


class AssertionListView(IssueOptionsMixin, FilteredListView):
    """Assertions: what several sources state about a visit, and how far they agree."""

    model = Assertion
    filterset_class = AssertionFilterSet
    exporter_class = AssertionExporter
    title = "Assertions"
    form_fields = ("agreement", "issue", "leader", "year")

    def get_queryset(self):
        return Assertion.objects.shown()

    def get_facets(self):
        return [
            ChoiceFacet("agreement", "Agreement", path="agreement", choices=AGREEMENT_LABELS),
            ManyFacet("issue", "Issue", relation="issues"),
            RelationFacet("leader", "Leader (of the visit)", path="visit__visitor"),
            YearFacet("year", "Year (of the visit)", path="visit__start_date"),
        ]


class AssertionDetailView(PreviewMixin, DetailView):
    """An assertion: the verdict, then every source's claim for and against it, side by side."""

    def get_queryset(self):
        assertions = self.viewable(Assertion.objects).with_agreement()
        if not may_preview(self.request.user, Assertion):
            assertions = assertions.filter(claim_count__gt=0)
        return assertions.select_related("visit__visitor").with_public_links()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        supporting, opposing = self.object.sides
        context.update(
            sides=[("for", supporting), ("against", opposing)],
            issues=list(self.object.issues.published().only("name", "slug")),
        )
        return context
