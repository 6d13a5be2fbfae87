"""Page cache drill: two gunicorn workers stay right after writes from other processes; Redis down.

1. gunicorn with two workers, each with its page cache in its own memory, serves a scratch
   PostgreSQL database with the seed knowledge base. Every page is asked for until both workers
   have kept it; then each kind of write is made by another process (`manage.py shell`: an
   edit, a publish, an unpublish, a delete, a bulk update, an import, a merge of actors).
   After a write that hides something (an unpublish, a delete, a merge, which deletes an
   actor) every response, from either worker, must show the change; after the others, every
   response once the page of the new version is rendered (in the background, within
   SETTLE_SECONDS; the page before stands in meanwhile).
2. The same with the page cache in a throwaway Redis server: while clients keep asking, Redis
   is stopped (every answer must still be 200, from the database) and started again (pages
   are kept and served from Redis again).

Exits non-zero on any failure.

    .venv/bin/python bench/cache_drill.py --server postgres://postgres@127.0.0.1:5432
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from bench import serving  # noqa: E402

WEB_PORT = 8768
REDIS_PORT = 56379
DATABASE = "kb_cache_drill"
#: Requests per check: with two workers, enough that both answer.
ASKS = 8
#: Writes that hide something: the very next answer shows them.
HIDING = {"unpublish", "delete", "merge"}
#: Seconds within which the others reach every reader.
SETTLE_SECONDS = 2

failures = []


def check(condition, label):
    print(f"{'ok  ' if condition else 'FAIL'}  {label}", flush=True)
    if not condition:
        failures.append(label)


def get(path, timeout=15):
    """Return (status, body, headers) of a GET on the drill's server."""
    return serving.get(WEB_PORT, path, timeout)


def shell(env, code):
    """Run `code` in `manage.py shell`: a write from a process other than the server's."""
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-v0", "-c", code], cwd=ROOT, env=env, check=True, text=True
    )


def kept_by_both(path):
    """Ask for `path` until several answers come from the cache; return the last body."""
    hits, body = 0, ""
    for _ in range(ASKS * 3):
        status, body, headers = get(path)
        if status != 200:
            break
        hits += headers.get("X-Page-Cache") == "hit"
        if hits >= ASKS:
            break
    return hits, body


