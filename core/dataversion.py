"""The data's version: one number that changes whenever a write can change what the public sees.

Every public page and export is a function of the published data, so a page cached under the
version it was rendered at stays right until the next write (see config.middleware).

The version lives in one row (DataVersion) and is raised by database triggers on every table of
the apps whose AppConfig says `public_data = True`: a save or delete in the admin, a bulk
action, an import, a merge, a migration's data change and a raw SQL statement all raise it,
with nothing for the code that writes to remember. The triggers are (re)installed after every
`migrate`, which also raises the version once (a migration may change data or templates).

- PostgreSQL: a deferred constraint trigger raises the version once, at commit, in the same
  transaction as the data. A reader therefore never sees the new version with the old data,
  and writers take the version row's lock only for the moment of their commit, so two curators
  saving at once never deadlock on it.
- SQLite: plain triggers; SQLite has one writer at a time.

The number is the time of the change in microseconds since 1970 (or the last version plus one,
if that is higher), so it also gives the Last-Modified of every page, and a database restored
from a backup never reuses a version a cache may still hold.
"""

import datetime
import hashlib
import logging
import os
import threading
import time
from typing import NamedTuple

from django.apps import apps
from django.db import connections, router
from django.dispatch import Signal

try:
    import psycopg
except ImportError:  # SQLite only: nothing to listen to
    psycopg = None

logger = logging.getLogger(__name__)

TABLE = "core_dataversion"
PG_FUNCTION = "core_data_version_bump"
TRIGGER_PREFIX = "core_data_version"
#: The PostgreSQL channel on which each commit announces the new version (see Listener).
CHANNEL = "core_data_version"
SELECT_SQL = f"SELECT version, changed_at, hidden_version FROM {TABLE} WHERE id = 1"


class State(NamedTuple):
    """The data's version, when it changed, and the version of the last change that hid
    something the public saw (see core.lists.buckets)."""

    version: int
    changed_at: datetime.datetime | None
    hidden: int = 0


_PG_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}_now() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    new_version bigint;
    new_changed_at timestamptz;
    new_hidden bigint;
BEGIN
    -- Once per statement: at commit, every queued row event belongs to the COMMIT statement.
    IF current_setting('core.data_version_at', true) = statement_timestamp()::text THEN
        RETURN;
    END IF;
    PERFORM set_config('core.data_version_at', statement_timestamp()::text, true);
    INSERT INTO {TABLE} (id, version, changed_at)
    VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint, clock_timestamp())
    ON CONFLICT (id) DO UPDATE
        SET version = GREATEST({TABLE}.version + 1, EXCLUDED.version),
            changed_at = EXCLUDED.changed_at
    RETURNING version, changed_at, hidden_version INTO new_version, new_changed_at, new_hidden;
    -- The count triggers (core.lists.buckets) flag a transaction that hid a public row.
    IF current_setting('core.data_hides', true) = 'on' THEN
        UPDATE {TABLE} SET hidden_version = new_version WHERE id = 1;
        new_hidden := new_version;
    END IF;
    -- Delivered to every listening process when, and only when, the transaction commits.
    PERFORM pg_notify(
        '{CHANNEL}',
        new_version || ' ' || extract(epoch FROM new_changed_at) || ' ' || new_hidden
    );
END;
$$;

-- The triggers' function: the row triggers (deferred to commit) and the TRUNCATE triggers.
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM {PG_FUNCTION}_now();
    RETURN NULL;
END;
$$;
"""

_SQLITE_BUMP = f"""
INSERT INTO {TABLE} (id, version, changed_at)
VALUES (1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER),
        strftime('%Y-%m-%d %H:%M:%f', 'now'))
ON CONFLICT (id) DO UPDATE
    SET version = max({TABLE}.version + 1, excluded.version), changed_at = excluded.changed_at;
"""


def current(using=None):
    """Return the State (version, changed_at, hidden) of the data, or None when none is recorded.

    Read on every anonymous request: from this process's listener when it is listening
    (PostgreSQL, DATA_VERSION_LISTEN), else in one plain statement (building it through the
    ORM would cost more than the database takes to answer it).
    """
    from core.models import DataVersion

    alias = using or router.db_for_read(DataVersion)
    heard = listener(alias).current()
    if heard is not None:
        return heard
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(SELECT_SQL)
        row = cursor.fetchone()
    if row is None:
        return None
    return _state(row)


def _state(row):
    version, changed_at, hidden = row
    if isinstance(changed_at, str):  # SQLite without Django's converters
        changed_at = datetime.datetime.fromisoformat(changed_at)
    return State(version, changed_at, hidden or 0)


def bump(using="default"):
    """Raise the version by hand (the triggers do it for every write to a public table)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT {PG_FUNCTION}_now()")
        else:
            cursor.execute(_SQLITE_BUMP)


def public_tables():
    """Return the tables whose rows the public site shows: every table of a public-data app."""
    tables = []
    for app_config in apps.get_app_configs():
        if not getattr(app_config, "public_data", False):
            continue
        for model in app_config.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.append(model._meta.db_table)
    return sorted(set(tables))


def install_triggers(using="default"):
    """Install the version triggers on every public table that lacks them; raise the version."""
    connection = connections[using]
    tables = public_tables()
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        if TABLE not in existing:
            return
        tables = [table for table in tables if table in existing]
        if connection.vendor == "postgresql":
            _install_postgresql(cursor, connection, tables)
        elif connection.vendor == "sqlite":
            _install_sqlite(cursor, connection, tables)
    bump(using)


