"""Bounds on the large downloads streaming at once, so that exports never starve the site.

A CSV of a million claims keeps a thread (and its share of the processor) for a minute. Twenty
of them at once would take every thread of every process, and pages already cached would wait
behind them. So a download of more than DOWNLOAD_SMALL_ROWS rows streams only while it holds a
slot: at most DOWNLOADS_PER_PROCESS in each process, and at most DOWNLOADS_PER_CLIENT for one
client address across every process. Past either bound the answer is a clear refusal with
Retry-After (503 when the site is busy, 429 when that client has enough downloads running);
smaller downloads, and downloads already kept by the page cache, are never held back.
"""

import contextlib
import threading

from django.conf import settings
from django.core.cache import cache

from core.lists.exports import error_response

#: Seconds a client's count of running downloads is kept without news (a crash frees it).
CLIENT_SECONDS = 600
_semaphores = {}
_semaphores_lock = threading.Lock()


def _process_slots():
    """Return this process's semaphore of DOWNLOADS_PER_PROCESS slots."""
    size = max(1, settings.DOWNLOADS_PER_PROCESS)
    with _semaphores_lock:
        return _semaphores.setdefault(size, threading.BoundedSemaphore(size))


def client_address(request):
    """Return the address the request came from, as the server saw it (never a header the
    client wrote: a client could then take slots in someone else's name)."""
    return request.META.get("REMOTE_ADDR", "")


def take_slot(request, rows):
    """Return (release, None) for a download of `rows` rows, or (None, refusal response)."""
    if rows <= settings.DOWNLOAD_SMALL_ROWS:
        return _nothing, None
    key = f"downloads:{client_address(request)}"
    cache.add(key, 0, timeout=CLIENT_SECONDS)
    try:
        running = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=CLIENT_SECONDS)
        running = 1
    if running > settings.DOWNLOADS_PER_CLIENT:
        _leave(key)
        return None, _refusal(
            f"You have {settings.DOWNLOADS_PER_CLIENT} large downloads running: wait for one "
            "to finish, then ask again.",
            429,
        )
    slots = _process_slots()
    if not slots.acquire(blocking=False):
        _leave(key)
        return None, _refusal(
            "The site is busy with other large downloads: ask again in a few seconds.", 503
        )
    released = threading.Event()

    def release():
        if not released.is_set():
            released.set()
            slots.release()
            _leave(key)

    return release, None


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
    closed (a finished download, a client gone, an error while streaming)."""

    def __init__(self, chunks, release):
        self.chunks = iter(chunks)
        self.release = release

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self.chunks)
        except BaseException:
            self.release()
            raise

    def close(self):
        self.release()
        close = getattr(self.chunks, "close", None)
        if close is not None:
            close()


def bounded(response, release):
    """Return the streamed `response`, its slot given back when it ends."""
    response.streaming_content = Released(response.streaming_content, release)
    return response
