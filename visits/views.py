"""Public pages of visits and issues."""

from django.views.generic import DetailView

from actors.models import Actor
from actors.views import CountryOptionsMixin
from core import chartdata
from core.charts import stacked_bar_chart
from core.lists.facets import ChoiceFacet, ManyFacet, RelationFacet, YearFacet
from core.lists.views import FilteredListView, select_options
from core.models import public_q
from visits.exports import IssueExporter, VisitExporter
from visits.filters import IssueFilterSet, VisitFilterSet
from visits.models import Issue, Participation, ParticipationRole, Visit, VisitKind

#: How many rows a detail page shows of a related list before linking to the full list.
DETAIL_ROWS = 20


class IssueOptionsMixin:
    """A list whose issue select offers every public issue (the table is small)."""

    def fill_form(self, form, facets, chips):
        super().fill_form(form, facets, chips)
        issues = Issue.objects.published().order_by("name").values_list("slug", "name")
        form.fields["issue"].widget.choices = select_options(issues)


class VisitListView(IssueOptionsMixin, CountryOptionsMixin, FilteredListView):
    """Visits: filter by leader, year, issue, countries, kind and text; facets; CSV and JSON."""

    model = Visit
    filterset_class = VisitFilterSet
    api_view_name = "api:visit-list"
    exporter_class = VisitExporter
    title = "Visits"
    form_fields = (
        "q",
        "leader",
        "issue",
        "origin",
        "destination",
        "kind",
        "year",
        "year_from",
        "year_to",
    )
    facet_choice_fields = ("leader",)
    country_fields = ("origin", "destination")
    headline_field = "summary"

    def get_facets(self):
        return [
            ManyFacet("issue", "Issue", relation="issues"),
            YearFacet("year", "Year", path="start_date"),
            RelationFacet("leader", "Leader", path="visitor"),
            RelationFacet("destination", "To (country)", path="destination"),
            ChoiceFacet("kind", "Kind of visit", path="kind", choices=tuple(VisitKind.choices)),
        ]


class VisitDetailView(DetailView):
    """A visit: when, where, who, whom they met, its issues, and its claims grouped by issue."""

    def get_queryset(self):
        return Visit.objects.published().for_list().select_related("visitor_role__organisation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visit = self.object
        participations = (
            Participation.objects.filter(visit=visit)
            .filter(public_q(Actor, prefix="actor__"))
            .select_related("actor")
            .order_by("role", "actor__name")
        )
        roles = dict(ParticipationRole.choices)
        groups = {}
        for participation in participations:
            groups.setdefault(roles[participation.role], []).append(participation)
        claims = list(visit.claims.published().for_list().order_by("pk"))
        context.update(
            participant_groups=list(groups.items()),
            issues=visit.shown_issues,
            claim_groups=group_claims_by_issue(claims, visit.shown_issues),
            claim_count=len(claims),
            sources=list(
                visit.sources.published()
                .for_list()
                .order_by("-published_date", "title")[:DETAIL_ROWS]
            ),
        )
        return context


def group_claims_by_issue(claims, issues):
    """Return [(issue or None, claims)]: the visit's issues first, a claim under each of its own."""
    order = {issue.pk: index for index, issue in enumerate(issues)}
    groups = {}
    for claim in claims:
        claim_issues = claim.shown_issues or [None]
        for issue in claim_issues:
            key = issue.pk if issue else None
            groups.setdefault(key, (issue, []))[1].append(claim)

    def position(item):
        key, (issue, _claims) = item
        if key is None:
            return (2, "")
        return (0, order[key]) if key in order else (1, issue.name)

    return [group for _key, group in sorted(groups.items(), key=position)]


class IssueListView(FilteredListView):
    """Every public issue with its numbers of visits and claims."""

    model = Issue
    filterset_class = IssueFilterSet
    api_view_name = "api:issue-list"
    exporter_class = IssueExporter
    title = "Issues"
    paginate_by = 100

    def prepare(self, queryset):
        return queryset.select_related("parent").defer_unshown("parent")

    def decorate(self, objects):
        return Issue.objects.attach_counts(objects)


class IssueDetailView(DetailView):
    """An issue: its visits and claims over time."""

    def get_queryset(self):
        return Issue.objects.published().select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = self.object
        visits = issue.visits.published()
        claims = issue.claims.published()
        context.update(
            parent=issue.parent if issue.parent_id and issue.parent.is_published else None,
            children=list(issue.children.published().only("name", "slug")),
            visit_count=visits.count(),
            claim_count=claims.count(),
            latest_visits=list(visits.for_list().order_by("-start_date", "-pk")[:DETAIL_ROWS]),
            latest_claims=list(claims.for_list().order_by("-source_date", "-pk")[:DETAIL_ROWS]),
            visits_chart=stacked_bar_chart(
                chartdata.per_year(visits, "start_date", issue.name),
                chart_id="issue-visits",
                title=f"Visits on {issue.name} per year",
            ),
            claims_chart=stacked_bar_chart(
                chartdata.per_year_by_choice(claims, "source_date", "status"),
                chart_id="issue-claims",
                title=f"Claims on {issue.name} per year, by status",
                unit=("claim", "claims"),
                other_label="Other statuses",
            ),
        )
        return context
