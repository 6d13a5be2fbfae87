"""Generate a synthetic knowledge base for benchmarks (100k visits / 1M claims in minutes)."""

import time

from django.core.management.base import BaseCommand, CommandError

from actors.models import Actor
from config.synthetic import SyntheticBuilder


class Command(BaseCommand):
    help = (
        "Add synthetic visits, claims and sources of realistic shape (bulk inserts, no history). "
        "Each --seed gives a different, reproducible set; a seed can be generated once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--visits", type=int, default=1000)
        parser.add_argument("--claims", type=int, default=10000)
        parser.add_argument("--sources", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, visits, claims, sources, seed, **options):
        for name, value in [("visits", visits), ("claims", claims), ("sources", sources)]:
            if value < 0:
                raise CommandError(f"--{name} must be zero or more (got {value}).")
        if claims and not sources:
            raise CommandError("Claims need sources: give --sources 1 or more.")
        if (claims or sources) and not visits:
            raise CommandError("Sources and claims refer to visits: give --visits 1 or more.")
        if Actor.objects.filter(slug__startswith=f"s{seed}-").exists():
            raise CommandError(
                f"Synthetic data with seed {seed} is already in this database; use another --seed."
            )

        started = time.monotonic()

        def progress(message):
            elapsed = time.monotonic() - started
            self.stdout.write(f"[{elapsed:7.1f} s] {message}")

        builder = SyntheticBuilder(
            visits=visits, claims=claims, sources=sources, seed=seed, progress=progress
        )
        counts = builder.build()
        total = sum(counts.rows.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {total:,} rows in {counts.seconds:.1f} s "
                f"({total / max(counts.seconds, 0.001):,.0f} rows/s):"
            )
        )
        for table, number in counts.rows.items():
            self.stdout.write(f"  {table:40} {number:>10,}")
