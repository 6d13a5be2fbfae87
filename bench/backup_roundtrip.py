"""Backup and restore drill: pg_dump/pg_restore and dumpdata/loaddata round trips.

Builds a knowledge base in a scratch PostgreSQL database (the seed, plus synthetic rows), then
restores it twice — from a `pg_dump` archive and from a `dumpdata` JSON file — into fresh databases,
and checks that the row counts and the SHA-256 of every public CSV export are equal to the
original's. Exits non-zero on any difference.

    .venv/bin/python bench/backup_roundtrip.py [--server postgres://postgres@127.0.0.1:5432]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
EXPORTS = ["/visits/", "/actors/", "/issues/", "/claims/", "/sources/"]
DUMP_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]

FINGERPRINT = """
import hashlib, json
import django
django.setup()
from django.apps import apps
from django.test import Client
counts = {m._meta.label: m.objects.count() for m in apps.get_models()
          if m._meta.app_label in ("actors", "visits", "sources", "claims", "auth")}
client = Client()
exports = {}
for path in %r:
    response = client.get(path, {"format": "csv"})
    assert response.status_code == 200, (path, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    exports[path] = [hashlib.sha256(body).hexdigest(), body.count(b"\\n")]
print(json.dumps({"counts": counts, "exports": exports}))
"""


def manage(url, *args, **kwargs):
    """Run manage.py against the database at `url`."""
    return run_python(url, "manage.py", *args, **kwargs)


def run_python(url, *args, **kwargs):
    """Run Python with `args` (a script or -m module and its options) against `url`."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    return subprocess.run([PYTHON, *args], cwd=ROOT, env=env, check=True, text=True, **kwargs)


def fingerprint(url):
    """Return the row counts and CSV export checksums of the database at `url`."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [PYTHON, "-c", FINGERPRINT % (EXPORTS,)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def psql(server, sql):
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    subprocess.run(["psql", f"{server}/postgres", "-q", "-c", sql], check=True, env=env)


def fresh_database(server, name):
    psql(server, f"DROP DATABASE IF EXISTS {name}")
    psql(server, f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def compare(label, original, restored):
    """Print the comparison; return whether everything matched."""
    same = original == restored
    print(
        f"{'ok  ' if same else 'FAIL'}  {label}: "
        f"{sum(restored['counts'].values()):,} rows, {len(restored['exports'])} CSV exports"
    )
    if not same:
        for key in ("counts", "exports"):
            for name, value in original[key].items():
                if restored[key].get(name) != value:
                    print(f"      {key} {name}: {value} -> {restored[key].get(name)}")
    return same


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    server = parser.parse_args().server

    source = fresh_database(server, "kb_backup_source")
    manage(source, "migrate", "-v0")
    manage(source, "load_seed", "-v0")
    run_python(
        source,
        "-m",
        "bench.synthetic",
        "--visits",
        "300",
        "--claims",
        "3000",
        "--sources",
        "150",
        "--seed",
        "1",
        stdout=subprocess.DEVNULL,
    )
    original = fingerprint(source)
    print(
        f"original: {sum(original['counts'].values()):,} rows; CSV rows "
        + ", ".join(f"{path} {lines - 1}" for path, (_, lines) in original["exports"].items())
    )

    results = []
    with tempfile.TemporaryDirectory() as scratch:
        # 1. pg_dump (custom format) and pg_restore into an empty database.
        archive = os.path.join(scratch, "knowledge-base.dump")
        subprocess.run(["pg_dump", "--format=custom", f"--file={archive}", source], check=True)
        restored = fresh_database(server, "kb_backup_pg_restore")
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={restored}", archive], check=True)
        results.append(compare("pg_dump -> pg_restore", original, fingerprint(restored)))

        # 2. dumpdata (natural keys) and loaddata into a migrated, emptied database.
        dump = os.path.join(scratch, "knowledge-base.json")
        excludes = [arg for app in DUMP_EXCLUDE for arg in ("--exclude", app)]
        manage(
            source,
            "dumpdata",
            "--natural-foreign",
            "--natural-primary",
            *excludes,
            "--output",
            dump,
        )
        loaded = fresh_database(server, "kb_backup_loaddata")
        manage(loaded, "migrate", "-v0")
        manage(loaded, "flush", "--noinput", "-v0")
        manage(loaded, "loaddata", dump, "-v0")
        results.append(compare("dumpdata -> loaddata", original, fingerprint(loaded)))

    for name in ("kb_backup_source", "kb_backup_pg_restore", "kb_backup_loaddata"):
        psql(server, f"DROP DATABASE IF EXISTS {name}")
    if not all(results):
        raise SystemExit(1)
    print("backup round trips: all equal")


if __name__ == "__main__":
    main()
