"""manage.py load_seed: load the seed knowledge base from data/seed/*.yaml."""

from django.core.management.base import BaseCommand, CommandError

from actors.models import Actor
from claims.models import Claim
from core.db import analyze
from ingest.seed.loader import SEED_DIR, SeedError, seed_load
from sources.models import SourceDocument
from visits.models import Issue, Visit


class Command(BaseCommand):
    help = (
        "Load the seed knowledge base (actors, issues, visits, the five seed articles and their "
        "claims) from data/seed/. Creates what is missing and leaves existing records as "
        "they are, so it can run on every start; --update overwrites seed records with the "
        "files' values."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite existing seed records with the values in the files "
            "(edits curators made to those records are lost).",
        )
        parser.add_argument(
            "--seed-dir",
            default=str(SEED_DIR),
            help="Folder with actors.yaml, issues.yaml, visits.yaml and sources/*.yaml "
            "(default: %(default)s).",
        )

    def handle(self, *args, **options):
        verbose = options["verbosity"] > 0
        progress = self.stdout.write if verbose else None
        try:
            report = seed_load(
                seed_dir=options["seed_dir"], update=options["update"], progress=progress
            )
        except SeedError as error:
            raise CommandError(f"Nothing was loaded. {error}") from None
        analyze(Actor, Issue, Visit, SourceDocument, Claim)
        if verbose:
            for line in report.lines():
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Seed knowledge base loaded."))
