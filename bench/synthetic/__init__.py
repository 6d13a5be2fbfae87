"""Synthetic knowledge bases of realistic shape, for benchmarks at scale.

Shapes: leaders' visit counts follow a Zipf law (a few leaders travel a lot), some visits carry
hundreds of claims, article bodies run to several thousand characters, every claim quotes a
sentence of its source, every public filter has values to match, and about 5% of rows are drafts.

Rows are written in bulk: PostgreSQL's COPY where available, multi-row INSERTs elsewhere. No
history rows are written for synthetic data. The stored columns that save() keeps (which rows
are public, a claim's source date) are computed here as the rows are made, then checked by
core.visibility over the new rows before the transaction commits.

    .venv/bin/python -m bench.synthetic --visits 1000 --claims 10000 --sources 1000 --seed 1
"""

__all__ = ["SyntheticDataError", "generate"]


class SyntheticDataError(ValueError):
    """Sizes or a seed that cannot be generated; str(error) says why."""


def generate(*, visits=1000, claims=10000, sources=1000, seed=1, progress=None):
    """Add synthetic rows to the database; return the builder's Counts (rows per table, seconds)."""
    # Imported here, not at the top: `python -m bench.synthetic` imports this package before it
    # has set Django up, and the builder imports the models.
    from actors.models import Actor
    from bench.synthetic.builder import SyntheticBuilder

    for name, value in [("visits", visits), ("claims", claims), ("sources", sources)]:
        if value < 0:
            raise SyntheticDataError(f"--{name} must be zero or more (got {value}).")
    if claims and not sources:
        raise SyntheticDataError("Claims need sources: give --sources 1 or more.")
    if (claims or sources) and not visits:
        raise SyntheticDataError("Sources and claims refer to visits: give --visits 1 or more.")
    if Actor.objects.filter(slug__startswith=f"s{seed}-").exists():
        raise SyntheticDataError(
            f"Synthetic data with seed {seed} is already in this database; use another --seed."
        )
    builder = SyntheticBuilder(
        visits=visits, claims=claims, sources=sources, seed=seed, progress=progress
    )
    return builder.build()
