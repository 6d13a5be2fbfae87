"""Computed once across processes, and a cache that outlives Redis: core.cache."""

import logging
import os
import shutil
import subprocess
import threading
import time
import uuid

import pytest
from django.core.cache import caches

from core import cache as shared
from tests.pages.test_page_cache_redis import (
    REDIS_URL,
    needs_redis,
    redis_answers,
    unreachable_redis_url,
)


def resilient(settings, url):
    """Make the default cache a ResilientCache in front of the Redis at `url`; return it."""
    tag = uuid.uuid4().hex
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientCache",
            "OPTIONS": {"PRIMARY": "shared", "FALLBACK": "local"},
        },
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{tag}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": tag},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    return caches["default"]


def test_a_value_is_computed_once_while_others_wait_for_it():
    calls = []
    results = []

    def compute():
        calls.append(1)
        time.sleep(0.3)
        return "counted"

    key = f"test-once-{uuid.uuid4().hex}"
    readers = [
        threading.Thread(target=lambda: results.append(shared.once(key, compute))) for _ in range(8)
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()

    assert len(calls) == 1
    assert results == ["counted"] * 8
    assert shared.once(key, compute) == "counted"  # kept: not computed again
    assert len(calls) == 1


def test_a_waiter_computes_itself_once_its_bounded_wait_is_over():
    key = f"test-once-{uuid.uuid4().hex}"
    caches["default"].add(f"lock:{key}", "a process that died", timeout=60)

    started = time.monotonic()
    value = shared.once(key, lambda: "computed here", wait_seconds=0.2)

    assert value == "computed here"
    assert time.monotonic() - started < 2


def test_none_is_kept_too():
    calls = []
    key = f"test-once-{uuid.uuid4().hex}"

    for _ in range(3):
        assert shared.once(key, lambda: calls.append(1)) is None
    assert len(calls) == 1


def test_without_redis_values_live_in_this_process_and_the_outage_is_logged_once(settings, caplog):
    cache = resilient(settings, unreachable_redis_url())

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for number in range(50):
            cache.set(f"key-{number}", number)
            assert cache.get(f"key-{number}") == number
        assert cache.add("lock", 1) is True
        assert cache.add("lock", 1) is False

    unavailable = [r for r in caplog.records if "is unavailable" in r.getMessage()]
    assert len(unavailable) == 1
    assert not any(record.exc_info for record in caplog.records)  # no traceback


@pytest.mark.skipif(
    not shutil.which("redis-server") and not os.environ.get("REQUIRE_REDIS"),
    reason="no redis-server to start and stop",
)
def test_redis_coming_back_is_logged_once_and_used_again(settings, caplog):
    url = unreachable_redis_url()
    cache = resilient(settings, url)
    settings.PAGE_CACHE_RETRY_SECONDS = 0
    port = url.rsplit(":", 1)[1].split("/")[0]
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        cache.set("counted", 41)  # nothing listens yet: kept here
        assert cache.get("counted") == 41
        server = subprocess.Popen(
            ["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 10
            while not redis_answers(url):
                assert time.monotonic() < deadline, "Redis did not start"
                time.sleep(0.05)
            cache.set("counted", 42)
            assert caches["shared"].get("counted") == 42  # in Redis again
            for _ in range(10):
                assert cache.get("counted") == 42
        finally:
            server.terminate()
            server.wait(timeout=10)

    messages = [record.getMessage() for record in caplog.records]
    assert sum("is unavailable" in message for message in messages) == 1
    assert messages.count("Redis is back") == 1


@needs_redis
def test_values_read_from_redis_are_copied_so_an_empty_redis_costs_nothing(settings):
    cache = resilient(settings, REDIS_URL)
    caches["shared"].set("kept-count", {"rows": 1_000_000})

    assert cache.get("kept-count") == {"rows": 1_000_000}
    caches["shared"].clear()  # Redis restarted empty

    assert cache.get("kept-count") == {"rows": 1_000_000}


def test_processes_of_one_server_log_an_outage_once(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(shared.tempfile, "gettempdir", lambda: str(tmp_path))
    first, second = (shared.Outage("Redis", "redis://test-outage") for _ in range(2))

    with caplog.at_level(logging.WARNING, logger="core.cache"):
        first.failed(ConnectionError("refused"))
        second.failed(ConnectionError("refused"))  # another worker of the same server
        second.answered()
        first.answered()

    messages = [record.getMessage() for record in caplog.records]
    assert sum("is unavailable" in message for message in messages) == 1
    assert messages.count("Redis is back") == 1


@pytest.fixture(autouse=True)
def _fresh_outages(monkeypatch):
    """Each test starts with no outage known (they are kept per process)."""
    monkeypatch.setattr(shared, "_outages", {})
