"""Rate-limit drill: clients rotating X-Forwarded-For get no more than the API's rate.

gunicorn as the Dockerfile runs it (gunicorn.conf.py), counts in a Redis of the drill's own,
`API_RATE=600/minute` and no trusted proxy. `wrk` opens 50 connections from one address, each
request naming another address in `X-Forwarded-For`, for `--seconds`; meanwhile another client
(another loopback address, 127.0.0.2) asks the API twice a second. The drill counts the
answers: the rotating clients may get at most the rate plus what was already in flight
(workers × threads); the other client must never be refused. Exits non-zero otherwise.

    .venv/bin/python bench/rate_drill.py --seconds 60
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import serving  # noqa: E402
from bench.load import ensure_wrk  # noqa: E402
from bench.writes import redis_server, wait_for_port  # noqa: E402

PORT = 8773
REDIS_PORT = 6393
RATE = 600

#: Each request names a new forwarded address; at the end, the answers by status.
WRK_SCRIPT = """
local counter = 0
local statuses = {}
function request()
  counter = counter + 1
  local forwarded = string.format("198.51.%d.%d", (counter / 250) % 250, counter % 250)
  return wrk.format("GET", "/api/v1/issues/", {["X-Forwarded-For"] = forwarded})
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  io.write(string.format('{"requests": %d}\\n', summary.requests))
end
"""


def other_client(stop, answers):
    """Ask the API twice a second from another address; record each status."""
    while not stop.is_set():
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        connection.sock = socket.create_connection(
            ("127.0.0.1", PORT), timeout=10, source_address=("127.0.0.2", 0)
        )
        try:
            connection.request("GET", "/api/v1/issues/")
            answers.append(connection.getresponse().status)
        except OSError as error:
            answers.append(str(error))
        finally:
            connection.close()
        stop.wait(0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    options = parser.parse_args()
    wrk = ensure_wrk()
    redis = redis_server(REDIS_PORT)
    wait_for_port(REDIS_PORT)
    workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
    threads = int(os.environ.get("GUNICORN_THREADS", "4"))
    try:
        with serving.scratch_database(options.server, "kb_rate_drill", ["load_seed"]) as env:
            env = {
                **env,
                "API_RATE": f"{RATE}/minute",
                "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
                "TRUSTED_PROXIES": "0",
            }
            log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - read after the server stops
            with serving.gunicorn(env, PORT, log):
                stop, answers = threading.Event(), []
                watcher = threading.Thread(target=other_client, args=(stop, answers))
                with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                    script.write(WRK_SCRIPT)
                watcher.start()
                started = time.monotonic()
                result = subprocess.run(
                    [
                        wrk,
                        "--threads",
                        "2",
                        "--connections",
                        "50",
                        "--duration",
                        f"{options.seconds}s",
                        "--script",
                        script.name,
                        "--latency",
                        f"http://127.0.0.1:{PORT}",
                    ],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                elapsed = time.monotonic() - started
                stop.set()
                watcher.join()
                os.unlink(script.name)
            log.seek(0)
            warnings = [line.strip() for line in log if "WARNING" in line or "ERROR" in line]
    finally:
        redis.terminate()
    total = json.loads(result.stdout.strip().splitlines()[-1])["requests"]
    refused = 0
    for line in result.stdout.splitlines():
        if "Non-2xx or 3xx responses:" in line:
            refused = int(line.split(":")[1])
    served = total - refused
    bound = RATE + workers * threads
    others_refused = [status for status in answers if status != 200]
    print(
        f"{total:,} requests from 50 connections rotating X-Forwarded-For in {elapsed:.0f} s: "
        f"{served} answered, {refused:,} refused (bound {RATE} + {workers}×{threads} = {bound})"
    )
    print(f"the other client: {len(answers)} requests, {len(others_refused)} refused")
    for line in warnings[:10]:
        print("server:", line)
    failed = served > bound or others_refused
    print("rate drill:", "FAILED" if failed else "passed")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
