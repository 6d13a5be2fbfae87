"""Public pages of visits and issues."""

from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.views.generic import DetailView

from actors.models import Actor
from core import chartdata
from core.charts import stacked_bar_chart
from core.lists.views import FilteredListView
from core.models import public_q
from core.preview import PreviewMixin
from visits.exports import IssueExporter, MeetingExporter, VisitExporter
from visits.filters import IssueFilterSet, MeetingFilterSet, VisitFilterSet
from visits.models import Issue, Participation, ParticipationRole, Visit

#: How many rows a detail page shows of a related list before linking to the full list.
DETAIL_ROWS = 20
#: A visit page shows at most this many claims of one source, and this many sources' claims.
CLAIMS_PER_SOURCE = 10
SOURCE_GROUPS = 20


class VisitListView(FilteredListView):
    """Visits: filter by leader, year, issue, countries, kind and text; facets; CSV and JSON."""

    model = Visit
    filterset_class = VisitFilterSet
    api_view_name = "api:visit-list"
    api_serializer = "api.serializers.VisitSerializer"
    exporter_class = VisitExporter
    title = "Visits"
    headline_field = "summary"


class VisitDetailView(PreviewMixin, DetailView):
    """A visit: when, where, who, whom they met, its issues, and its claims, each once.

    Claims are grouped by the source that makes them (newest source first), at most
    CLAIMS_PER_SOURCE of a source and SOURCE_GROUPS sources on the page, each group linking
    to the claims list for the rest; every claim card is tagged with all of its issues, and
    the issues list counts the visit's claims under each.
    """

    def get_queryset(self):
        return self.viewable(Visit.objects).for_list().select_related("visitor_role__organisation")

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
        claims = visit.claims.published()
        # Claims grouped into an assertion are read under it, each once: not again by source.
        assertions = list(
            visit.assertions.shown().for_list().order_by("-claim_count", "statement", "pk")
        )
        asserted = {
            link.claim_id
            for assertion in assertions
            for link in assertion.public_links
            if link.claim.visit_id == visit.pk  # a claim about another visit counts there
        }
        ungrouped = claims.exclude(pk__in=asserted) if asserted else claims
        claim_groups, ungrouped_count, source_total = self.claim_groups(ungrouped)
        context.update(
            participant_groups=list(groups.items()),
            issues=self.issue_counts(visit, claims),
            assertions=assertions,
            asserted_count=len(asserted),
            claim_groups=claim_groups,
            claim_count=ungrouped_count + len(asserted),
            ungrouped_count=ungrouped_count,
            claim_sources=source_total,
            sources=list(
                visit.sources.published()
                .for_list()
                .order_by("-published_date", "title")[:DETAIL_ROWS]
            ),
        )
        return context

    @staticmethod
    def claim_groups(claims):
        """Return ([ClaimGroup], claims in all, sources in all) of the visit's public claims."""
        totals = dict(claims.order_by().values_list("source").annotate(n=Count("pk")))
        # Claims sit above visits: their sources are reached through the relation.
        source_model = claims.model._meta.get_field("source").related_model
        sources = list(
            source_model.objects.filter(pk__in=list(totals))
            .only("title", "slug", "publisher", "published_date")
            .order_by(F("published_date").desc(nulls_last=True), "title", "pk")[:SOURCE_GROUPS]
        )
        first = (
            claims.filter(source__in=sources)
            .annotate(
                position=Window(RowNumber(), partition_by=F("source"), order_by=F("pk").asc())
            )
            .filter(position__lte=CLAIMS_PER_SOURCE)
            .for_list()
            .order_by("pk")
        )
        by_source = {}
        for claim in first:
            by_source.setdefault(claim.source_id, []).append(claim)
        groups = [
            ClaimGroup(source, by_source.get(source.pk, []), totals[source.pk])
            for source in sources
        ]
        return groups, sum(totals.values()), len(totals)

    @staticmethod
    def issue_counts(visit, claims):
        """Return the visit's issues and its claims' issues, each with its number of claims."""
        links = claims.model.issues.through.objects.filter(claim__in=claims)
        counts = dict(links.order_by().values_list("issue").annotate(n=Count("pk")))
        issues = list(visit.shown_issues)
        known = {issue.pk for issue in issues}
        issues += Issue.objects.published().filter(pk__in=set(counts) - known).as_links()
        for issue in issues:
            issue.claim_count = counts.get(issue.pk, 0)
        return issues


@dataclass
class ClaimGroup:
    """The claims one source makes about a visit: the first few shown, and how many in all."""

    source: object
    claims: list
    total: int

    @property
    def more(self):
        return self.total > len(self.claims)


class IssueListView(FilteredListView):
    """Every public issue with its numbers of visits and claims."""

    model = Issue
    filterset_class = IssueFilterSet
    api_view_name = "api:issue-list"
    api_serializer = "api.serializers.IssueSerializer"
    exporter_class = IssueExporter
    title = "Issues"
    paginate_by = 100

    def prepare(self, queryset):
        return queryset.select_related("parent").defer_unshown("parent")

    def decorate(self, objects):
        version = getattr(self.request, "data_version", None)
        return Issue.objects.attach_counts(objects, version)

    @classmethod
    def warm(cls, version, **kwargs):
        """Count the list, and the visits and claims of the issues on its first page."""
        filterset = super().warm(version)
        first = filterset.ordered(filterset.qs)[: cls.paginate_by]
        Issue.objects.attach_counts(first, version)


class IssueDetailView(PreviewMixin, DetailView):
    """An issue: its visits and claims over time."""

    def get_queryset(self):
        return self.viewable(Issue.objects).select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = self.object
        visits = issue.visits.published()
        claims = issue.claims.published()
        assertions = issue.assertions.shown()
        context.update(
            assertion_count=assertions.count(),
            assertions=list(
                assertions.for_list().order_by("-claim_count", "statement", "pk")[:DETAIL_ROWS]
            ),
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
                link=chartdata.list_link(reverse("visits:list"), issue=issue.slug),
            ),
            claims_chart=stacked_bar_chart(
                chartdata.per_year_by_choice(claims, "source_date", "status"),
                chart_id="issue-claims",
                title=f"Claims on {issue.name} per year, by status",
                unit=("claim", "claims"),
                other_label="Other statuses",
                link=chartdata.list_link(
                    reverse("claims:list"),
                    issue=issue.slug,
                    series={
                        label: ("status", value)
                        for value, label in claims.model._meta.get_field("status").choices
                    },
                ),
            ),
        )
        return context


class MeetingListView(FilteredListView):
    """Who met whom: every host, person met and delegation member of the public visits."""

    model = Participation
    filterset_class = MeetingFilterSet
    exporter_class = MeetingExporter
    api_view_name = "api:meeting-list"
    title = "Meetings"
    intro = (
        "Who met whom: each host, person met and delegation member of a visit. Filter by "
        "person, leader, part, year or issue; the table downloads as CSV or JSON."
    )
