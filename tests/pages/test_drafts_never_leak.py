"""Drafts at every level never reach a reader: not on a page, in a search result or an export.

Extends the corpus of tests.factories.build_corpus (whose drafts all carry DRAFT_MARKER) with
more drafts in more places, each with a unique word of its own, then crawls every public page
reachable from the home page (detail pages, facet, sort and page links, exports), searches for
every draft's words and exports every list filtered by every draft's slug.
"""

import datetime
import json
import re
from collections import Counter, deque
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

from tests import factories
from tests.factories import DRAFT, DRAFT_MARKER
from tests.pages.test_views import HREF, body_of

pytestmark = pytest.mark.django_db

M = DRAFT_MARKER
#: A unique word in each added draft, so that a search can name that one draft.
WORDS = {
    "origin_visit": "zqorigin",
    "covering_source": "zqcovering",
    "parent_issue": "zqparent",
    "alias": "zqalias",
    "note": "zqnote",
    "role": "zqrole",
    "citation": "zqcitation",
    "draft_visitor_claim": "zqvisitorclaim",
    "organisation": "zqorganisation",
    "draft_issue_claim": "zqissueclaim",
}
#: The most URLs fetched per shape (path and parameter names): enough to try each kind of link.
PER_SHAPE = 2
#: Query strings followed up to this many parameters (a facet link within a facet page).
MAX_PARAMS = 2
PAGE_LIMIT = 600
#: Rows build_corpus(extra=…) adds only to fill pages: one of each is enough to visit.
FILLER = re.compile(r"/(imran-khan-extra|source)-\d+/$")


def add_drafts(c):
    """Add drafts in the places build_corpus leaves out; return the slugs of every draft."""
    w = WORDS
    i = c.issues
    # A published visit whose origin country is a draft.
    c.origin_visit = factories.VisitFactory(
        title=f"{M} {w['origin_visit']} visit",
        slug=f"{M.lower()}-{w['origin_visit']}",
        visitor=c.munir,
        origin=c.draft_country,
        destination=c.us,
        start_date=datetime.date(2022, 2, 2),
        end_date=None,
        issues=[i["kashmir"]],
    )
    factories.ClaimFactory(
        source=c.source,
        visit=c.origin_visit,
        quote="Afghanistan at length",
        summary=f"{M} claim on the {w['origin_visit']} visit",
    )
    # A draft source covering published visits, with citations, issues and actors.
    c.draft_source.visits.add(c.washington, c.kabul)
    c.draft_source.issues.add(i["kashmir"])
    c.draft_source.actors.add(c.imran, c.trump)
    c.draft_source.title = f"{M} {w['covering_source']} source"
    c.draft_source.publisher = f"{M} Press"
    c.draft_source.save()
    factories.CitationFactory(
        source=c.draft_source, text=f"{M} {w['citation']} note", url="https://example.org/d"
    )
    # A published issue whose parent is a draft; a draft issue under a published one.
    factories.IssueFactory(name="Border", slug="border", parent=c.draft_issue)
    c.child_draft = factories.IssueFactory(
        name=f"{M} {w['parent_issue']} child",
        slug=f"{M.lower()}-{w['parent_issue']}",
        parent=i["kashmir"],
        publication_status=DRAFT,
    )
    # A draft actor's alias and role; a published visit whose visitor's role is with a draft.
    factories.ActorAliasFactory(actor=c.draft_actor, name=f"{M} {w['alias']}")
    factories.ActorRoleFactory(actor=c.draft_actor, title=f"{M} {w['role']}", organisation=c.us)
    c.draft_organisation = factories.ActorFactory(
        name=f"{M} {w['organisation']} Corps",
        slug=f"{M.lower()}-{w['organisation']}",
        kind="organisation",
        country=c.pakistan,
        publication_status=DRAFT,
    )
    army_chief = factories.ActorRoleFactory(
        actor=c.munir, title="Chief of Army Staff", organisation=c.draft_organisation
    )
    c.munir_us.visitor_role = army_chief
    c.munir_us.save()
    factories.ParticipationFactory(
        visit=c.kabul, actor=c.draft_organisation, role="delegation", note=f"{M} {w['note']}"
    )
    # A published claim on a published visit of a draft visitor; one on a draft issue only.
    factories.ClaimFactory(
        source=c.source,
        visit=c.draft_visitor_visit,
        quote="Khan said after meeting",
        summary=f"{M} {w['draft_visitor_claim']}",
    )
    factories.ClaimFactory(
        source=c.source,
        quote="Trump offered to mediate",
        summary="Mediation was offered.",
        issues=[c.draft_issue],
        actors=[c.draft_organisation],
    ).disputed_by.add(c.draft_organisation)
    c.draft_organisation.mentioned_in.add(c.source)
    return {
        "leader": [c.draft_actor.slug],
        "actor": [c.draft_actor.slug, c.draft_organisation.slug],
        "speaker": [c.draft_actor.slug],
        "country": [c.draft_country.slug],
        "origin": [c.draft_country.slug],
        "destination": [c.draft_country.slug],
        "issue": [c.draft_issue.slug, c.child_draft.slug],
        "visit": [
            c.draft_visit.slug,
            c.draft_visitor_visit.slug,
            c.draft_destination_visit.slug,
            c.origin_visit.slug,
        ],
        "source": [c.draft_source.slug],
    }


