"""Lists stay cheap on large results: bounded counts, honest labels, deep pages, sampled facets."""

import datetime
import re

import pytest

from config.middleware import clear_page_cache
from core import search
from core.db import analyze
from core.lists import paging
from core.lists import views as listing
from core.lists.paging import BoundedPaginator, bounded_count, count_label
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


def test_a_count_within_the_limit_is_exact():
    visits(4)

    assert bounded_count(Visit.objects.published(), limit=4) == (4, True)
    assert count_label(1234, True) == "1,234"


def test_a_count_past_the_limit_is_an_estimate_said_to_be_one():
    visits(5)

    count, exact = bounded_count(Visit.objects.published(), limit=3)

    assert not exact
    assert count > 3
    label = count_label(count, exact, limit=3)
    assert label.startswith(("about ", "more than 3"))


def test_an_estimate_is_the_planners_estimate_of_the_whole_result():
    visits(40)
    analyze(Visit)
    public = Visit.objects.published().filter(title__startswith="Trip")

    whole = paging.estimated_count(public)

    if search.is_postgres(public):
        assert 20 <= whole <= 60
    else:
        assert whole is None


def test_estimates_read_as_round_numbers():
    assert count_label(948_731, False) == "about 950,000"
    assert count_label(10_001, False, limit=10_000) == "more than 10,000"
    assert paging.about(12_345) == "12,000"


def test_a_page_is_read_by_id_and_keeps_the_lists_order():
    made = visits(7)
    ordered = Visit.objects.published().order_by("-start_date", "-pk")

    paginator = BoundedPaginator(ordered, 3)
    second = paginator.page(2)
    last = paginator.page(3)

    assert [visit.title for visit in second] == [made[3].title, made[2].title, made[1].title]
    assert second.has_next()
    assert [visit.title for visit in last] == [made[0].title]
    assert not last.has_next()


def test_past_an_estimated_total_any_page_may_be_asked_for_and_is_empty_at_the_end():
    visits(7)
    ordered = Visit.objects.published().order_by("-start_date", "-pk")

    paginator = BoundedPaginator(ordered, 3, count_limit=2)

    assert not paginator.exact
    assert list(paginator.page(3)) != []
    assert list(paginator.page(40)) == []
    links = paginator.page_links(paginator.page(2))
    assert links[:3] == [1, 2, 3]
    assert links[-1] == paginator.ELLIPSIS  # the last page is not known


def test_the_list_says_when_its_count_is_bounded(client, monkeypatch):
    visits(30)
    monkeypatch.setattr(paging, "COUNT_LIMIT", 4)

    page = text(client.get("/visits/"))

    assert re.search(r"<strong>(more than 4|about [\d,]+)</strong> results · page 1 ", page)
    assert "page 1 of" not in page
    assert 'rel="next"' in page


def test_a_deep_page_shows_the_rows_at_its_place_in_the_order(client):
    made = visits(60)

    page = text(client.get("/visits/?sort=date&page=2"))

    assert re.findall(r"Trip \d{3}", page)[:25] == [visit.title for visit in made[25:50]]


def test_facets_of_a_large_result_count_its_first_rows_and_say_so(client, monkeypatch):
    made = visits(5)
    made[0].kind = "state"
    made[0].save()
    monkeypatch.setattr(listing, "FACET_LIMIT", 3)

    page = text(client.get("/visits/"))

    assert "Counts among the first 3 of 5 results (newest first)." in page
    # The oldest visit, the only state visit, is not among the three newest.
    assert "State visit" not in page.split('id="facet-kind"', 1)[1].split("</section>", 1)[0]


def test_facets_of_a_small_result_count_every_row_without_a_note(client):
    visits(5)

    page = text(client.get("/visits/"))

    assert "Counts among the first" not in page
    assert re.search(r"Imran Khan</span> <span class=\"count\">5</span>", page)


def test_a_search_with_too_many_matches_is_not_ranked_and_says_so(client, monkeypatch):
    visits(4, summary="Talks on Kashmir.")
    monkeypatch.setattr(search, "RANK_LIMIT", 2)

    page = text(client.get("/search/", {"q": "kashmir"}))

    assert "Too many matches to rank: the latest shown first." in page
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


@pytest.mark.parametrize("extra", [30, 60])
def test_deep_and_bounded_pages_run_the_same_queries_at_any_size(
    client, monkeypatch, django_assert_num_queries, extra
):
    from tests.claims.test_views import CLAIM_LIST_QUERIES
    from tests.visits.test_views import VISIT_LIST_QUERIES

    factories.build_corpus(extra=extra)
    # Past the limit the count is bounded (and estimated on PostgreSQL: one EXPLAIN more),
    # and the facets count a sample of the first rows.
    monkeypatch.setattr(paging, "COUNT_LIMIT", 10)
    monkeypatch.setattr(listing, "FACET_LIMIT", 10)
    estimate = 1 if search.is_postgres() else 0

    for path, expected in [
        ("/visits/", VISIT_LIST_QUERIES),
        ("/visits/?page=2", VISIT_LIST_QUERIES),
        ("/claims/", CLAIM_LIST_QUERIES),
        ("/claims/?page=2", CLAIM_LIST_QUERIES),
    ]:
        with django_assert_num_queries(expected + estimate):
            response = client.get(path)
        assert "Counts among the first 10 of" in text(response)
