"""Generate a synthetic knowledge base for benchmarks (100k visits / 1M claims in minutes).

    .venv/bin/python -m bench.synthetic --visits 1000 --claims 10000 --sources 1000 --seed 1

Uses the database of DATABASE_URL, as manage.py does. Each --seed gives a different,
reproducible set; a seed can be generated once.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.synthetic",
        description="Add synthetic visits, claims and sources of realistic shape "
        "(bulk inserts, no history).",
    )
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--claims", type=int, default=10000)
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-q", "--quiet", action="store_true", help="Print nothing but errors.")
    options = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench.synthetic import SyntheticDataError, generate

    started = time.monotonic()

    def progress(message):
        if not options.quiet:
            print(f"[{time.monotonic() - started:7.1f} s] {message}", flush=True)

    try:
        counts = generate(
            visits=options.visits,
            claims=options.claims,
            sources=options.sources,
            seed=options.seed,
            progress=progress,
        )
    except SyntheticDataError as error:
        parser.exit(2, f"error: {error}\n")
    if options.quiet:
        return
    total = sum(counts.rows.values())
    rate = total / max(counts.seconds, 0.001)
    print(f"Wrote {total:,} rows in {counts.seconds:.1f} s ({rate:,.0f} rows/s):")
    for table, number in counts.rows.items():
        print(f"  {table:40} {number:>10,}")


if __name__ == "__main__":
    main()
