"""/meetings/: who met whom, as a reader, a spreadsheet and a program see it."""

import csv
import io
import json
import re

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.status import PublicationStatus
from tests import factories
from tests.factories import DRAFT_MARKER
from visits.models import Participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    c = factories.build_corpus(extra=4)
    c.sharif = factories.ActorFactory(name="Nawaz Sharif", slug="nawaz-sharif")
    factories.ParticipationFactory(
        visit=c.washington, actor=c.sharif, role="delegation", note="Former PM"
    )
    factories.ParticipationFactory(visit=c.munir_us, actor=c.trump, role="met_with")
    factories.ParticipationFactory(visit=c.draft_visit, actor=c.ghani, role="met_with")
    return c


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def table_rows(page):
    """Return the rows of the page's table of results, each a list of its cells' text."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in rows
    ]


def public_parts():
    return Participation.objects.filter(
        visit__is_public=True, actor__publication_status=PublicationStatus.PUBLISHED
    )


def test_the_table_shows_every_public_part_newest_first_and_links_people_and_visits(client, corpus):
    page = html(client.get("/meetings/"))

    rows = table_rows(page)
    assert len(rows) == public_parts().count() == 8
    assert f"<strong>{len(rows)}</strong> results" in page
    assert rows[0][:4] == ["Donald Trump", "Met with", "", "Asim Munir"]
    assert [row[0] for row in rows].count("Donald Trump") == 6
    assert f'href="http://testserver/actors/{corpus.sharif.slug}/">Nawaz Sharif</a>' in page
    assert f'href="http://testserver/visits/{corpus.washington.slug}/">' in page
    assert "Former PM" in page
    assert DRAFT_MARKER not in page and DRAFT_MARKER.lower() not in page
    # Listed in the main menu, marked as the page shown.
    assert '<a href="/meetings/" aria-current="page">Meetings</a>' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actor=donald-trump", 6),
        ("leader=asim-munir", 1),
        ("role=host", 6),
        ("role=delegation", 1),
        ("year=2019", 6),
        ("issue=kashmir", 2),
        ("issue=kashmir&issue=aid", 2),
        ("issue=cpec&role=host", 4),
    ],
)
def test_each_filter_gives_exactly_its_parts(client, corpus, query, expected):
    page = html(client.get(f"/meetings/?{query}"))

    assert len(table_rows(page)) == expected
    assert f"<strong>{expected}</strong> result" in page


def test_facets_count_what_their_links_open(client, corpus):
    response = client.get("/meetings/")
    facets = {facet.param: facet for facet in response.context["facets"]}
    assert {"actor", "leader", "role", "year", "issue"} <= set(facets)
    for facet in facets.values():
        for value in facet.values:
            opened = client.get(f"/meetings/{value.url}")
            assert len(table_rows(html(opened))) == value.count, (facet.param, value.value)


def test_a_bad_value_is_named_and_lists_nothing(client, corpus):
    response = client.get("/meetings/?role=king&year=abc")

    assert response.status_code == 400
    page = response.content.decode()
    assert "No results: check the filters below." in page
    assert "<tbody>" not in page


def test_csv_and_json_give_the_rows_of_the_page_with_the_same_filters(client, corpus):
    response = client.get("/meetings/?issue=kashmir&format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="meetings-issue-kashmir.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    # Newest visit first; parts of one visit, the latest recorded first.
    assert [row["actor"] for row in rows] == ["Nawaz Sharif", "Donald Trump"]
    sharif = rows[0]
    assert sharif["role"] == "Delegation member"
    assert sharif["leader"] == "Imran Khan"
    assert sharif["start_date"] == "2019-07-21"
    assert sharif["destination"] == "United States"
    # The visit's public issues, never a draft one.
    assert sharif["issues"] == "Afghanistan; Aid; Kashmir"
    assert sharif["visit_url"] == f"http://testserver/visits/{corpus.washington.slug}/"

    body = b"".join(client.get("/meetings/?issue=kashmir&format=json").streaming_content)
    data = json.loads(body)
    assert data["count"] == 2
    assert data["api"] == "http://testserver/api/v1/meetings/?issue=kashmir"
    assert data["results"][0]["issues"] == ["Afghanistan", "Aid", "Kashmir"]


def test_the_api_twin_pages_the_same_rows_in_the_same_order(client, corpus):
    for params in ({}, {"sort": "name"}, {"sort": "date", "role": "host"}, {"issue": "cpec"}):
        page = html(client.get("/meetings/", params))
        expected = [(row[0], row[4]) for row in table_rows(page)]
        got, response = [], client.get("/api/v1/meetings/", {**params, "page_size": 3})
        while True:
            assert response.status_code == 200, response.content
            body = response.json()
            got += [(row["actor"], row["visit"]) for row in body["results"]]
            if body["next"] is None:
                break
            response = client.get(body["next"])
        assert got == expected, params
    root = client.get("/api/v1/").json()
    assert root["meetings"] == "http://testserver/api/v1/meetings/"
    refused = client.get("/api/v1/meetings/", {"person": "donald-trump"})
    assert refused.status_code == 400
    assert "person" in refused.json()


def test_the_api_schema_describes_the_twin(client, corpus):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    operation = schema["paths"]["/api/v1/meetings/"]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"]}
    assert {"actor", "leader", "role", "year", "issue", "sort", "cursor"} <= parameters
    row = schema["components"]["schemas"]["MeetingRow"]["properties"]
    assert row["issues"]["type"] == "array"
    assert {"actor", "role", "leader", "visit", "start_date", "visit_url"} <= set(row)


def test_a_part_leaves_the_list_when_its_visit_or_person_is_unpublished(client, corpus):
    before = len(table_rows(html(client.get("/meetings/?actor=donald-trump"))))
    corpus.munir_us.publication_status = PublicationStatus.DRAFT
    corpus.munir_us.save()
    assert len(table_rows(html(client.get("/meetings/?actor=donald-trump")))) == before - 1

    corpus.sharif.publication_status = PublicationStatus.DRAFT
    corpus.sharif.save()
    page = html(client.get("/meetings/"))
    assert "Nawaz Sharif" not in page
    assert len(table_rows(page)) == public_parts().count() == 6


def test_the_page_reads_a_fixed_few_queries_whatever_its_rows(client, corpus):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            html(client.get("/meetings/?sort=name"))
        return len(captured)

    few = queries()
    factories.ParticipationFactory.create_batch(20, visit=corpus.davos, role="met_with")
    assert queries() == few
