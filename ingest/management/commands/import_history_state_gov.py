"""manage.py import_history_state_gov: the Office of the Historian's visits and travels."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actors.models import Actor, ActorAlias, ActorRole
from claims.models import Claim
from core.db import analyze
from ingest.history_state_gov import DATA_DIR, HistoryStateGovImport
from ingest.history_state_gov.kinds import kind_coverage
from ingest.history_state_gov.records import DATASET
from sources.models import SourceDocument
from visits.models import Participation, Visit


class Command(BaseCommand):
    help = (
        "Import the U.S. Office of the Historian's visits by foreign leaders and travels of "
        "presidents and secretaries of state (XML, public domain). Re-runs update only the "
        "records changed since, and keep what curators edited (reported as conflicts)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--visits",
            metavar="DIR",
            default=str(DATA_DIR / "visits"),
            help="Folder of the visits data (its data/*.xml). Default: %(default)s",
        )
        parser.add_argument(
            "--travels",
            metavar="DIR",
            default=str(DATA_DIR / "travels"),
            help="Folder of the travels data (president-travels/, secretary-travels/). "
            "Default: %(default)s",
        )

    def handle(self, *args, visits, travels, verbosity, **options):
        for label, path in (("--visits", visits), ("--travels", travels)):
            if not Path(path).is_dir():
                raise CommandError(f"{label}: no folder at {path}")
        progress = self.stdout.write if verbosity >= 1 else None
        result = HistoryStateGovImport(visits, travels, progress=progress).run()
        if result.created or result.updated:
            analyze(Actor, ActorAlias, ActorRole, Visit, Participation, SourceDocument, Claim)

        for problem in result.problems:
            self.stderr.write(f"reported: {problem}")
        if verbosity >= 1:
            for conflict in result.conflicts:
                self.stdout.write(self.style.WARNING(f"conflict: {conflict}"))
        self.stdout.write("")
        for stats in result.collections:
            self.stdout.write(f"{stats.label}: {stats.records:,} records — {stats.line()}")
        others = ", ".join(f"{key} {value:,}" for key, value in sorted(result.totals.items()))
        self.stdout.write(others or "no actors, roles, sources or claims changed")
        imported = Visit.objects.filter(dataset=DATASET)
        named, read = kind_coverage(imported.values_list("record_text", "kind").iterator())
        if named:
            self.stdout.write(
                f"kind of visit: read for {read:,} of the {named:,} imported visits whose "
                f"record names one ({read / named:.1%})"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {result.seconds:.1f} s: {result.created:,} rows created, "
                f"{result.updated:,} updated, {len(result.conflicts):,} conflicts kept, "
                f"{len(result.problems):,} problems reported."
            )
        )
