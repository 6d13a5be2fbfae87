"""Load drill: wrk against gunicorn as the Dockerfile runs it, page cache off and on, zero errors.

Serves the knowledge base from a scratch PostgreSQL database (seed + Office of the Historian data)
with production settings and gunicorn.conf.py (threaded workers), then drives each kind of
request (list, detail, search, CSV) with Debian's `wrk`, which is written in C and is not itself
the bottleneck, first with the page cache off and then on (Redis when --redis-url is given, else
each worker's own memory). Prints requests/s and p50/p95/p99 per kind and mode, and the ratio
of the two; exits non-zero on any error (a refused connection, a timeout or a non-2xx answer).

    .venv/bin/python bench/load.py --clients 50 --seconds 60 --redis-url redis://127.0.0.1:6379/15
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import serving  # noqa: E402

PORT = 8767
KINDS = ("list", "api", "detail", "search", "csv")

#: wrk's script: each connection walks the kind's paths from its own starting point; at the
#: end, one JSON line with the counts, the errors and the latency percentiles (microseconds).
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end
function init(args)
  position = (number * 7) %% #paths
end
function request()
  position = position %% #paths + 1
  return wrk.format("GET", paths[position])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d, "p50": %%d, "p95": %%d, "p99": %%d, "max": %%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def fetch(path, timeout=30):
    """Return (status, body, headers) of a GET on the local server."""
    return serving.get(PORT, path, timeout)


def ensure_wrk():
    """Return the path of wrk, installing Debian's package first if it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (Debian's package)", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed for the load drill: apt-get install wrk")
    return found


def request_mix():
    """Return {kind: [paths]}, built from what the site lists."""
    payload = json.loads(fetch("/visits/?format=json", timeout=60)[1])
    rows = payload["results"] if isinstance(payload, dict) else payload
    visits = [row["url"].split(str(PORT), 1)[-1] for row in rows[:300]]
    details = random.Random(1).sample(visits, min(40, len(visits)))
    return {
        "list": [
            "/visits/",
            "/claims/",
            "/actors/",
            "/sources/",
            "/issues/",
            "/visits/?origin=pakistan&destination=united-states",
            "/claims/?issue=afghanistan",
            "/visits/?year_from=1990&year_to=2000",
            "/visits/?page=3",
        ],
        # The API's lists and records (not rate-limited here: one address sends everything).
        "api": [
            "/api/v1/claims/",
            "/api/v1/visits/",
            "/api/v1/claims/?issue=afghanistan",
            "/api/v1/visits/?origin=pakistan&destination=united-states",
            "/api/v1/sources/",
            *(f"/api/v1{path}" for path in details[:10]),
        ],
        "detail": [*details, "/issues/afghanistan/", "/actors/imran-khan/", "/actors/asim-munir/"],
        "search": [
            "/search/?q=kabul",
            "/search/?q=kashmir+mediation",
            "/search/?q=%22prime+minister%22+-trump",
            "/visits/?q=prime+minister",
            "/claims/?q=aid",
        ],
        "csv": [
            "/visits/?origin=pakistan&format=csv",
            "/claims/?issue=kashmir&format=csv",
            "/visits/?leader=imran-khan&format=json",
        ],
    }


def run_wrk(wrk, paths, clients, seconds):
    """Run wrk over `paths`; return its JSON summary."""
    quoted = ", ".join(json.dumps(path) for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": quoted})
    try:
        result = subprocess.run(
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
                "--script",
                script.name,
                f"http://127.0.0.1:{PORT}",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        os.unlink(script.name)
    return json.loads(result.stdout.strip().splitlines()[-1])


def errors_of(summary):
    return sum(summary[name] for name in ("connect", "read", "write", "status", "timeout"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60, help="Per kind and cache mode.")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--redis-url", default="", help="Page cache in Redis for the cache-on run (e.g. CI's)."
    )
    parser.add_argument("--kinds", default=",".join(KINDS), help="Kinds of request to drive.")
    parser.add_argument("--modes", default="off,on", help="Page cache modes to run.")
    options = parser.parse_args()
    wrk = ensure_wrk()

    results = {}
    modes = [
        ("off", {"PAGE_CACHE": "0"}),
        ("on", {"PAGE_CACHE": "1", "REDIS_URL": options.redis_url}),
    ]
    data = (["load_seed"], ["import_history_state_gov"])
    with serving.scratch_database(options.server, "kb_load", *data) as env:
        env = {**env, "API_RATE": "0"}
        for mode, extra in modes:
            if mode not in options.modes.split(","):
                continue
            with serving.gunicorn({**env, **extra}, PORT):
                mix = request_mix()
                for kind in options.kinds.split(","):
                    for path in mix[kind]:  # every page once, as a visitor before the load
                        fetch(path)
                    summary = run_wrk(wrk, mix[kind], options.clients, options.seconds)
                    results[kind, mode] = summary
                    print(
                        f"cache {mode:3} {kind:7} {rate(summary):8.1f} req/s  "
                        f"p50 {summary['p50'] / 1000:6.1f}  p95 {summary['p95'] / 1000:6.1f}  "
                        f"p99 {summary['p99'] / 1000:6.1f} ms  errors {errors_of(summary)}",
                        flush=True,
                    )

    workers = os.environ.get("WEB_CONCURRENCY", "3")
    threads = os.environ.get("GUNICORN_THREADS", "4")
    cache = f"Redis ({options.redis_url})" if options.redis_url else "each worker's memory"
    print()
    print(
        f"wrk, {options.clients} connections, {options.seconds} s per kind and mode; gunicorn "
        f"{workers} workers x {threads} threads (gunicorn.conf.py); cache on: {cache}"
    )
    print()
    print("| kind | cache | req/s | p50 ms | p95 ms | p99 ms | errors | on ÷ off |")
    print("|---|---|---|---|---|---|---|---|")
    total_errors = 0
    for kind, mode in results:
        summary = results[kind, mode]
        total_errors += errors_of(summary)
        ratio = None
        if mode == "on" and (kind, "off") in results:
            ratio = rate(summary) / rate(results[kind, "off"])
        print(
            f"| {kind} | {mode} | {rate(summary):.1f} | {summary['p50'] / 1000:.1f} | "
            f"{summary['p95'] / 1000:.1f} | {summary['p99'] / 1000:.1f} | "
            f"{errors_of(summary)} | {f'{ratio:.1f}×' if ratio else ''} |"
        )
    print(f"\nerrors: {total_errors}")
    if total_errors:
        raise SystemExit(1)


def rate(summary):
    """Return the requests per second of a wrk summary."""
    return summary["requests"] / (summary["duration_us"] / 1_000_000)


if __name__ == "__main__":
    main()
