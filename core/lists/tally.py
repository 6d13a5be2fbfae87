"""Exact counts of a list, kept up to date block by block as the data changes.

Counting a million claims eight ways takes the database seconds; counting them again after
every curator's save would make every reader wait. So a list's counts (its total and how many
rows have each facet value) are kept per block of `BUCKET_ROWS` ids, each block with the stamp
it had when counted (core.lists.buckets: a block's stamp grows with every change to its rows,
however made). When a list is next shown, the stamps are read, and only the blocks whose stamp
moved are counted again; their old counts are taken from the sums and their new ones added.
A claim's edit costs the count of one block of claims, not of a million, and changes nothing
kept for visits, sources or actors.

Nothing is approximate: stamps and blocks are read in one snapshot of the database, so the
counts are those of one moment. A block
whose kept counts are missing or do not match its stamp makes the list count every block
again, so an evicted or half-written entry costs time, never exactness.

Keys, in the default cache (Redis in production, shared by every process):
- `counts:<list>:<filters>`: the sums, with every block's stamp (Kept);
- `counts:<list>:<filters>:<block>`: one block's counts and its stamp;
- `tally:<list>:<filters>:<version>`: what a page shows at a data version (Tally: the total,
  and each facet's top values, named).
Each is computed by one process at a time (core.cache); the others wait for it.
"""

import contextlib
import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connections, transaction
from django.dispatch import Signal

from core.cache import held, once
from core.lists import buckets
from core.lists.facets import Counts, count_blocks, name_facets

logger = logging.getLogger(__name__)

#: How long counts are kept, in seconds: stamps retire them anyway when their rows change.
TIMEOUT = 7 * 24 * 3600


@dataclass
class Tally:
    """The number of results and, per facet parameter, [(value, label, count)] of its top values."""

    count: int
    facets: dict
    #: Every value's count, {param: {value: count}} (the issues list reads visits per issue).
    values: dict = field(default_factory=dict)


@dataclass
class Kept:
    """A filter set's counts, summed over its blocks, as of `stamps` (every block's stamp)."""

    counts: Counts
    stamps: dict
    #: {block: stamp} of the blocks with rows, each kept under its own key.
    filled: dict
    size: int = buckets.BUCKET_ROWS


