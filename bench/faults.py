"""Database outage drill: pages answer 503 while PostgreSQL is down, and recover without a restart.

Runs gunicorn (production settings, connection pool on) against a throwaway PostgreSQL cluster on
loopback, stops the database, checks the answers, starts it again and checks that the same gunicorn
process serves pages again. Exits non-zero on any failure.

    .venv/bin/python bench/faults.py
"""

import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pgcluster import postgres_bin_dir, temporary_cluster  # noqa: E402

PG_PORT = 55433
WEB_PORT = 8766
PAGES = ["/healthz", "/", "/visits/", "/claims/", "/actors/"]


def get(path, timeout=15):
    """Return (status, body) of a GET on the local server."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{WEB_PORT}{path}", timeout=timeout) as reply:
            return reply.status, reply.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_for(predicate, seconds, what):
    """Poll `predicate` until true or fail after `seconds`; return the time it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.25)
    raise SystemExit(f"FAIL: {what} within {seconds} s")


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        raise SystemExit(1)


def main():
    if postgres_bin_dir() is None:
        print("skipped: PostgreSQL server binaries are not installed")
        return
    with temporary_cluster(PG_PORT) as cluster:
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_DB_POOL": "1",
        }
        python = sys.executable
        subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        collect = [python, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(collect, cwd=ROOT, env=env, check=True)
        server = subprocess.Popen(
            [
                str(Path(python).parent / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{WEB_PORT}",
                "--workers",
                "2",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for(lambda: _answers(200), 30, "gunicorn to start")
            for path in PAGES:
                status, _ = get(path)
                check(status == 200, f"database up: {path} answers {status}")

            cluster.stop()
            print("-- PostgreSQL stopped")
            for path in PAGES:
                status, body = get(path)
                check(status == 503, f"database down: {path} answers {status}")
                check("Traceback" not in body, f"database down: {path} shows no traceback")
            status, body = get("/")
            check("Temporarily unavailable" in body, "database down: / explains the outage")

            cluster.start()
            print("-- PostgreSQL started again")
            took = wait_for(lambda: _answers(200), 30, "/healthz to answer 200 again")
            print(f"ok    recovered {took:.1f} s after the database came back")
            for path in PAGES:
                status, _ = get(path)
                check(status == 200, f"database back: {path} answers {status}")
            check(server.poll() is None, "the same gunicorn process served throughout")
        finally:
            server.terminate()
            server.wait(timeout=20)
    print("faults: all checks passed")


def _answers(status):
    try:
        return get("/healthz", timeout=5)[0] == status
    except OSError:
        return False


if __name__ == "__main__":
    main()
