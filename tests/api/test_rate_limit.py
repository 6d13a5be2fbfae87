"""The API's rate limit counts each client once, whatever headers it sends and however many
connections it opens."""

import threading

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from api.throttling import take_request
from tests.pages.test_page_cache_redis import REDIS_URL, needs_redis, use_redis

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts():
    caches["default"].clear()
    yield
    caches["default"].clear()


def statuses(client, times, **headers):
    return [client.get("/api/v1/issues/", **headers).status_code for _ in range(times)]


@override_settings(API_RATE="3/minute")
def test_rotating_the_forwarded_address_gains_nothing():
    client = Client(REMOTE_ADDR="10.0.0.1")
    answers = [
        client.get("/api/v1/issues/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(6)
    ]

    assert answers == [200, 200, 200, 429, 429, 429]


@override_settings(API_RATE="3/minute")
def test_naming_someone_elses_address_does_not_lock_them_out():
    attacker = Client(REMOTE_ADDR="10.0.0.1")
    statuses(attacker, 10, HTTP_X_FORWARDED_FOR="10.0.0.2")

    assert statuses(Client(REMOTE_ADDR="10.0.0.2"), 3) == [200, 200, 200]


@override_settings(API_RATE="3/minute", TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client():
    proxy = "10.0.0.9"
    # The client wrote its own header; the proxy appended the address it saw.
    first = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    second = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="7.7.7.7, 198.51.100.8")

    assert statuses(first, 4) == [200, 200, 200, 429]
    assert statuses(second, 3) == [200, 200, 200]  # another client behind the same proxy


def concurrent_allowed(address, requests, threads=8, each=10):
    """Return how many of `threads` × `each` concurrent requests of `address` were allowed."""
    waits = []

    def burst():
        for _ in range(each):
            waits.append(take_request(address, requests, 60))

    workers = [threading.Thread(target=burst) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(waits) == threads * each
    return waits.count(0)


def test_concurrent_requests_cannot_push_a_client_past_its_rate():
    assert concurrent_allowed("10.0.0.1", 20) == 20


@needs_redis
def test_counting_in_redis_is_atomic_across_connections(settings):
    use_redis(settings, REDIS_URL)
    settings.CACHES = {**settings.CACHES, "default": settings.CACHES[settings.PAGE_CACHE_ALIAS]}

    assert concurrent_allowed("10.0.0.1", 20, threads=16) == 20
    assert take_request("10.0.0.2", 20, 60) == 0  # another client is not refused


@override_settings(API_RATE="2/minute")
def test_a_refusal_says_when_to_come_back():
    client = Client(REMOTE_ADDR="10.0.0.1")
    statuses(client, 2)

    response = client.get("/api/v1/issues/")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 61  # the minute, and its second of grace
    assert "at most 2/minute" in response.json()["detail"]