def digest(value):
    """Return a short digest of `value` (anything json can write), the same for equal values."""
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@contextlib.contextmanager
def snapshot(using):
    """Read everything inside in one snapshot of the database (REPEATABLE READ on PostgreSQL).

    Inside a transaction already (a test, a write), that transaction's view is used as it is.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


#: Seconds one process may hold the right to count ahead (a crash frees it after this).
WARM_LOCK_SECONDS = 600

#: What _dirty returns when every block must be counted again.
EVERY_BLOCK = "every block"


def counts(key, queryset, facets):
    """Return the exact Kept counts of `queryset` (its rows and each facet's values).

    `key` names the list and its filters: whatever decides the rows of `queryset`.
    """
    using = queryset.db
    with held(f"counts:{key}"):
        kept, logged = _brought_up_to_date(key, queryset, facets)
    if logged >= buckets.COMPACT_ROWS:  # where no warmer folds the log (SQLite)
        buckets.compact(using)
    return kept


def _brought_up_to_date(key, queryset, facets):
    """Return (Kept, rows of the count log) of `queryset`, counted in one snapshot."""
    using = queryset.db
    with snapshot(using):
        stamps, logged = buckets.read_stamps(queryset.model._meta.db_table, using)
        kept = cache.get(f"counts:{key}")
        dirty = _dirty(kept, stamps)
        if dirty is None:
            return kept, logged
        old = None if dirty is EVERY_BLOCK else _blocks(key, kept, dirty)
        if old is None:
            fresh = count_blocks(facets, queryset)
            summed, filled = Counts(), {}
        else:
            fresh = count_blocks(facets, queryset, dirty)
            summed = Counts().add(kept.counts)
            for block_counts in old.values():
                summed.add(block_counts, -1)
            filled = {block: stamp for block, stamp in kept.filled.items() if block not in dirty}
    for block, block_counts in fresh.items():
        summed.add(block_counts)
        filled[block] = stamps.get(block, (0, 0))
    kept = Kept(summed.tidy(), stamps, filled)
    cache.set_many(
        {f"counts:{key}:{block}": (filled[block], fresh[block]) for block in fresh},
        timeout=TIMEOUT,
    )
    cache.set(f"counts:{key}", kept, timeout=TIMEOUT)
    return kept, logged


def _dirty(kept, stamps):
    """Return the blocks to count again since `kept` (None: none; or EVERY_BLOCK)."""
    if kept is None or kept.size != buckets.BUCKET_ROWS:
        return EVERY_BLOCK
    if stamps.get(buckets.WHOLE_TABLE) != kept.stamps.get(buckets.WHOLE_TABLE):
        return EVERY_BLOCK
    for block, (changes, latest) in kept.stamps.items():
        now = stamps.get(block)
        # Within one history a block's changes only grow, and the same number of changes
        # has the same latest time: anything else is a database emptied or restored.
        if (
            now is None
            or now[0] < changes
            or now[1] < latest
            or (now[0] == changes and now[1] != latest)
        ):
            return EVERY_BLOCK
    dirty = {block for block, stamp in stamps.items() if kept.stamps.get(block) != stamp}
    return dirty or None


def _blocks(key, kept, dirty):
    """Return {block: Counts} as kept for the `dirty` blocks that had rows, or None when any
    is missing or does not match its stamp."""
    wanted = {block: stamp for block, stamp in kept.filled.items() if block in dirty}
    found = cache.get_many([f"counts:{key}:{block}" for block in wanted])
    old = {}
    for block, stamp in wanted.items():
        entry = found.get(f"counts:{key}:{block}")
        if entry is None or entry[0] != stamp:
            return None
        old[block] = entry[1]
    return old


def tally(name, filters, queryset, facets, version=None):
    """Return the Tally of `queryset` (list `name` filtered by `filters`) at data `version`.

    `filters` ({param: [values]}) must say everything that decides the rows of `queryset`:
    it is the key. Without a version (none read yet) the tally is not kept under one.
    """
    canonical = {param: sorted(map(str, values)) for param, values in filters.items()}
    key = f"{name}:{digest(canonical)}"

    def compute():
        kept = counts(key, queryset, facets)
        named = name_facets(facets, queryset.model, kept.counts.values)
        return Tally(kept.counts.rows, named, kept.counts.values)

    if version is None:
        return compute()
    return once(f"tally:{key}:{version}", compute, timeout=TIMEOUT)


def total(name, queryset, version=None, within=contextlib.nullcontext):
    """Return the exact number of rows of `queryset`, kept like a list's counts under `name`.

    `within` is a context the counting queries run in (a search's index settings).
    """

    def compute():
        with within():
            return counts(name, queryset, []).counts.rows

    if version is None:
        return compute()
    return once(f"total:{name}:{version}", compute, timeout=TIMEOUT)


# --- Counting ahead of the readers ----------------------------------------------------------


#: Sent (in the warming thread) after writes, with the data's `version`: each receiver counts
#: what the first readers at that version will ask for (each routed list's first page: see
#: core.apps), so that they find it counted.
warm_counts = Signal()


def warm(version):
    """Count every public list's whole result (its first page's counts) at `version`."""
    for receiver, result in warm_counts.send_robust(sender=None, version=version):
        if isinstance(result, Exception):
            logger.error("Counting ahead failed in %s", receiver, exc_info=result)
    try:
        buckets.compact()
    except Exception:
        logger.exception("Folding the count log failed")


class Warmer:
    """One thread per process that brings the lists' counts up to date after writes.

    Told of each new version (as commits are announced), it waits a moment for a run of
    commits to end, then counts the latest version only, in one process at a time (a lock in
    the cache): a hundred commits in a second lead to a few incremental counts, on one
    connection.
    """

    #: Seconds to wait after a commit for further commits, before counting.
    SETTLE_SECONDS = 0.01

    def __init__(self):
        self.latest = 0
        self.done = 0
        self.wake = threading.Event()
        self.thread = None
        self.lock = threading.Lock()

    def __call__(self, sender=None, version=0, **kwargs):
        """Take note of a new `version` (called in the listening thread: returns at once)."""
        self.latest = max(self.latest, version)
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="warm-counts", daemon=True)
                self.thread.start()
        self.wake.set()

    def run(self):
        try:
            while True:
                self.wake.wait()
                self.wake.clear()
                while self.wake.wait(self.SETTLE_SECONDS):  # still committing: settle first
                    self.wake.clear()
                version = self.latest
                if version <= self.done:
                    continue
                self.done = version
                # One process at a time; it hears every commit too, and counts the latest
                # version after this one.
                if not cache.add("warming", os.getpid(), timeout=WARM_LOCK_SECONDS):
                    continue
                try:
                    warm(version)
                except Exception:
                    logger.exception("Counting the lists in the background failed")
                finally:
                    cache.delete("warming")
                    connections.close_all()
        finally:
            connections.close_all()


warmer = Warmer()
