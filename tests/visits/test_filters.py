"""The visits list's filters: each includes what it should and excludes the rest."""

import json

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return factories.build_corpus()


def rows(response):
    """Return the records of a streamed JSON export."""
    return json.loads(b"".join(response.streaming_content))["results"]


def titles(client, query):
    """Return the titles of every visit the JSON export lists for `query` (all pages)."""
    response = client.get(f"/visits/?{query}&format=json")
    assert response.status_code == 200, response.content
    return sorted(row["title"] for row in rows(response))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("leader=imran-khan&year=2020&issue=afghanistan", ["Imran Khan visits Kabul"]),
        (
            "leader=imran-khan",
            [
                "Imran Khan at Davos",
                "Imran Khan in Tashkent",
                "Imran Khan visits Kabul",
                "Imran Khan visits Washington",
            ],
        ),
        ("leader=asim-munir&leader=imran-khan&year=2023", ["Asim Munir visits the United States"]),
        ("year=2020", ["Asim Munir in Kabul", "Imran Khan at Davos", "Imran Khan visits Kabul"]),
        ("year=2019&year=2021", ["Imran Khan in Tashkent", "Imran Khan visits Washington"]),
        (
            "year_from=2020&year_to=2021",
            [
                "Asim Munir in Kabul",
                "Imran Khan at Davos",
                "Imran Khan in Tashkent",
                "Imran Khan visits Kabul",
            ],
        ),
        ("year_from=2021", ["Asim Munir visits the United States", "Imran Khan in Tashkent"]),
        # Two issues: visits on both (the way facet links narrow results).
        ("issue=afghanistan&issue=kashmir", ["Imran Khan visits Washington"]),
        ("issue=cpec", ["Imran Khan at Davos"]),
        ("destination=afghanistan", ["Asim Munir in Kabul", "Imran Khan visits Kabul"]),
        ("origin=united-states", []),
        ("kind=multilateral", ["Imran Khan at Davos"]),
        ("kind=multilateral&kind=working", ["Imran Khan at Davos", "Imran Khan visits Kabul"]),
        ("q=Tashkent", ["Imran Khan in Tashkent"]),
        ("q=kabul khan", ["Imran Khan visits Kabul"]),
    ],
)
def test_visit_filters(client, corpus, query, expected):
    assert titles(client, query) == expected


def test_the_list_counts_what_the_export_holds(client, corpus):
    url = "/visits/?leader=imran-khan&year=2020&issue=afghanistan"

    page = client.get(url).content.decode()

    assert "<strong>1</strong> result" in page
    assert "Imran Khan visits Kabul" in page
    assert "Imran Khan at Davos" not in page  # 2020, but not on Afghanistan
    assert "Imran Khan in Tashkent" not in page  # Afghanistan, but 2021
    assert titles(client, url.split("?", 1)[1]) == ["Imran Khan visits Kabul"]


@pytest.mark.parametrize(
    ("sort", "expected_first"),
    [
        ("-date", "Asim Munir visits the United States"),
        ("date", "Imran Khan visits Washington"),
        ("title", "Asim Munir in Kabul"),
    ],
)
def test_sort_orders_the_results(client, corpus, sort, expected_first):
    response = client.get(f"/visits/?sort={sort}&format=json")

    assert rows(response)[0]["title"] == expected_first


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("year=abc", "year", "is not a year"),
        ("year=20200", "year", "Enter a year between"),
        ("year_from=twenty", "year_from", "is not a year"),
        ("leader=<script>", "leader", "No public actor is named “&lt;script&gt;”"),
        ("leader=nobody-at-all", "leader", "No public actor is named “nobody-at-all”"),
        ("issue=no-such-issue", "issue", "There is no public issue “no-such-issue”"),
        ("destination=atlantis", "destination", "There is no public actor “atlantis”"),
        ("year_from=2020&year_to=2010", "year_to", "is before “From year” (2020)"),
        ("kind=spaceflight", "kind", "is not one of the choices"),
        ("sort=random", "sort", "Select a valid choice"),
        ("q=" + "x" * 300, "q", "at most 200 characters"),
    ],
)
def test_a_bad_parameter_shows_the_form_error_and_no_results(client, corpus, query, field, message):
    response = client.get(f"/visits/?{query}")
    html = response.content.decode()

    assert response.status_code == 400
    assert message in html
    assert 'role="alert"' in html
    assert f'href="#id_{field}"' in html
    assert "<script>" not in html.split("<main", 1)[1]
    assert 'class="card"' not in html


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_bad_parameter_in_an_export_answers_400_with_a_json_error(client, corpus, fmt):
    response = client.get(f"/visits/?year=abc&format={fmt}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == "Invalid filter parameters."
    assert "is not a year" in body["errors"]["year"][0]


def test_an_unknown_format_answers_400(client, corpus):
    response = client.get("/visits/?format=xlsx")

    assert response.status_code == 400
    assert "format=csv" in response.json()["error"]
