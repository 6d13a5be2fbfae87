"""A list's exact total and facets, counted once per filter set and data version.

Counting a million claims seven ways takes the database about a second; a researcher paging
through them, changing the order or downloading them asks for the same numbers again. So a
tally is kept in the default cache under the list, its filters and the data's version (see
core.dataversion): every page, order and download of the same filters reads it, and any write
retires it, since the version changes. Nothing is approximate: a tally is the database's count
of the whole result, only counted less often.

After each write the lists' whole results are counted again in the background (warm_soon),
so that the lists as one first opens them are counted before anyone asks. If the cache is down
(Redis stopped), a tally is counted afresh on each request: slower, never wrong.
"""

import hashlib
import json
import logging
import threading
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connections

from core import dataversion
from core.lists.facets import count_facets

logger = logging.getLogger(__name__)

#: How long a count is kept, in seconds: a new version retires it anyway.
TIMEOUT = 24 * 3600


@dataclass
class Tally:
    """The number of results and, per facet parameter, [(value, label, count)] of its top values."""

    count: int
    facets: dict


def digest(value):
    """Return a short digest of `value` (anything json can write), the same for equal values."""
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def kept(key, compute, version=None, using="default"):
    """Return compute(), kept in the cache under `key` and the data's version.

    `version` is the data's version if the caller has read it. Whatever compute() returns must
    depend on the public data alone (and `key`), and be picklable.
    """
    if version is None:
        state = dataversion.current(using)
        if state is None:  # no version recorded yet: nothing to key a kept count by
            return compute()
        version = state[0]
    full_key = f"counts:{key}:{version}"
    try:
        value = cache.get(full_key)
    except Exception:
        logger.warning("Cache unavailable: counted afresh", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(full_key, value, timeout=TIMEOUT)
        except Exception:
            logger.warning("Cache unavailable: count not kept", exc_info=True)
    return value


def count(queryset, facets):
    """Return the Tally of `queryset`, counted by the database now."""
    total = queryset.count()
    return Tally(total, count_facets(facets, queryset, total))


def tally(name, filters, queryset, facets, version=None):
    """Return the Tally of `queryset` (list `name` filtered by `filters`), kept per version.

    `filters` ({param: [values]}) must say everything that decides the rows of `queryset`:
    it is the key.
    """
    canonical = {param: sorted(map(str, values)) for param, values in filters.items()}
    key = f"tally:{name}:{digest(canonical)}"
    return kept(key, lambda: count(queryset, facets), version, queryset.db)


#: Seconds one process holds the right to warm a version's counts (others leave it to it).
WARM_LOCK_SECONDS = 600


def warm_soon(version):
    """Count every list's whole result at `version` in a background thread, once per version.

    Called by the data version's listener (core.dataversion.subscribe) as each write commits,
    so that the first reader of a list after a write finds its counts kept rather than
    waiting while a million rows are counted. One process per version does it: the cache
    (Redis in production, shared by every process) holds the claim.
    """
    try:
        if not cache.add(f"counts:warming:{version}", True, timeout=WARM_LOCK_SECONDS):
            return
    except Exception:
        return  # the cache down: nothing could be kept anyway
    threading.Thread(target=_warm_apart, args=(version,), name="warm-counts", daemon=True).start()


def _warm_apart(version):
    """Warm the lists in a thread of its own, and close that thread's connections after."""
    try:
        warm(version)
    finally:
        connections.close_all()


#: What to count after each write: callables taking the version. Every public list view
#: adds its own (core.lists.views), the overview its numbers (pages).
WARMERS = []


def warm(version):
    """Count every public list's whole result (its first page's counts) at `version`."""
    try:
        for warmer in WARMERS:
            warmer(version)
    except Exception:
        logger.exception("Counting the lists in the background failed")
