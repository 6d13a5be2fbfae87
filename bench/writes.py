"""Reads while writing: wrk on the bench database, gunicorn and Redis, with and without a curator.

On the benchmark database (100k visits, 1M claims, 100k sources: `bench/run.py --fill-only`),
served as production serves it (gunicorn.conf.py, debug off, the connection pool, the page cache
in a Redis of its own), `wrk` drives a mix of 14 public pages (unfiltered and filtered lists,
deep pages, a visit, a claim and a source), first with nobody writing, then while a curator
saves a claim every N seconds, then through a burst of 100 commits in two seconds. After
each of the curator's saves, the claims list is asked for at once, as a reader arriving just
then: its time and whether its count is the database's count at that moment are reported.

    .venv/bin/python bench/writes.py                           # reads, writes, burst
    .venv/bin/python bench/writes.py --modes exports,redis-down

Further modes: `exports` (20 connections downloading the whole claims CSV while the mix is
read) and `redis-down` (Redis stopped for 30 s under load; the log's lines about it counted).
Prints one table, side by side; exits non-zero on an error or a wrong count.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import serving  # noqa: E402
from bench.load import WRK_SCRIPT, ensure_wrk, errors_of, rate  # noqa: E402
from bench.run import DEFAULT_URL, sample_filters  # noqa: E402

PORT = 8768
REDIS_PORT = 6391
MODES = ("reads", "writes", "burst", "exports", "redis-down")
#: The list's total as the page shows it ("<strong>1,000,000</strong> results").
#: Curators saving at once in a burst (one alone cannot commit 100 saves in 2 s under load).
BURST_CURATORS = 12
COUNT_RE = re.compile(r"<strong>([\d,]+)</strong> results?")


def configure(url, redis_url):
    """Point this process's Django at the bench database (it writes as a curator would)."""
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-writes-" + "x" * 40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_DB_POOL="0",
        API_RATE="0",
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()


def page_mix():
    """Return the 14 paths the readers walk."""
    f = sample_filters()
    return [
        "/claims/",
        f"/claims/?issue={f['claim_issue']}&status=disputed",
        f"/claims/?page={f['deep_page']}",
        "/visits/",
        f"/visits/?leader={f['leader']}&year={f['year']}&issue={f['visit_issue']}",
        f"/visits/?page={max(2, f['deep_page'] // 10)}",
        "/sources/",
        f"/sources/?kind=news&year={f['source_year']}",
        f"/sources/?page={f['source_deep_page']}",
        "/actors/",
        f"/actors/?page={f['actor_deep_page']}",
        "/issues/",
        f["visit_path"],
        f["claim_path"],
    ]


