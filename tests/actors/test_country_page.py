"""A country's page: the visits its people made, and the visits it received."""

import datetime
import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    corpus = factories.build_corpus()
    return corpus, factories.build_official_records(corpus)


def part(page, heading_id):
    assert page.count(f'id="{heading_id}"') == 1
    return page.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def titles(html):
    return re.findall(r'<a href="/visits/[\w-]+/">([^<]+)</a>', html)


def test_pakistan_lists_the_visits_of_its_leaders_to_the_united_states(client, world):
    corpus, records = world

    page = client.get(corpus.pakistan.get_absolute_url()).content.decode()

    made = part(page, "made-heading")
    assert "Visits by people of Pakistan, and visits from Pakistan." in made
    assert titles(made) == [
        "Asim Munir visits the United States",
        "Imran Khan in Tashkent",
        "Imran Khan visits Kabul",
        "Asim Munir in Kabul",
        "Imran Khan at Davos",
        "Imran Khan visits Washington",
        "Mohammed Nawaz Sharif visits the United States",  # the official record
    ]
    assert '<span class="count-pill">7</span>' in made
    assert 'href="/visits/?origin=pakistan"' in made
    assert '<a href="#made-heading">7 made</a>' in page
    # The Secretary of State's trip to Pakistan is a visit it received, not one it made.
    received = part(page, "received-heading")
    assert titles(received) == ["Hillary Rodham Clinton visits Pakistan"]
    assert "SECRETDRAFT" not in page


def test_a_visit_counts_for_the_visitors_country_even_without_an_origin(client, world):
    corpus, _records = world
    # Recorded without a country of origin: the visitor's country still made it.
    factories.VisitFactory(
        title="Imran Khan visits Beijing",
        visitor=corpus.imran,
        origin=None,
        destination=factories.CountryFactory(name="China", slug="china"),
        start_date=datetime.date(2022, 2, 3),
        end_date=None,
    )
    # A visit from Pakistan by someone not of Pakistan (a foreign envoy leaving Islamabad).
    factories.VisitFactory(
        title="An envoy travels on from Islamabad",
        visitor=factories.ActorFactory(name="Zalmay Khalilzad", country=corpus.us),
        origin=corpus.pakistan,
        destination=corpus.afghanistan,
        start_date=datetime.date(2021, 5, 1),
        end_date=None,
    )

    pakistan = part(client.get("/actors/pakistan/").content.decode(), "made-heading")
    united_states = part(client.get("/actors/united-states/").content.decode(), "made-heading")

    assert "Imran Khan visits Beijing" in titles(pakistan)
    assert "An envoy travels on from Islamabad" in titles(pakistan)
    # …and the envoy's own country counts it too; Pakistan's leaders' visits it does not.
    assert "An envoy travels on from Islamabad" in titles(united_states)
    assert "Hillary Rodham Clinton visits Pakistan" in titles(united_states)
    assert "Imran Khan visits Beijing" not in titles(united_states)


def test_a_draft_national_or_visit_is_not_counted(client, world):
    corpus, _records = world
    draft = factories.ActorFactory(
        name="Draft Envoy", country=corpus.pakistan, publication_status=factories.DRAFT
    )
    factories.VisitFactory(title="A draft envoy travels", visitor=draft, origin=None)

    made = part(client.get("/actors/pakistan/").content.decode(), "made-heading")

    assert "A draft envoy travels" not in made
    assert '<span class="count-pill">7</span>' in made


def test_a_person_still_lists_only_the_visits_they_made(client, world):
    corpus, records = world

    made = part(client.get(corpus.imran.get_absolute_url()).content.decode(), "made-heading")

    assert "Mohammed Nawaz Sharif visits the United States" not in made
    assert "Visits by people of" not in made
    assert 'href="/visits/?leader=imran-khan"' in made
