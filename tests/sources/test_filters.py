"""The sources list's filters."""

import json

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    c = factories.build_corpus()
    c.brief = factories.SourceDocumentFactory(
        title="A think-tank brief",
        kind="brief",
        publisher="ISSI",
        published_date=None,
        body="Refugees and the border: a brief.",
    )
    c.brief.issues.add(c.issues["ttp"])
    c.brief.visits.add(c.kabul)
    return c


def titles(client, query):
    response = client.get(f"/sources/?{query}&format=json")
    assert response.status_code == 200, response.content
    return sorted(
        row["title"] for row in json.loads(b"".join(response.streaming_content))["results"]
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["A think-tank brief", "Khan in Washington"]),
        ("kind=brief", ["A think-tank brief"]),
        ("kind=news&kind=brief", ["A think-tank brief", "Khan in Washington"]),
        ("publisher=ISSI", ["A think-tank brief"]),
        ("publisher=The Diplomat", ["Khan in Washington"]),
        ("year=2019", ["Khan in Washington"]),
        ("issue=kashmir", ["Khan in Washington"]),
        ("issue=ttp", ["A think-tank brief"]),
        ("visit=imran-khan-kabul-2020", ["A think-tank brief", "Khan in Washington"]),
        ("visit=imran-khan-kabul-2020&issue=ttp", ["A think-tank brief"]),
        ("q=border", ["A think-tank brief"]),
        ("q=mediate", ["Khan in Washington"]),
    ],
)
def test_source_filters(client, corpus, query, expected):
    assert titles(client, query) == expected


def test_bad_source_parameters_show_an_error(client, corpus):
    response = client.get("/sources/?kind=tabloid&year=-5")

    assert response.status_code == 400
    html = response.content.decode()
    assert "is not one of the choices" in html
    assert "Enter a year between" in html
