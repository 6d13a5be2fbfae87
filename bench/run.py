"""The benchmark: public pages, search, the 1M-claim CSV export, admin changelists and the import.

Runs on one PostgreSQL database and measures each page next to the limit — the time of that page's
own SQL run directly, and COPY for the export. Prints a table and writes it to bench/RESULTS.md.

    make bench                      # BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/kb_bench
    .venv/bin/python bench/run.py --visits 100000 --claims 1000000 --sources 100000

The database is filled to the requested size first (seed, Office of the Historian data, then
synthetic rows from bench.synthetic); an already filled database is reused.
"""

import argparse
import datetime
import os
import platform
import secrets
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.export import copy_claims, dsn, export_through_gunicorn  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kb_bench"
#: The median a public list page may take at 100k visits / 1M claims, in seconds.
LIST_TARGET = 0.080
#: Runs of a list page's first view after a curator's save.
FIRST_VIEW_RUNS = 3
#: The median of a page answered from the page cache, in seconds.
WARM_TARGET = 0.003
RESULTS = ROOT / "bench" / "RESULTS.md"
PYTHON = sys.executable


def configure(url):
    """Point Django at the benchmark database with production settings (pool on, debug off)."""
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", secrets.token_urlsafe(50)),
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_DB_POOL="1",
        API_RATE="0",  # every request comes from one address
        PAGE_CACHE_RENDER_AHEAD="0",  # each page is rendered by the request timed
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()


def manage(*args, env=None):
    """Run a management command in a child process; return its wall time in seconds."""
    return run_python("manage.py", *args, env=env)


def run_python(*args, env=None):
    """Run Python with `args` (a script or -m module) in a child process; return its wall time."""
    started = time.monotonic()
    subprocess.run([PYTHON, *args], cwd=ROOT, check=True, env=env or os.environ)
    return time.monotonic() - started


def fill(visits, claims, sources):
    """Top the database up to the requested size; return the counts it then has."""
    from claims.models import Claim
    from sources.models import SourceDocument
    from visits.models import Visit

    manage("migrate", "-v0")
    # Production settings serve hashed static files: the manifest must exist.
    manage("collectstatic", "--noinput", "-v0")
    if not SourceDocument.objects.filter(external_id__startswith="seed:").exists():
        manage("load_seed", "-v0")
    if not Visit.objects.exclude(dataset="").exists():
        manage("import_history_state_gov", "-v0")
    missing = {
        "visits": visits - Visit.objects.count(),
        "claims": claims - Claim.objects.count(),
        "sources": sources - SourceDocument.objects.count(),
    }
    if any(value > 0 for value in missing.values()):
        seed = 100 + int(time.time()) % 10000
        print(f"filling: {missing} (synthetic seed {seed})", flush=True)
        run_python(
            "-m",
            "bench.synthetic",
            *[f"--{name}={max(value, 1)}" for name, value in missing.items()],
            f"--seed={seed}",
        )
    vacuum()
    return {
        "visits": Visit.objects.count(),
        "claims": Claim.objects.count(),
        "sources": SourceDocument.objects.count(),
    }


def vacuum():
    """VACUUM ANALYZE: what autovacuum does on a production server (it is off on these machines).

    After a migration or a bulk load, the planner needs fresh statistics, and index-only scans
    need the pages marked all-visible; a database otherwise measures its own housekeeping.
    """
    import psycopg
    from django.db import connection

    started = time.monotonic()
    with psycopg.connect(dsn(connection.settings_dict), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"VACUUM ANALYZE: {time.monotonic() - started:.1f} s", flush=True)


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(value):
    return f"{value * 1000:.0f}"


def uncached_client():
    """Return a test client whose requests go through no page cache, as before there was one."""
    from django.test import Client, override_settings

    client = Client()
    with override_settings(PAGE_CACHE=False):
        client.get("/healthz")  # the client sets its middleware up on its first request
    return client


