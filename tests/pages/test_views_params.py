"""Whatever a URL carries, the public pages answer with a page or an error, never a crash."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

LISTS = {
    "/visits/": ["q", "leader", "year", "year_from", "year_to", "issue", "origin", "kind"],
    "/actors/": ["q", "kind", "country"],
    "/issues/": ["q"],
    "/claims/": ["q", "issue", "actor", "speaker", "visit", "status", "year"],
    "/sources/": ["q", "kind", "publisher", "year", "visit"],
}
ODD_VALUES = [
    " ",
    "%00",
    "a%00b",
    "%EF%BF%BD",
    "%F0%9F%98%80",
    "x" * 3000,
    "-1",
    "99999999999999999999",
    "2020.5",
    "'; DROP TABLE visits_visit; --",
    "<script>alert(1)</script>",
    "%22quoted%22 or -word",
    "..%2F..%2Fetc%2Fpasswd",
    "relevance",
]


@pytest.fixture
def corpus():
    return factories.build_corpus()


@pytest.mark.parametrize("path", list(LISTS))
def test_odd_parameter_values_never_crash_a_list(client, corpus, path):
    for name in [*LISTS[path], "sort", "page", "unknown"]:
        for value in ODD_VALUES:
            for fmt in ("", "&format=json"):
                url = f"{path}?{name}={value}{fmt}"
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
                assert response.status_code in (200, 302, 400), url


def test_too_many_values_of_one_parameter_are_refused_politely(client, corpus):
    many = "&".join(f"issue=issue-{number}" for number in range(25))

    page = client.get(f"/visits/?{many}")
    export = client.get(f"/visits/?{many}&format=csv")

    assert page.status_code == 400
    assert "Give at most 20 values." in page.content.decode()
    assert export.status_code == 400


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_search_text_never_crashes_the_search_page(client, corpus, value):
    response = client.get(f"/search/?q={value}")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/visits/no-such-visit/",
        "/actors/no-such-actor/",
        "/issues/no-such-issue/",
        "/sources/no-such-source/",
        "/claims/999999/",
        "/claims/abc/",
    ],
)
def test_unknown_records_answer_404(client, corpus, url):
    assert client.get(url).status_code == 404