def _trigger_name(table, suffix=""):
    name = f"{TRIGGER_PREFIX}_{table}{suffix}"
    if len(name) > 63:  # PostgreSQL's limit: keep the suffix, name the table by its hash
        name = f"{TRIGGER_PREFIX}_{hashlib.sha256(table.encode()).hexdigest()[:16]}{suffix}"
    return name


def _present(cursor, catalog_sql):
    """Return the names of the version triggers installed already, as `catalog_sql` lists them."""
    cursor.execute(catalog_sql, [f"{TRIGGER_PREFIX}%"])
    return {name for (name,) in cursor.fetchall()}


def _install_postgresql(cursor, connection, tables):
    cursor.execute(_PG_FUNCTION_SQL)
    present = _present(
        cursor, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s"
    )
    quote = connection.ops.quote_name
    for table in tables:
        name = _trigger_name(table)
        if name not in present:
            cursor.execute(
                f"CREATE CONSTRAINT TRIGGER {quote(name)} "
                f"AFTER INSERT OR UPDATE OR DELETE ON {quote(table)} "
                f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
            )
        truncate = _trigger_name(table, "_tr")
        if truncate not in present:
            cursor.execute(
                f"CREATE TRIGGER {quote(truncate)} AFTER TRUNCATE ON {quote(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
            )


def _install_sqlite(cursor, connection, tables):
    present = _present(
        cursor, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s"
    )
    quote = connection.ops.quote_name
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = _trigger_name(table, f"_{event.lower()}")
            if name not in present:
                cursor.execute(
                    f"CREATE TRIGGER {quote(name)} AFTER {event} ON {quote(table)} "
                    f"BEGIN {_SQLITE_BUMP} END"
                )


def http_date_of(changed_at):
    """Return `changed_at` as a POSIX timestamp for Last-Modified, or None while its second lasts.

    Last-Modified counts whole seconds: a page of a change made at 10.2 s and one of a change
    at 10.3 s would carry the same date, and a browser holding the first would be told the
    second had not changed. So a page gives its date only once that second is over (every
    change in it made, and in the page); until then browsers revalidate by ETag alone.
    """
    if changed_at is None:
        return None
    if changed_at.tzinfo is None:
        changed_at = changed_at.replace(tzinfo=datetime.UTC)
    second = int(changed_at.timestamp())
    return second if time.time() >= second + 1 else None


class Listener:
    """The data version as PostgreSQL announces it to this process, without a query a request.

    A thread of its own holds one connection that LISTENs on CHANNEL: the triggers notify it
    of each new version when the writing transaction commits, so a page is never looked up under
    a version whose data is not yet visible, and every process hears of a commit within
    milliseconds. Until the thread listens (at start, or after the connection is lost in an
    outage) current() returns None and requests read the version from the database; on
    reconnecting it reads the version again, so a notification missed meanwhile loses nothing.
    """

    def __init__(self, alias):
        self.alias = alias
        self.state = None
        self.listening = False
        self.pid = None
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = None

    def current(self):
        """Return the State as last heard, or None when not listening."""
        if self.pid != os.getpid():  # a new process (gunicorn forks its workers): start here
            with self.lock:
                if self.pid != os.getpid():
                    self.pid, self.listening, self.state = os.getpid(), False, None
                    self.thread = threading.Thread(
                        target=self.run, name="data-version", daemon=True
                    )
                    self.thread.start()
        return self.state if self.listening else None

    def run(self):
        params = connections[self.alias].get_connection_params()
        for name in ("cursor_factory", "context"):
            params.pop(name, None)
        while not self.stopped.is_set():
            try:
                with psycopg.connect(**params, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    row = connection.execute(SELECT_SQL).fetchone()
                    self.state = _state(row) if row is not None else None
                    self.listening = self.state is not None
                    while not self.stopped.is_set():
                        for notice in connection.notifies(timeout=1):
                            self.hear(notice.payload)
            except Exception as error:  # the database went away: read per request meanwhile
                if self.listening:
                    logger.warning("Stopped listening for data versions: %s", error)
            self.listening = False
            self.stopped.wait(RECONNECT_SECONDS)

    def hear(self, payload):
        """Take the version a commit announced ("<version> <epoch seconds> <hidden>"), and tell
        the subscribers (see subscribe) of a new one."""
        version, seconds, hidden = (payload.split(" ") + ["0"])[:3]
        changed_at = datetime.datetime.fromtimestamp(float(seconds), tz=datetime.UTC)
        new = self.state is None or int(version) > self.state.version
        if new:
            self.state = State(int(version), changed_at, int(hidden))
        self.listening = True
        if new:
            for receiver, result in committed.send_robust(
                sender=Listener, version=self.state.version, hidden=self.state.hidden
            ):
                if isinstance(result, Exception):  # never stops the listening
                    logger.error("%s failed on a new data version", receiver, exc_info=result)

    def stop(self):
        """Stop listening (within a second); the process asks the database again."""
        self.stopped.set()
        self.listening = False
        if self.thread is not None:
            self.thread.join(timeout=5)


#: Seconds between attempts to listen again after the connection was lost.
RECONNECT_SECONDS = 1
_listeners = {}

#: Sent in the listening thread as each commit's new version is heard (PostgreSQL, where the
#: process listens), with `version` and `hidden`; a receiver must return at once.
committed = Signal()


class _NotListening:
    @staticmethod
    def current():
        return None


def listener(alias):
    """Return the process's Listener of database `alias`, or one that never listens."""
    from django.conf import settings

    if alias not in _listeners:
        on_postgres = connections[alias].vendor == "postgresql"
        listens = on_postgres and settings.DATA_VERSION_LISTEN
        _listeners.setdefault(alias, Listener(alias) if listens else _NotListening())
    return _listeners[alias]