def first_views(client, path, runs=FIRST_VIEW_RUNS):
    """Return the times of a list page seen first after a curator saves a claim.

    The save (a claim's status changed through save(), as the admin does) makes a new data
    version: the page is rendered again, its counts brought up to date in the blocks the save
    touched (core.lists.tally). Rendered by the request itself (PAGE_CACHE_RENDER_AHEAD is
    off here), not the page before standing in.
    """
    import random

    from claims.models import Claim, ClaimStatus
    from core import dataversion

    times = []
    rng = random.Random(path)
    last = Claim.objects.order_by("-pk").values_list("pk", flat=True).first()
    for _ in range(runs):
        claim = None
        while claim is None:
            claim = Claim.objects.filter(pk=rng.randint(1, last), is_public=True).first()
        claim.status = rng.choice([s for s in ClaimStatus.values if s != claim.status])
        before = dataversion.current().version
        claim.save()
        while dataversion.current().version == before:  # heard by this process's listener
            time.sleep(0.001)
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return times


def counted_afresh(client, path):
    """Return the time of a list page whose counts are all gone (after a deploy, or an
    emptied cache): every block of its result counted again."""
    from django.core.cache import cache

    from core.pagecache import clear_page_cache

    clear_page_cache()
    cache.clear()
    started = time.perf_counter()
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return time.perf_counter() - started


