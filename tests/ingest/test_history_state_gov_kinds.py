"""The kind of visit, read from the words of the Office of the Historian's records."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from ingest.history_state_gov import DATA_DIR
from ingest.history_state_gov.kinds import kind_coverage, kind_from_text, names_a_kind
from ingest.history_state_gov.records import VISITS, collection_files, read_collection
from visits.models import Visit, VisitKind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Each wording as the records give it.
        ("Official Working Visit.", VisitKind.OFFICIAL_WORKING),
        ("Official-working visit; visited New York City.", VisitKind.OFFICIAL_WORKING),
        ("State visit; visited New York City, Houston, Sacramento.", VisitKind.STATE),
        ("Accompanied President Nixon on a State visit.", VisitKind.STATE),
        ("Official Visit; visited Orlando (Fla.) and New York City.", VisitKind.OFFICIAL),
        ("Offical visit.", VisitKind.OFFICIAL),
        ("Official select visit at Crawford, Texas.", VisitKind.OFFICIAL),
        ("Official guest.", VisitKind.OFFICIAL),
        ("Guest of U.S. Government on invitation of the President.", VisitKind.OFFICIAL),
        ("Guest of the President. Attended a Pacific War Council meeting.", VisitKind.OFFICIAL),
        ("At invitation of the President. Discussed economic cooperation.", VisitKind.OFFICIAL),
        ("Working Visit.", VisitKind.WORKING),
        ("Private visit while attending U.N. General Assembly session.", VisitKind.PRIVATE),
        ("Unofficial visit. In U.S. July 17–30; visited New York City.", VisitKind.PRIVATE),
        ("Vacation trip for health reasons.", VisitKind.PRIVATE),
        ("Fishing trip.", VisitKind.PRIVATE),
        ("Informal meeting at Newport (Rhode Island).", VisitKind.INFORMAL),
        ("Informal visit en route to vacation in Hawaii.", VisitKind.INFORMAL),
        ("Met informally with President Boyd during vacation.", VisitKind.INFORMAL),
        ("Courtesy visit at Hyde Park (New York).", VisitKind.INFORMAL),
        ("Unannounced visit; met with U.S. troops.", VisitKind.UNANNOUNCED),
        ("Attended the Nuclear Security Summit.", VisitKind.MULTILATERAL),
        ("Met with President Clinton at the UN General Assembly.", VisitKind.MULTILATERAL),
        ("Attended NATO ministerial meeting.", VisitKind.MULTILATERAL),
        ("Attended the G-20 Summit in Pittsburgh.", VisitKind.MULTILATERAL),
        ("Attended Yalta Conference with Soviet Premier Stalin.", VisitKind.MULTILATERAL),
        ("Attended a meeting of Contact Group Foreign Ministers.", VisitKind.MULTILATERAL),
        ("Attended funeral of King Hussein.", VisitKind.CEREMONY),
        ("Attended the inauguration of President Fox.", VisitKind.CEREMONY),
        ("Attended signing of the Israel-Jordan Peace Treaty.", VisitKind.CEREMONY),
        ("Attended White House dinner on 25th Anniversary of the U.N.", VisitKind.CEREMONY),
        ("Stopped en route to the Middle East.", VisitKind.STOPOVER),
        ("Overnight stop en route to Tehran.", VisitKind.STOPOVER),
        ("Met with President Bush.", VisitKind.MEETING),
        ("Audience with Pope John Paul II.", VisitKind.MEETING),
        ("Discussed a Middle East peace conference with President Assad.", VisitKind.MEETING),
        ("Attended U.S.-Mexico Binational Commission meeting.", VisitKind.MEETING),
        # Words that name no kind of visit.
        ("Accompanied President Kennedy.", VisitKind.OTHER),
        ("", VisitKind.OTHER),
    ],
)
def test_the_kind_is_the_one_the_records_words_name(text, kind):
    assert kind_from_text(text) == kind


def test_the_first_visits_from_pakistan_each_have_the_kind_their_record_names():
    files = collection_files(DATA_DIR / "visits", DATA_DIR / "travels")
    records, _ = read_collection(files[VISITS], VISITS)
    pakistani = [record for record in records if record.country_slug == "pakistan"][:9]

    kinds = {record.record_id: record.kind for record in pakistani}

    assert kinds == {
        "2273": VisitKind.OFFICIAL,  # Official visit.
        "2310": VisitKind.PRIVATE,  # Met with President Eisenhower after … medical treatment
        "2318": VisitKind.OFFICIAL,  # Official guest.
        "2356": VisitKind.OFFICIAL,
        "2437": VisitKind.STATE,
        "2471": VisitKind.INFORMAL,  # Informal meeting at Newport (Rhode Island).
        "2546": VisitKind.STATE,
        "153": VisitKind.CEREMONY,  # Attended White House dinner on 25th Anniversary of the U.N
        "207": VisitKind.OFFICIAL,
    }


def test_the_broad_net_catches_kinds_the_reader_misses():
    """The measure's net is wider than the reader, so that the measure can fall short."""
    assert names_a_kind("Good will trip. [Visit made as President-elect.]")
    assert kind_from_text("Good will trip. [Visit made as President-elect.]") == VisitKind.OTHER
    assert not names_a_kind("Accompanied President Kennedy.")
    assert kind_coverage([("State visit.", "state"), ("Good will trip.", "other")]) == (2, 1)


def test_the_whole_data_imports_with_the_kind_read_for_95_percent_of_records_naming_one():
    call_command("import_history_state_gov", stdout=(out := StringIO()))

    imported = Visit.objects.filter(external_id__startswith="hsg-")
    for prefix in ("hsg-visit:", "hsg-president-trip:", "hsg-secretary-trip:"):
        rows = imported.filter(external_id__startswith=prefix).values_list("record_text", "kind")
        named, read = kind_coverage(rows)
        assert named > 700, prefix
        assert read / named >= 0.95, (prefix, named, read)
    named, read = kind_coverage(imported.values_list("record_text", "kind"))
    assert read / named >= 0.95
    summary = re.search(
        r"kind of visit: read for ([\d,]+) of the ([\d,]+) imported", out.getvalue()
    )
    assert summary.groups() == (f"{read:,}", f"{named:,}")
