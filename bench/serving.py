"""What the drills share: a scratch PostgreSQL database with production settings, and gunicorn
serving it exactly as the Dockerfile does (gunicorn.conf.py)."""

import contextlib
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def get(port, path, timeout=15):
    """Return (status, body, headers) of a GET on the local server at `port`."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.read().decode("utf-8", "replace"), reply.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), error.headers


def prepared(database_url, *commands):
    """Return production settings (debug off, a fresh secret key) for `database_url`, after
    migrate, `commands` and collectstatic ran on it."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "REDIS_URL": "",
    }
    for command in (["migrate"], *commands, ["collectstatic", "--noinput"]):
        subprocess.run(
            [PYTHON, "manage.py", *command, "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return env


@contextlib.contextmanager
def scratch_database(server, name, *commands):
    """Yield the environment of a new database `name` on `server`, after `commands` ran on it.

    Production settings (see prepared); the database is dropped afterwards.
    """
    os.environ["PGOPTIONS"] = "-c client_min_messages=warning"
    admin_url = f"{server}/postgres"
    for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin_url, "-q", "-c", statement], check=True)
    try:
        yield prepared(f"{server}/{name}", *commands)
    finally:
        subprocess.run(
            ["psql", admin_url, "-q", "-c", f"DROP DATABASE IF EXISTS {name}"], check=False
        )


@contextlib.contextmanager
def scratch_sqlite(*commands):
    """Yield the environment of a new SQLite database, after `commands` ran on it."""
    with tempfile.TemporaryDirectory() as folder:
        yield prepared(f"sqlite:///{folder}/scratch.sqlite3", *commands)


@contextlib.contextmanager
def gunicorn(env, port, log=None):
    """Run gunicorn as the Dockerfile does (gunicorn.conf.py) on `port` until the block ends
    (its log to the open file `log`, if given)."""
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**env, "GUNICORN_ACCESS_LOG": ""},
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.DEVNULL,
    )
    try:
        for _ in range(240):
            try:
                if get(port, "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.25)
        else:
            raise SystemExit("gunicorn did not answer /healthz within a minute")
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)
