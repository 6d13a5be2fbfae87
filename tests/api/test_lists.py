"""The API's lists: the same rows, in the same order, as their HTML twins; cursors; errors."""

import base64
import datetime
import json

import pytest
from django.core.cache import cache
from django.test import override_settings

from claims.models import Claim
from sources.models import SourceDocument
from tests import factories
from tests.factories import DRAFT_MARKER

pytestmark = pytest.mark.django_db

#: (HTML list, API list, the key a row is known by, parameter sets to compare).
LISTS = [
    (
        "/visits/",
        "/api/v1/visits/",
        "slug",
        [
            {},
            {"leader": "imran-khan"},
            {"issue": "kashmir"},
            {"issue": ["kashmir", "afghanistan"]},
            {"year": "2019", "sort": "date"},
            {"year_from": "2019", "year_to": "2020"},
            {"sort": "title"},
            {"q": "Kabul", "sort": "-date"},
            {"destination": "united-states"},
        ],
    ),
    ("/actors/", "/api/v1/actors/", "slug", [{}, {"kind": "person"}, {"sort": "-name"}]),
    ("/issues/", "/api/v1/issues/", "slug", [{}, {"sort": "-name"}]),
    (
        "/claims/",
        "/api/v1/claims/",
        "id",
        [
            {},
            {"issue": "kashmir"},
            {"status": "disputed"},
            {"sort": "date"},
            {"leader": "imran-khan"},
        ],
    ),
    (
        "/sources/",
        "/api/v1/sources/",
        "slug",
        [{}, {"sort": "date"}, {"sort": "title"}, {"kind": "news"}, {"year": "2019"}],
    ),
]


@pytest.fixture
def corpus(db):
    corpus = factories.build_corpus(extra=12)
    # Sources with no date and sources sharing a date: where rows with no value sort, and ties.
    for n in range(3):
        factories.SourceDocumentFactory(slug=f"undated-{n}", published_date=None)
    for n in range(4):
        factories.SourceDocumentFactory(
            slug=f"same-day-{n}", published_date=datetime.date(2020, 5, 5)
        )
    return corpus


def html_keys(client, path, params, key):
    """Return the keys of every row of an HTML list, page after page."""
    keys, page = [], 1
    while True:
        response = client.get(path, {**params, "page": page})
        assert response.status_code == 200
        keys += [
            getattr(row, "pk" if key == "id" else key) for row in response.context["object_list"]
        ]
        if not response.context["page_obj"].has_next():
            return keys
        page += 1


