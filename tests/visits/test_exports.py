"""CSV and JSON of the visits and issues lists: the contract's columns, every matching row."""

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse

from core import search
from core.lists import exports
from tests import factories
from tests.queries import DATA_VERSION_QUERIES, ROW_COUNT_QUERIES, STAMP_QUERIES

pytestmark = pytest.mark.django_db

VISIT_COLUMNS = [
    "slug",
    "title",
    "visitor",
    "origin",
    "destination",
    "city",
    "start_date",
    "end_date",
    "date_precision",
    "kind",
    "issues",
    "summary",
    "url",
]
#: The visits; their issues' names (on PostgreSQL, read with each visit).
VISIT_EXPORT_QUERIES = (1 if search.is_postgres() else 2) + DATA_VERSION_QUERIES + ROW_COUNT_QUERIES
# The issues; their public visits and claims, each counted by block (the blocks' stamps, the
# rows by block, the links by block)
ISSUE_EXPORT_QUERIES = 1 + 2 * (STAMP_QUERIES + 2) + ROW_COUNT_QUERIES + DATA_VERSION_QUERIES


@pytest.fixture
def corpus():
    return factories.build_corpus()


def csv_rows(response):
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_visits_csv_has_the_contract_columns_and_one_row_per_visit(client, corpus):
    response = client.get("/visits/?leader=imran-khan&sort=date&format=csv")
    rows = csv_rows(response)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    # The file is named after its list and filters.
    assert response["Content-Disposition"] == 'attachment; filename="visits-leader-imran-khan.csv"'
    assert rows[0] == VISIT_COLUMNS
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record == {
        "slug": "imran-khan-washington-2019",
        "title": "Imran Khan visits Washington",
        "visitor": "Imran Khan",
        "origin": "Pakistan",
        "destination": "United States",
        "city": "Washington",
        "start_date": "2019-07-21",
        "end_date": "2019-07-23",
        "date_precision": "day",
        "kind": "Official visit",
        "issues": "Afghanistan; Aid; Kashmir",  # the draft issue left out
        "summary": "A visit.",
        "url": "http://testserver/visits/imran-khan-washington-2019/",
    }
    assert [row[1] for row in rows[1:]] == [
        "Imran Khan visits Washington",
        "Imran Khan at Davos",
        "Imran Khan visits Kabul",
        "Imran Khan in Tashkent",
    ]


def test_the_export_holds_every_row_not_one_page(client, corpus):
    for number in range(60):
        factories.VisitFactory(visitor=corpus.munir, title=f"Trip {number}")

    page = client.get("/visits/?leader=asim-munir").content.decode()
    rows = csv_rows(client.get("/visits/?leader=asim-munir&format=csv"))

    assert "<strong>62</strong> results" in page
    assert len(rows) - 1 == 62


def test_rows_read_in_chunks_are_all_there_with_their_issues(client, corpus, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 2)

    rows = csv_rows(client.get("/visits/?sort=date&format=csv"))

    assert len(rows) - 1 == 6
    issues = {row[1]: row[10] for row in rows[1:]}
    assert issues["Imran Khan visits Washington"] == "Afghanistan; Aid; Kashmir"
    assert issues["Imran Khan at Davos"] == "CPEC; Kashmir"
    assert issues["Asim Munir visits the United States"] == "Afghanistan; TTP"


def test_json_has_the_same_rows_with_lists_for_multi_valued_cells(client, corpus):
    response = client.get("/visits/?leader=imran-khan&sort=date&format=json")
    records = json.loads(b"".join(response.streaming_content))["results"]

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert [record["title"] for record in records] == [
        row[1]
        for row in csv_rows(client.get("/visits/?leader=imran-khan&sort=date&format=csv"))[1:]
    ]
    assert list(records[0]) == VISIT_COLUMNS
    assert records[0]["issues"] == ["Afghanistan", "Aid", "Kashmir"]


