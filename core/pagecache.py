"""Where anonymous pages are kept: the page cache's storage, used by its middleware.

A page is kept under (code release, data version, URL) in every cache of PAGE_CACHE_ALIASES,
nearest first (each process's memory, then Redis): a key's page never changes, so the copies
cannot disagree, and most hits cost no round trip. Each URL's latest kept page is named too,
so that it may stand in while the page of a newer version is rendered (config.middleware).
A cache that fails is left alone for PAGE_CACHE_RETRY_SECONDS; the log says so once per
outage (core.cache.Outage).
"""

import hashlib
import io
import logging
import os
import threading
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpResponse
from django.utils.http import http_date, quote_etag

from core.cache import outage_of

logger = logging.getLogger(__name__)

#: Seconds a process may hold the right to render a page (a crash frees it after this).
LOCK_SECONDS = 30
#: Pages a process keeps asked for at most (more are rendered by their next reader).
AHEAD_LIMIT = 1000
#: Seconds a page rendered without being kept (a large download) is rendered by each reader.
UNKEPT_SECONDS = 60
#: Seconds a process serves the page before without asking the shared cache for the new one.
WANTED_SECONDS = 0.05


class Latest(NamedTuple):
    """The latest page kept of a URL: its data version, Last-Modified, key, and when rendered."""

    version: int
    last_modified: int | None
    key: str
    rendered_at: float


class PageStore:
    """The caches pages are kept in, and the locks that render each page once at a time."""

    def __init__(self):
        self.aliases = list(settings.PAGE_CACHE_ALIASES)
        self.max_bytes = settings.PAGE_CACHE_MAX_BYTES
        self.release = settings.PAGE_CACHE_RELEASE or code_release()
        self.outages = {alias: outage_of(alias) for alias in self.aliases}

    def latest(self, url):
        """Return the Latest page kept of `url`, or None (copied to the nearer caches, so that
        each process knows it if the shared cache goes away)."""
        key = f"page-latest:{url}"
        for index, alias in enumerate(self.aliases):
            entry = self.call_cache(alias, "get", key)
            if entry is not None:
                for nearer in self.aliases[:index]:
                    self.call_cache(nearer, "set", key, entry)
                return Latest(*entry)
        return None

    def keep_latest(self, url, latest):
        """Name `latest` (a Latest) as the latest page kept of `url`."""
        self.keep(f"page-latest:{url}", tuple(latest))

    def etag(self, version):
        """Return the ETag of every page at data `version`."""
        return quote_etag(f"{self.release}-{version}")

    @staticmethod
    def stands_in(previous, state):
        """Return whether the `previous` page (a Latest, or None) may be served at `state`:
        nothing was hidden since it was rendered."""
        return previous is not None and previous.version >= state.hidden

    def stale(self, previous):
        """Return the kept page `previous` (a Latest) as it stands in, or None if it is gone."""
        response = self.cached(previous.key)
        if response is not None:
            response["X-Page-Cache"] = "stale"
            response["ETag"] = self.etag(previous.version)  # the browser asks again
            if previous.last_modified:
                response["Last-Modified"] = http_date(previous.last_modified)
        return response

    def note_wanted(self, key):
        """Remember, in this process, that the page `key` was not kept a moment ago (the page
        before stood in): the next readers here need not ask the shared cache again at once."""
        self.call_cache(self.aliases[0], "set", f"page-wanted:{key}", True, WANTED_SECONDS)

    def wanted(self, key):
        """Return whether a reader here found the page `key` missing a moment ago."""
        return bool(self.call_cache(self.aliases[0], "get", f"page-wanted:{key}"))

    def note_unkept(self, url):
        """Remember for a while that the page `url` was not kept when rendered (a download
        that streams, a refusal): readers of it render it each, rather than wait in turn."""
        if url is not None:
            self.call_cache(self.aliases[0], "set", f"page-unkept:{url}", True, UNKEPT_SECONDS)

    def unkept(self, url):
        """Return whether the page `url` was lately rendered without being kept."""
        return bool(self.call_cache(self.aliases[0], "get", f"page-unkept:{url}"))

    def lock(self, name):
        """Take the lock `name` in the shared cache (in this process's, while it is down)."""
        for alias in reversed(self.aliases):
            taken = self.call_cache(alias, "add", name, os.getpid(), LOCK_SECONDS)
            if taken is not None:
                return taken
        return True  # no cache answers: render without one

    def unlock(self, name):
        for alias in reversed(self.aliases):
            if self.call_cache(alias, "delete", name) is not None:
                return

    def url_key(self, request):
        """Return what names the page of `request` at every version (query parameters as sent)."""
        query = urlencode(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True))
        url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        return f"{self.release}:{hashlib.sha256(url.encode()).hexdigest()}"

    def key(self, url, version):
        """Return the cache key of the page `url` (see url_key) at data `version`."""
        return f"page:{version}:{url}"

    @staticmethod
    def storable(response):
        """Return whether `response` is the same for every anonymous visitor."""
        control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.cookies
            and not any(word in control for word in ("private", "no-store", "no-cache"))
        )

    def cached(self, key, shared=True):
        """Return the stored response of `key` from the nearest cache that has it, or None
        (without `shared`, only this process's own is looked in)."""
        for index, alias in enumerate(self.aliases if shared else self.aliases[:1]):
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
        """Call a cache; on failure, leave it alone for a while (the log says so once)."""
        outage = self.outages[alias]
        if outage.skipping():
            return None
        try:
            result = getattr(caches[alias], method)(*args)
        except Exception as error:  # any backend's failure: the page is served without it
            outage.failed(error)
            return None
        outage.answered()
        return result


class RenderAhead:
    """A thread per process that renders the pages asked for, one at a time, in the background.

    `render(url, environ)` renders one; each URL is asked for once however often readers ask
    before its turn (the latest request's environ is used).
    """

    def __init__(self, render):
        self.render = render
        self.pending = {}
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.thread = None

    def ask(self, url, environ):
        """Have the page `url` rendered soon, as the request `environ` asked for it."""
        copy = {**environ, "wsgi.input": io.BytesIO(b""), "CONTENT_LENGTH": "0"}
        with self.lock:
            if len(self.pending) >= AHEAD_LIMIT and url not in self.pending:
                return
            self.pending[url] = copy
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="render-ahead", daemon=True)
                self.thread.start()
        self.wake.set()

    def run(self):
        while True:
            self.wake.wait()
            self.wake.clear()
            while True:
                with self.lock:
                    if not self.pending:
                        break
                    url, environ = self.pending.popitem()
                try:
                    self.render(url, environ)
                except Exception:
                    logger.exception("Rendering a page ahead failed")
                finally:
                    connections.close_all()


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
