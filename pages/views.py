"""Site-wide pages: the overview, the search across everything, and the health check."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from actors.filters import ActorFilterSet
from actors.models import Actor
from claims.filters import ClaimFilterSet
from claims.models import Claim
from core import chartdata, search
from core.charts import stacked_bar_chart
from core.lists import paging
from sources.filters import SourceFilterSet
from sources.models import SourceDocument
from visits.filters import VisitFilterSet
from visits.models import Issue, Visit

#: Results shown per kind of record on the search page (the rest are one click away).
SEARCH_ROWS = 8
#: The order of a section with too many matches to rank: (what the page says, ordering).
NEWEST = {
    "visits": ("the latest", ("-start_date", "-pk")),
    "claims": ("from the newest sources", ("-source_date", "-pk")),
    "sources": ("the newest", ("-published_date", "-pk")),
    "actors": ("A–Z", ("name", "pk")),
    "issues": ("A–Z", ("name", "pk")),
}
MAX_QUERY_LENGTH = 200


class HomeView(TemplateView):
    """The overview: counts, the latest visits, visits per year by issue, a search box."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visits = Visit.objects.published()
        # Bounded: exact up to paging.COUNT_LIMIT, the planner's estimate beyond.
        counted = {
            "visits": paging.bounded_count(visits),
            "actors": paging.bounded_count(Actor.objects.published()),
            "issues": paging.bounded_count(Issue.objects.published()),
            "sources": paging.bounded_count(SourceDocument.objects.published()),
            "claims": paging.bounded_count(Claim.objects.published()),
        }
        context["counts"] = {name: count for name, (count, _exact) in counted.items()}
        context["count_labels"] = {
            name: paging.count_label(count, exact) for name, (count, exact) in counted.items()
        }
        context["latest_visits"] = list(visits.for_list().order_by("-start_date", "-pk")[:8])
        context["issues"] = list(Issue.objects.published().only("name", "slug"))
        context["chart"] = stacked_bar_chart(
            chartdata.per_year_by_relation(visits, "start_date"),
            distinct=chartdata.year_totals(visits, "start_date"),
            chart_id="home-visits",
            title="Visits per year, by issue",
            muted=(chartdata.NO_ISSUE,),
            note="Each bar counts the visits of a year; its colours share them among their issues.",
            link=chartdata.list_link(
                reverse("visits:list"),
                series={issue.name: ("issue", issue.slug) for issue in context["issues"]},
            ),
        )
        return context


@dataclass
class SearchSection:
    """One kind of record on the search page: its count, its best rows, its full list."""

    key: str
    title: str
    list_url: str
    count: int = 0
    rows: list = field(default_factory=list)
    exact: bool = True
    #: How the rows were chosen when there were too many matches to rank ("newest").
    order_note: str = ""

    @property
    def count_label(self):
        return paging.count_label(self.count, self.exact, search.RANK_LIMIT)


def _section(key, title, viewname, queryset, query, fallback_fields, headline_field, prepare):
    """Return a SearchSection: a bounded count and the best rows, headlines for those only.

    Matches are ranked by relevance when there are at most RANK_LIMIT of them; more are
    shown in the list's own order (newest first) rather than ranked one by one.
    """
    matches = search.filter_queryset(queryset, query, fallback_fields)
    with search.through_index(queryset):
        count, exact = paging.bounded_count(matches, search.RANK_LIMIT)
    order_note = ""
    if exact and search.ranks(queryset):
        ordered = search.order_by_rank(matches, query)
    else:
        ordered = matches.order_by(*NEWEST[key][1]) if key in NEWEST else matches
        order_note = NEWEST[key][0] if not exact and key in NEWEST else ""
    rows = list(prepare(ordered)[:SEARCH_ROWS])
    if headline_field:
        search.attach_headlines(rows, query, headline_field)
    list_url = f"{reverse(viewname)}?{urlencode({'q': query})}"
    return SearchSection(key, title, list_url, count, rows, exact, order_note)


def _fields(filterset_class):
    return filterset_class.base_filters["q"].fallback_fields


class SearchView(TemplateView):
    """Search visits, actors, claims, sources and issues at once (/search/?q=)."""

    template_name = "search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Control characters (a NUL above all) are refused by PostgreSQL: drop them.
        text = "".join(char for char in self.request.GET.get("q", "") if char.isprintable())
        query = " ".join(text.split())[:MAX_QUERY_LENGTH]
        context["syntax_examples"] = search.SYNTAX_EXAMPLES
        sections = []
        if query:

            def for_list(queryset):
                return queryset.for_list()

            def as_is(queryset):
                return queryset.only("name", "slug", "description")

            sections = [
                _section(
                    "visits",
                    "Visits",
                    "visits:list",
                    Visit.objects.published(),
                    query,
                    _fields(VisitFilterSet),
                    "summary",
                    for_list,
                ),
                _section(
                    "claims",
                    "Claims",
                    "claims:list",
                    Claim.objects.published(),
                    query,
                    _fields(ClaimFilterSet),
                    "quote",
                    for_list,
                ),
                _section(
                    "sources",
                    "Sources",
                    "sources:list",
                    SourceDocument.objects.published(),
                    query,
                    _fields(SourceFilterSet),
                    "body",
                    for_list,
                ),
                _section(
                    "actors",
                    "Actors",
                    "actors:list",
                    Actor.objects.published(),
                    query,
                    _fields(ActorFilterSet),
                    "",
                    for_list,
                ),
                _section(
                    "issues",
                    "Issues",
                    "visits:issue-list",
                    Issue.objects.published(),
                    query,
                    ("name", "description", "keywords"),
                    "",
                    as_is,
                ),
            ]
        total = sum(section.count for section in sections)
        exact = all(section.exact for section in sections)
        context.update(
            query=query,
            sections=sections,
            total=total,
            total_label=f"{total:,}" if exact else f"about {paging.about(total)}",
        )
        return context


@require_safe
def healthz(request):
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})
