"""The claims CSV measured twice: through gunicorn as a reader gets it, and as COPY straight
from PostgreSQL (the limit), with the same columns in the same order."""

import csv
import io
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def dsn(settings):
    return (
        f"host={settings['HOST']} port={settings['PORT'] or 5432} dbname={settings['NAME']} "
        f"user={settings['USER']}"
        + (f" password={settings['PASSWORD']}" if settings["PASSWORD"] else "")
    )


def copy_claims():
    """Return (rows, seconds) of COPY of the claims export's columns, straight from PostgreSQL."""
    import psycopg
    from django.db import connection

    from bench.copy_sql import claims_export_sql

    sql = claims_export_sql()
    conninfo = dsn(connection.settings_dict)
    started = time.monotonic()
    with psycopg.connect(conninfo) as conn, conn.cursor() as cursor:
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV HEADER") as copy:
            for _block in copy:
                pass
        # The server's own count: a quote with a line break would fool a count of newlines.
        rows = cursor.rowcount
    return rows, time.monotonic() - started


def export_through_gunicorn(url):
    """Return the claims CSV through gunicorn exactly as the Dockerfile runs it.

    gunicorn reads gunicorn.conf.py (threaded workers, its timeout); while the CSV streams,
    other pages are asked for every half second. Returns (rows, seconds, first row seconds,
    peak MB of the largest worker, slowest other page seconds, other pages that failed).
    """
    port = 8799
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "GUNICORN_ACCESS_LOG": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    others, done = [], threading.Event()

    def ask_other_pages():
        paths = ["/visits/", "/actors/", "/search/?q=kabul", "/issues/"]
        while not done.is_set():
            for path in paths:
                started = time.monotonic()
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30):
                        others.append(time.monotonic() - started)
                except OSError as error:
                    others.append(error)
                done.wait(0.5)

    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        workers = _children(server.pid)
        asker = threading.Thread(target=ask_other_pages)
        started = time.monotonic()
        reply = urllib.request.urlopen(f"http://127.0.0.1:{port}/claims/?format=csv", timeout=900)
        asker.start()
        # The header line is sent before any query: time the first byte of the first row.
        first = reply.readline() + reply.read(1)
        first_byte = time.monotonic() - started
        text = io.TextIOWrapper(_Prepend(first, reply), encoding="utf-8", newline="")
        rows = sum(1 for _ in csv.reader(text)) - 1
        seconds = time.monotonic() - started
        done.set()
        asker.join()
        peak = max(_peak_megabytes(worker) for worker in workers)
    finally:
        done.set()
        server.terminate()
        server.wait(timeout=30)
    failed = [item for item in others if not isinstance(item, float)]
    slowest = max((item for item in others if isinstance(item, float)), default=float("nan"))
    return rows, seconds, first_byte, peak, slowest, len(others), failed


class _Prepend(io.RawIOBase):
    """A readable stream: `first` bytes, then the rest of `stream`."""

    def __init__(self, first, stream):
        self.first, self.stream = first, stream

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.first:
            size = len(self.first)
            buffer[:size], self.first = self.first, b""
            return size
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _children(pid):
    for _ in range(100):
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            children = []
        if children:
            return [int(child) for child in children]
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def _peak_megabytes(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")
