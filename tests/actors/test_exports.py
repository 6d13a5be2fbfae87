"""CSV and JSON of the actors list."""

import csv
import io

import pytest

from core import search
from tests import factories
from tests.queries import DATA_VERSION_QUERIES, ROW_COUNT_QUERIES

pytestmark = pytest.mark.django_db

#: The actors with their countries; their aliases (on PostgreSQL, read with each actor).
ACTOR_EXPORT_QUERIES = (1 if search.is_postgres() else 2) + DATA_VERSION_QUERIES + ROW_COUNT_QUERIES


def records(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_actors_csv(client):
    factories.build_corpus()

    rows = {row["slug"]: row for row in records(client.get("/actors/?format=csv"))}

    assert rows["imran-khan"] == {
        "slug": "imran-khan",
        "name": "Imran Khan",
        "kind": "Person",
        "country": "Pakistan",
        "aliases": "PM Khan",
        "description": "",
        "url": "http://testserver/actors/imran-khan/",
    }
    assert rows["ayesha-raza"]["country"] == ""  # a draft country is not named
    assert not [slug for slug in rows if "secretdraft" in slug]


@pytest.mark.parametrize("extra", [2, 30])
def test_actor_export_runs_the_same_queries_at_any_size(client, django_assert_num_queries, extra):
    factories.build_corpus()
    for number in range(extra):
        factories.ActorAliasFactory(actor=factories.ActorFactory(name=f"Envoy {number}"))

    with django_assert_num_queries(ACTOR_EXPORT_QUERIES):
        rows = records(client.get("/actors/?format=csv"))
    assert len(rows) == 9 + extra
