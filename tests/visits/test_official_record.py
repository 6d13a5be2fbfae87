"""A visit imported from the Office of the Historian shows its record: words, title, link."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from tests import factories
from visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    corpus = factories.build_corpus()
    return corpus, factories.build_official_records(corpus)


def record_box(page):
    assert page.count('class="official-record"') == 1
    return page.split('class="official-record"', 1)[1].split("</section>", 1)[0]


def facts(box):
    """Return {label: text} of the record box's facts, tags stripped."""
    rows = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", box, re.S)
    return {label: " ".join(re.sub(r"<[^>]+>", "", value).split()) for label, value in rows}


def test_a_leaders_visit_shows_the_title_description_and_page_of_its_record(client, world):
    _corpus, records = world

    page = client.get(records.nawaz_visit.get_absolute_url()).content.decode()
    box = record_box(page)

    assert '<h2 id="record-heading">Official record</h2>' in box
    assert "Office of the Historian records this visit to the United States" in box
    assert facts(box) == {
        "Visitor": "Prime Minister Mohammed Nawaz Sharif",
        "Title at the time": "Prime Minister",
        "Description": "Official Working Visit.",
        "Record": "hsg-visit:2811 · last changed 2018-08-09",
    }
    assert (
        '<a class="external" href="https://history.state.gov/departmenthistory/visits/pakistan"'
        in box
    )
    assert "Visits to the United States by leaders of Pakistan</a>" in box
    assert "on history.state.gov" in box
    assert "publishes no page for a single record" in box
    assert '<a href="#record-heading">Official record</a>' in page  # in the page's outline


def test_a_secretarys_trip_shows_the_remarks_and_the_travellers_page(client, world):
    _corpus, records = world

    box = record_box(client.get(records.clinton_trip.get_absolute_url()).content.decode())

    assert "records this trip abroad" in box
    assert facts(box) == {
        "Traveller": "Hillary Rodham Clinton",
        "Title at the time": "Secretary of State",
        "Remarks": "Met with President Zardari.",
        "Record": "hsg-secretary-trip:77",
    }
    assert (
        'href="https://history.state.gov/departmenthistory/travels/secretary/'
        'clinton-hillary-rodham"' in box
    )


def test_a_curated_visit_has_no_official_record_box(client, world):
    corpus, _records = world

    page = client.get(corpus.kabul.get_absolute_url()).content.decode()

    assert 'class="official-record"' not in page
    assert "#record-heading" not in page


def test_the_record_box_costs_no_query(client, world):
    _corpus, records = world
    visit = records.nawaz_visit

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(visit.get_absolute_url()).status_code == 200
        return len(captured)

    with_record = queries()
    Visit.objects.filter(pk=visit.pk).update(
        record_visitor="", record_title="", record_text="", record_url="", record_page=""
    )

    assert queries() == with_record


def test_every_imported_record_shows_its_id_link_title_and_words(client):
    call_command("import_history_state_gov", verbosity=0)
    imported = Visit.objects.filter(external_id__startswith="hsg-").order_by("external_id")

    assert imported.count() == 3264 + 832 + 3439
    assert not imported.filter(Q(record_url="") | Q(record_page="")).exists()
    # Two visitors' lines name no title at all ("Valdas Adamkus").
    untitled = imported.filter(record_title="").values_list("external_id", flat=True)
    assert sorted(untitled) == ["hsg-visit:1519", "hsg-visit:2010"]
    for prefix in ("hsg-visit:", "hsg-president-trip:", "hsg-secretary-trip:"):
        records = imported.filter(external_id__startswith=prefix).exclude(record_text="")
        for visit in records[:: records.count() // 4]:
            box = record_box(client.get(visit.get_absolute_url()).content.decode())
            assert visit.external_id in facts(box)["Record"]
            assert f'<a class="external" href="{visit.record_url}"' in box
            assert facts(box)["Title at the time"] == visit.record_title
            assert f'<q class="record-text">{escape(visit.record_text)}</q>' in box
