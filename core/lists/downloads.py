"""Bounds on the large downloads streaming at once, so that exports never starve the site.

A CSV of a million claims keeps a thread (and its share of the processor) for a minute. Twenty
of them at once would take every thread of every process, and pages already cached would wait
behind them. So a download of more than DOWNLOAD_SMALL_ROWS rows streams only while it holds a
slot: at most DOWNLOADS_AT_ONCE across every process (counted in the shared cache), at most
DOWNLOADS_PER_PROCESS in one process, and at most DOWNLOADS_PER_CLIENT for one client address.
Past a bound the answer is a clear refusal with Retry-After (503 when the site is busy, 429
when that client has enough downloads running); smaller downloads, and downloads the page
cache keeps, are never held back. A large download also pauses as it streams, computing at
most DOWNLOAD_DUTY of the time, so that the pages of other readers keep their speed.
"""

import contextlib
import json
import threading
import time

from django.conf import settings
from django.core.cache import cache

from core.clients import client_address
from core.lists.exports import error_response

#: Seconds a count of running downloads is kept without news (a crash frees it).
CLIENT_SECONDS = 600
_semaphores = {}
_semaphores_lock = threading.Lock()


def _process_slots():
    """Return this process's semaphore of DOWNLOADS_PER_PROCESS slots."""
    size = max(1, settings.DOWNLOADS_PER_PROCESS)
    with _semaphores_lock:
        return _semaphores.setdefault(size, threading.BoundedSemaphore(size))


#: Seconds a process answers a client asking again for a download it just refused with the
#: same refusal, without filtering or counting anything.
REFUSED_SECONDS = 0.5
_refused = {}


def refused_lately(request):
    """Return the refusal this process gave `request` (path and client) a moment ago, or None."""
    entry = _refused.get((request.get_full_path(), client_address(request)))
    if entry is None or entry[0] < time.monotonic():
        return None
    return _refusal(*entry[1:])


def take_slot(request, rows):
    """Return (release, None) for a download of `rows` rows, or (None, refusal response)."""
    release, refusal = _take_slot(request, rows)
    if refusal is not None:
        if len(_refused) > 1000:
            _refused.clear()
        message = json.loads(refusal.content)["error"]
        key = (request.get_full_path(), client_address(request))
        _refused[key] = (time.monotonic() + REFUSED_SECONDS, message, refusal.status_code)
    return release, refusal


def _take_slot(request, rows):
    if rows <= settings.DOWNLOAD_SMALL_ROWS:
        return _nothing, None
    client = f"downloads:{client_address(request)}"
    if not _enter(client, settings.DOWNLOADS_PER_CLIENT):
        return None, _refusal(
            f"You have {settings.DOWNLOADS_PER_CLIENT} large downloads running: wait for one "
            "to finish, then ask again.",
            429,
        )
    slots = _process_slots()
    entered = _enter("downloads:all", settings.DOWNLOADS_AT_ONCE)
    if not entered or not slots.acquire(blocking=False):
        if entered:
            _leave("downloads:all")
        _leave(client)
        return None, _refusal(
            "The site is busy with other large downloads: ask again in a few seconds.", 503
        )
    released = threading.Event()

    def release():
        if not released.is_set():
            released.set()
            slots.release()
            _leave("downloads:all")
            _leave(client)

    return release, None


def _enter(key, limit):
    """Count one more download under `key` (across every process); False past `limit`."""
    cache.add(key, 0, timeout=CLIENT_SECONDS)
    try:
        running = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=CLIENT_SECONDS)
        running = 1
    if running > limit:
        _leave(key)
        return False
    return True


def _leave(key):
    with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
        cache.decr(key)


def _nothing():
    pass


def _refusal(message, status):
    response = error_response(message, status=status)
    response["Retry-After"] = str(settings.DOWNLOAD_RETRY_SECONDS)
    return response


class Released:
    """The chunks of a download, which give its slot back when they end or the response is
    closed (a finished download, a client gone, an error while streaming).

    A large download also yields the processor now and then: after each chunk it pauses so
    that it computes at most DOWNLOAD_DUTY of the time (the rest goes to the pages of other
    readers, in its process and beside it).
    """

    def __init__(self, chunks, release, duty=1.0):
        self.chunks = iter(chunks)
        self.release = release
        self.rest = (1 - duty) / duty if 0 < duty < 1 else 0.0

    def __iter__(self):
        return self

    def __next__(self):
        started = time.perf_counter()
        try:
            chunk = next(self.chunks)
        except BaseException:
            self.release()
            raise
        if self.rest:
            time.sleep(min(1.0, (time.perf_counter() - started) * self.rest))
        return chunk

    def close(self):
        self.release()
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()


def bounded(response, release):
    """Return the streamed `response`, its slot given back when it ends."""
    duty = 1.0 if release is _nothing else settings.DOWNLOAD_DUTY
    response.streaming_content = Released(response.streaming_content, release, duty)
    return response
