"""The actors list's filters."""

import json

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return factories.build_corpus()


def names(client, query):
    response = client.get(f"/actors/?{query}&format=json")
    assert response.status_code == 200, response.content
    return sorted(
        row["name"] for row in json.loads(b"".join(response.streaming_content))["results"]
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=country", ["Afghanistan", "India", "Pakistan", "United States"]),
        ("country=pakistan", ["Asim Munir", "Imran Khan"]),
        ("country=pakistan&country=afghanistan", ["Ashraf Ghani", "Asim Munir", "Imran Khan"]),
        ("kind=person&q=khan", ["Imran Khan"]),
        ("q=ashraf", ["Ashraf Ghani"]),
    ],
)
def test_actor_filters(client, corpus, query, expected):
    assert names(client, query) == expected


def test_bad_actor_parameters_show_an_error(client, corpus):
    response = client.get("/actors/?kind=alien")

    assert response.status_code == 400
    assert "is not one of the choices" in response.content.decode()
