"""An actor's page and the actors list as a reader sees them."""

import re

import pytest

from tests import factories
from tests.queries import DATA_VERSION_QUERIES, STAMP_QUERIES

pytestmark = pytest.mark.django_db

# The count; the facets' rows; page, aliases; country names; countries; visits
ACTOR_LIST_QUERIES = 7 + STAMP_QUERIES + DATA_VERSION_QUERIES
# And the chosen country, looked up by its slug
ACTOR_LIST_FILTERED_QUERIES = 8 + STAMP_QUERIES + DATA_VERSION_QUERIES
# ... and the issues' names and slugs, for the chart's links; the count and the first of the
# assertions about its visits.
ACTOR_DETAIL_QUERIES = 26 + DATA_VERSION_QUERIES
# ... and a country's people, whose visits it made.
COUNTRY_DETAIL_QUERIES = 21 + DATA_VERSION_QUERIES


@pytest.fixture
def corpus():
    return factories.build_corpus()


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_actor_page_shows_roles_visits_and_claims(client, corpus):
    page = html(client.get(corpus.imran.get_absolute_url()))

    assert "Person" in page and ">Pakistan</a>" in page
    assert "PM Khan" in page  # how sources also write the name
    assert "2018–2022" in page and "Prime Minister" in page  # known to the year
    made = page.split('id="made-heading"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'">(Imran Khan [^<]+)</a></li>', made) == [
        "Imran Khan in Tashkent",
        "Imran Khan visits Kabul",
        "Imran Khan at Davos",
        "Imran Khan visits Washington",
    ]
    by = page.split('id="by-heading"', 1)[1].split("</section>", 1)[0]
    assert "Khan says Kashmir and Afghanistan were discussed." in by
    assert 'href="/claims/?speaker=imran-khan"' in by
    assert "SECRETDRAFT" not in page  # a draft role's organisation, draft visits, draft claims


def test_actor_page_draws_a_timeline_and_a_chart(client, corpus):
    page = html(client.get(corpus.imran.get_absolute_url()))

    assert 'aria-labelledby="actor-timeline-title actor-timeline-desc"' in page
    dots = re.findall(r'<circle class="(\w+)" cx="[\d.]+" cy="\d+" r="6">', page)
    assert dots == ["made"] * 4
    assert '<a href="/visits/imran-khan-kabul-2020/" aria-label="Imran Khan visits Kabul' in page
    assert "Visits made by Imran Khan per year, by issue" in page


def test_host_and_country_pages_list_the_visits_they_received(client, corpus):
    trump = html(client.get(corpus.trump.get_absolute_url()))
    us = html(client.get(corpus.us.get_absolute_url()))

    received = trump.split('id="received-heading"', 1)[1].split("</section>", 1)[0]
    assert "Imran Khan visits Washington" in received
    received = us.split('id="received-heading"', 1)[1].split("</section>", 1)[0]
    assert "Imran Khan visits Washington" in received
    assert "Asim Munir visits the United States" in received
    assert 'href="/visits/?destination=united-states"' in received
    about = trump.split('id="about-heading"', 1)[1].split("</section>", 1)[0]
    assert "Khan says Kashmir and Afghanistan were discussed." in about


def test_actor_list_shows_kind_country_and_visit_counts(client, corpus):
    page = html(client.get("/actors/?kind=person"))

    imran = page.split(">Imran Khan</a></h3>", 1)[1].split("</li>", 1)[0]
    assert "Pakistan" in imran and ">4 visits made</a>" in imran
    raza = page.split(">Ayesha Raza</a></h3>", 1)[1].split("</li>", 1)[0]
    assert "SECRETDRAFT" not in raza  # her country is a draft


@pytest.mark.parametrize("extra", [2, 30])
def test_actor_pages_run_the_same_queries_at_any_size(client, django_assert_num_queries, extra):
    corpus = factories.build_corpus(extra=extra)
    for number in range(extra):
        factories.ActorFactory(name=f"Envoy {number}", country=corpus.pakistan)

    with django_assert_num_queries(ACTOR_LIST_QUERIES):
        html(client.get("/actors/"))
    with django_assert_num_queries(ACTOR_LIST_FILTERED_QUERIES):
        html(client.get("/actors/?country=pakistan"))
    with django_assert_num_queries(ACTOR_DETAIL_QUERIES):
        html(client.get(corpus.imran.get_absolute_url()))
    with django_assert_num_queries(COUNTRY_DETAIL_QUERIES):
        html(client.get(corpus.us.get_absolute_url()))