def page_and_sql(client, path, runs, uncached=None):
    """Return (cold times, warm times, own-SQL times, query count, cache-off times) of a page.

    Cold: the page cache emptied before each request, so the page is rendered from the
    database (its counts kept from an earlier view of the same filters; see first_views).
    Warm: the same request answered from the page cache. Cache off (with an `uncached`
    client): rendered without the page cache at all, as before it existed.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.pagecache import clear_page_cache

    def get():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if response.streaming:
            for _ in response.streaming_content:
                pass

    get()  # a first view: the list's counts are kept from now on (see first_views)
    clear_page_cache()
    with CaptureQueriesContext(connection) as captured:
        get()
    statements = [query["sql"] for query in captured.captured_queries]

    def run_sql():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()

    # Page and SQL in turn, so that both see the machine in the same state: on a shared
    # machine the speed drifts from one second to the next.
    for _ in range(2):
        clear_page_cache()
        get()
        run_sql()
    cold, warm, sql, off = [], [], [], []
    for _ in range(runs):
        if uncached is not None:
            started = time.perf_counter()
            response = uncached.get(path)
            off.append(time.perf_counter() - started)
            assert "X-Page-Cache" not in response
        clear_page_cache()
        started = time.perf_counter()
        get()
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        get()
        warm.append(time.perf_counter() - started)
        started = time.perf_counter()
        run_sql()
        sql.append(time.perf_counter() - started)
    return cold, warm, sql, len(statements), off


def api_pages(client, runs):
    """Time the claims API's first page and a page reached by cursor near the end of the list.

    The cursor is made from the row 1,000 before the end (found once, by OFFSET); a page from
    there must cost what the first page costs (target: at most twice).
    """
    from api.pagination import encode_cursor
    from claims.models import Claim

    ordered = Claim.objects.published().order_by("-source_date", "-pk")
    total = ordered.count()
    day, pk = ordered.values_list("source_date", "pk")[max(0, total - 1000)]
    cursor = encode_cursor(["-date", day.isoformat() if day else None, pk])
    results = []
    for size in (50, 500):
        first = page_and_sql(client, f"/api/v1/claims/?page_size={size}", runs)
        deep = page_and_sql(client, f"/api/v1/claims/?page_size={size}&cursor={cursor}", runs)
        first_ms, deep_ms = statistics.median(first[0]), statistics.median(deep[0])
        results.append(
            [
                str(size),
                ms(first_ms),
                f"{total - 1000:,}",
                ms(deep_ms),
                f"{deep_ms / first_ms:.2f}×",
                verdict(deep_ms <= 2 * first_ms),
            ]
        )
        print(
            f"  claims API, {size} a page: first {ms(first_ms)} ms, after {total - 1000:,} "
            f"claims {ms(deep_ms)} ms",
            flush=True,
        )
    return results


def sample_filters():
    """Return realistic filter values: the busiest leader's busiest year and issue, etc."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from actors.models import Actor
    from actors.views import ActorListView
    from claims.models import Claim
    from sources.models import SourceDocument
    from visits.models import Issue, Visit

    visits = Visit.objects.published()
    top = (
        visits.filter(issues__isnull=False)
        .values("visitor__slug", "issues__slug")
        .annotate(year=ExtractYear("start_date"), n=Count("id"))
        .order_by("-n")
        .first()
    )
    issue = Issue.objects.published().annotate(n=Count("claims")).order_by("-n").first()
    claims = Claim.objects.published().count()
    actors = Actor.objects.published().count()
    leader = Actor.objects.get(slug=top["visitor__slug"])
    source_year = (
        SourceDocument.objects.published()
        .exclude(published_date=None)
        .annotate(year=ExtractYear("published_date"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["year"]
    )
    return {
        "leader": top["visitor__slug"],
        "year": top["year"],
        "visit_issue": top["issues__slug"],
        "claim_issue": issue.slug,
        "deep_page": max(2, claims // 50 // 2),
        "leader_country": leader.country.slug if leader.country_id else "",
        "source_year": source_year,
        "source_deep_page": max(2, SourceDocument.objects.published().count() // 25 // 2),
        # The middle of the list, whatever the page size.
        "actor_deep_page": max(2, actors // 2 // ActorListView.paginate_by),
        # Detail pages: the busiest leader, issue, and a visit, claim and source of theirs.
        "leader_path": leader.get_absolute_url(),
        "issue_path": issue.get_absolute_url(),
        "visit_path": visits.filter(visitor=leader)
        .order_by("-start_date")
        .first()
        .get_absolute_url(),
        "claim_path": Claim.objects.published()
        .filter(issues=issue)
        .order_by("-pk")
        .first()
        .get_absolute_url(),
        "source_path": SourceDocument.objects.published()
        .order_by("-pk")
        .first()
        .get_absolute_url(),
    }


def public_pages(client, uncached, runs, filters):
    """Measure the public list and detail pages, cold and warm; return table rows."""
    pages = [
        (
            "visits: leader+year+issue",
            f"/visits/?leader={filters['leader']}&year={filters['year']}&issue={filters['visit_issue']}",
        ),
        ("visits: first page", "/visits/"),
        ("visits: deep page", "/visits/?page=1000"),
        ("claims: issue+status", f"/claims/?issue={filters['claim_issue']}&status=disputed"),
        ("claims: first page", "/claims/"),
        ("claims: deep page", f"/claims/?page={filters['deep_page']}"),
        ("sources: first page", "/sources/"),
        ("sources: kind+year", f"/sources/?kind=news&year={filters['source_year']}"),
        ("sources: deep page", f"/sources/?page={filters['source_deep_page']}"),
        ("actors: first page", "/actors/"),
        ("actors: kind+country", f"/actors/?kind=person&country={filters['leader_country']}"),
        ("actors: deep page", f"/actors/?page={filters['actor_deep_page']}"),
        ("issues: list", "/issues/"),
    ]
    details = [
        ("visit page", filters["visit_path"]),
        ("actor page (busiest leader)", filters["leader_path"]),
        ("issue page (busiest issue)", filters["issue_path"]),
        ("claim page", filters["claim_path"]),
        ("source page", filters["source_path"]),
    ]
    rows = []
    for label, path in pages + details:
        cold, warm, sql, queries, off = page_and_sql(client, path, runs, uncached)
        median, own, hit = statistics.median(cold), statistics.median(sql), statistics.median(warm)
        is_list = (label, path) in pages
        first = ms(statistics.median(first_views(client, path))) if is_list else "–"
        afresh = ms(counted_afresh(client, path)) if is_list else "–"
        rows.append(
            [
                label,
                path,
                ms(median),
                ms(p95(cold)),
                ms(statistics.median(off)),
                first,
                afresh,
                f"{hit * 1000:.1f}",
                ms(own),
                f"{median / own:.1f}×" if own else "–",
                str(queries),
                verdict((median <= LIST_TARGET or not is_list) and hit <= WARM_TARGET),
            ]
        )
        print(
            f"  {label:28} cold {ms(median):>5} ms  p95 {ms(p95(cold)):>5} ms  "
            f"cache off {ms(statistics.median(off)):>5} ms  after a save {first:>5} ms  "
            f"counted afresh {afresh:>5} ms  "
            f"warm {hit * 1000:5.1f} ms  "
            f"own SQL {ms(own):>5} ms  ({queries} queries)",
            flush=True,
        )
    return rows


def search(client, runs):
    queries = ["kabul", "kashmir mediation", '"prime minister" -trump']
    rows = []
    for text in queries:
        path = "/search/?" + urllib.parse.urlencode({"q": text})
        cold, warm, _, _, _ = page_and_sql(client, path, runs)
        hit = statistics.median(warm)
        rows.append(
            [
                text,
                ms(statistics.median(cold)),
                ms(p95(cold)),
                f"{hit * 1000:.1f}",
                verdict(p95(cold) <= 0.150 and hit <= WARM_TARGET),
            ]
        )
        print(
            f"  search {text!r:28} cold {ms(statistics.median(cold))} ms  "
            f"p95 {ms(p95(cold))} ms  warm {hit * 1000:.1f} ms",
            flush=True,
        )
    return rows


def admin_pages(client, runs):
    pages = [
        ("claims: first page", "/admin/claims/claim/"),
        ("claims: filtered", "/admin/claims/claim/?status__exact=disputed&kind__exact=allegation"),
        ("claims: searched", "/admin/claims/claim/?q=kabul"),
        ("visits: first page", "/admin/visits/visit/"),
        (
            "visits: filtered",
            "/admin/visits/visit/?kind__exact=state&publication_status__exact=published",
        ),
        ("visits: searched", "/admin/visits/visit/?q=sharif"),
    ]
    rows = []
    for label, path in pages:
        # Staff are never served from the page cache: every request is rendered.
        server, _, _, queries, _ = page_and_sql(client, path, runs)
        median = statistics.median(server)
        rows.append([label, ms(median), ms(p95(server)), str(queries), verdict(median <= 0.300)])
        print(f"  admin {label:24} median {ms(median)} ms", flush=True)
    return rows


def psql(url, sql):
    """Run one statement with psql on `url`; return the values it prints, one per line."""
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    result = subprocess.run(
        ["psql", url, "-qtAc", sql], check=True, capture_output=True, text=True, env=env
    )
    return result.stdout.split()


def server_sql(server_url, sql):
    """Run one statement on the server's `postgres` database (CREATE/DROP DATABASE)."""
    base, _, _ = server_url.rpartition("/")
    return psql(f"{base}/postgres", sql)


def ensure_database(server_url):
    """Create the benchmark database when the server does not have it yet."""
    name = urllib.parse.urlsplit(server_url).path.lstrip("/")
    if name not in server_sql(server_url, "SELECT datname FROM pg_database"):
        print(f"creating database {name}", flush=True)
        server_sql(server_url, f'CREATE DATABASE "{name}"')


def import_speed(server_url):
    """Return (records, seconds) of a first Office of the Historian import into a new database."""
    base, _, _ = server_url.rpartition("/")
    scratch = f"{base}/kb_bench_import"
    server_sql(server_url, "DROP DATABASE IF EXISTS kb_bench_import")
    server_sql(server_url, "CREATE DATABASE kb_bench_import")
    child = {**os.environ, "DATABASE_URL": scratch}
    manage("migrate", "-v0", env=child)
    seconds = manage("import_history_state_gov", "-v0", env=child)
    [records] = psql(scratch, "SELECT count(*) FROM visits_visit")
    server_sql(server_url, "DROP DATABASE kb_bench_import")
    return int(records), seconds


def verdict(met):
    """Return how a row reads against the issue's targets."""
    return "met" if met else "**not met**"


def table(headers, rows):
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    python = platform.python_version()
    return f"{os.cpu_count()} × {cpu}, {memory:.0f} GiB RAM, PostgreSQL {version}, Python {python}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--visits", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-import", action="store_true", help="Do not time the import.")
    parser.add_argument(
        "--fill-only", action="store_true", help="Fill the database to size, then stop."
    )
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="Time the public pages only and print them (RESULTS.md is left as it is).",
    )
    options = parser.parse_args()
    if not options.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmark runs on PostgreSQL: give a postgres:// --database-url.")

    ensure_database(options.database_url)
    configure(options.database_url)
    from django.contrib.auth import get_user_model
    from django.test import Client

    sizes = fill(options.visits, options.claims, options.sources)
    print(f"data: {sizes}", flush=True)
    if options.fill_only:
        return
    public = Client()
    admin_client = Client()
    admin_user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    admin_client.force_login(admin_user)

    filters = sample_filters()
    print("public pages:", flush=True)
    page_rows = public_pages(public, uncached_client(), options.runs, filters)
    if options.pages_only:
        return
    print("API:", flush=True)
    api_rows = api_pages(public, options.runs)
    print("search:", flush=True)
    search_rows = search(public, options.runs)
    print("admin:", flush=True)
    admin_rows = admin_pages(admin_client, max(5, options.runs // 2))
    print("export:", flush=True)
    copy_rows, copy_seconds = copy_claims()
    rows, seconds, first_byte, peak, slowest, asked, failed = export_through_gunicorn(
        options.database_url
    )
    export_row = [
        f"{rows:,}",
        f"{seconds:.1f}",
        f"{rows / seconds:,.0f}",
        f"{first_byte:.2f}",
        f"{peak:.0f}",
        f"{copy_rows:,}",
        f"{copy_rows / copy_seconds:,.0f}",
        f"{(rows / seconds) / (copy_rows / copy_seconds):.0%}",
        f"{asked - len(failed)} of {asked}, slowest {slowest * 1000:.0f} ms",
        verdict(
            (rows / seconds) >= 0.4 * (copy_rows / copy_seconds)
            and first_byte <= 1
            and peak <= 250
            and rows == copy_rows
            and not failed
        ),
    ]
    print(
        f"  CSV {rows:,} rows in {seconds:.1f} s, first row {first_byte:.2f} s, "
        f"peak {peak:.0f} MB; COPY {copy_rows:,} rows in {copy_seconds:.1f} s; other pages "
        f"meanwhile: {asked - len(failed)} of {asked} answered, slowest {slowest * 1000:.0f} ms",
        flush=True,
    )
    import_row = None
    if not options.skip_import:
        records, import_seconds = import_speed(options.database_url)
        import_row = [f"{records:,}", f"{import_seconds:.1f}", f"{records / import_seconds:,.0f}"]
        print(f"  import {records:,} records in {import_seconds:.1f} s", flush=True)

    report = [
        "# Benchmark results",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {machine()}",
        f"- Data: {sizes['visits']:,} visits, {sizes['claims']:,} claims, "
        f"{sizes['sources']:,} sources",
        "- Server time: Django's test client in-process, production settings (pool on, debug "
        f"off), {options.runs} runs after 2 warm-ups. Cold: the page cache emptied before each "
        "request (rendered from the database); warm: the same request again, from the page "
        "cache. Cache off: the same page with no page cache at all, as before there was one. "
        "After a save (lists): the first view after a curator saves a claim (a new data "
        "version; the counts brought up to date in the blocks the save touched; median of "
        f"{FIRST_VIEW_RUNS}). Counted afresh: the page with every kept count gone (after a "
        "deploy): its whole result and facets counted again, once. "
        "Own SQL: the cold page's captured queries re-run directly on the same "
        "connection, each run right after a request for the page.",
        "- Command: `make bench` (`bench/run.py`)",
        "",
        f"Targets: public list pages cold median ≤ {LIST_TARGET * 1000:.0f} ms (× own SQL is "
        f"shown, not a target); every public page warm median ≤ {WARM_TARGET * 1000:.0f} ms; "
        "search cold p95 ≤ 150 ms; CSV ≥ 40% of COPY's rows/s, first row ≤ 1 s, peak ≤ 250 MB, "
        "other pages answering while it streams; admin changelists ≤ 300 ms.",
        "",
        "## Public pages (ms)",
        "",
        table(
            [
                "page",
                "path",
                "cold median",
                "cold p95",
                "cache off median",
                "after a save median",
                "counted afresh",
                "warm median",
                "own SQL",
                "× own SQL",
                "queries",
                "target",
            ],
            page_rows,
        ),
        "",
        "## API: the claims list by cursor (ms, cold: the page cache emptied before each request)",
        "",
        "Throughput of the API beside the HTML lists under concurrent load: `bench/load.py` "
        "(kinds `list` and `api`).",
        "",
        table(
            ["rows a page", "first page", "cursor after", "page there", "ratio", "target ≤ 2×"],
            api_rows,
        ),
        "",
        "## Search (ms)",
        "",
        table(["query", "cold median", "cold p95", "warm median", "target"], search_rows),
        "",
        "## CSV export of every claim (through gunicorn as the Dockerfile runs it)",
        "",
        table(
            [
                "rows",
                "seconds",
                "rows/s",
                "first row s",
                "peak MB",
                "COPY rows",
                "COPY rows/s",
                "% of COPY",
                "other pages meanwhile",
                "target",
            ],
            [export_row],
        ),
        "",
        "## Admin changelists (ms)",
        "",
        table(["changelist", "median", "p95", "queries", "target"], admin_rows),
    ]
    if import_row:
        report += [
            "",
            "## Office of the Historian import (first run, empty database)",
            "",
            table(["records", "seconds", "records/s"], [import_row]),
        ]
    RESULTS.write_text("\n".join(report) + "\n")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