@pytest.mark.parametrize(
    ("title", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("\uff1dCMD()", "'\uff1dCMD()"),
        ("Plain title", "Plain title"),
    ],
)
def test_spreadsheet_formulas_are_neutralised(client, corpus, title, cell):
    factories.VisitFactory(visitor=corpus.ghani, title=title, summary="ok")

    rows = csv_rows(client.get("/visits/?leader=ashraf-ghani&format=csv"))

    assert rows[1][1] == cell


def test_text_is_utf8(client, corpus):
    factories.VisitFactory(visitor=corpus.ghani, title="Ghani in Kābul — «talks»", city="کابل")

    rows = csv_rows(client.get("/visits/?leader=ashraf-ghani&format=csv"))

    assert rows[1][1] == "Ghani in Kābul — «talks»"
    assert rows[1][5] == "کابل"


@pytest.mark.parametrize("extra", [2, 30])
def test_visit_export_runs_the_same_queries_at_any_size(client, django_assert_num_queries, extra):
    factories.build_corpus(extra=extra)

    with django_assert_num_queries(VISIT_EXPORT_QUERIES):
        rows = csv_rows(client.get("/visits/?format=csv"))
    assert len(rows) - 1 == 6 + extra


def test_issues_export(client, corpus):
    rows = csv_rows(client.get("/issues/?format=csv"))

    assert rows[0] == ["slug", "name", "parent", "description", "visits", "claims", "url"]
    kashmir = next(row for row in rows if row[0] == "kashmir")
    assert kashmir[4:] == ["2", "2", "http://testserver/issues/kashmir/"]
    assert all("secretdraft" not in row[0] for row in rows)


@pytest.mark.parametrize("extra", [2, 30])
def test_issue_export_runs_the_same_queries_at_any_size(client, django_assert_num_queries, extra):
    factories.build_corpus(extra=extra)
    for number in range(extra):
        factories.IssueFactory(name=f"Topic {number}", slug=f"topic-{number}")

    with django_assert_num_queries(ISSUE_EXPORT_QUERIES):
        rows = csv_rows(client.get("/issues/?format=csv"))
    assert len(rows) - 1 == 5 + extra


def test_the_pages_csv_link_asks_for_a_byte_order_mark_and_a_program_gets_none(client, corpus):
    page = client.get("/visits/?leader=imran-khan").content.decode()
    assert 'href="?leader=imran-khan&amp;format=csv&amp;bom=1"' in page

    with_bom = b"".join(client.get("/visits/?leader=imran-khan&format=csv&bom=1").streaming_content)
    plain = b"".join(client.get("/visits/?leader=imran-khan&format=csv").streaming_content)

    assert with_bom.startswith(b"\xef\xbb\xbfslug,title,")
    assert plain.startswith(b"slug,title,")
    assert with_bom[3:] == plain
    refused = client.get("/visits/?format=csv&bom=yes")
    assert refused.status_code == 400
    assert "bom" in refused.json()["errors"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("leader=asim-munir&year=2023", "visits-leader-asim-munir-2023"),
        ("issue=kashmir&issue=aid&year_from=2019", "visits-issue-kashmir-issue-aid-2019"),
        ("q=Prime Minister!&sort=date&page=2", "visits-q-prime-minister"),
        ("", "visits"),
    ],
)
def test_a_download_is_named_after_its_filters(client, corpus, query, name):
    response = client.get(f"/visits/?{query}&format=csv")
    assert response["Content-Disposition"] == f'attachment; filename="{name}.csv"'


def test_the_json_export_says_how_many_rows_which_filters_and_where_the_api_is(client, corpus):
    response = client.get("/visits/?leader=imran-khan&year=2019&format=json")
    export = json.loads(b"".join(response.streaming_content))
    assert export["count"] == len(export["results"]) > 0
    assert export["filters"] == {"leader": ["imran-khan"], "year": ["2019"]}
    assert export["api"] == "http://testserver/api/v1/visits/?leader=imran-khan&year=2019"