class Curator(threading.Thread):
    """Saves one claim every `every` seconds (or `burst` claims in `burst_seconds`) as the admin
    does, then reads /claims/ as an anonymous visitor arriving at that moment."""

    def __init__(self, every=5.0, burst=0, burst_seconds=2.0):
        super().__init__(daemon=True)
        self.every, self.burst, self.burst_seconds = every, burst, burst_seconds
        self.stopped = threading.Event()
        self.commits = 0
        self.counted = threading.Lock()
        self.burst_took = None
        self.first_views = []  # (seconds, shown count, database count)
        self.failures = []

    def run(self):
        from django.db import connections

        try:
            if self.burst:
                self.run_burst()
            else:
                while not self.stopped.wait(self.every):
                    self.edit()
                    self.check_first_view()
        except Exception as error:  # reported with the results, never silently
            self.failures.append(repr(error))
        finally:
            connections.close_all()

    def run_burst(self):
        """Commit `burst` saves within `burst_seconds`, from as many curators as it takes."""
        from django.db import connections

        self.stopped.wait(3)
        started = time.monotonic()
        numbers = iter(range(self.burst))
        lock = threading.Lock()

        def curator():
            try:
                while True:
                    with lock:
                        number = next(numbers, None)
                    if number is None:
                        return
                    pause = started + number * self.burst_seconds / self.burst - time.monotonic()
                    if pause > 0:
                        time.sleep(pause)
                    self.edit(number)
            except Exception as error:
                self.failures.append(repr(error))
            finally:
                connections.close_all()

        curators = [threading.Thread(target=curator) for _ in range(BURST_CURATORS)]
        for thread in curators:
            thread.start()
        for thread in curators:
            thread.join()
        self.burst_took = time.monotonic() - started
        self.check_first_view()

    def edit(self, number=None):
        """Change a public claim's status and summary through save(), as the admin does."""
        from claims.models import Claim, ClaimStatus

        rng = random.Random(self.commits if number is None else 1000 + number)
        last = Claim.objects.order_by("-pk").values_list("pk", flat=True).first()
        claim = None
        while claim is None:
            claim = Claim.objects.filter(pk=rng.randint(1, last), is_public=True).first()
        choices = [value for value in ClaimStatus.values if value != claim.status]
        claim.status = rng.choice(choices)
        claim.summary = f"{claim.summary.split(' [edit ')[0]} [edit {rng.random():.6f}]"
        claim.save()
        with self.counted:
            self.commits += 1

    def check_first_view(self):
        from claims.models import Claim

        started = time.perf_counter()
        status, body, _headers = serving.get(PORT, "/claims/", timeout=60)
        elapsed = time.perf_counter() - started
        expected = Claim.objects.published().count()
        match = COUNT_RE.search(body)
        shown = int(match.group(1).replace(",", "")) if match else None
        self.first_views.append((elapsed, shown, expected))
        if status != 200 or shown != expected:
            self.failures.append(f"/claims/ after a save: {status}, shows {shown}, is {expected}")