def settled(path, shown=None, gone=None):
    """Wait (at most SETTLE_SECONDS) until answers of `path`, from every worker, show the change."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while time.monotonic() < deadline and not every_answer(path, shown, gone):
        time.sleep(0.05)


def every_answer(path, shown=None, gone=None):
    """Return whether ASKS answers of `path` all show `shown` and none shows `gone`."""
    for _ in range(ASKS):
        status, body, _headers = get(path)
        if status != 200 or (shown and shown not in body) or (gone and gone in body):
            return False
    return True


def writes(first_visit, second_visit):
    """Return (label, code run in another process, {path: (shown, gone)}) for each write."""
    title, slug = first_visit["title"], first_visit["slug"]
    other_title, other_slug = second_visit["title"], second_visit["slug"]
    article = Path(tempfile.mkdtemp(prefix="kb-drill-")) / "border-talks.txt"
    article.write_text(
        "Border talks resume in Torkham\n\nBy Staff Reporter\n\nOfficials from both sides met "
        "at the Torkham crossing on Monday to resume talks on trade and refugees.\n",
        encoding="utf-8",
    )
    visit = "from visits.models import Visit\n"
    return [
        (
            "edit",
            f"{visit}v = Visit.objects.get(slug={slug!r}); v.title = 'Drill: edited title'; "
            "v.save()",
            {"/visits/": ("Drill: edited title", title), f"/visits/{slug}/": ("Drill:", None)},
        ),
        (
            "unpublish",
            f"{visit}v = Visit.objects.get(slug={slug!r}); v.publication_status = 'draft'; "
            "v.save()",
            {"/visits/": (None, "Drill: edited title"), "/search/?q=drill": (None, "Drill:")},
        ),
        (
            "publish",
            f"{visit}v = Visit.objects.get(slug={slug!r}); v.publication_status = 'published'; "
            "v.save()",
            {"/visits/": ("Drill: edited title", None), "/search/?q=drill": ("Drill:", None)},
        ),
        (
            "bulk update",
            f"{visit}Visit.objects.filter(slug__in=[{slug!r}, {other_slug!r}])"
            ".update(summary='Drill bulk summary', title='Drill: bulk')",
            {
                "/visits/": ("Drill: bulk", other_title),
                "/visits/?format=csv": ("Drill: bulk", None),
            },
        ),
        (
            "delete",
            "from claims.models import Claim; "
            f"Claim.objects.filter(visit__slug={slug!r}).delete(); "
            f"{visit}Visit.objects.filter(slug={slug!r}).delete()",
            {f"/visits/{slug}/": ("", None), "/visits/?format=json": (None, f'"{slug}"')},
        ),
        (
            "import",
            "from django.core.management import call_command; "
            f"call_command('import_articles', {str(article)!r}, '--publish', verbosity=0)",
            {"/sources/": ("Border talks resume in Torkham", None)},
        ),
        (
            "merge",
            "from actors.models import Actor; from actors.services import actor_merge; "
            "keep = Actor.objects.get(slug='imran-khan'); "
            "other = Actor.objects.create(name='Drill Niazi', slug='drill-niazi', "
            "publication_status='published'); "
            "actor_merge(keep=keep, other=other)",
            {"/actors/imran-khan/": ("Drill Niazi", None)},
        ),
    ]


def drill_two_workers(env):
    print("== Two workers, each with its own page cache; writes from other processes ==")
    with serving.gunicorn({**env, "WEB_CONCURRENCY": "2"}, WEB_PORT):
        rows = json.loads(get("/visits/?format=json")[1])
        rows = rows["results"] if isinstance(rows, dict) else rows
        for label, code, expected in writes(rows[0], rows[1]):
            for path in expected:
                hits, _ = kept_by_both(path)
                check(hits >= 1, f"before {label}: {path} is served from the cache")
            shell(env, code)
            for path, (shown, gone) in expected.items():
                if label not in HIDING:
                    settled(path, shown, gone)
                if label == "delete" and path.endswith(f"/{rows[0]['slug']}/"):
                    statuses = {get(path)[0] for _ in range(ASKS)}
                    check(statuses == {404}, f"after {label}: {path} answers 404 from both")
                    continue
                when = (
                    "every answer"
                    if label in HIDING
                    else f"within {SETTLE_SECONDS} s, every answer"
                )
                check(
                    every_answer(path, shown, gone),
                    f"after {label}: {when} of {path} shows the change",
                )


def redis_server():
    """Start a throwaway Redis on REDIS_PORT; return the process."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is needed for the drill: apt-get install redis-server")
    process = subprocess.Popen(
        [binary, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process


def drill_redis_outage(env):
    print("== Page cache in Redis; Redis stopped under load, then started again ==")
    env = {**env, "WEB_CONCURRENCY": "2", "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0"}
    paths = ["/", "/visits/", "/actors/", "/claims/", "/search/?q=kabul", "/issues/"]
    statuses, stop_load = [], threading.Event()

    def load():
        while not stop_load.is_set():
            for path in paths:
                try:
                    statuses.append(get(path)[0])
                except OSError as error:
                    statuses.append(str(error))

    redis = redis_server()
    try:
        with serving.gunicorn(env, WEB_PORT):
            for path in paths:
                get(path)
            check(all(get(path)[2].get("X-Page-Cache") == "hit" for path in paths), "Redis serves")
            clients = [threading.Thread(target=load) for _ in range(4)]
            for client in clients:
                client.start()
            time.sleep(2)
            stopped_at = len(statuses)
            redis.terminate()
            redis.wait(timeout=10)
            print("-- Redis stopped")
            time.sleep(4)
            down = len(statuses)
            redis = redis_server()
            print("-- Redis started again")
            time.sleep(8)  # past PAGE_CACHE_RETRY_SECONDS
            stop_load.set()
            for client in clients:
                client.join()
            errors = [status for status in statuses if status != 200]
            check(
                not errors,
                f"{len(statuses)} answers under load, {down - stopped_at} of them while Redis was "
                f"down: {len(errors)} errors {errors[:5]}",
            )
            for path in paths:
                get(path)
            check(
                all(get(path)[2].get("X-Page-Cache") == "hit" for path in paths),
                "after Redis came back, pages are served from it again",
            )
    finally:
        stop_load.set()
        redis.terminate()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    options = parser.parse_args()
    with serving.scratch_database(options.server, DATABASE, ["load_seed"]) as env:
        drill_two_workers(env)
        drill_redis_outage(env)
    if failures:
        print(f"cache drill: {len(failures)} checks failed")
        raise SystemExit(1)
    print("cache drill: all checks passed")


if __name__ == "__main__":
    main()
