"""CSV and JSON of the claims list: the contract's columns, public names only."""

import csv
import io
import json

import pytest

from core import search
from tests import factories
from tests.queries import DATA_VERSION_QUERIES, ROW_COUNT_QUERIES

pytestmark = pytest.mark.django_db

CLAIM_COLUMNS = [
    "id",
    "summary",
    "quote",
    "kind",
    "status",
    "speaker",
    "actors",
    "issues",
    "visit",
    "source_title",
    "source_publisher",
    "source_date",
    "source_url",
    "url",
    "disputed_by",
    "status_note",
    "visit_slug",
    "visit_url",
]
#: The claims with their source, speaker, visit; 3 relations (on PostgreSQL, with each claim).
CLAIM_EXPORT_QUERIES = (1 if search.is_postgres() else 4) + DATA_VERSION_QUERIES + ROW_COUNT_QUERIES


@pytest.fixture
def corpus():
    return factories.build_corpus()


def csv_records(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_claims_csv_has_the_contract_columns(client, corpus):
    response = client.get("/claims/?status=denied&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    header = text.splitlines()[0].split(",")
    [record] = csv.DictReader(io.StringIO(text))

    assert header == CLAIM_COLUMNS
    claim = corpus.claim_mediation
    assert record == {
        "id": str(claim.pk),
        "summary": "Trump offered to mediate.",
        "quote": "Trump offered to mediate on Kashmir.",
        "kind": "Outcome",
        "status": "Denied",
        "speaker": "Donald Trump",
        "actors": "India",
        "issues": "Kashmir",
        "visit": "Imran Khan visits Washington",
        "source_title": "Khan in Washington",
        "source_publisher": "The Diplomat",
        "source_date": "2019-07-24",
        "source_url": corpus.source.url,
        "url": f"http://testserver/claims/{claim.pk}/",
        "disputed_by": "India",  # the draft who also denied it is left out
        "status_note": claim.status_note,
        # The visit by its unique slug and its page (titles repeat from visit to visit).
        "visit_slug": "imran-khan-washington-2019",
        "visit_url": "http://testserver/visits/imran-khan-washington-2019/",
    }


def test_multi_valued_cells_are_joined_and_drafts_left_out(client, corpus):
    records = csv_records(client.get("/claims/?speaker=imran-khan&kind=statement&format=csv"))

    assert [record["actors"] for record in records] == ["Donald Trump"]
    assert [record["issues"] for record in records] == ["Afghanistan; Kashmir"]


def test_claims_json_matches_the_csv(client, corpus):
    response = client.get("/claims/?issue=kashmir&format=json")
    records = json.loads(b"".join(response.streaming_content))["results"]

    assert sorted(record["id"] for record in records) == sorted(
        int(record["id"]) for record in csv_records(client.get("/claims/?issue=kashmir&format=csv"))
    )
    assert {tuple(record["issues"]) for record in records} == {
        ("Afghanistan", "Kashmir"),
        ("Kashmir",),
    }


def test_the_claims_export_counts_what_the_list_counts(client, corpus):
    page = client.get("/claims/?issue=aid").content.decode()

    assert "<strong>1</strong> result" in page
    assert len(csv_records(client.get("/claims/?issue=aid&format=csv"))) == 1


@pytest.mark.parametrize("extra", [2, 30])
def test_claim_export_runs_the_same_queries_at_any_size(client, django_assert_num_queries, extra):
    factories.build_corpus(extra=extra)

    with django_assert_num_queries(CLAIM_EXPORT_QUERIES):
        records = csv_records(client.get("/claims/?format=csv"))
    assert len(records) == 4 + 2 * extra