@pytest.fixture
def corpus():
    c = factories.build_corpus()
    c.draft_slugs = add_drafts(c)
    return c


@pytest.fixture
def paged_corpus():
    c = factories.build_corpus(extra=20)  # enough rows for a second page of visits and claims
    c.draft_slugs = add_drafts(c)
    return c


def leaks(body):
    """Return the draft words found in `body` (the marker in any case, and the unique words)."""
    text = body.lower()
    return [word for word in [M.lower(), *WORDS.values()] if word in text]


def shape(url):
    """Return what kind of link `url` is: its path and the names of its parameters."""
    parts = urlsplit(url)
    names = frozenset(name for name, _value in parse_qsl(parts.query, True))
    return FILLER.sub("/filler/", parts.path), names


def crawl(client, start="/", limit=PAGE_LIMIT):
    """Return {url: (status, body)} for the pages reachable from `start` by internal links.

    Every link is followed, query strings included (facets, sorts, pages, exports), up to
    PER_SHAPE URLs of each shape and MAX_PARAMS parameters: enough to try each kind of link
    on each page, and finite.
    """
    seen, queue, pages, shapes = {start}, deque([start]), {}, Counter()
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        body = body_of(response)
        pages[url] = (response.status_code, body)
        if not response["Content-Type"].startswith("text/html"):
            continue
        for href in HREF.findall(body):
            href = href.replace("&amp;", "&").split("#", 1)[0]
            if not href or urlsplit(href).scheme or urlsplit(href).netloc:
                continue  # in-page anchors and other sites
            href = urljoin(url, href)
            if href.startswith(("/admin/", "/static/")) or href in seen:
                continue
            seen.add(href)
            kind = shape(href)
            # Pairs of parameters are many: one URL of each pair is enough.
            per_shape = PER_SHAPE if len(kind[1]) < MAX_PARAMS else 1
            if len(kind[1]) > MAX_PARAMS or shapes[kind] >= per_shape:
                continue
            shapes[kind] += 1
            queue.append(href)
    return pages


def test_no_page_reachable_from_home_shows_a_draft(client, paged_corpus):
    corpus = paged_corpus
    pages = crawl(client)

    assert {url: status for url, (status, _body) in pages.items() if status != 200} == {}
    assert {url: leaks(body) for url, (_status, body) in pages.items() if leaks(body)} == {}
    kinds = Counter(shape(url) for url in pages)
    # Detail pages of every kind, facet, sort and page links, and both exports were reached.
    for expected in (
        ("/visits/", frozenset({"issue"})),
        ("/visits/", frozenset({"leader"})),
        ("/visits/", frozenset({"year"})),
        ("/visits/", frozenset({"sort"})),
        ("/visits/", frozenset({"page"})),
        ("/visits/", frozenset({"format"})),
        ("/claims/", frozenset({"speaker"})),
        ("/claims/", frozenset({"actor"})),
        ("/claims/", frozenset({"page"})),
        ("/actors/", frozenset({"country"})),
        ("/sources/", frozenset({"publisher"})),
        (corpus.washington.get_absolute_url(), frozenset()),
        (corpus.source.get_absolute_url(), frozenset()),
        (corpus.munir_us.get_absolute_url(), frozenset()),
        (corpus.issues["kashmir"].get_absolute_url(), frozenset()),
        (corpus.claim_mediation.get_absolute_url(), frozenset()),
        (corpus.draft_national.get_absolute_url(), frozenset()),
        ("/issues/border/", frozenset()),
    ):
        assert kinds[expected], expected
    assert any(len(params) >= 2 for _path, params in kinds)  # facet links within facet pages
    assert len(pages) > 200


