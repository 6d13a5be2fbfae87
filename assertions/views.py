"""Public pages of assertions: the list by agreement, and each one's sources side by side."""

from django.views.generic import DetailView

from assertions.exports import AssertionExporter
from assertions.filters import AssertionFilterSet
from assertions.models import Assertion
from core.lists.views import FilteredListView
from core.preview import PreviewMixin, may_preview


class AssertionListView(FilteredListView):
    """Assertions: what several sources state about a visit, and how far they agree."""

    model = Assertion
    filterset_class = AssertionFilterSet
    exporter_class = AssertionExporter
    title = "Assertions"

    def get_queryset(self):
        return Assertion.objects.shown()


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
