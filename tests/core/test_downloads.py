"""Large downloads are bounded, so that exports never starve the site (core.lists.downloads)."""

import json

import pytest
from django.core import signals
from django.core.cache import caches
from django.test import Client

from core.lists import downloads
from tests import factories
from tests.queries import DATA_VERSION_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(settings, monkeypatch):
    caches["default"].clear()  # no download counted from another test
    monkeypatch.setattr(downloads, "_refused", {})
    monkeypatch.setattr(downloads, "REFUSED_SECONDS", 0)  # each request decided afresh
    settings.DOWNLOAD_SMALL_ROWS = 1  # the test corpus's lists count as large
    settings.DOWNLOADS_AT_ONCE = 1
    settings.DOWNLOADS_PER_PROCESS = 1
    settings.DOWNLOADS_PER_CLIENT = 1
    return factories.build_corpus()


def finish(response):
    """Read a streamed download to its end (its slot is given back)."""
    return b"".join(response.streaming_content)


def test_a_second_large_download_meanwhile_is_refused_with_a_time_to_come_back(corpus):
    first = Client(REMOTE_ADDR="10.0.0.1").get("/claims/?format=csv")
    assert first.status_code == 200

    second = Client(REMOTE_ADDR="10.0.0.2").get("/visits/?format=json")

    assert second.status_code == 503
    assert second["Retry-After"] == "10"
    assert "busy with other large downloads" in json.loads(second.content)["error"]
    assert b"Khan flew to Kabul in 2020." in finish(first)
    third = Client(REMOTE_ADDR="10.0.0.2").get("/visits/?format=json")
    assert third.status_code == 200
    assert json.loads(finish(third))["count"] > 1


def test_a_client_asking_again_at_once_gets_the_same_refusal_without_a_count(
    corpus, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(downloads, "REFUSED_SECONDS", 5)
    first = Client(REMOTE_ADDR="10.0.0.1").get("/claims/?format=csv")
    impatient = Client(REMOTE_ADDR="10.0.0.2")
    assert impatient.get("/visits/?format=json").status_code == 503

    with django_assert_max_num_queries(DATA_VERSION_QUERIES):
        again = impatient.get("/visits/?format=json")

    assert again.status_code == 503
    assert again["Retry-After"] == "10"
    assert Client(REMOTE_ADDR="10.0.0.3").get("/visits/?format=json").status_code == 503
    finish(first)


def test_one_client_may_hold_only_its_share(corpus, settings):
    settings.DOWNLOADS_AT_ONCE = settings.DOWNLOADS_PER_PROCESS = 5
    mine = Client(REMOTE_ADDR="10.0.0.1")
    first = mine.get("/claims/?format=csv")

    again = mine.get("/visits/?format=csv")
    someone_else = Client(REMOTE_ADDR="10.0.0.2").get("/visits/?format=csv")

    assert again.status_code == 429
    assert "You have 1 large downloads running" in json.loads(again.content)["error"]
    assert someone_else.status_code == 200
    finish(first)
    finish(someone_else)
    assert mine.get("/visits/?format=csv").status_code == 200


def test_a_forged_forwarded_address_takes_no_one_elses_share(corpus):
    first = Client(REMOTE_ADDR="10.0.0.1").get("/claims/?format=csv")

    forged = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.9").get(
        "/visits/?format=csv"
    )

    assert forged.status_code == 429  # the address the server saw, not the header
    finish(first)


def test_small_downloads_are_never_held_back(corpus, settings):
    settings.DOWNLOAD_SMALL_ROWS = 10_000
    first = Client().get("/claims/?format=csv")
    assert first.status_code == 200, first.content

    assert Client().get("/visits/?format=csv").status_code == 200
    assert Client().get("/sources/?format=json").status_code == 200
    finish(first)


def test_a_download_given_up_by_its_client_gives_its_slot_back(corpus, monkeypatch):
    first = Client(REMOTE_ADDR="10.0.0.1").get("/claims/?format=csv")
    next(iter(first.streaming_content))  # a few rows, then the client goes away
    # The server closes the response (the test's database connection stays open).
    with monkeypatch.context() as patched:
        patched.setattr(signals.request_finished, "send", lambda *args, **kwargs: [])
        first.close()

    assert Client(REMOTE_ADDR="10.0.0.1").get("/claims/?format=csv").status_code == 200


def test_a_large_download_pauses_so_others_get_the_processor(monkeypatch):
    pauses = []
    monkeypatch.setattr(downloads.time, "sleep", pauses.append)
    clock = iter(range(0, 100, 2))  # each chunk takes 2 seconds to compute
    monkeypatch.setattr(downloads.time, "perf_counter", lambda: next(clock))
    released = []

    chunks = list(downloads.Released(iter([b"a", b"b"]), lambda: released.append(1), 0.25))

    assert chunks == [b"a", b"b"]
    assert pauses == [1.0, 1.0]  # three times the computing time, at most a second a pause
    assert released == [1]
