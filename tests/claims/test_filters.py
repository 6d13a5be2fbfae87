"""The claims list's filters: each includes what it should and excludes the rest."""

import json

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return factories.build_corpus()


def summaries(client, query):
    """Return the summaries of every claim the JSON export lists for `query`."""
    response = client.get(f"/claims/?{query}&format=json")
    assert response.status_code == 200, response.content
    return sorted(
        row["summary"] for row in json.loads(b"".join(response.streaming_content))["results"]
    )


KASHMIR = "Khan says Kashmir and Afghanistan were discussed."
MEDIATION = "Trump offered to mediate."
AID = "Aid was discussed."
KABUL = "Khan flew to Kabul in 2020."


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [AID, KABUL, KASHMIR, MEDIATION]),  # drafts, and claims with draft parents, left out
        ("issue=kashmir", [KASHMIR, MEDIATION]),
        ("issue=kashmir&issue=afghanistan", [KASHMIR]),
        ("leader=imran-khan", [AID, KABUL, KASHMIR, MEDIATION]),
        ("leader=asim-munir", []),
        ("actor=donald-trump", [KASHMIR]),
        ("actor=india", [MEDIATION]),
        ("speaker=imran-khan", [KABUL, KASHMIR]),
        ("speaker=donald-trump&speaker=imran-khan", [KABUL, KASHMIR, MEDIATION]),
        ("visit=imran-khan-kabul-2020", [KABUL]),
        ("source=khan-in-washington&status=denied", [MEDIATION]),
        ("status=disputed&status=denied", [AID, MEDIATION]),
        ("kind=statement", [KASHMIR]),
        ("year=2019", [AID, KABUL, KASHMIR, MEDIATION]),  # the year of the source
        ("year=2020", []),
        ("q=mediate", [MEDIATION]),
        ("q=Kabul flew", [KABUL]),
    ],
)
def test_claim_filters(client, corpus, query, expected):
    assert summaries(client, query) == expected


@pytest.mark.parametrize(
    "query", ["status=maybe", "kind=rumour", "year=next", "speaker=a%20b", "visit=..", "issue=%00"]
)
def test_bad_claim_parameters_show_an_error_not_a_crash(client, corpus, query):
    page = client.get(f"/claims/?{query}")
    export = client.get(f"/claims/?{query}&format=csv")

    assert page.status_code == 400
    assert "Some filters could not be used" in page.content.decode()
    assert export.status_code == 400
    assert export.json()["error"] == "Invalid filter parameters."
