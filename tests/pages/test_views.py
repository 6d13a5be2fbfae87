"""The site as a reader meets it: every linked page answers, no draft shows anywhere."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from tests import factories
from tests.factories import DRAFT_MARKER
from tests.queries import DATA_VERSION_QUERIES, STAMP_QUERIES

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture
def corpus():
    return factories.build_corpus(extra=2)


def body_of(response):
    """Return the decoded body of a response, streamed or not."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def crawl(client, start="/", limit=600):
    """Return {url: (status, body)} for every page reachable by links from `start`.

    Pages without a query string are followed further; pages with one (facets, sorts,
    exports, pagination) are fetched but not followed, which keeps the crawl finite.
    """
    seen, queue, pages = {start}, deque([start]), {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        body = body_of(response)
        pages[url] = (response.status_code, body)
        if "?" in url or not response["Content-Type"].startswith("text/html"):
            continue
        for href in HREF.findall(body):
            href = href.replace("&amp;", "&").split("#", 1)[0]
            if not href or urlsplit(href).scheme or urlsplit(href).netloc:
                continue  # in-page anchors and other sites
            href = urljoin(url, href)
            if href.startswith(("/admin/", "/static/")) or href in seen:
                continue
            seen.add(href)
            queue.append(href)
    return pages


def test_every_page_linked_from_home_answers_200_and_shows_no_draft(client, corpus):
    pages = crawl(client)

    failures = {url: status for url, (status, _body) in pages.items() if status != 200}
    assert failures == {}
    leaks = [url for url, (_status, body) in pages.items() if DRAFT_MARKER.lower() in body.lower()]
    assert leaks == []
    # The crawl reached every kind of page, the exports and the facet links.
    for expected in (
        "/visits/",
        "/actors/",
        "/issues/",
        "/claims/",
        "/sources/",
        corpus.washington.get_absolute_url(),
        corpus.source.get_absolute_url(),
        corpus.imran.get_absolute_url(),
        corpus.issues["kashmir"].get_absolute_url(),
        corpus.claim_mediation.get_absolute_url(),
        "/visits/?format=csv&bom=1",
        "/claims/?format=json",
        "/visits/?issue=afghanistan",
    ):
        assert expected in pages, expected
    assert len(pages) > 60


def test_draft_urls_answer_404(client, corpus):
    m = DRAFT_MARKER.lower()
    urls = [
        f"/visits/{m}-visit/",
        f"/visits/{m}-visitor-travels/",  # published, but its visitor is a draft
        f"/visits/{m}-destination-visit/",  # published, but its destination is a draft
        f"/actors/{m}-person/",
        f"/actors/{m}-land/",
        f"/issues/{m}-issue/",
        f"/sources/{m}-source/",
        *[claim.get_absolute_url() for claim in corpus.draft_claims],
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "url",
    [
        "/visits/?leader={m}-person",
        "/visits/?issue={m}-issue",
        "/visits/?destination={m}-land",
        "/claims/?actor={m}-person",
        "/claims/?speaker={m}-person",
        "/claims/?issue={m}-issue",
        "/claims/?source={m}-source",
        "/claims/?visit={m}-visit",
        "/sources/?issue={m}-issue",
        "/sources/?visit={m}-visit",
        "/actors/?country={m}-land",
    ],
)
def test_filtering_by_a_draft_is_filtering_by_a_record_that_is_not_there(client, corpus, url):
    url = url.format(m=DRAFT_MARKER.lower())
    param, slug = url.split("?", 1)[1].split("=")

    page = client.get(url)
    export = client.get(f"{url}&format=json")

    assert page.status_code == 400
    said = rf"(There is no public [\w ]+|No public actor is named) “{slug}”"
    assert re.search(said, body_of(page))
    assert "No results: check the filters below." in body_of(page)
    assert export.status_code == 400
    assert list(export.json()["errors"]) == [param]


def test_exports_of_every_list_carry_no_draft(client, corpus):
    for path in ("/visits/", "/actors/", "/issues/", "/claims/", "/sources/"):
        for fmt in ("csv", "json"):
            body = body_of(client.get(f"{path}?format={fmt}"))
            assert DRAFT_MARKER.lower() not in body.lower(), (path, fmt)


def test_home_shows_counts_latest_visits_chart_and_search_box(client, corpus):
    response = client.get("/")
    html = body_of(response)

    assert response.status_code == 200
    # Drafts and rows with draft parents are not counted.
    assert "<strong>8</strong> visits" in html
    assert "<strong>9</strong> actors" in html
    assert "<strong>5</strong> issues" in html
    assert "<strong>8</strong> claims" in html
    assert "<strong>3</strong> sources" in html
    assert '<svg class="chart"' in html and "Visits from articles per year, by issue" in html
    # The corpus's chart: each bar opens the visits from articles of its year (and issue).
    assert re.search(r'href="/visits/\?record=article&amp;year=\d{4}(&amp;issue=[\w-]+)?"', html)
    assert 'action="/search/"' in html
    assert corpus.kabul.title in html


def test_home_renders_without_any_data(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "No visits published yet." in body_of(response)


#: Counts (8: each kind, the visits the sources discuss and those from articles, the sources
#: read; each its blocks' stamps and its count by block); the latest visits covered and
#: claimed, their rows and issues (4); the newest dated and undated sources, their claims'
#: numbers and first claims (4); the official datasets and their latest records (2); issues
#: (1); chart (3).
HOME_QUERIES = 22 + 8 * STAMP_QUERIES + DATA_VERSION_QUERIES


@pytest.mark.parametrize("extra", [0, 12])
def test_home_runs_the_same_queries_whatever_the_data(client, django_assert_num_queries, extra):
    corpus = factories.build_corpus(extra=extra)
    factories.build_official_records(corpus)

    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_health_check_answers_reads_only(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
