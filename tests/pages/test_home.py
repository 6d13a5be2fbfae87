"""The overview as a reader meets it: the corpus the sources discuss first, then the records."""

import re

import pytest

from sources.models import SourceDocument
from tests import factories
from tests.factories import DRAFT_MARKER
from visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    corpus = factories.build_corpus()
    return corpus, factories.build_official_records(corpus)


def html(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(page, heading_id):
    """Return the HTML of the <section> labelled by `heading_id`, up to the next such part."""
    start = page.index(f'aria-labelledby="{heading_id}"')
    end = page.find("\n<section ", start)
    return page[start : end if end != -1 else len(page)]


def test_the_first_section_is_the_corpus_the_sources_discuss(client, world):
    corpus, records = world

    page = html(client)

    headings = re.findall(r'<h2 id="([\w-]+)"[^>]*>(.*?)</h2>', page, re.S)
    assert headings[0] == ("corpus-heading", "What the sources discuss")
    assert headings[1][0] == "records-heading"
    assert headings[1][1].startswith(
        "Official records: Office of the Historian, U.S. Department of State"
    )
    first = section(page, "corpus-heading")
    # The visits the article covers, newest first; no imported record among them.
    cards = re.findall(r'<h3 class="card-title"><a href="[^"]+">([^<]+)</a>', first)
    assert cards == ["Imran Khan visits Kabul", "Imran Khan visits Washington"]
    assert records.nawaz_visit.title not in first
    assert records.clinton_trip.title not in first
    assert 'href="/visits/?record=article"' in first
    # The source, its claims, and one of them.
    assert "Khan in Washington" in first and ">4 claims</a>" in first
    assert 'href="/claims/?source=khan-in-washington"' in first
    assert "Khan says Kashmir and Afghanistan were discussed." in first
    # Datasets are not among the sources read.
    assert records.dataset.title not in first


def test_official_records_follow_by_dataset_with_a_link_to_all_of_them(client, world):
    corpus, records = world

    official = section(html(client), "records-heading")

    assert '<span class="count-pill">2</span>' in official
    for dataset, visit in (
        (records.dataset, records.nawaz_visit),
        (records.travels, records.clinton_trip),
    ):
        part = official.split(f'id="dataset-{dataset.pk}"', 1)[1].split("</section>", 1)[0]
        assert dataset.title in part and visit.title in part
        assert f'href="{visit.get_absolute_url()}"' in part
    assert 'href="/visits/?record=official">All 2 official records</a>' in official
    assert corpus.kabul.title not in official


def test_a_record_a_source_discusses_joins_the_corpus(client, world):
    corpus, records = world
    # One article covers the Secretary's trip; another makes a claim about Sharif's visit.
    corpus.source.visits.add(records.clinton_trip)
    factories.ClaimFactory(
        source=factories.SourceDocumentFactory(title="Sharif in Washington"),
        visit=records.nawaz_visit,
    )

    first = section(html(client), "corpus-heading")

    assert records.clinton_trip.title in first
    assert records.nawaz_visit.title in first
    assert '<span class="count-pill">4</span>' in first


def test_drafts_neither_count_nor_show_in_the_corpus(client, world):
    corpus, records = world
    # Covered by a draft source only: the source is not public, so neither is its reading.
    corpus.draft_source.visits.add(records.nawaz_visit)

    page = html(client)
    first = section(page, "corpus-heading")

    assert records.nawaz_visit.title not in first
    assert '<span class="count-pill">2</span>' in first  # the two public visits covered
    assert DRAFT_MARKER.lower() not in page.lower()


def test_the_newest_discussed_visits_lead_and_the_number_is_exact(client, monkeypatch):
    from pages import views

    corpus = factories.build_corpus(extra=4)  # 2 + 4 visits the sources cover
    claimed = factories.VisitFactory(
        title="Imran Khan visits Doha",
        visitor=corpus.imran,
        start_date="2024-01-05",
        end_date=None,
    )
    # The newest: a source claims something about it without listing it among its visits.
    factories.ClaimFactory(source=corpus.source, visit=claimed, quote="Khan flew to Kabul")
    monkeypatch.setattr(views, "HOME_VISITS", 3)

    first = section(html(client), "corpus-heading")

    cards = re.findall(r'<h3 class="card-title"><a href="[^"]+">([^<]+)</a>', first)
    assert cards == [
        "Imran Khan visits Doha",
        "Imran Khan visits Kabul",
        "Imran Khan visits Washington",
    ]
    pill = re.search(r'id="discussed-heading".*?<span class="count-pill">([^<]+)</span>', first)
    discussed = Visit.objects.published().discussed_in(SourceDocument.objects.articles()).count()
    assert pill[1] == str(discussed) and discussed > 3


def test_an_empty_knowledge_base_says_so_in_each_part(client):
    page = html(client)

    assert "No visits published yet." in page
    assert "No sources published yet." in page
    assert "No official records imported yet." in page
