"""Load drill: N concurrent clients for T seconds against gunicorn on loopback, zero errors allowed.

Serves the knowledge base from a scratch PostgreSQL database (seed + Office of the Historian data)
with production settings, then runs clients that each loop over a mix of list, detail, search and
CSV requests. Prints throughput and latency percentiles per kind; exits non-zero on any error.

    .venv/bin/python bench/load.py --clients 50 --seconds 60
"""

import argparse
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8767


def fetch(path, timeout=30):
    """Return (status, bytes read) of a GET on the local server."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=timeout) as reply:
            return reply.status, len(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, 0


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def request_mix():
    """Return (kind, path) pairs to draw from, built from what the site lists."""
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/visits/?format=json", timeout=60) as r:
        payload = json.loads(r.read())
    rows = payload["results"] if isinstance(payload, dict) else payload
    visits = [row["url"].split(str(PORT), 1)[-1] for row in rows[:300]]
    mix = [
        ("list", "/visits/"),
        ("list", "/claims/"),
        ("list", "/actors/"),
        ("list", "/visits/?origin=pakistan&destination=united-states"),
        ("list", "/claims/?issue=afghanistan"),
        ("list", "/visits/?year_from=1990&year_to=2000"),
        ("search", "/search/?q=kabul"),
        ("search", "/search/?q=kashmir+mediation"),
        ("search", "/visits/?q=prime+minister"),
        ("csv", "/visits/?origin=pakistan&format=csv"),
        ("csv", "/claims/?issue=kashmir&format=csv"),
    ]
    mix += [("detail", path) for path in random.Random(1).sample(visits, min(40, len(visits)))]
    mix += [("detail", "/issues/afghanistan/"), ("detail", "/actors/imran-khan/")]
    return mix


def run_clients(clients, seconds, mix):
    """Run the clients; return per-kind latencies and the list of errors."""
    latencies, errors, lock = defaultdict(list), [], threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number):
        rng = random.Random(number)
        while time.monotonic() < deadline:
            kind, path = rng.choice(mix)
            started = time.monotonic()
            try:
                status, _ = fetch(path)
            except OSError as error:
                status = f"{type(error).__name__}: {error}"
            took = time.monotonic() - started
            with lock:
                if status == 200:
                    latencies[kind].append(took)
                else:
                    errors.append((path, status))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()

    database = "kb_load"
    os.environ["PGOPTIONS"] = "-c client_min_messages=warning"
    subprocess.run(
        ["psql", f"{options.server}/postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {database}"],
        check=True,
    )
    subprocess.run(
        ["psql", f"{options.server}/postgres", "-q", "-c", f"CREATE DATABASE {database}"],
        check=True,
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"{options.server}/{database}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }
    for command in (
        ["migrate", "-v0"],
        ["load_seed", "-v0"],
        ["import_history_state_gov", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(options.workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                if fetch("/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.25)
        mix = request_mix()
        print(
            f"{options.clients} clients for {options.seconds} s, {options.workers} gunicorn "
            f"workers x 4 threads, {len(mix)} distinct requests"
        )
        latencies, errors = run_clients(options.clients, options.seconds, mix)
    finally:
        server.terminate()
        server.wait(timeout=30)
        subprocess.run(
            [
                "psql",
                f"{options.server}/postgres",
                "-q",
                "-c",
                f"DROP DATABASE IF EXISTS {database}",
            ],
            check=False,
        )

    total = sum(len(values) for values in latencies.values())
    print(f"{'kind':8} {'requests':>9} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in sorted(latencies.items()):
        print(
            f"{kind:8} {len(values):>9} {statistics.median(values) * 1000:>10.0f} "
            f"{percentile(values, 0.95) * 1000:>8.0f} {max(values) * 1000:>8.0f}"
        )
    every = [value for values in latencies.values() for value in values]
    print(
        f"all      {total:>9} {statistics.median(every) * 1000:>10.0f} "
        f"{percentile(every, 0.95) * 1000:>8.0f}   throughput {total / options.seconds:.1f} req/s"
    )
    print(f"errors: {len(errors)}")
    for path, status in errors[:20]:
        print(f"  {status} {path}")
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
