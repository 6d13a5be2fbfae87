"""The site's own middleware: security headers on every page, and the page cache."""

import hashlib
import logging
import os
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, quote_etag

from core import dataversion

logger = logging.getLogger(__name__)

# No inline scripts (the admin's are files too); inline styles for the admin's templates.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and Permissions-Policy headers."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class PageCacheMiddleware:
    """Serve anonymous GETs of public pages from a cache keyed by the data's version, with ETags.

    Every public page and export is a function of the published data and the code, so an
    anonymous response is stored under (code release, data version, scheme, host, path, query)
    and served again until the next write raises the version (core.dataversion). Every process
    knows the version at once: it hears each commit's (PostgreSQL) or asks on every request.

    - `If-None-Match` with the current ETag (or `If-Modified-Since` the last change) answers
      304 without rendering anything.
    - Only 200 responses without cookies or `Cache-Control: private/no-store` are stored; a
      streamed export is stored only if it ends within PAGE_CACHE_MAX_BYTES, and is never held
      back from the client while it streams.
    - Visitors with a session (staff: they may preview drafts) always get a fresh page, marked
      uncacheable if they are signed in, so no draft is ever stored or revalidated for anyone.
    - Pages are looked up in PAGE_CACHE_ALIASES, nearest first: with Redis, each process's
      memory in front of Redis, so that most hits cost no round trip (a key's page never
      changes, so the copies cannot disagree). If a cache fails (Redis down), pages are
      rendered from the database and that cache is tried again after PAGE_CACHE_RETRY_SECONDS.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.PAGE_CACHE
        self.aliases = list(settings.PAGE_CACHE_ALIASES)
        self.skip_prefixes = tuple(settings.PAGE_CACHE_SKIP_PREFIXES)
        self.max_bytes = settings.PAGE_CACHE_MAX_BYTES
        self.retry_seconds = settings.PAGE_CACHE_RETRY_SECONDS
        self.release = settings.PAGE_CACHE_RELEASE or code_release()
        self.down_until = dict.fromkeys(self.aliases, 0.0)

    def __call__(self, request):
        if not self.applies(request):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                add_never_cache_headers(response)
            return response
        state = dataversion.current()
        if state is None:
            return self.get_response(request)
        version, changed_at = state
        request.data_version = version  # the version the page is rendered at (see core.lists)
        etag = quote_etag(f"{self.release}-{version}")
        last_modified = dataversion.http_date_of(changed_at)
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is not None:  # 304 Not Modified (or 412 for a failed If-Match)
            response["ETag"] = etag
            if last_modified:
                response["Last-Modified"] = http_date(last_modified)
            return self.public_headers(response)
        key = self.key(request, version)
        response = self.cached(key)
        if response is None:
            response = self.get_response(request)
            if not self.storable(response):
                return response
            self.store(key, response)
        if not response.has_header("ETag"):
            response["ETag"] = etag
        if last_modified and not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(last_modified)
        return self.public_headers(response)

    def applies(self, request):
        """Return whether `request` may be answered from, or stored in, the page cache.

        Only visitors without a session: staff always have one, and telling so from the cookie
        alone spares a cached page the session, CSRF and authentication middleware behind it.
        """
        return (
            self.enabled
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(self.skip_prefixes)
        )

    def key(self, request, version):
        """Return the cache key of `request` at data `version` (query parameters as sent)."""
        query = urlencode(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True))
        url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        return f"page:{self.release}:{version}:{hashlib.sha256(url.encode()).hexdigest()}"

    @staticmethod
    def storable(response):
        """Return whether `response` is the same for every anonymous visitor."""
        control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.cookies
            and not any(word in control for word in ("private", "no-store", "no-cache"))
        )

    @staticmethod
    def public_headers(response):
        """Let browsers and proxies keep the page, asking each time whether it changed."""
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ("Cookie",))
        return response

    def cached(self, key):
        """Return the stored response of `key` from the nearest cache that has it, or None."""
        for index, alias in enumerate(self.aliases):
            entry = self.call_cache(alias, "get", key)
            if entry is not None:
                for nearer in self.aliases[:index]:
                    self.call_cache(nearer, "set", key, entry)
                break
        else:
            return None
        status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response

    def store(self, key, response):
        """Store `response` under `key`: whole, or as it streams if it ends within the bound."""
        headers = [(name, value) for name, value in response.items() if name != "X-Page-Cache"]
        status = response.status_code
        response["X-Page-Cache"] = "miss"
        if not response.streaming:
            if len(response.content) <= self.max_bytes:
                self.keep(key, (status, headers, response.content))
            return

        def stream(chunks):
            kept, size = [], 0
            for chunk in chunks:
                if kept is not None:
                    size += len(chunk)
                    if size <= self.max_bytes:
                        kept.append(chunk)
                    else:
                        kept = None
                yield chunk
            if kept is not None:
                self.keep(key, (status, headers, b"".join(kept)))

        response.streaming_content = stream(response.streaming_content)

    def keep(self, key, entry):
        for alias in self.aliases:
            self.call_cache(alias, "set", key, entry)

    def call_cache(self, alias, method, *args):
        """Call a cache; on failure, log it once and leave that cache alone for a while."""
        if time.monotonic() < self.down_until[alias]:
            return None
        try:
            return getattr(caches[alias], method)(*args)
        except Exception as error:  # any backend's failure: the page is served without it
            logger.warning("Page cache unavailable, serving from the database: %s", error)
            self.down_until[alias] = time.monotonic() + self.retry_seconds
            return None


def clear_page_cache():
    """Empty every cache the pages are kept in (tests and the benchmark's cold runs)."""
    for alias in settings.PAGE_CACHE_ALIASES:
        caches[alias].clear()


def code_release():
    """Return a fingerprint of the code and templates, so a deploy never serves old pages."""
    digest = hashlib.sha256()
    root = settings.BASE_DIR
    skipped = {".git", ".venv", "staticfiles", "tests", "bench", "__pycache__", "node_modules"}
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if name not in skipped)
        for name in sorted(files):
            if name.endswith((".py", ".html", ".css", ".js", ".txt")):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, root).encode())
                with open(path, "rb") as file:
                    digest.update(file.read())
    return digest.hexdigest()[:12]
