"""A limit on the rate of API requests per client address, answered with 429 and Retry-After.

It runs before the page cache, so a client over its rate is refused even an answer that is
kept. A client is its address as the site's own proxies saw it (core.clients: a forwarded
address the client wrote itself counts for nothing). Requests are counted in the shared cache
(Redis when configured) with one atomic increment each, in a window that opens at a client's
first request and lasts the rate's period: however many connections a client opens at once,
it gets at most the rate in a window.
"""

import logging
import math
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse

from core.clients import client_address

API_PREFIX = "/api/"
logger = logging.getLogger(__name__)
PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate):
    """Return (requests, seconds) of a rate like "600/minute" (None for "0" or empty)."""
    if not rate or rate == "0":
        return None
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(second|minute|hour|day)s?\s*", rate)
    if not found:
        raise ValueError(f"API_RATE={rate!r}: give it as a number per second, minute, hour or day")
    return int(found[1]), PERIODS[found[2]]


#: Seconds a window lasts beyond its period: requests a minute apart then never fall in two
#: windows by a hair (a client asking for a whole minute gets the rate, not the rate and some).
GRACE_SECONDS = 1


def take_request(address, requests, seconds):
    """Count one request of `address`; return 0 if allowed, else the seconds to wait."""
    key = f"api-rate:{address}"
    seconds += GRACE_SECONDS
    if cache.add(key, 0, timeout=seconds):
        cache.set(f"{key}:opened", time.time(), timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window closed between the two calls: a new one opens
        cache.add(key, 0, timeout=seconds)
        cache.set(f"{key}:opened", time.time(), timeout=seconds)
        count = cache.incr(key)
    if count == 1:
        cache.touch(key, seconds)  # a window always closes, even one reopened by incr
    if count <= requests:
        return 0
    opened = cache.get(f"{key}:opened") or time.time()
    return max(1, math.ceil(opened + seconds - time.time()))


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.rate = parse_rate(settings.API_RATE)

    def __call__(self, request):
        if self.rate is not None and request.path.startswith(API_PREFIX):
            try:
                wait = take_request(client_address(request), *self.rate)
            except Exception as error:  # the cache down: serve rather than refuse everyone
                logger.warning("Cache unavailable: API rate not counted (%s)", error)
                wait = 0
            if wait:
                response = JsonResponse(
                    {
                        "detail": f"Too many requests: at most {settings.API_RATE} per client. "
                        f"Try again in {wait} s."
                    },
                    status=429,
                )
                response["Retry-After"] = str(wait)
                return response
        return self.get_response(request)
