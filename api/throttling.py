"""A limit on the rate of API requests per client address, answered with 429 and Retry-After.

It runs before the page cache, so a client over its rate is refused even an answer that is
kept. The counting is Django REST framework's own (SimpleRateThrottle, in the default cache:
Redis when it is configured, so every process counts together).
"""

import logging
import math

from django.conf import settings
from django.http import JsonResponse
from rest_framework.throttling import SimpleRateThrottle

API_PREFIX = "/api/"
logger = logging.getLogger(__name__)


class AddressRateThrottle(SimpleRateThrottle):
    """API_RATE requests per client address ("600/minute"; "0" or empty: no limit)."""

    scope = "api"

    def get_rate(self):
        rate = settings.API_RATE
        return rate if rate and rate != "0" else None

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache down (Redis stopped): serve rather than refuse everyone
            logger.warning("Cache unavailable: API rate not counted", exc_info=True)
            return True


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            throttle = AddressRateThrottle()
            if not throttle.allow_request(request, None):
                wait = max(1, math.ceil(throttle.wait() or 1))
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