SEARCHES = [M, M.lower(), *WORDS.values(), "secretdraft-person", "Person", "Land"]


@pytest.mark.parametrize("query", SEARCHES)
def test_searching_for_a_draft_finds_nothing(client, corpus, query):
    response = client.get("/search/", {"q": query})
    body = body_of(response)

    assert response.status_code == 200
    if query not in ("Person", "Land"):  # the words beside the marker match published rows
        assert re.search(r"<strong>0</strong> results? for", body), query
    # The page echoes the query; no other draft word may show.
    echo_free = re.sub(re.escape(query), "", body, flags=re.IGNORECASE)
    assert leaks(echo_free) == []


@pytest.mark.parametrize("path", ["/visits/", "/actors/", "/issues/", "/claims/", "/sources/"])
def test_list_searches_for_a_draft_find_nothing(client, corpus, path):
    for query in [M, *WORDS.values()]:
        page = body_of(client.get(path, {"q": query}))
        rows = body_of(client.get(path, {"q": query, "format": "json"}))

        assert "<strong>0</strong> results" in page, (path, query)
        export = json.loads(rows)
        assert (export["count"], export["results"]) == (0, []), (path, query)


LIST_PARAMS = {
    "/visits/": ["leader", "issue", "origin", "destination"],
    "/actors/": ["country"],
    "/issues/": [],
    "/claims/": ["issue", "leader", "actor", "speaker", "visit", "source"],
    "/sources/": ["issue", "visit"],
}


@pytest.mark.parametrize("path", list(LIST_PARAMS))
def test_exports_filtered_or_not_carry_no_draft(client, corpus, path):
    queries = [{}]
    for param in LIST_PARAMS[path]:
        queries += [{param: slug} for slug in corpus.draft_slugs[param]]
    for query in queries:
        for fmt in ("csv", "json"):
            response = client.get(path, {**query, "format": fmt})
            body = body_of(response)

            if query:  # filtering by a draft: a record that is not there, said so
                assert response.status_code == 400, (query, fmt)
                assert leaks(body.replace(next(iter(query.values())), "")) == [], query
                continue
            assert response.status_code == 200, (query, fmt)
            if fmt == "csv":
                assert leaks(body) == [], (query, fmt)
                # Filtering by a draft finds nothing: a header row alone.
                assert not query or body.strip() == body.splitlines()[0], query
                continue
            export = json.loads(body)
            assert leaks(json.dumps(export["results"])) == [], query
            # The export repeats the filters the reader gave; it never names a draft.
            assert export["filters"] == {name: [value] for name, value in query.items()}
            assert not query or (export["count"], export["results"]) == (0, []), query


@pytest.mark.parametrize("path", list(LIST_PARAMS))
def test_pages_filtered_by_a_draft_show_no_draft_name(client, corpus, path):
    for param in LIST_PARAMS[path]:
        for slug in corpus.draft_slugs[param]:
            response = client.get(path, {param: slug})
            body = body_of(response)

            assert response.status_code == 400  # no public record by that name: a form error
            assert "No results: check the filters below." in body
            # The chip repeats the slug the reader typed; it never names the draft.
            assert M not in body, (param, slug)
            assert leaks(body.replace(slug, "")) == [], (param, slug)


def test_added_drafts_answer_404(client, corpus):
    urls = [
        corpus.origin_visit.get_absolute_url(),
        corpus.draft_source.get_absolute_url(),
        corpus.child_draft.get_absolute_url(),
        corpus.draft_organisation.get_absolute_url(),
        *[claim.get_absolute_url() for claim in corpus.origin_visit.claims.all()],
        *[claim.get_absolute_url() for claim in corpus.draft_visitor_visit.claims.all()],
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
