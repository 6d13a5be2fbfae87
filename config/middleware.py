"""The site's own middleware: security headers on every page, and the page cache."""

import time

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from core import dataversion
from core.pagecache import Latest, PageStore, RenderAhead

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
    anonymous response is kept under (code release, data version, scheme, host, path, query)
    (core.pagecache) and served again until the next write raises the version
    (core.dataversion). Every process knows the version at once: it hears each commit's
    (PostgreSQL) or asks on every request.

    - `If-None-Match` with the current ETag (or `If-Modified-Since` the last change) answers
      304 without rendering anything.
    - Only 200 responses without cookies or `Cache-Control: private/no-store` are kept; a
      streamed export is kept only if it ends within PAGE_CACHE_MAX_BYTES, and is never held
      back from the client while it streams.
    - Visitors with a session (staff: they may preview drafts) always get a fresh page, marked
      uncacheable if they are signed in, so no draft is ever kept or revalidated for anyone.
    - A page is rendered by one process at a time (a lock in the shared cache). While it is
      being rendered at a new version, the others serve the page of the version before, if
      nothing has been hidden since (the data's `hidden` version: an unpublish, a return to
      draft, a delete); otherwise they wait for the new page (at most PAGE_CACHE_WAIT_SECONDS,
      then render it themselves). So a curator's save never makes readers queue behind a
      render, and a hidden record is gone from the very next request.
    - With PAGE_CACHE_RENDER_AHEAD, no reader waits for that render: the page before is served
      and the new one rendered in the background (core.pagecache.RenderAhead), at most once
      per PAGE_CACHE_REFRESH_SECONDS, so a run of writes costs each page a few renders.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.PAGE_CACHE
        self.skip_prefixes = tuple(settings.PAGE_CACHE_SKIP_PREFIXES)
        self.wait_seconds = settings.PAGE_CACHE_WAIT_SECONDS
        self.refresh = settings.PAGE_CACHE_REFRESH_SECONDS
        self.pages = PageStore()
        self.ahead = RenderAhead(self.render_ahead) if settings.PAGE_CACHE_RENDER_AHEAD else None

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
        request.data_version = state.version  # the version the page is rendered at (core.lists)
        etag = self.pages.etag(state.version)
        last_modified = dataversion.http_date_of(state.changed_at)
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is not None:  # 304 Not Modified (or 412 for a failed If-Match)
            response["ETag"] = etag
            if last_modified:
                response["Last-Modified"] = http_date(last_modified)
            return self.public_headers(response)
        url = self.pages.url_key(request)
        key = self.pages.key(url, state.version)
        wanted = self.ahead is not None and self.pages.wanted(key)
        response = self.pages.cached(key, shared=not wanted)
        if response is None and self.ahead is not None:
            previous = self.pages.latest(url)
            response = self.pages.stale(previous) if self.pages.stands_in(previous, state) else None
            if response is not None:
                self.pages.note_wanted(key)
                if previous.rendered_at < time.time() - self.refresh:
                    self.ahead.ask(url, request.environ)  # the new page, in the background
        if response is None:
            if self.pages.unkept(url):  # rendered each time (a large download): no one waits
                response = self.render_here(request, key, state)
            else:
                response = self.render(request, url, key, state)
        if not response.has_header("ETag"):
            response["ETag"] = etag
        if last_modified and not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(last_modified)
        return self.public_headers(response)

    def render(self, request, url, key, state):
        """Return the page of `request` at `state`: rendered here, by the process rendering it
        now, or the page of the version before while that process renders it (see above)."""
        lock = f"page-lock:{url}"
        waited, pause = 0.0, 0.005
        while not self.pages.lock(lock):
            previous = self.pages.latest(url)
            stale = self.pages.stale(previous) if self.pages.stands_in(previous, state) else None
            if stale is not None:  # nothing hidden since: it stands in meanwhile
                return stale
            if waited >= self.wait_seconds or self.pages.unkept(url):
                return self.render_here(request, key, state)
            time.sleep(pause)
            waited, pause = waited + pause, min(pause * 2, 0.05)
            response = self.pages.cached(key)
            if response is not None:
                return response
        try:
            return self.pages.cached(key) or self.render_here(request, key, state, url)
        finally:
            self.pages.unlock(lock)

    def render_ahead(self, url, environ):
        """Render the page of `environ` at the data's current version, unless another process
        does (called in the background: see core.pagecache.RenderAhead)."""
        state = dataversion.current()
        key = self.pages.key(url, state.version)
        lock = f"page-lock:{url}"
        if self.pages.cached(key) is not None or not self.pages.lock(lock):
            return
        try:
            request = WSGIRequest(environ)
            request.data_version = state.version
            self.render_here(request, key, state, url).close()  # only pages are rendered ahead
        finally:
            self.pages.unlock(lock)

    def render_here(self, request, key, state, url=None):
        """Render the page in this process; keep it (and, with `url`, as the URL's latest)."""
        response = self.get_response(request)
        if not self.pages.storable(response):
            self.pages.note_unkept(url)  # a refusal or an error: others need not wait for it
        else:
            self.pages.store(key, response)
            if response.streaming:
                self.pages.note_unkept(url)  # a download: kept only at its end, if small
            elif url is not None:
                last_modified = dataversion.http_date_of(state.changed_at)
                self.pages.keep_latest(url, Latest(state.version, last_modified, key, time.time()))
        return response

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

    @staticmethod
    def public_headers(response):
        """Let browsers and proxies keep the page, asking each time whether it changed."""
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ("Cookie",))
        return response