def run_wrk(wrk, paths, clients, seconds):
    """Run wrk over `paths` in the background; return the Popen and the script's path."""
    quoted = ", ".join(json.dumps(path) for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": quoted})
    process = subprocess.Popen(
        [
            wrk,
            "--threads",
            "2",
            "--connections",
            str(clients),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "--script",
            script.name,
            f"http://127.0.0.1:{PORT}",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    return process, script.name


def wrk_result(process, script):
    out, _ = process.communicate()
    os.unlink(script)
    return json.loads(out.strip().splitlines()[-1])


def measure(wrk, paths, clients, seconds, curator=None):
    """Run wrk for `seconds` (with `curator` writing meanwhile); return its summary."""
    process, script = run_wrk(wrk, paths, clients, seconds)
    if curator is not None:
        curator.start()
    summary = wrk_result(process, script)
    if curator is not None:
        curator.stopped.set()
        curator.join(timeout=120)
    return summary


def redis_server(port):
    """Start a Redis of the bench's own (so stopping it touches nothing else)."""
    binary = shutil.which("redis-server")
    if not binary:
        raise SystemExit("redis-server is needed: apt-get install redis-server")
    return subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )


def wait_for_port(port, seconds=10):
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing answers on port {port}")


def row(label, summary, extra=""):
    return (
        f"| {label} | {rate(summary):,.0f} | {summary['p50'] / 1000:.0f} | "
        f"{summary['p99'] / 1000:.0f} | {summary['max'] / 1000:.0f} | {errors_of(summary)} | "
        f"{extra} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--every", type=float, default=5.0, help="Seconds between saves.")
    parser.add_argument("--modes", default="reads,writes,burst")
    options = parser.parse_args()
    modes = options.modes.split(",")
    unknown = set(modes) - set(MODES)
    if unknown:
        raise SystemExit(f"unknown modes: {', '.join(sorted(unknown))}; known: {', '.join(MODES)}")
    wrk = ensure_wrk()
    redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    redis = redis_server(REDIS_PORT)
    wait_for_port(REDIS_PORT)
    configure(options.database_url, redis_url)
    paths = page_mix()
    env = {**os.environ, "GUNICORN_ACCESS_LOG": ""}
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{PORT}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    rows, failures = [], []
    try:
        for _ in range(240):
            try:
                if serving.get(PORT, "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.25)
        for path in paths:  # every page once, as a visitor before the load
            status = serving.get(PORT, path, timeout=120)[0]
            if status != 200:
                failures.append(f"{path}: {status}")
        # After a deploy, the first write has everything counted ahead once (the overview's
        # numbers, each list's first page): a cost of the deploy, not of the writes measured.
        settle = Curator()
        settle.edit()
        settle.check_first_view()
        time.sleep(10)
        print(f"mix: {len(paths)} pages", flush=True)
        baseline = None
        for mode in modes:
            curator = None
            extra = ""
            seconds = options.seconds
            if mode == "reads":
                summary = measure(wrk, paths, options.clients, seconds)
                baseline = summary
                label = "no writes"
            elif mode == "writes":
                curator = Curator(every=options.every)
                summary = measure(wrk, paths, options.clients, seconds, curator)
                label = f"one claim saved every {options.every:g} s"
            elif mode == "burst":
                seconds = min(seconds, 15)
                curator = Curator(burst=100, burst_seconds=2.0)
                summary = measure(wrk, paths, options.clients, seconds, curator)
                label = "a burst of 100 saves in 2 s"
            elif mode == "exports":
                export = run_wrk(wrk, ["/claims/?format=csv"], 20, seconds)
                summary = measure(wrk, paths, options.clients, seconds)
                exported = wrk_result(*export)
                label = "20 connections downloading the claims CSV"
                extra = f"CSV: {exported['requests']} answers"
            else:  # redis-down: a curator saving meanwhile, so pages are rendered without it
                with open(log.name) as text:
                    before = len(text.readlines())
                curator = Curator(every=options.every)
                process, script = run_wrk(wrk, paths, options.clients, seconds)
                curator.start()
                time.sleep(max(1, (seconds - 30) / 2))
                redis.send_signal(signal.SIGTERM)
                redis.wait(timeout=30)
                time.sleep(min(30, seconds - 2))
                redis = redis_server(REDIS_PORT)
                summary = wrk_result(process, script)
                curator.stopped.set()
                curator.join(timeout=120)
                with open(log.name) as text:
                    lines = [line for line in text.readlines()[before:] if "redis" in line.lower()]
                label = "Redis stopped for 30 s (a claim saved every 5 s)"
                extra = f"{len(lines)} log lines about Redis: " + " / ".join(
                    line.split(": ", 1)[-1].strip()[:60] for line in lines
                )
            if curator is not None:
                views = curator.first_views
                if views:
                    slowest = max(seconds for seconds, _shown, _expected in views)
                    extra = (
                        (f"{extra}; " if extra else "")
                        + f"{curator.commits} saves; /claims/ just after: "
                        f"median {statistics.median(v[0] for v in views) * 1000:.0f} ms, "
                        f"max {slowest * 1000:.0f} ms, "
                        f"{sum(shown == expected for _s, shown, expected in views)}"
                        f"/{len(views)} counts exact"
                    )
                if curator.burst_took is not None:
                    extra = f"the saves took {curator.burst_took:.1f} s; {extra}"
                failures += curator.failures
            if baseline is not None and mode != "reads":
                extra = f"{rate(summary) / rate(baseline):.0%} of no writes; {extra}"
            rows.append(row(label, summary, extra))
            print(rows[-1], flush=True)
            if errors_of(summary):
                failures.append(f"{label}: {errors_of(summary)} errors")
    finally:
        server.terminate()
        server.wait(timeout=60)
        redis.terminate()
        log.flush()
        with open(log.name) as text:
            lines = text.readlines()
        tracebacks = sum("Traceback" in line for line in lines)
        timeouts = sum("PoolTimeout" in line for line in lines)
        os.unlink(log.name)
    print()
    print(
        f"wrk, {options.clients} connections, {options.seconds} s a run, {len(paths)} pages; "
        f"gunicorn {os.environ.get('WEB_CONCURRENCY', '3')} workers x "
        f"{os.environ.get('GUNICORN_THREADS', '4')} threads, Redis; "
        f"server log: {tracebacks} tracebacks, {timeouts} PoolTimeout"
    )
    print()
    print("| run | req/s | p50 ms | p99 ms | max ms | errors | notes |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    if tracebacks or timeouts:
        failures.append(f"server log: {tracebacks} tracebacks, {timeouts} PoolTimeout")
    if failures:
        print("\nfailures:\n- " + "\n- ".join(failures))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
