"""Caches that survive Redis going away, and computing a value once across every process.

- `ResilientCache`, a cache backend: Redis, shared by every process, while it answers; this
  process's own memory (bounded) while it does not, trying Redis again every few seconds.
  The log says once that Redis is gone and once that it is back, for all the processes of a
  server together, never a traceback per request.
- `once(key, compute)`: the cache's `get`, else compute the value in one process at a time
  (a lock taken with `add`), the others waiting for its result a bounded while rather than
  starting the same work.
"""

import contextlib
import logging
import os
import tempfile
import threading
import time
import zlib

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

logger = logging.getLogger(__name__)


class Outage:
    """Whether a shared cache is down, as one process sees it, logged once per outage per server.

    The processes of one server (gunicorn's workers, children of one master) agree through a
    marker file: the first to see the outage creates it and logs; the first to see the cache
    back removes it and logs.
    """

    def __init__(self, name, location):
        self.name = name
        self.down_until = 0.0
        self.down = False
        self.lock = threading.Lock()
        digest = zlib.crc32(location.encode())
        self.marker = os.path.join(tempfile.gettempdir(), f"kb-cache-down-{digest:08x}")

    def skipping(self):
        """Return whether to leave the cache alone for now (it failed a moment ago)."""
        return self.down and time.monotonic() < self.down_until

    def failed(self, error):
        with self.lock:
            self.down_until = time.monotonic() + settings.PAGE_CACHE_RETRY_SECONDS
            if self.down:
                return
            self.down = True
        if self._claim_marker():
            logger.warning(
                "%s is unavailable (%s): pages and counts are kept in each process's memory "
                "until it is back",
                self.name,
                error,
            )

    def answered(self):
        if not self.down:
            return
        with self.lock:
            if not self.down:
                return
            self.down = False
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.marker)
            logger.warning("%s is back", self.name)

    def _claim_marker(self):
        """Create the marker for this server; return whether this process did (it logs)."""
        group = str(os.getppid())
        try:
            descriptor = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            try:
                with open(self.marker) as marker:
                    if marker.read() == group:
                        return False  # another process of this server logged it
            except OSError:
                return False
            with open(self.marker, "w") as marker:  # left by an earlier server: take it over
                marker.write(group)
            return True
        except OSError:
            return True  # no marker possible: log from each process
        with os.fdopen(descriptor, "w") as marker:
            marker.write(group)
        return True


_outages = {}


def outage_of(alias):
    """Return the Outage of the cache `alias` (one per place per process: the page cache and
    the counts share one for one Redis)."""
    config = settings.CACHES[alias]
    location = str(config.get("LOCATION", alias))
    if location not in _outages:
        name = "Redis" if "redis" in config["BACKEND"].lower() else f"The cache {alias!r}"
        _outages[location] = Outage(name, location)
    return _outages[location]


