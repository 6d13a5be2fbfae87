"""Site-wide pages: the overview, the search across everything, and the health check."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import DatabaseError, connection
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from actors.models import Actor
from actors.views import ActorListView
from claims.models import Claim
from claims.views import ClaimListView
from core import chartdata, search
from core.charts import stacked_bar_chart
from core.lists.provenance import record_q
from core.lists.site import site_list
from core.lists.tally import digest, total
from sources.models import SourceDocument, SourceKind
from sources.views import SourceListView
from visits.models import Issue, Visit
from visits.views import IssueListView, VisitListView

#: Results shown per kind of record on the search page (the rest are one click away).
SEARCH_ROWS = 8
#: The order of a section with too many matches to rank: (what the page says, ordering).
MAX_QUERY_LENGTH = 200


#: Rows of each part of the overview.
HOME_VISITS = 8
HOME_SOURCES = 6
#: The latest records shown of each official dataset.
HOME_RECORDS = 3


@dataclass
class OfficialDataset:
    """An imported dataset on the overview: its source, its number of visits, the latest."""

    source: object
    visits: list

    @property
    def count_label(self):
        return f"{self.source.visit_count:,}"


def latest_discussed(visits, sources, limit):
    """Return the latest `limit` of `visits` that `sources` discuss (cover or claim about).

    The two ways are read apart, each newest first and stopping at `limit` rows: alone, each
    is a walk down the date index that stops early, where their OR would have the database
    first gather every link of every source.
    """
    found = set()
    for half in (visits.covered_by(sources), visits.claimed_in(sources)):
        found.update(half.order_by("-start_date", "-pk").values_list("start_date", "pk")[:limit])
    newest = [pk for _date, pk in sorted(found, reverse=True)[:limit]]
    rows = visits.filter(pk__in=newest).for_list().order_by("-start_date", "-pk")
    return list(rows)


def home_counts(version=None, **kwargs):
    """Return the overview's numbers at data `version`, exact: {name: count}.

    Each is kept up to date block by block as the data changes (core.lists.tally): the
    discussed visits of a million claims take the database a while to count afresh.
    """
    visits, sources = Visit.objects.published(), SourceDocument.objects.articles()
    counted = {
        "visits": visits,
        "actors": Actor.objects.published(),
        "issues": Issue.objects.published(),
        "sources": SourceDocument.objects.published(),
        "claims": Claim.objects.published(),
        "discussed": visits.discussed_in(sources),
        "from_articles": visits.filter(record_q(Visit, "article")),
        "read_sources": sources,
    }
    return {name: total(f"home-{name}", rows, version) for name, rows in counted.items()}


class HomeView(TemplateView):
    """The overview: the curated corpus first, then the official records, counts and a chart.

    The corpus is what sources discuss: visits an article, brief or statement covers or makes
    a claim about, those claims, and the sources. The official records (the Office of the
    Historian's, thousands of them) follow in a section of their own, by dataset.
    """

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visits = Visit.objects.published()
        sources = SourceDocument.objects.articles()
        counts = home_counts(getattr(self.request, "data_version", None))
        context["counts"] = counts
        context["count_labels"] = {name: f"{count:,}" for name, count in counts.items()}
        datasets = self.official_datasets()
        context.update(
            discussed_count=counts["discussed"],
            discussed_count_label=f"{counts['discussed']:,}",
            # The visits list's ?record=article: all but the official records no article
            # discusses (curated visits not yet discussed by a source among them).
            from_articles_label=f"{counts['from_articles']:,}",
            discussed_visits=latest_discussed(visits, sources, HOME_VISITS),
            read_source_count_label=f"{counts['read_sources']:,}",
            read_sources=self.sources_with_a_claim(sources),
            datasets=datasets,
            record_count_label=f"{sum(d.source.visit_count for d in datasets):,}",
            record_publishers=sorted({d.source.publisher for d in datasets if d.source.publisher}),
        )
        context["issues"] = list(Issue.objects.published().only("name", "slug"))
        # The chart is the corpus's: the official records, thousands of them over 150 years
        # and on no issue, would flatten it into grey.
        corpus = visits.filter(record_q(Visit, "article"))
        context["chart"] = stacked_bar_chart(
            chartdata.per_year_by_relation(corpus, "start_date"),
            distinct=chartdata.year_totals(corpus, "start_date"),
            chart_id="home-visits",
            title="Visits from articles per year, by issue",
            muted=(chartdata.NO_ISSUE,),
            note="Each bar counts the visits of a year; its colours share them among their issues.",
            link=chartdata.list_link(
                reverse("visits:list"),
                record="article",
                series={issue.name: ("issue", issue.slug) for issue in context["issues"]},
            ),
        )
        return context

    @staticmethod
    def sources_with_a_claim(sources):
        """Return the newest of `sources`, each with `claim_count` and its `first_claim`.

        Four queries: the newest dated sources and the latest undated ones (each down the
        public sources' date index), their numbers of public claims, the first claim of each.
        """
        fields = ("title", "slug", "kind", "publisher", "published_date")
        dated = sources.filter(published_date__isnull=False).order_by("-published_date", "-pk")
        undated = sources.filter(published_date__isnull=True).order_by("-pk")
        shown = [
            *dated.only(*fields)[:HOME_SOURCES],
            *undated.only(*fields)[:HOME_SOURCES],
        ][:HOME_SOURCES]
        if not shown:
            return []
        claims = Claim.objects.published().filter(source__in=[source.pk for source in shown])
        counts = dict(claims.order_by().values_list("source").annotate(n=Count("pk")))
        firsts = (
            claims.annotate(
                position=Window(RowNumber(), partition_by=F("source"), order_by=F("pk").asc())
            )
            .filter(position=1)
            .only("summary", "quote", "status", "source")
            .order_by()
        )
        first = {claim.source_id: claim for claim in firsts}
        for source in shown:
            source.claim_count = counts.get(source.pk, 0)
            source.first_claim = first.get(source.pk)
        return shown

    @staticmethod
    def official_datasets():
        """Return [OfficialDataset] of the public datasets with visits: two queries in all."""
        datasets = list(
            SourceDocument.objects.published()
            .filter(kind=SourceKind.DATASET)
            .with_visit_count()
            .filter(visit_count__gt=0)
            .only("title", "slug", "publisher")
            .order_by("pk")  # as the importer made them: visits, then travels
        )
        latest = (
            Visit.objects.published()
            .filter(sources__in=datasets)
            .annotate(
                dataset_source=F("sources"),
                position=Window(
                    RowNumber(),
                    partition_by=F("sources"),
                    order_by=(F("start_date").desc(), F("pk").desc()),
                ),
            )
            .filter(position__lte=HOME_RECORDS)
            .only("title", "slug", "start_date", "end_date", "date_precision")
            .order_by("dataset_source", "position")
        )
        by_dataset = {}
        for visit in latest if datasets else ():
            by_dataset.setdefault(visit.dataset_source, []).append(visit)
        return [OfficialDataset(source, by_dataset.get(source.pk, [])) for source in datasets]


@dataclass
class SearchSection:
    """One kind of record on the search page: its count, its best rows, its full list."""

    key: str
    title: str
    list_url: str
    count: int = 0
    rows: list = field(default_factory=list)
    #: How the rows were chosen when there were too many matches to rank ("newest").
    order_note: str = ""

    @property
    def count_label(self):
        return f"{self.count:,}"


def _section(list_view, query, version):
    """Return a SearchSection of the list `list_view` (a FilteredListView): the exact count and
    the best rows, headlines for those only.

    The list says what the section is: its title, rows, searched fields, headline and the
    order of its rows. The count is kept up to date as the data changes (tally.total).
    Matches are ranked when there are at most RANK_LIMIT of them; more are shown in the
    list's default order rather than ranked one by one.
    """
    view = list_view()
    filterset = list_view.filterset_class
    queryset = view.get_queryset()
    key = list_view.exporter_class.name
    matches = search.filter_queryset(queryset, query, filterset.base_filters["q"].fallback_fields)
    count = total(
        f"search:{key}:{digest(query)}",
        matches,
        version,
        within=lambda: search.through_index(queryset),
    )
    rankable = count <= search.RANK_LIMIT
    order_note = ""
    if rankable and search.ranks(queryset):
        ordered = search.order_by_rank(matches, query)
    else:
        label, ordering = filterset.base_filters["sort"].options[filterset.default_sort]
        ordered = matches.order_by(*ordering)
        order_note = "" if rankable else f"shown {label[0].lower()}{label[1:]}"
    rows = list(view.prepare(ordered)[:SEARCH_ROWS])
    if list_view.headline_field:
        search.attach_headlines(rows, query, list_view.headline_field)
    list_url = f"{site_list(list_view).url}?{urlencode({'q': query})}"
    return SearchSection(key, list_view.title, list_url, count, rows, order_note)


#: The lists the search page searches, in the order it shows them.
SEARCHED = (VisitListView, ClaimListView, SourceListView, ActorListView, IssueListView)


class SearchView(TemplateView):
    """Search visits, actors, claims, sources and issues at once (/search/?q=)."""

    template_name = "search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Control characters (a NUL above all) are refused by PostgreSQL: drop them.
        text = "".join(char for char in self.request.GET.get("q", "") if char.isprintable())
        query = " ".join(text.split())[:MAX_QUERY_LENGTH]
        context["syntax_examples"] = search.SYNTAX_EXAMPLES
        version = getattr(self.request, "data_version", None)
        sections = [_section(view, query, version) for view in SEARCHED] if query else []
        total = sum(section.count for section in sections)
        context.update(query=query, sections=sections, total=total, total_label=f"{total:,}")
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
