"""A large export reads its records ahead, on another connection, while its rows are written."""

import csv
import io
import threading

import pytest

from core.lists import exports
from core.lists.exports import read_ahead
from tests import factories
from tests.pages.test_views import body_of


def read_ahead_threads():
    return [thread for thread in threading.enumerate() if thread.name == "export-read-ahead"]


def test_every_item_arrives_in_order():
    assert list(read_ahead(lambda: iter(range(25)), size=2)) == list(range(25))


def test_an_error_while_reading_ahead_reaches_the_reader():
    def items():
        yield "first chunk"
        raise ValueError("the database went away")

    reader = read_ahead(items)

    assert next(reader) == "first chunk"
    with pytest.raises(ValueError, match="the database went away"):
        next(reader)


def test_a_reader_that_stops_early_stops_the_reading():
    made = []

    def items():
        for number in range(10_000):
            made.append(number)
            yield number

    reader = read_ahead(items, size=1)
    assert next(reader) == 0
    reader.close()  # a download cancelled after its first rows
    for thread in read_ahead_threads():
        thread.join(timeout=5)

    assert read_ahead_threads() == []
    assert len(made) < 10


@pytest.mark.django_db(transaction=True)
def test_a_csv_read_ahead_in_chunks_has_every_claim_with_its_names(client, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)  # five claims: three chunks
    calls = []
    real_read_ahead = exports.read_ahead

    def recorded_read_ahead(make_items, **kwargs):
        calls.append(make_items)
        return real_read_ahead(make_items, **kwargs)

    monkeypatch.setattr(exports, "read_ahead", recorded_read_ahead)
    khan = factories.ActorFactory(name="Imran Khan")
    issue = factories.IssueFactory(name="Border crossings", slug="border-crossings-read-ahead")
    made = [
        factories.ClaimFactory(summary=f"Claim {index}", actors=[khan], issues=[issue])
        for index in range(5)
    ]

    response = client.get("/claims/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(body_of(response), newline="")))

    assert response.status_code == 200
    assert sorted(row["summary"] for row in rows) == sorted(claim.summary for claim in made)
    assert {(row["actors"], row["issues"]) for row in rows} == {("Imran Khan", "Border crossings")}
    assert len(calls) == 1  # outside a transaction, the records were read ahead
    for thread in read_ahead_threads():
        thread.join(timeout=5)
    assert read_ahead_threads() == []