class ResilientCache(BaseCache):
    """A shared cache (`OPTIONS["PRIMARY"]`, Redis) with a copy in this process (`"FALLBACK"`).

    Values go to both, and a value read from the shared cache is copied here too, so that
    when Redis goes away (or comes back empty) this process goes on from what it had rather
    than from nothing: counts are brought up to date from their copies (core.lists.tally),
    never counted afresh. Locks (`add`) are the shared cache's while it answers. A shared
    cache that fails is left alone for PAGE_CACHE_RETRY_SECONDS, then tried again. The local
    copy is bounded (its MAX_ENTRIES); a count or a page is keyed by what it depends on, so
    a copy kept in one place is never wrong in another.
    """

    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self.primary_alias = options["PRIMARY"]
        self.fallback_alias = options["FALLBACK"]
        self.outage = outage_of(self.primary_alias)

    @property
    def local(self):
        return caches[self.fallback_alias]

    def _shared(self, method, *args, **kwargs):
        """Return (True, result) of the shared cache's `method`, or (False, None) if it is down."""
        if self.outage.skipping():
            return False, None
        try:
            result = getattr(caches[self.primary_alias], method)(*args, **kwargs)
        except Exception as error:  # any backend's failure: this process's copy meanwhile
            self.outage.failed(error)
            return False, None
        self.outage.answered()
        return True, result

    def get(self, key, default=None, version=None):
        answered, value = self._shared("get", key, version=version)
        if answered and value is not None:
            self.local.set(key, value, version=version)
            return value
        return self.local.get(key, default, version=version)

    def get_many(self, keys, version=None):
        keys = list(keys)
        answered, found = self._shared("get_many", keys, version=version)
        found = dict(found or {})
        if found:
            self.local.set_many(found, version=version)
        missing = [key for key in keys if key not in found]
        if missing:
            found.update(self.local.get_many(missing, version=version))
        return found

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.local.set(key, value, timeout, version=version)
        self._shared("set", key, value, timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        self.local.set_many(data, timeout, version=version)
        self._shared("set_many", data, timeout, version=version)
        return []

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        answered, added = self._shared("add", key, value, timeout, version=version)
        return added if answered else self.local.add(key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        self.local.touch(key, timeout, version=version)
        answered, touched = self._shared("touch", key, timeout, version=version)
        return touched if answered else False

    def delete(self, key, version=None):
        deleted = self.local.delete(key, version=version)
        answered, shared = self._shared("delete", key, version=version)
        return shared if answered else deleted

    def delete_many(self, keys, version=None):
        keys = list(keys)
        self.local.delete_many(keys, version=version)
        self._shared("delete_many", keys, version=version)

    def has_key(self, key, version=None):
        answered, found = self._shared("has_key", key, version=version)
        return found if answered else self.local.has_key(key, version=version)

    def incr(self, key, delta=1, version=None):
        if not self.outage.skipping():
            try:
                value = caches[self.primary_alias].incr(key, delta, version=version)
            except ValueError:
                raise  # no such key: as every cache says it
            except Exception as error:
                self.outage.failed(error)
            else:
                self.outage.answered()
                return value
        return self.local.incr(key, delta, version=version)

    def clear(self):
        self.local.clear()
        self._shared("clear")

    def close(self, **kwargs):
        for alias in (self.primary_alias, self.fallback_alias):
            caches[alias].close(**kwargs)


# --- Computing once -------------------------------------------------------------------------

#: How long a process may hold the right to compute a value (a crash frees it after this).
LOCK_SECONDS = 60
#: How long others wait for that value before computing it themselves.
WAIT_SECONDS = 30


class _Box:
    """A kept value, so that a None or a falsy result is kept too."""

    def __init__(self, value):
        self.value = value


def _waiting(wait_seconds):
    """Yield after each of a series of growing pauses, until `wait_seconds` have passed."""
    deadline = time.monotonic() + wait_seconds
    pause = 0.005
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.05)
        yield


@contextlib.contextmanager
def held(key, cache=None, wait_seconds=WAIT_SECONDS):
    """Hold the lock `key` across every process, waiting for it a bounded while.

    Yields True when held; False when the wait ran out (the caller goes on regardless, as
    if the holder had died).
    """
    cache = cache or caches["default"]
    lock = f"lock:{key}"
    if cache.add(lock, os.getpid(), timeout=LOCK_SECONDS) or any(
        cache.add(lock, os.getpid(), timeout=LOCK_SECONDS) for _ in _waiting(wait_seconds)
    ):
        try:
            yield True
        finally:
            cache.delete(lock)
    else:
        yield False


def once(key, compute, timeout=DEFAULT_TIMEOUT, cache=None, wait_seconds=WAIT_SECONDS):
    """Return the value kept under `key`, else compute() it once across every process.

    While one process computes, the others wait for its result (at most `wait_seconds`, then
    they compute it themselves).
    """
    cache = cache or caches["default"]
    lock = f"lock:{key}"
    kept = cache.get(key)
    if kept is not None:
        return kept.value
    if not cache.add(lock, os.getpid(), timeout=LOCK_SECONDS):
        for _ in _waiting(wait_seconds):
            kept = cache.get(key)
            if kept is not None:
                return kept.value
            if cache.add(lock, os.getpid(), timeout=LOCK_SECONDS):
                break  # the holder finished without a value, or died: this one computes
        else:
            return compute()
    try:
        kept = cache.get(key)  # computed just before this process took the lock
        if kept is not None:
            return kept.value
        value = compute()
        cache.set(key, _Box(value), timeout)
        return value
    finally:
        cache.delete(lock)
