"""The page cache in Redis, as in production: shared pages, and pages still served without it."""

import os
import socket
import uuid
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests import factories
from tests.queries import DATA_VERSION_QUERIES

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_answers(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


needs_redis = pytest.mark.skipif(
    not redis_answers(REDIS_URL) and not os.environ.get("REQUIRE_REDIS"),
    reason=f"no Redis at {REDIS_URL} (set TEST_REDIS_URL)",
)


def unreachable_redis_url():
    """Return the URL of a Redis where nothing listens (a port just freed)."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    return f"redis://127.0.0.1:{port}/0"


def use_redis(settings, url):
    """Put the page cache in Redis at `url`, under keys of this test alone."""
    settings.CACHES = {
        **settings.CACHES,
        settings.PAGE_CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }


@needs_redis
def test_pages_kept_in_redis_are_shared_by_every_process(settings, django_assert_num_queries):
    use_redis(settings, REDIS_URL)
    factories.build_corpus()
    first_process, second_process = Client(), Client()

    first = first_process.get("/visits/?issue=kashmir")
    with django_assert_num_queries(DATA_VERSION_QUERIES):
        second = second_process.get("/visits/?issue=kashmir")

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_without_redis_every_page_is_served_from_the_database(settings, caplog):
    use_redis(settings, unreachable_redis_url())
    factories.build_corpus()
    client = Client()

    responses = [client.get(path) for path in ("/visits/", "/visits/", "/actors/imran-khan/")]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert "Imran Khan visits Kabul" in responses[1].content.decode()
    assert all(response.get("X-Page-Cache") != "hit" for response in responses)
    assert caplog.text.count("Redis is unavailable") == 1  # once for the outage, not per request


def test_without_the_default_cache_citations_and_the_api_still_answer(settings, caplog):
    use_redis(settings, unreachable_redis_url())
    settings.CACHES = {**settings.CACHES, "default": settings.CACHES[settings.PAGE_CACHE_ALIAS]}
    corpus = factories.build_corpus()
    client = Client()

    source = client.get(f"/sources/{corpus.source.slug}/")
    api = client.get("/api/v1/visits/")

    assert source.status_code == 200
    assert "<dt>APA</dt>" in source.content.decode()
    assert api.status_code == 200
    assert "Cache unavailable: citation rendered afresh" in caplog.text
    assert "Cache unavailable: API rate not counted" in caplog.text
