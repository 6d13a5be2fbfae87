"""Lists stay cheap on large results and exact: counts and facets over every row, kept per
data version; pages read by id, in the list's order."""

import datetime
import re

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import search
from core.lists import facets as facet_counting
from core.lists.paging import ListPaginator
from core.pagecache import clear_page_cache
from tests import factories
from visits.models import Visit

pytestmark = pytest.mark.django_db


def visits(number, **kwargs):
    """Create `number` public visits by one leader, one a day from 1 January 2001."""
    leader = factories.ActorFactory(name="Imran Khan", slug="imran-khan")
    return [
        factories.VisitFactory(
            visitor=leader,
            title=f"Trip {index:03}",
            start_date=datetime.date(2001, 1, 1) + datetime.timedelta(days=index),
            end_date=None,
            **kwargs,
        )
        for index in range(number)
    ]


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_page_is_read_by_id_and_keeps_the_lists_order():
    made = visits(7)
    ordered = Visit.objects.published().order_by("-start_date", "-pk")

    paginator = ListPaginator(ordered, 3, count=7)
    second = paginator.page(2)
    last = paginator.page(3)

    assert [visit.title for visit in second] == [made[3].title, made[2].title, made[1].title]
    assert second.has_next()
    assert [visit.title for visit in last] == [made[0].title]
    assert not last.has_next()
    assert paginator.page_links(second) == [1, 2, 3]


def test_the_count_is_exact_however_many_rows_there_are(client):
    visits(30)

    page = text(client.get("/visits/"))

    assert "<strong>30</strong> results · page 1 of 2" in page
    assert not re.search(r"<strong>(more than|about)", page)


def test_a_deep_page_shows_the_rows_at_its_place_in_the_order(client):
    made = visits(60)

    page = text(client.get("/visits/?sort=date&page=2"))

    assert re.findall(r"Trip \d{3}", page)[:25] == [visit.title for visit in made[25:50]]


def test_a_search_with_too_many_matches_is_not_ranked_and_says_so(client, monkeypatch):
    visits(4, summary="Talks on Kashmir.")
    monkeypatch.setattr(search, "RANK_LIMIT", 2)

    page = text(client.get("/search/", {"q": "kashmir"}))

    assert "Too many matches to rank: shown newest first." in page
    assert re.findall(r"Trip \d{3}", page)[:2] == ["Trip 003", "Trip 002"]


@pytest.mark.skipif(not search.is_postgres(), reason="ranking needs PostgreSQL's full-text search")
def test_a_list_with_too_many_matches_to_rank_says_so(client, monkeypatch):
    visits(4, summary="Talks on Kashmir.")
    monkeypatch.setattr(search, "RANK_LIMIT", 2)

    listed = text(client.get("/visits/", {"q": "kashmir", "sort": "relevance"}))
    monkeypatch.setattr(search, "RANK_LIMIT", 4)
    clear_page_cache()  # the same data under another limit: a page the cache cannot know of
    few_enough = text(client.get("/visits/", {"q": "kashmir", "sort": "relevance"}))

    assert "Too many matches to rank by relevance" in listed
    assert re.findall(r"Trip \d{3}", listed)[:2] == ["Trip 003", "Trip 002"]
    assert "Too many matches" not in few_enough


def test_facets_count_every_row_of_a_large_result(client):
    made = visits(60)
    made[0].kind = "state"  # the oldest visit: on the last page
    made[0].save()

    page = text(client.get("/visits/"))

    kinds = page.split('id="facet-kind"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"State visit</span> <span class=\"count\">1</span>", kinds)
    assert re.search(r"Imran Khan</span> <span class=\"count\">60</span>", page)
    assert "Counts among the first" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/visits/",
        "/visits/?year_from=2019",
        "/claims/",
        "/claims/?status=reported",
        "/sources/",
        "/actors/",
        "/actors/?kind=person",
    ],
)
def test_the_database_counts_large_results_as_the_rows_are_counted(client, monkeypatch, path):
    factories.build_corpus(extra=5)
    by_rows = text(client.get(path))
    monkeypatch.setattr(facet_counting, "ROWS_LIMIT", 0)  # every result counted by GROUP BY
    clear_page_cache()
    cache.clear()  # the kept tallies too

    by_database = text(client.get(path))

    facets = re.compile(r'<aside class="refine".*</aside>')
    assert facets.search(by_database).group(0) == facets.search(by_rows).group(0)


def test_a_tally_is_counted_once_per_data_version(client, django_assert_num_queries):
    corpus = factories.build_corpus(extra=30)
    total = int(re.search(r"<strong>(\d+)</strong> results", text(client.get("/visits/")))[1])
    clear_page_cache()

    # The same filters, another page: the count and the facets are not counted again.
    from tests.visits.test_views import VISIT_LIST_QUERIES

    # The blocks' stamps, the count by block, the facets' rows, issue links, records, actor and
    # issue names.
    tally_queries = 7
    with django_assert_num_queries(VISIT_LIST_QUERIES - tally_queries):
        second = text(client.get("/visits/?page=2"))
    assert "page 2 of 2" in second

    # A write retires it: the new visit is counted.
    factories.VisitFactory(visitor=corpus.imran, title="One more")
    assert f"<strong>{total + 1}</strong> results" in text(client.get("/visits/?page=2"))


def test_the_lists_counted_in_the_background_are_read_by_their_first_pages(
    client, django_assert_num_queries
):
    from core import dataversion
    from core.lists import tally
    from tests.visits.test_views import ISSUE_LIST_QUERIES, VISIT_LIST_QUERIES

    factories.build_corpus(extra=5)
    tally.warm(dataversion.current()[0])

    # The blocks' stamps, the count by block, the facets' rows, issue links, records, actor and
    # issue names: all kept.
    with django_assert_num_queries(VISIT_LIST_QUERIES - 7):
        visits = text(client.get("/visits/"))
    # The count, and the visits and claims of the issues (each with its blocks' stamps).
    with django_assert_num_queries(ISSUE_LIST_QUERIES - 8):
        client.get("/issues/")
    assert re.search(r"Imran Khan</span> <span class=\"count\">\d+</span>", visits)

    # Every routed list is counted ahead, a list added later (the meetings) as well.
    with CaptureQueriesContext(connection) as warmed:
        client.get("/meetings/")
    for alias in caches:
        caches[alias].clear()
    with CaptureQueriesContext(connection) as cold:
        client.get("/meetings/?sort=name")
    assert len(warmed) < len(cold)


def test_each_new_version_heard_is_counted_once_in_the_background(monkeypatch):
    import threading

    from core import dataversion
    from core.lists import tally

    counted = []
    done = threading.Event()

    def warm(version):
        counted.append(version)
        done.set()

    monkeypatch.setattr(tally, "warm", warm)
    listener = dataversion.Listener("default")  # not started: told of commits by hand
    listener.hear("1700000000000001 1700000000.0")
    assert done.wait(5)
    done.clear()
    listener.hear("1700000000000001 1700000000.0")  # the same version again: nothing to do
    listener.hear("1700000000000000 1699999999.0")  # an older one: nothing either
    assert not done.wait(0.5)
    listener.hear("1700000000000002 1700000001.0")
    assert done.wait(5)

    assert counted == [1700000000000001, 1700000000000002]
