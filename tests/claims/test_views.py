"""The claims list and a claim's page as a reader sees them."""

import re

import pytest

from tests import factories
from tests.queries import DATA_VERSION_QUERIES, STAMP_QUERIES

pytestmark = pytest.mark.django_db

# The count; the facets' rows; page, 3 link lists; 2 facet link counts; official records;
# facet names (actors, issues); issue options
CLAIM_LIST_QUERIES = 12 + STAMP_QUERIES + DATA_VERSION_QUERIES
# The same: the chosen issue is found among the issues read for the select.
# And the chosen issue, looked up by its slug
CLAIM_LIST_FILTERED_QUERIES = 13 + STAMP_QUERIES + DATA_VERSION_QUERIES
# The claim with its source, speaker and visit; 3 link lists
CLAIM_DETAIL_QUERIES = 4 + DATA_VERSION_QUERIES


@pytest.fixture
def corpus():
    return factories.build_corpus()


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_claim_cards_show_status_quote_speaker_and_a_link_to_the_quote(client, corpus):
    page = html(client.get("/claims/?status=denied"))
    card = page.split('class="card claim"', 1)[1].split("</li>\n", 1)[0]

    assert '<span class="badge status-denied">Denied</span>' in card
    assert "“Trump offered to mediate on Kashmir.”" in card
    assert "Denied by <a" in card and ">India</a>" in card
    assert "SECRETDRAFT" not in card  # a draft among those who denied it
    assert f'href="/sources/khan-in-washington/#claim-{corpus.claim_mediation.pk}"' in card
    assert "Said by <a" in card and ">Donald Trump</a>" in card


def test_claim_facets_count_statuses_and_issues(client, corpus):
    page = html(client.get("/claims/"))

    status_facet = page.split('id="facet-status"', 1)[1].split("</section>", 1)[0]
    assert re.search(
        r'href="\?status=reported">.*?Reported</span> <span class="count">2', status_facet
    )
    assert re.search(r'Denied</span> <span class="count">1', status_facet)
    issue_facet = page.split('id="facet-issue"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'Kashmir</span> <span class="count">2', issue_facet)
    assert "SECRETDRAFT" not in page


def test_claim_page_shows_the_quote_its_source_and_who_disputed_it(client, corpus):
    page = html(client.get(corpus.claim_mediation.get_absolute_url()))

    assert "“Trump offered to mediate on Kashmir.”" in page
    assert "Khan in Washington" in page and "The Diplomat" in page and "24 July 2019" in page
    assert f'href="/sources/khan-in-washington/#claim-{corpus.claim_mediation.pk}"' in page
    assert ">India</a>" in page
    assert "Imran Khan visits Washington" in page
    assert "SECRETDRAFT" not in page


@pytest.mark.parametrize("extra", [2, 30])
def test_claim_pages_run_the_same_queries_at_any_size(client, django_assert_num_queries, extra):
    corpus = factories.build_corpus(extra=extra)

    with django_assert_num_queries(CLAIM_LIST_QUERIES):
        html(client.get("/claims/"))
    with django_assert_num_queries(CLAIM_LIST_FILTERED_QUERIES):
        html(client.get("/claims/?issue=aid"))
    with django_assert_num_queries(CLAIM_DETAIL_QUERIES):
        html(client.get(corpus.claim_mediation.get_absolute_url()))
