"""CSV and JSON of the sources list."""

import csv
import io

import pytest

from core import search
from tests import factories
from tests.queries import DATA_VERSION_QUERIES, ROW_COUNT_QUERIES

pytestmark = pytest.mark.django_db

#: The sources with their visit counts; their issues' names (on PostgreSQL, with each source).
SOURCE_EXPORT_QUERIES = (
    (1 if search.is_postgres() else 2) + DATA_VERSION_QUERIES + ROW_COUNT_QUERIES
)


def records(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_sources_csv(client):
    corpus = factories.build_corpus()

    [record] = records(client.get("/sources/?format=csv"))

    assert record == {
        "slug": "khan-in-washington",
        "title": "Khan in Washington",
        "kind": "News report",
        "publisher": "The Diplomat",
        "authors": "A. Writer",
        "published_date": "2019-07-24",
        "language": "en",
        "issues": "Afghanistan; Kashmir",
        "visit_count": "2",
        "source_url": corpus.source.url,
        "url": "http://testserver/sources/khan-in-washington/",
    }


def test_a_non_web_source_address_is_left_out(client):
    factories.SourceDocumentFactory(url="ftp://example.org/file", title="Old")

    [record] = records(client.get("/sources/?format=csv"))

    assert record["source_url"] == ""


@pytest.mark.parametrize("extra", [2, 30])
def test_source_export_runs_the_same_queries_at_any_size(client, django_assert_num_queries, extra):
    factories.build_corpus(extra=extra)

    with django_assert_num_queries(SOURCE_EXPORT_QUERIES):
        rows = records(client.get("/sources/?format=csv"))
    assert len(rows) == 1 + extra