def api_walk(client, path, params):
    """Return every response body of an API list, following `next` to the end."""
    bodies = []
    response = client.get(path, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        bodies.append(body)
        if body["next"] is None:
            return bodies
        response = client.get(body["next"])


@pytest.mark.parametrize(("html", "api", "key", "param_sets"), LISTS, ids=[row[0] for row in LISTS])
def test_each_list_gives_the_html_lists_rows_in_its_order(
    client, corpus, html, api, key, param_sets
):
    for params in param_sets:
        expected = html_keys(client, html, params, key)
        assert expected, params
        bodies = api_walk(client, api, {**params, "page_size": 3})
        got = [row[key] for body in bodies for row in body["results"]]
        assert got == expected, params


@pytest.mark.parametrize("api", [row[1] for row in LISTS])
def test_no_draft_in_any_list_or_record(client, corpus, api):
    for body in api_walk(client, api, {"page_size": 500}):
        text = json.dumps(body)
        assert DRAFT_MARKER not in text
        assert DRAFT_MARKER.lower() not in text
        for row in body["results"]:
            record = client.get(row["api_url"])
            assert record.status_code == 200
            assert DRAFT_MARKER.lower() not in record.content.decode().lower()


def test_drafts_and_records_hidden_by_a_draft_are_not_found(client, corpus):
    paths = [
        f"/api/v1/actors/{corpus.draft_actor.slug}/",
        f"/api/v1/actors/{corpus.draft_country.slug}/",
        f"/api/v1/issues/{corpus.draft_issue.slug}/",
        f"/api/v1/visits/{corpus.draft_visit.slug}/",
        f"/api/v1/visits/{corpus.draft_visitor_visit.slug}/",
        f"/api/v1/visits/{corpus.draft_destination_visit.slug}/",
        f"/api/v1/sources/{corpus.draft_source.slug}/",
        *(f"/api/v1/claims/{claim.pk}/" for claim in corpus.draft_claims),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 404, path
        assert DRAFT_MARKER not in response.content.decode()


def test_a_claim_carries_its_source_and_links(client, corpus):
    claim = Claim.objects.published().filter(visit__isnull=False).first()
    body = client.get(f"/api/v1/claims/{claim.pk}/").json()
    source = claim.source
    assert body["source"]["title"] == source.title
    assert body["source"]["publisher"] == source.publisher
    assert body["source"]["published_date"] == source.published_date.isoformat()
    assert body["source"]["original_url"] == source.url
    assert body["url"] == f"http://testserver/claims/{claim.pk}/"
    assert body["visit"]["slug"] == claim.visit.slug
    assert body["cite"]["bibtex"].endswith(f"/claims/{claim.pk}/cite.bib")


def test_a_visit_carries_its_visitor_countries_and_public_issues(client, corpus):
    body = client.get(f"/api/v1/visits/{corpus.washington.slug}/").json()
    assert body["visitor"]["name"] == "Imran Khan"
    assert body["origin"]["slug"] == "pakistan"
    assert body["destination"]["slug"] == "united-states"
    # The draft issue of the visit is left out, as on its page.
    assert sorted(issue["slug"] for issue in body["issues"]) == ["afghanistan", "aid", "kashmir"]


def test_a_draft_country_is_never_named(client, corpus):
    # An actor of a draft country is public; its country is left out.
    body = client.get(f"/api/v1/actors/{corpus.draft_national.slug}/").json()
    assert body["name"] == "Ayesha Raza"
    assert body["country"] is None
    # A visit to a draft country is not public at all.
    visit = factories.VisitFactory(visitor=corpus.imran, destination=corpus.draft_country)
    assert client.get(f"/api/v1/visits/{visit.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        ("year=abc", "year", "is not a year"),
        ("status=maybe", "status", "not one of the choices"),
        ("leader=not%20a%20slug", "leader", "No public actor is named “not a slug”"),
        ("source=not%20a%20slug", "source", "not a valid identifier"),
        ("visit=no-such-visit", "visit", "There is no public visit “no-such-visit”"),
        ("page_size=501", "page_size", "at most 500"),
        ("page_size=0", "page_size", "at least 1"),
        ("page_size=ten", "page_size", "whole number"),
        ("cursor=nonsense", "cursor", "Not a cursor"),
        ("sort=relevance", "sort", "does not rank by relevance"),
        ("issue=" + "&issue=".join(["kashmir"] * 21), "issue", "at most 20"),
        ("sort=", "sort", "Give a value"),
        ("issue=kashmir&issue=", "issue", "Give a value"),
        ("page_size=", "page_size", "whole number"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, corpus, query, parameter, words):
    response = client.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert parameter in body
    assert any(words in message for message in body[parameter])


def test_a_cursor_of_another_order_is_refused(client, corpus):
    first = client.get("/api/v1/visits/", {"page_size": 2, "sort": "title"}).json()
    cursor = first["next"].split("cursor=")[1]
    response = client.get("/api/v1/visits/", {"cursor": cursor, "sort": "-date"})
    assert response.status_code == 400
    assert "another order" in response.json()["cursor"][0]


@pytest.mark.parametrize("path", ["/api/v1/actors/", "/api/v1/issues/", "/api/v1/visits/"])
@pytest.mark.parametrize(
    "payload",
    ['["name","\\ud800",1]', '["name","\\udfff x",1]', '["\\ud800","a",1]'],
    ids=["lone-high-surrogate", "lone-low-surrogate", "surrogate-sort-key"],
)
def test_a_cursor_that_is_not_text_is_a_400(client, corpus, path, payload):
    cursor = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")

    response = client.get(path, {"cursor": cursor})

    assert response.status_code == 400
    assert "Not a cursor of this API" in response.json()["cursor"][0]


def test_cursors_walk_ten_thousand_claims_without_repeat_or_gap(client, db):
    sources = [
        factories.SourceDocumentFactory(published_date=datetime.date(2019, 1, 1 + n % 3))
        for n in range(6)
    ]
    sources[5].published_date = None
    sources[5].save()
    quote = "The prime minister met the president in Washington."
    Claim.objects.bulk_create(
        Claim(
            source=sources[n % 6], quote=quote, summary=f"Claim {n}", publication_status="published"
        )
        for n in range(10_000)
    )
    expected = list(
        Claim.objects.published().order_by("-source_date", "-pk").values_list("pk", flat=True)
    )
    assert len(expected) == 10_000

    seen = []
    response = client.get("/api/v1/claims/", {"page_size": 500})
    pages = 0
    while True:
        body = response.json()
        seen += [row["id"] for row in body["results"]]
        pages += 1
        if pages == 3:
            # A row written during the walk (after the cursor's place) repeats and hides nothing.
            Claim.objects.create(
                source=sources[0],
                quote=quote,
                summary="Written during the walk",
                publication_status="published",
            )
        if body["next"] is None:
            break
        response = client.get(body["next"])
    assert len(seen) == len(set(seen))
    before = set(expected)
    assert [pk for pk in seen if pk in before] == expected
    assert len(seen) in (10_000, 10_001)


@override_settings(API_RATE="3/minute")
def test_over_the_rate_a_client_gets_429_with_retry_after(client, corpus):
    cache.clear()
    for _ in range(3):
        assert client.get("/api/v1/issues/").status_code == 200
    response = client.get("/api/v1/issues/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "at most 3/minute" in response.json()["detail"]
    # The site's pages are not counted.
    assert client.get("/issues/").status_code == 200
    cache.clear()


def test_the_html_lists_link_their_api_twin(client, corpus):
    body = client.get(
        "/visits/", {"leader": "imran-khan", "page": 2, "sort": "relevance"}
    ).content.decode()
    assert 'href="/api/v1/visits/?leader=imran-khan"' in body
    body = client.get(f"/visits/{corpus.washington.slug}/").content.decode()
    assert f'href="/api/v1/visits/{corpus.washington.slug}/"' in body


def test_the_api_root_links_every_list_and_the_docs(client, db):
    body = client.get("/api/v1/").json()
    assert body["claims"] == "http://testserver/api/v1/claims/"
    assert body["docs"] == "http://testserver/api/v1/docs/"
    for url in body.values():
        assert client.get(url).status_code == 200, url


def test_unknown_api_paths_answer_json(client, db):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert SourceDocument.objects.count() == 0


@pytest.fixture
def seed(db):
    from ingest.seed.loader import seed_load

    seed_load()


@pytest.mark.parametrize(
    ("html", "api", "key", "params"),
    [
        ("/visits/", "/api/v1/visits/", "slug", {"leader": "asim-munir"}),
        ("/visits/", "/api/v1/visits/", "slug", {"issue": "kashmir", "sort": "date"}),
        ("/claims/", "/api/v1/claims/", "id", {"issue": "kashmir"}),
        ("/claims/", "/api/v1/claims/", "id", {"status": "denied", "sort": "date"}),
        ("/sources/", "/api/v1/sources/", "slug", {"sort": "date"}),
        ("/actors/", "/api/v1/actors/", "slug", {"kind": "person"}),
    ],
)
def test_the_seed_lists_match_their_html_twins(client, seed, html, api, key, params):
    expected = html_keys(client, html, params, key)
    assert expected
    got = [
        row[key]
        for body in api_walk(client, api, {**params, "page_size": 7})
        for row in body["results"]
    ]
    assert got == expected


def test_next_keeps_the_lists_parameters(client, corpus):
    body = client.get("/api/v1/visits/", {"page_size": 2, "leader": "imran-khan"}).json()
    assert "leader=imran-khan" in body["next"]
    assert "page_size=2" in body["next"]


@pytest.mark.parametrize("path", ["/api/v1/visits/", "/api/v1/claims/", "/api/v1/actors/"])
def test_an_unknown_parameter_is_a_400_naming_it(client, corpus, path):
    response = client.get(path, {"q": "khan", "foo": "bar", "isue": "kashmir"})

    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"foo", "isue"}
    assert body["isue"][0].startswith("Unknown parameter: this list takes ")
    assert {"cursor", "page_size", "q", "sort"} <= set(
        body["isue"][0][:-1].split(" takes ")[1].split(", ")
    )
