"""The Office of the Historian import, on small XML files written by the tests."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from actors.models import Actor, ActorAlias
from actors.services import actor_merge
from claims.models import Claim, ClaimKind, ClaimStatus
from core.status import PublicationStatus
from ingest.history_state_gov import DATA_DIR, HistoryStateGovImport, records
from ingest.history_state_gov.records import (
    PRESIDENT_TRIPS,
    SECRETARY_TRIPS,
    VISITS,
    collection_files,
    kind_from_text,
    read_collection,
)
from sources.models import SourceDocument, SourceKind
from tests import factories
from visits.models import Visit, VisitKind

pytestmark = pytest.mark.django_db

MODIFIED = "2021-02-25T17:19:34.816-04:00"


def visit_xml(
    record_id,
    visitor,
    country="pakistan",
    country_name="Pakistan",
    start="2019-07-21",
    end="2019-07-23",
    description="Official Working Visit.",
    modified=MODIFIED,
):
    return f"""
    <visit>
        <id>{record_id}</id>
        <start-date>{start}</start-date>
        <end-date>{end}</end-date>
        <visitor>{visitor}</visitor>
        <from id="{country}">{country_name}</from>
        <description>{description}</description>
        <created-by>wicentowskijc</created-by>
        <created-datetime>2020-03-27T17:19:34.816-04:00</created-datetime>
        <last-modified-by>bottsjd</last-modified-by>
        <last-modified-datetime>{modified}</last-modified-datetime>
    </visit>"""


def trip_xml(record_id, who, name, country, country_name, locale, remarks, start, role="president"):
    return f"""
    <trip role="{role}" who="{who}">
        <id>{record_id}</id>
        <role>{role}</role>
        <name>{name}</name>
        <start-date>{start}</start-date>
        <end-date>{start}</end-date>
        <country id="{country}">{country_name}</country>
        <locale>{locale}</locale>
        <remarks>{remarks}</remarks>
        <created-by>wicentowskijc</created-by>
        <created-datetime>2010-10-19T13:56:12.253-04:00</created-datetime>
        <last-modified-by>wicentowskijc</last-modified-by>
        <last-modified-datetime>{MODIFIED}</last-modified-datetime>
    </trip>"""


class Dataset:
    """A folder tree shaped like the published data, with files the test writes."""

    def __init__(self, root):
        self.visits = root / "visits"
        self.travels = root / "travels"
        (self.visits / "data").mkdir(parents=True)
        (self.travels / "president-travels").mkdir(parents=True)
        (self.travels / "secretary-travels").mkdir(parents=True)

    def write_visits(self, name, *records):
        body = "".join(records)
        path = self.visits / "data" / name
        path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<visits>{body}\n</visits>\n')
        return path

    def write_trips(self, folder, name, *records):
        body = "".join(records)
        path = self.travels / folder / name
        path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<trips>{body}\n</trips>\n')
        return path

    def run(self):
        return HistoryStateGovImport(self.visits, self.travels).run()


@pytest.fixture
def dataset(tmp_path):
    return Dataset(tmp_path)


@pytest.fixture
def pakistan_visits(dataset):
    dataset.write_visits(
        "2010.xml",
        visit_xml("2933", "Prime Minister Imran Khan"),
        visit_xml(
            "1244",
            "Prime Minister Nawaz Sharif",
            start="1997-09-22",
            end="1997-09-22",
            description="Met with President Clinton at the UN General Assembly in New York\n"
            "            City.",
        ),
        visit_xml(
            "2811",
            "Prime Minister Mohammed Nawaz Sharif",
            start="2015-10-22",
            end="2015-10-23",
            description="Official <em>Working</em> Visit.",
        ),
        visit_xml(
            "2076",
            "King Juan Carlos I",
            country="spain",
            country_name="Spain",
            start="2010-02-17",
            end="2010-02-17",
            description="Working visit.",
        ),
    )
    dataset.write_trips(
        "president-travels",
        "obama-barack.xml",
        trip_xml(
            "2960",
            "obama-barack",
            "Barack Obama",
            "canada",
            "Canada",
            "Ottawa",
            "Met with Prime Minister Harper.",
            "2009-02-19",
        ),
    )
    dataset.write_trips(
        "secretary-travels",
        "clinton-hillary-rodham.xml",
        trip_xml(
            "77",
            "clinton-hillary-rodham",
            "Hillary Rodham Clinton",
            "pakistan",
            "Pakistan",
            "Islamabad",
            "Met with President Zardari.",
            "2009-10-28",
            role="secretary",
        ),
    )
    return dataset


def test_visits_and_trips_become_published_visits_with_countries_dates_and_kinds(
    pakistan_visits,
):
    result = pakistan_visits.run()

    imran = Visit.objects.get(external_id="hsg-visit:2933")
    assert imran.title == "Imran Khan visits the United States"
    assert (imran.origin.slug, imran.destination.slug) == ("pakistan", "united-states")
    assert (imran.start_date, imran.end_date) == (
        datetime.date(2019, 7, 21),
        datetime.date(2019, 7, 23),
    )
    assert imran.kind == VisitKind.OFFICIAL_WORKING
    assert imran.visitor.name == "Imran Khan"
    assert imran.visitor.country.slug == "pakistan"
    trip = Visit.objects.get(external_id="hsg-president-trip:2960")
    assert (trip.origin.slug, trip.destination.slug, trip.city) == (
        "united-states",
        "canada",
        "Ottawa",
    )
    assert trip.visitor.name == "Barack Obama"
    assert trip.visitor_role.title == "President"
    secretary = Visit.objects.get(external_id="hsg-secretary-trip:77")
    assert secretary.visitor_role.title == "Secretary of State"
    pakistani = Visit.objects.published().filter(
        origin__slug="pakistan", destination__slug="united-states"
    )
    assert pakistani.count() == 3
    assert [stats.counts["created"] for stats in result.collections] == [4, 1, 1]
    assert not Visit.objects.exclude(publication_status=PublicationStatus.PUBLISHED).exists()
    assert not Actor.objects.exclude(publication_status=PublicationStatus.PUBLISHED).exists()


def test_each_description_is_a_confirmed_claim_quoting_its_dataset_source(pakistan_visits):
    pakistan_visits.run()

    source = SourceDocument.objects.get(external_id="hsg-dataset:visit")
    assert source.kind == SourceKind.DATASET
    assert source.url == "https://history.state.gov/departmenthistory/visits"
    assert source.licence == "Public domain (CC0 1.0)"
    assert source.publisher == "Office of the Historian, U.S. Department of State"
    claim = Claim.objects.get(external_id="hsg-visit:1244")
    # Kept as the source states it, its line wrapping made single spaces.
    assert claim.quote == (
        "Met with President Clinton at the UN General Assembly in New York City."
    )
    assert claim.kind == ClaimKind.OUTCOME
    assert claim.status == ClaimStatus.CONFIRMED
    assert claim.visit.external_id == "hsg-visit:1244"
    assert list(claim.actors.values_list("name", flat=True)) == ["Nawaz Sharif"]
    assert claim.quote in source.body
    claim.full_clean()  # the quote check every curator's save runs
    assert Claim.objects.get(external_id="hsg-visit:2811").quote == "Official Working Visit."
    assert Claim.objects.get(external_id="hsg-visit:2811").kind == ClaimKind.BACKGROUND
    trips = SourceDocument.objects.get(external_id="hsg-dataset:president-trip")
    assert trips.url == "https://history.state.gov/departmenthistory/travels/president"
    assert list(trips.visits.values_list("external_id", flat=True)) == ["hsg-president-trip:2960"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("State Visit.", VisitKind.STATE),
        ("Official working visit. Private visit to Texas.", VisitKind.OFFICIAL_WORKING),
        ("Official Visit; visited Boston.", VisitKind.OFFICIAL),
        ("Private visit while attending U.N. General Assembly session.", VisitKind.PRIVATE),
        ("Attended the Nuclear Security Summit.", VisitKind.MULTILATERAL),
        ("Attended the Richard Holbrooke Memorial Service.", VisitKind.CEREMONY),
        ("Accompanied King George VI as minister in attendance.", VisitKind.OTHER),
    ],
)
def test_the_kind_of_visit_is_the_one_the_description_names(text, kind):
    assert kind_from_text(text) == kind


def test_spellings_of_one_leader_land_on_one_actor_with_aliases_and_roles(pakistan_visits):
    pakistan_visits.run()

    nawaz = Actor.objects.get(visits_made__external_id="hsg-visit:1244")
    assert set(nawaz.visits_made.values_list("external_id", flat=True)) == {
        "hsg-visit:1244",
        "hsg-visit:2811",
    }
    assert list(nawaz.aliases.values_list("name", flat=True)) == ["Mohammed Nawaz Sharif"]
    roles = list(nawaz.roles.values_list("title", "organisation__slug", "start_date", "end_date"))
    # Eighteen years apart: two terms, not one role from 1997 to 2015.
    assert roles == [
        ("Prime Minister", "pakistan", datetime.date(1997, 9, 22), datetime.date(1997, 9, 22)),
        ("Prime Minister", "pakistan", datetime.date(2015, 10, 22), datetime.date(2015, 10, 23)),
    ]


def test_the_seed_knowledge_bases_actors_and_countries_are_reused(pakistan_visits):
    pakistan = factories.CountryFactory(name="Pakistan", slug="pakistan")
    imran = factories.ActorFactory(name="Imran Khan", slug="imran-khan", country=pakistan)
    factories.ActorAliasFactory(actor=imran, name="PM Khan")
    role = factories.ActorRoleFactory(
        actor=imran,
        title="Prime Minister",
        organisation=pakistan,
        start_date=datetime.date(2018, 8, 18),
        end_date=datetime.date(2022, 4, 10),
    )

    pakistan_visits.run()

    visit = Visit.objects.get(external_id="hsg-visit:2933")
    assert visit.visitor == imran
    assert visit.visitor_role == role
    assert Actor.objects.filter(slug__startswith="pakistan").count() == 1
    assert Actor.objects.filter(name="Imran Khan").count() == 1


def test_a_second_run_creates_and_changes_nothing(pakistan_visits):
    pakistan_visits.run()
    history_rows = Visit.history.count() + Claim.history.count() + Actor.history.count()

    second = pakistan_visits.run()

    assert second.created == 0
    assert second.updated == 0
    assert [stats.counts["unchanged"] for stats in second.collections] == [4, 1, 1]
    assert Visit.history.count() + Claim.history.count() + Actor.history.count() == history_rows


def test_a_record_with_a_new_last_modified_time_updates_its_visit_with_history(dataset):
    dataset.write_visits("2010.xml", visit_xml("2933", "Prime Minister Imran Khan"))
    dataset.run()
    dataset.write_visits(
        "2010.xml",
        visit_xml(
            "2933",
            "Prime Minister Imran Khan",
            end="2019-07-24",
            description="State Visit.",
            modified="2022-01-01T10:00:00-05:00",
        ),
    )

    result = dataset.run()

    visit = Visit.objects.get(external_id="hsg-visit:2933")
    assert visit.end_date == datetime.date(2019, 7, 24)
    assert visit.kind == VisitKind.STATE
    assert result.collections[0].counts["updated"] == 1
    latest = visit.history.latest()
    assert latest.history_type == "~"
    assert latest.kind == VisitKind.STATE
    assert visit.history.count() == 2
    claim = Claim.objects.get(external_id="hsg-visit:2933")
    assert claim.quote == "State Visit."
    assert claim.history.count() == 2
    source = SourceDocument.objects.get(external_id="hsg-dataset:visit")
    assert "State Visit." in source.body
    assert "Official Working Visit." not in source.body


def test_a_curators_edit_is_kept_and_the_conflict_reported(dataset):
    dataset.write_visits("2010.xml", visit_xml("2933", "Prime Minister Imran Khan"))
    dataset.run()
    visit = Visit.objects.get(external_id="hsg-visit:2933")
    visit.title = "Imran Khan's first visit to Washington"
    visit.save()  # what the admin's save does
    dataset.write_visits(
        "2010.xml",
        visit_xml(
            "2933",
            "Prime Minister Imran Khan",
            end="2019-07-24",
            modified="2022-01-01T10:00:00-05:00",
        ),
    )

    result = dataset.run()

    visit.refresh_from_db()
    assert visit.title == "Imran Khan's first visit to Washington"
    assert visit.end_date == datetime.date(2019, 7, 23)
    assert result.collections[0].counts["conflicts"] == 1
    assert result.collections[0].counts["updated"] == 0
    assert any("hsg-visit:2933" in line and "curator" in line for line in result.conflicts)


def test_a_merged_visitor_is_not_mistaken_for_a_curators_edit(dataset):
    dataset.write_visits(
        "2010.xml",
        visit_xml(
            "2551", "Prime Minister Shahid Khaqan Abbasi", start="2011-01-14", end="2011-01-14"
        ),
        visit_xml(
            "2664", "Prime Minister Shahid Khakan Abbasi", start="2012-05-21", end="2012-05-21"
        ),
    )
    dataset.run()
    actor_merge(
        keep=Actor.objects.get(name="Shahid Khaqan Abbasi"),
        other=Actor.objects.get(name="Shahid Khakan Abbasi"),
    )
    dataset.write_visits(
        "2010.xml",
        visit_xml(
            "2551", "Prime Minister Shahid Khaqan Abbasi", start="2011-01-14", end="2011-01-14"
        ),
        visit_xml(
            "2664",
            "Prime Minister Shahid Khakan Abbasi",
            start="2012-05-20",
            end="2012-05-21",
            modified="2022-01-01T10:00:00-05:00",
        ),
    )

    result = dataset.run()

    assert result.collections[0].counts["updated"] == 1
    visit = Visit.objects.get(external_id="hsg-visit:2664")
    assert visit.start_date == datetime.date(2012, 5, 20)
    assert visit.visitor.name == "Shahid Khaqan Abbasi"
    assert Actor.objects.filter(name__contains="Abbasi").count() == 1


def test_spellings_known_to_be_one_persons_make_one_actor_keeping_each_spelling(dataset):
    dataset.write_visits(
        "2010.xml",
        visit_xml("2551", "President Asif Zardari", start="2011-01-14", end="2011-01-14"),
        visit_xml("2664", "President Asif Zadari", start="2012-05-21", end="2012-05-21"),
        visit_xml("2665", "Prime Minister Yousuf Gillani", start="2012-05-22", end="2012-05-22"),
    )

    dataset.run()
    again = dataset.run()

    zardari = Actor.objects.get(name="Asif Ali Zardari")
    assert set(zardari.visits_made.values_list("external_id", flat=True)) == {
        "hsg-visit:2551",
        "hsg-visit:2664",
    }
    assert {"Asif Zardari", "Asif Zadari"} <= set(zardari.aliases.values_list("name", flat=True))
    assert Actor.objects.get(aliases__name="Yousuf Gillani").name == "Yusuf Raza Gilani"
    assert Actor.objects.filter(name__contains="Asif").count() == 1
    assert again.collections[0].counts["unchanged"] == 3


def test_malformed_records_and_files_are_reported_and_the_rest_imported(dataset):
    dataset.write_visits(
        "2010.xml",
        visit_xml("2933", "Prime Minister Imran Khan"),
        visit_xml("2934", "President Khaltmaa Battulga", start="2019-13-40"),
        visit_xml("2935", "President X", start="2019-07-23", end="2019-07-21"),
        "<visit><start-date>2019-01-01</start-date></visit>",
        visit_xml("2936", "King Y").replace('<from id="pakistan">', "<from>"),
        visit_xml("2933", "Prime Minister Imran Khan"),
    )
    (dataset.visits / "data" / "2020.xml").write_text("<visits><visit><id>3000</id></visits>")

    result = dataset.run()

    assert Visit.objects.count() == 1
    messages = [str(problem) for problem in result.problems]
    assert any(m.startswith("visits/data/2010.xml: record 2934: <start-date>") for m in messages)
    assert any("record 2935: end-date 2019-07-21 is before" in m for m in messages)
    assert any("record (element 4): no <id>" in m for m in messages)
    assert any("record 2936: <from> has no valid id" in m for m in messages)
    assert any("record 2933: id already used in visits/data/2010.xml" in m for m in messages)
    assert any(
        m.startswith("visits/data/2020.xml: file left out, not readable as XML") for m in messages
    )
    stats = result.collections[0]
    assert (stats.records, stats.counts["created"], stats.counts["reported"]) == (6, 1, 5)


def test_the_command_shows_progress_and_a_summary(pakistan_visits):
    out, err = StringIO(), StringIO()

    call_command(
        "import_history_state_gov",
        visits=str(pakistan_visits.visits),
        travels=str(pakistan_visits.travels),
        stdout=out,
        stderr=err,
    )
    call_command(
        "import_history_state_gov",
        visits=str(pakistan_visits.visits),
        travels=str(pakistan_visits.travels),
        stdout=(second := StringIO()),
        stderr=err,
    )

    assert "visits: 4/4 records (" in out.getvalue()
    assert "visits: 4 records — created 4, linked 0, updated 0, unchanged 0" in out.getvalue()
    assert "president travels: 1 records — created 1" in out.getvalue()
    assert "visits: 4 records — created 0, linked 0, updated 0, unchanged 4" in second.getvalue()
    assert "0 rows created, 0 updated" in second.getvalue()
    assert err.getvalue() == ""


def test_the_command_refuses_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="--visits: no folder"):
        call_command("import_history_state_gov", visits=str(tmp_path / "nowhere"))


def test_spellings_seen_are_kept_as_aliases_of_countries(dataset):
    dataset.write_visits(
        "1950.xml",
        visit_xml(
            "10",
            "Prime Minister Solomon Bandaranaike",
            "sri-lanka",
            "Ceylon",
            "1956-01-01",
            "1956-01-02",
        ),
        visit_xml(
            "11",
            "President Mahinda Rajapaksa",
            "sri-lanka",
            "Sri Lanka",
            "2006-01-01",
            "2006-01-02",
        ),
    )

    dataset.run()

    country = Actor.objects.get(slug="sri-lanka")
    assert country.name == "Sri Lanka"  # as its latest record names it
    assert list(ActorAlias.objects.filter(actor=country).values_list("name", flat=True)) == [
        "Ceylon"
    ]


def test_the_repositorys_copy_of_the_data_parses_whole():
    files = collection_files(DATA_DIR / "visits", DATA_DIR / "travels")

    counts = {}
    for collection, paths in files.items():
        records, problems = read_collection(paths, collection)
        assert problems == []
        counts[collection] = len(records)

    assert counts == {VISITS: 3264, PRESIDENT_TRIPS: 832, SECRETARY_TRIPS: 3439}
    assert (DATA_DIR / "visits" / "LICENSE.md").is_file()
    assert (DATA_DIR / "travels" / "LICENSE.md").is_file()


def test_a_curators_edit_of_a_claim_is_kept_and_its_quote_stays_in_the_source(dataset):
    dataset.write_visits(
        "2010.xml",
        visit_xml("2933", "Prime Minister Imran Khan"),
        visit_xml("2934", "President Khaltmaa Battulga", "mongolia", "Mongolia"),
    )
    dataset.run()
    claim = Claim.objects.get(external_id="hsg-visit:2933")
    claim.summary = "The visit was an official working visit, the first of his term."
    claim.save()
    dataset.write_visits(
        "2010.xml",
        visit_xml(
            "2933",
            "Prime Minister Imran Khan",
            description="Official Working Visit. Met with President Trump.",
            modified="2022-01-01T10:00:00-05:00",
        ),
    )  # and record 2934 is gone from the file

    result = dataset.run()

    claim.refresh_from_db()
    assert claim.summary == "The visit was an official working visit, the first of his term."
    assert claim.quote == "Official Working Visit."
    claim.full_clean()  # its quote still occurs in the source's body
    assert any("hsg-visit:2933" in line and "its claim" in line for line in result.conflicts)
    # The visit itself was not edited: it takes the new record.
    assert result.collections[0].counts["updated"] == 1
    kept = Claim.objects.get(external_id="hsg-visit:2934")
    kept.full_clean()
    assert Visit.objects.filter(external_id="hsg-visit:2934").exists()


def test_a_visit_a_curator_entered_is_linked_to_its_record_not_duplicated(dataset):
    pakistan = factories.CountryFactory(name="Pakistan", slug="pakistan")
    united_states = factories.CountryFactory(name="United States", slug="united-states")
    imran = factories.ActorFactory(name="Imran Khan", slug="imran-khan", country=pakistan)
    curated = factories.VisitFactory(
        title="Imran Khan visits Washington",
        visitor=imran,
        origin=pakistan,
        destination=united_states,
        start_date=datetime.date(2019, 7, 21),
        end_date=datetime.date(2019, 7, 23),
        summary="A curator's summary.",
    )
    dataset.write_visits("2010.xml", visit_xml("2933", "Prime Minister Imran Khan"))

    result = dataset.run()

    assert Visit.objects.filter(visitor=imran).count() == 1
    curated.refresh_from_db()
    assert curated.external_id == "hsg-visit:2933"
    assert (curated.title, curated.summary) == (
        "Imran Khan visits Washington",
        "A curator's summary.",
    )
    assert curated.claims.get().quote == "Official Working Visit."
    assert curated.sources.get().external_id == "hsg-dataset:visit"
    assert result.collections[0].counts["linked"] == 1
    # Later changes of the record are the curator's to take.
    dataset.write_visits(
        "2010.xml",
        visit_xml("2933", "Prime Minister Imran Khan", modified="2022-01-01T10:00:00-05:00"),
    )
    second = dataset.run()
    assert second.collections[0].counts["conflicts"] == 1
    assert any("was entered by a curator" in line for line in second.conflicts)


# --- What each record says, kept on its visit -----------------------------------------------


def test_each_visit_keeps_what_its_record_says_and_where_it_is_published(pakistan_visits):
    pakistan_visits.run()

    def record(external_id):
        visit = Visit.objects.get(external_id=external_id)
        return (
            visit.record_visitor,
            visit.record_title,
            visit.record_text,
            visit.record_url,
            visit.record_page,
        )

    assert record("hsg-visit:2933") == (
        "Prime Minister Imran Khan",
        "Prime Minister",
        "Official Working Visit.",
        "https://history.state.gov/departmenthistory/visits/pakistan",
        "Visits to the United States by leaders of Pakistan",
    )
    assert record("hsg-visit:2811")[2] == "Official Working Visit."  # <em> kept as text
    assert record("hsg-visit:2076")[:2] == ("King Juan Carlos I", "King")
    assert record("hsg-visit:2076")[3].endswith("/departmenthistory/visits/spain")
    assert record("hsg-president-trip:2960") == (
        "Barack Obama",
        "President",
        "Met with Prime Minister Harper.",
        "https://history.state.gov/departmenthistory/travels/president/obama-barack",
        "Travels abroad of Barack Obama as President",
    )
    assert record("hsg-secretary-trip:77")[1:4] == (
        "Secretary of State",
        "Met with President Zardari.",
        "https://history.state.gov/departmenthistory/travels/secretary/clinton-hillary-rodham",
    )


def test_the_visit_page_of_an_imported_record_shows_it(client, pakistan_visits):
    pakistan_visits.run()
    visit = Visit.objects.get(external_id="hsg-visit:1244")

    page = client.get(visit.get_absolute_url()).content.decode()

    box = page.split('class="official-record"', 1)[1].split("</section>", 1)[0]
    assert "<dd>Prime Minister Nawaz Sharif</dd>" in box
    assert "<dt>Title at the time</dt><dd>Prime Minister</dd>" in box
    assert "Met with President Clinton at the UN General Assembly in New York City." in box
    assert 'href="https://history.state.gov/departmenthistory/visits/pakistan"' in box


def test_a_reimport_gives_visits_imported_earlier_their_records_words(pakistan_visits):
    pakistan_visits.run()
    # As after the migration that added the fields: visits imported before they existed.
    Visit.objects.update(
        record_visitor="", record_title="", record_text="", record_url="", record_page=""
    )
    before = {v.external_id: (v.version, v.title, v.import_checksum) for v in Visit.objects.all()}

    result = pakistan_visits.run()

    visit = Visit.objects.get(external_id="hsg-visit:2933")
    assert visit.record_visitor == "Prime Minister Imran Khan"
    assert visit.record_url == "https://history.state.gov/departmenthistory/visits/pakistan"
    assert result.totals["record details updated"] == 6
    # Nothing a curator enters changed: same versions, titles, checksums; no conflict later.
    after = {v.external_id: (v.version, v.title, v.import_checksum) for v in Visit.objects.all()}
    assert after == before
    assert visit.history.latest().record_title == "Prime Minister"
    third = pakistan_visits.run()
    assert third.updated == 0 and third.conflicts == []


def test_a_curators_edit_is_kept_while_the_record_box_follows_the_record(dataset):
    dataset.write_visits("2010.xml", visit_xml("2933", "Prime Minister Imran Khan"))
    dataset.run()
    visit = Visit.objects.get(external_id="hsg-visit:2933")
    visit.title = "Imran Khan's first visit to Washington"
    visit.save()
    dataset.write_visits(
        "2010.xml",
        visit_xml(
            "2933",
            "Prime Minister Imran Khan",
            description="Official Working Visit. Met with President Trump.",
            modified="2022-01-01T10:00:00-05:00",
        ),
    )

    result = dataset.run()

    visit.refresh_from_db()
    assert result.collections[0].counts["conflicts"] == 1
    assert visit.title == "Imran Khan's first visit to Washington"  # the curator's
    assert visit.record_text == "Official Working Visit. Met with President Trump."  # the record's


def test_a_curated_visit_linked_to_its_record_shows_the_record(dataset):
    pakistan = factories.CountryFactory(name="Pakistan", slug="pakistan")
    united_states = factories.CountryFactory(name="United States", slug="united-states")
    imran = factories.ActorFactory(name="Imran Khan", slug="imran-khan", country=pakistan)
    curated = factories.VisitFactory(
        title="Imran Khan visits Washington",
        visitor=imran,
        origin=pakistan,
        destination=united_states,
        start_date=datetime.date(2019, 7, 21),
        end_date=datetime.date(2019, 7, 23),
    )
    dataset.write_visits("2010.xml", visit_xml("2933", "Prime Minister Imran Khan"))

    dataset.run()

    curated.refresh_from_db()
    assert curated.title == "Imran Khan visits Washington"
    assert (curated.record_visitor, curated.record_text) == (
        "Prime Minister Imran Khan",
        "Official Working Visit.",
    )


def test_the_repositorys_records_are_listed_on_pages_keyed_by_their_own_ids():
    files = collection_files(DATA_DIR / "visits", DATA_DIR / "travels")
    records = {
        collection: {record.record_id: record for record in read_collection(paths, collection)[0]}
        for collection, paths in files.items()
    }

    imran = records[VISITS]["2933"]
    assert imran.page_url == "https://history.state.gov/departmenthistory/visits/pakistan"
    rubio = records[SECRETARY_TRIPS]["4288"]
    assert rubio.page_url == (
        "https://history.state.gov/departmenthistory/travels/secretary/rubio-marco"
    )
    # history.state.gov finds a traveller's trips by the `who` of each trip, a president's
    # among the ids of presidents.xml; each file holds one traveller's trips.
    presidents = (DATA_DIR / "travels" / "presidents" / "presidents.xml").read_text()
    for collection in (PRESIDENT_TRIPS, SECRETARY_TRIPS):
        for record in records[collection].values():
            assert record.page_url.endswith(f"/{record.who}")
            assert record.file.endswith(f"{record.who}.xml")
            if collection == PRESIDENT_TRIPS:
                assert f"<id>{record.who}</id>" in presidents
    assert all(r.page_url.endswith(f"/visits/{r.country_slug}") for r in records[VISITS].values())


def test_a_reimport_lists_what_changed_upstream_in_a_visit_a_curator_edited(dataset):
    trip = trip_xml(
        "2960",
        "obama-barack",
        "Barack Obama",
        "canada",
        "Canada",
        "Ottawa",
        "Met with Prime Minister Harper.",
        "2009-02-19",
    )
    dataset.write_trips("president-travels", "obama-barack.xml", trip)
    command = {"visits": str(dataset.visits), "travels": str(dataset.travels)}
    call_command("import_history_state_gov", **command, stdout=StringIO())
    visit = Visit.objects.get(external_id="hsg-president-trip:2960")
    visit.title = "Obama's first trip abroad as President"
    visit.save()  # what the admin's save does
    changed = trip.replace(
        "Met with Prime Minister Harper.",
        "Met with Prime Minister Harper and Governor General Jean.",
    ).replace(MODIFIED, "2022-01-01T10:00:00-05:00")
    dataset.write_trips("president-travels", "obama-barack.xml", changed)

    call_command("import_history_state_gov", **command, stdout=(out := StringIO()))

    visit.refresh_from_db()
    assert visit.title == "Obama's first trip abroad as President"  # the curator's
    assert (visit.city, visit.kind, visit.version) == ("Ottawa", VisitKind.MEETING, 2)
    assert visit.record_text == "Met with Prime Minister Harper and Governor General Jean."
    conflicts = [line for line in out.getvalue().splitlines() if line.startswith("conflict:")]
    assert conflicts == [
        "conflict: hsg-president-trip:2960 (travels/president-travels/obama-barack.xml): "
        "changed upstream: remarks; the visit “Obama's first trip abroad as President” was "
        "edited by a curator since it was imported (title), so their version is kept — "
        "please review."
    ]
    # Reported again on the next run, until the curator has dealt with it.
    call_command("import_history_state_gov", **command, stdout=(again := StringIO()))
    assert "changed upstream: remarks;" in again.getvalue()


def test_the_review_names_each_field_the_record_changed(dataset):
    dataset.write_visits("2010.xml", visit_xml("2933", "Prime Minister Imran Khan"))
    dataset.run()
    visit = Visit.objects.get(external_id="hsg-visit:2933")
    visit.kind = VisitKind.STATE
    visit.save()
    dataset.write_visits(
        "2010.xml",
        visit_xml(
            "2933",
            "Prime Minister Imran Ahmed Khan",
            end="2019-07-24",
            description="Working Visit.",
            modified="2022-01-01T10:00:00-05:00",
        ),
    )

    result = dataset.run()

    assert result.conflicts == [
        "hsg-visit:2933 (visits/data/2010.xml): changed upstream: visitor, description, end "
        "date, kind; the visit “Imran Khan visits the United States” was edited by a curator "
        "since it was imported (kind), so their version is kept — please review."
    ]
    visit.refresh_from_db()
    assert (visit.kind, visit.end_date) == (VisitKind.STATE, datetime.date(2019, 7, 23))


def test_a_visit_imported_with_an_older_reading_of_its_kind_takes_the_new_one(dataset, monkeypatch):
    dataset.write_visits(
        "1950.xml",
        visit_xml("2318", "Prime Minister Mohammed Ali", description="Official guest."),
        visit_xml("2471", "President Mohammad Ayub Khan", description="Informal meeting."),
    )
    with monkeypatch.context() as older_importer:  # one that read no kind in these words
        older_importer.setattr(records, "kind_from_text", lambda text: VisitKind.OTHER)
        dataset.run()
    assert set(Visit.objects.values_list("kind", flat=True)) == {VisitKind.OTHER}
    edited = Visit.objects.get(external_id="hsg-visit:2471")
    edited.title = "Ayub Khan at Newport"
    edited.save()

    result = dataset.run()

    assert Visit.objects.get(external_id="hsg-visit:2318").kind == VisitKind.OFFICIAL
    assert Visit.objects.get(external_id="hsg-visit:2471").kind == VisitKind.OTHER  # curated
    assert result.collections[0].counts["updated"] == 1
    assert dataset.run().updated == 0
