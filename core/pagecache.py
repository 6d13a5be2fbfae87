"""Where anonymous pages are kept: the page cache's storage, used by its middleware.

A page is kept under (code release, data version, URL) in every cache of PAGE_CACHE_ALIASES,
nearest first (each process's memory, then Redis): a key's page never changes, so the copies
cannot disagree, and most hits cost no round trip. Each URL's latest kept page is named too,
so that it may stand in while the page of a newer version is rendered (config.middleware).
A cache that fails is left alone for PAGE_CACHE_RETRY_SECONDS; the log says so once per
outage (core.cache.Outage).
"""

import hashlib
import os
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

from core.cache import outage_of

#: Seconds a process may hold the right to render a page (a crash frees it after this).
LOCK_SECONDS = 30


class PageStore:
    """The caches pages are kept in, and the locks that render each page once at a time."""

    def __init__(self):
        self.aliases = list(settings.PAGE_CACHE_ALIASES)
        self.max_bytes = settings.PAGE_CACHE_MAX_BYTES
        self.release = settings.PAGE_CACHE_RELEASE or code_release()
        self.outages = {alias: outage_of(alias) for alias in self.aliases}

    def latest(self, url):
        """Return (version, Last-Modified, key) of the latest page kept of `url`, or None."""
        for alias in self.aliases:
            entry = self.call_cache(alias, "get", f"page-latest:{url}")
            if entry is not None:
                return entry
        return None

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
