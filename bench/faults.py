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
#: Seconds gunicorn's workers get to finish their requests once the drill is over.
GRACEFUL_SECONDS = 10
sys.path.insert(0, str(ROOT))

from bench.pgcluster import postgres_bin_dir, temporary_cluster  # noqa: E402

PG_PORT = 55433
WEB_PORT = 8766
PAGES = ["/healthz", "/", "/visits/", "/claims/", "/actors/", "/search/?q=kabul"]


def get(path, timeout=15, headers=None):
    """Return (status, body) of a GET on the local server."""
    status, body, _ = get_with_headers(path, timeout, headers)
    return status, body


def get_with_headers(path, timeout=15, headers=None):
    """Return (status, body, response headers) of a GET on the local server."""
    request = urllib.request.Request(f"http://127.0.0.1:{WEB_PORT}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.read().decode("utf-8", "replace"), reply.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), error.headers


def check_production_headers():
    """Check the headers a production response carries behind a TLS-terminating proxy."""
    _, _, headers = get_with_headers("/", headers={"X-Forwarded-Proto": "https"})
    directives = dict(
        part.strip().split(" ", 1)
        for part in headers.get("Content-Security-Policy", "").split(";")
        if part.strip()
    )
    check(directives.get("script-src") == "'self'", "Content-Security-Policy: script-src 'self'")
    check("max-age=31536000" in headers.get("Strict-Transport-Security", ""), "HSTS")
    check(headers.get("X-Content-Type-Options") == "nosniff", "X-Content-Type-Options: nosniff")
    check(headers.get("X-Frame-Options") == "DENY", "X-Frame-Options: DENY")
    check(headers.get("Referrer-Policy") == "same-origin", "Referrer-Policy: same-origin")
    status, body = get("/no-such-page/")
    check(status == 404 and "URLconf" not in body, "debug is off (a plain 404 page)")


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
                "--graceful-timeout",
                str(GRACEFUL_SECONDS),
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
            check_production_headers()

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
            took = wait_for(lambda: _answers(200), 60, "/healthz to answer 200 again")
            print(f"ok    recovered {took:.1f} s after the database came back")
            for path in PAGES:
                # Every worker's pool replaces its dead connections on its own; give each page
                # a few attempts (they spread over the workers) within a bounded time.
                took = wait_for(lambda p=path: get(p)[0] == 200, 30, f"{path} to answer 200")
                print(f"ok    database back: {path} answers 200 ({took:.1f} s)")
            check(server.poll() is None, "the same gunicorn process served throughout")
        finally:
            # A worker still finishing a request gets the graceful timeout, then is stopped:
            # the drill is about serving, and must not hang on the way out.
            server.terminate()
            try:
                server.wait(timeout=GRACEFUL_SECONDS + 10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    print("faults: all checks passed")


def _answers(status):
    try:
        return get("/healthz", timeout=5)[0] == status
    except OSError:
        return False


if __name__ == "__main__":
    main()
