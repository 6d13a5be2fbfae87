"""Search: /search/ across everything, and the `q` filter of every list."""

import json
import re
from html import unescape

import pytest

from core import search
from tests import factories
from tests.factories import DRAFT_MARKER
from tests.queries import DATA_VERSION_QUERIES, STAMP_QUERIES
from visits.models import Visit

pytestmark = pytest.mark.django_db

# Per kind: its blocks' stamps and count, rows (+ prefetches), excerpts of the shown rows (of
# visits, claims, sources and actors, as their lists show them); and the data version.
SEARCH_QUERIES_SQLITE = 20 + 5 * STAMP_QUERIES + DATA_VERSION_QUERIES
# PostgreSQL counts each full-text kind's matches through its index (search.through_index): in
# a test's transaction, a savepoint, the planner setting, its reset and the release, four times.
SEARCH_QUERIES_POSTGRES = SEARCH_QUERIES_SQLITE + 4 * 4


@pytest.fixture
def corpus():
    return factories.build_corpus()


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def section(page, key):
    return page.split(f'id="{key}-heading"', 1)[1].split("</section>", 1)[0]


def test_search_finds_visits_claims_sources_and_actors(client, corpus):
    page = html(client.get("/search/?q=kabul"))

    assert "Imran Khan visits Kabul" in section(page, "visits")
    assert "Khan flew to Kabul in 2020." in section(page, "claims")
    assert "Khan in Washington" in section(page, "sources")
    assert "<mark>Kabul</mark>" in page  # the matching word, highlighted in the excerpt


def test_search_links_to_the_full_filtered_lists(client, corpus):
    for number in range(10):
        factories.VisitFactory(visitor=corpus.munir, title=f"Munir in Kabul {number}")

    page = html(client.get("/search/?q=kabul"))

    assert 'href="/visits/?q=kabul">All 12 visits matching “kabul”' in page


def test_search_without_a_query_shows_the_form(client, corpus):
    page = html(client.get("/search/"))

    assert 'name="q"' in page
    assert "result" not in page.split("<main", 1)[1].split("</form>", 1)[1]


def test_search_never_returns_drafts(client, corpus):
    page = html(client.get(f"/search/?q={DRAFT_MARKER}"))

    for key in ("visits", "claims", "sources", "actors", "issues"):
        assert '<span class="count-pill">0</span>' in section(page, key), key
    assert "<strong>0</strong> results" in page


def test_excerpts_are_escaped_but_keep_their_marks(client, corpus):
    factories.SourceDocumentFactory(
        title="Hostile", body="Talks in Kabul <script>alert(1)</script> and <b>more</b>."
    )

    page = html(client.get("/sources/?q=kabul"))
    hostile = page.split(">Hostile</a></h3>", 1)[1].split("</li>", 1)[0]

    assert "<script>alert(1)" not in page and "<b>more</b>" not in page
    if search.is_postgres():  # PostgreSQL's headline drops what looks like markup
        assert '<p class="snippet">Talks in <mark>Kabul</mark>  alert(1)  and  more</p>' in hostile
    else:
        assert (
            '<p class="snippet">Talks in <mark>Kabul</mark> &lt;script&gt;alert(1)&lt;/script&gt;'
            " and &lt;b&gt;more&lt;/b&gt;.</p>"
        ) in hostile


def test_every_word_must_match(client, corpus):
    page = html(client.get("/claims/?q=kabul+mediate"))

    assert "<strong>0</strong> results" in page


def test_plain_snippet_marks_words_and_escapes_text():
    snippet = search.plain_snippet("One <b>two</b> three Kabul four", "kabul", max_words=10)

    assert str(snippet) == "One &lt;b&gt;two&lt;/b&gt; three <mark>Kabul</mark> four"


def test_websearch_syntax_on_both_databases(client, corpus):
    phrase = html(client.get('/claims/?q="offered to mediate"'))
    excluded = html(client.get("/claims/?q=kashmir -mediate"))
    either = html(client.get("/claims/?q=mediate or flew"))

    assert "<strong>1</strong> result" in phrase
    assert "Trump offered to mediate." in phrase
    assert "Trump offered to mediate." not in excluded.split('class="cards"', 1)[1]
    assert "<strong>2</strong> results" in either


def test_results_are_ranked_on_both_databases(client, corpus):
    factories.VisitFactory(
        visitor=corpus.munir, title="A routine trip", summary="Talks touched on Tashkent briefly."
    )

    page = html(client.get("/visits/?q=tashkent"))

    assert "Best match" in page
    assert page.index("Imran Khan in Tashkent") < page.index("A routine trip")


@pytest.mark.parametrize("extra", [2, 30])
def test_search_runs_the_same_queries_at_any_size(client, django_assert_num_queries, extra):
    factories.build_corpus(extra=extra)
    expected = SEARCH_QUERIES_POSTGRES if search.is_postgres() else SEARCH_QUERIES_SQLITE
    search.has_fts(Visit)  # which tables have an FTS5 index: read once per process

    with django_assert_num_queries(expected):
        html(client.get("/search/?q=khan"))


@pytest.mark.skipif(not search.is_postgres(), reason="the planner setting is PostgreSQL's")
def test_counting_through_the_index_leaves_the_planner_as_it_was(client):
    from django.db import connection

    factories.build_corpus()
    html(client.get("/search/?q=khan"))

    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)


#: What each example of the search syntax finds among the seed's claims: the same on SQLite
#: (FTS5) and PostgreSQL (websearch_to_tsquery), as CI runs this file on both.
SEED_EXAMPLE_CLAIMS = {
    "kashmir mediation": 4,
    '"prime minister"': 18,
    "kashmir or cipher": 14,
    "kashmir -trump": 5,
}


def test_every_example_of_the_syntax_finds_the_same_on_both_databases(client, db):
    from ingest.seed.loader import seed_load

    seed_load()
    page = html(client.get("/search/"))
    shown = [unescape(code) for code in re.findall(r"<code>([^<]+)</code>", page)]
    assert shown == [example for _rule, example in search.SYNTAX_EXAMPLES]
    assert set(SEED_EXAMPLE_CLAIMS) == set(shown)
    for example, expected in SEED_EXAMPLE_CLAIMS.items():
        response = client.get("/claims/", {"q": example, "format": "json"})
        export = json.loads(b"".join(response.streaming_content))
        assert export["count"] == expected, example
        # The list page shows the same number, ranked, with the matches marked.
        listing = html(client.get("/claims/", {"q": example}))
        assert f"<strong>{expected}</strong> result" in listing, example
        assert "<mark>" in listing


def test_the_index_follows_every_write(client, corpus):
    def found(word):
        return [
            row["slug"]
            for row in json.loads(
                b"".join(client.get("/visits/", {"q": word, "format": "json"}).streaming_content)
            )["results"]
        ]

    visit = factories.VisitFactory(visitor=corpus.munir, title="Munir visits Samarkand")
    assert found("samarkand") == [visit.slug]

    visit.title = "Munir visits Bukhara"
    visit.save()
    assert found("samarkand") == []
    assert found("bukhara") == [visit.slug]

    type(visit).objects.filter(pk=visit.pk).update(summary="Talks on the Termez crossing.")
    assert found("termez") == [visit.slug]

    visit.delete()
    assert found("bukhara") == []
