"""Public pages of visits and issues."""

from functools import cached_property

from django.views.generic import DetailView

from actors.models import Actor
from actors.views import public_countries
from config import chartdata
from config.charts import stacked_bar_chart
from config.curation import public_q
from config.db import fixed_rows
from config.facets import ChoiceFacet, ManyFacet, RelationFacet, YearFacet
from config.listing import (
    FilteredListView,
    labels_by_pk,
    names_by_pk,
    select_options,
    slugs_known,
)
from visits import querysets
from visits.exports import IssueExporter, VisitExporter
from visits.filters import IssueFilterSet, VisitFilterSet
from visits.models import Issue, Participation, ParticipationRole, Visit, VisitKind

#: How many rows a detail page shows of a related list before linking to the full list.
DETAIL_ROWS = 20


class IssueOptionsMixin:
    """A list whose issue select and issue facet share one read of every public issue."""

    @cached_property
    def public_issues(self):
        """Return (pk, slug, name) of every public issue, by name (the table is small)."""
        return fixed_rows(
            "public issues", lambda: Issue.objects.published().values_list("pk", "slug", "name")
        )

    def known_targets(self):
        return {**super().known_targets(), "issue": slugs_known(self.public_issues)}

    def facet_names(self):
        return {**super().facet_names(), "issue": names_by_pk(self.public_issues)}

    def fill_form(self, form, facets, chips):
        super().fill_form(form, facets, chips)
        form.fields["issue"].widget.choices = select_options(self.public_issues)


class VisitListView(IssueOptionsMixin, FilteredListView):
    """Visits: filter by leader, year, issue, countries, kind and text; facets; CSV and JSON."""

    model = Visit
    filterset_class = VisitFilterSet
    exporter_class = VisitExporter
    template_name = "visits/visit_list.html"
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
    headline_field = "summary"

    def get_facets(self):
        return [
            ManyFacet("issue", "Issue", relation="issues"),
            YearFacet("year", "Year", path="start_date"),
            RelationFacet("leader", "Leader", path="visitor"),
            RelationFacet("destination", "To (country)", path="destination"),
            ChoiceFacet("kind", "Kind of visit", path="kind", choices=tuple(VisitKind.choices)),
        ]

    @cached_property
    def public_countries(self):
        return public_countries()

    def prepare(self, queryset):
        return queryset.for_list(countries=False)

    def decorate(self, objects):
        """Name each shown visit's origin and destination from the countries the selects read."""
        countries = labels_by_pk(self.public_countries)
        for visit in objects:
            visit.origin_name = countries.get(visit.origin_id, "")
            visit.destination_name = countries.get(visit.destination_id, "")
        return objects

    def known_targets(self):
        # An origin or destination is a country (the field admits no other actor).
        countries = slugs_known(self.public_countries)
        return {**super().known_targets(), "origin": countries, "destination": countries}

    def facet_names(self):
        # A destination is a country (the field admits no other actor).
        return {**super().facet_names(), "destination": names_by_pk(self.public_countries)}

    def fill_form(self, form, facets, chips):
        super().fill_form(form, facets, chips)
        countries = select_options(self.public_countries)
        form.fields["origin"].widget.choices = countries
        form.fields["destination"].widget.choices = countries


class VisitDetailView(DetailView):
    """A visit: when, where, who, whom they met, its issues, and its claims grouped by issue."""

    template_name = "visits/visit_detail.html"

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
    exporter_class = IssueExporter
    template_name = "visits/issue_list.html"
    title = "Issues"
    paginate_by = 100

    def prepare(self, queryset):
        return queryset.select_related("parent").defer_unshown("parent")

    def decorate(self, objects):
        return querysets.attach_counts(objects)


class IssueDetailView(DetailView):
    """An issue: its visits and claims over time."""

    template_name = "visits/issue_detail.html"

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
