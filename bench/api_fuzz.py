"""The API fuzzed against its own OpenAPI schema by schemathesis, through gunicorn.

The server holds the seed knowledge base and the Office of the Historian data, plus drafts
(every one named with api_fuzz_hooks.SENTINEL) linked to public records in every way a draft
can be: a draft actor, issue, visit, source and claim; a public claim about a draft issue and
disputed by a draft actor; a public visit to a draft country. Schemathesis calls every
operation with examples drawn from the schema (valid and invalid), and fails on any 5xx, any
response the schema does not describe, and any response that shows a draft.

    .venv/bin/python bench/api_fuzz.py --database sqlite
    .venv/bin/python bench/api_fuzz.py --database postgres://postgres@127.0.0.1:5432

Exits non-zero on any failure.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from bench import serving  # noqa: E402
from bench.api_fuzz_hooks import SENTINEL  # noqa: E402

PORT = 8771
DATABASE = "kb_api_fuzz"
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance,negative_data_rejection,no_drafts"
)


def make_drafts():
    """Add the drafts (in this process's database): run with --make-drafts."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import datetime

    from actors.models import Actor, ActorKind
    from claims.models import Claim, ClaimStatus
    from core.status import PublicationStatus
    from sources.models import SourceDocument
    from visits.models import Issue, Visit

    draft = {"publication_status": PublicationStatus.DRAFT}
    public = {"publication_status": PublicationStatus.PUBLISHED}
    name = SENTINEL.replace("-", " ").title()
    person = Actor.objects.create(name=f"{name} Person", slug=f"{SENTINEL}-person", **draft)
    country = Actor.objects.create(
        name=f"{name} Land", slug=f"{SENTINEL}-land", kind=ActorKind.COUNTRY, **draft
    )
    issue = Issue.objects.create(name=f"{name} Issue", slug=f"{SENTINEL}-issue", **draft)
    visitor = Actor.objects.published().filter(kind=ActorKind.PERSON).first()
    day = datetime.date(2020, 1, 2)
    Visit.objects.create(
        title=f"{name} visit", slug=f"{SENTINEL}-visit", visitor=visitor, start_date=day, **draft
    )
    public_visit = Visit.objects.create(
        title="A visit to a country still in draft",
        slug="visit-to-a-draft-country",
        visitor=visitor,
        destination=country,
        start_date=day,
        **public,
    )
    public_visit.issues.add(issue)
    draft_source = SourceDocument.objects.create(
        title=f"{name} source", slug=f"{SENTINEL}-source", body=f"A {SENTINEL} quote.", **draft
    )
    source = SourceDocument.objects.published().exclude(body="").first()
    source.issues.add(issue)
    source.actors.add(person)
    Claim.objects.create(source=draft_source, quote=f"{SENTINEL} quote", summary=name, **draft)
    claim = Claim.objects.create(
        source=source,
        quote=source.body.split(".")[0][:80],
        summary="A public claim about a draft issue",
        status=ClaimStatus.DISPUTED,
        visit=public_visit,
        **public,
    )
    claim.issues.add(issue)
    claim.actors.add(person)
    claim.disputed_by.add(person)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        default="sqlite",
        help="sqlite, or a PostgreSQL server URL (postgres://user@host:port)",
    )
    parser.add_argument(
        "--max-examples", type=int, default=40, help="Examples per operation and phase."
    )
    parser.add_argument("--seed", default="20261207", help="Schemathesis's random seed.")
    parser.add_argument("--make-drafts", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.make_drafts:
        make_drafts()
        return
    data = (["load_seed"], ["import_history_state_gov"])
    database = (
        serving.scratch_sqlite(*data)
        if options.database == "sqlite"
        else serving.scratch_database(options.database, DATABASE, *data)
    )
    with database as env:
        # No rate limit; and no bound on the request line, which gunicorn, not the application,
        # answers in HTML (the schema's longest lists of values make URLs of tens of KB).
        env = {**env, "API_RATE": "0", "GUNICORN_LIMIT_REQUEST_LINE": "0"}
        subprocess.run([PYTHON, __file__, "--make-drafts"], cwd=ROOT, env=env, check=True)
        with serving.gunicorn(env, PORT):
            status, body, _headers = serving.get(PORT, f"/api/v1/claims/?q={SENTINEL}")
            if status != 200 or SENTINEL in body.lower():
                raise SystemExit(f"The drafts are not hidden before fuzzing: {status} {body[:200]}")
            result = subprocess.run(
                [
                    str(Path(PYTHON).parent / "schemathesis"),
                    "run",
                    f"http://127.0.0.1:{PORT}/api/v1/schema/",
                    "--checks",
                    CHECKS,
                    "--max-examples",
                    str(options.max_examples),
                    "--seed",
                    options.seed,
                    "--no-color",
                ],
                cwd=ROOT,
                env={**env, "SCHEMATHESIS_HOOKS": "bench.api_fuzz_hooks", "PYTHONPATH": str(ROOT)},
                check=False,
            )
    if result.returncode:
        raise SystemExit(f"schemathesis found failures (exit {result.returncode})")
    print("API fuzz: no failures")


if __name__ == "__main__":
    main()
