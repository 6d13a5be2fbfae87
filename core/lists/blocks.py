"""Blocks of ids: a list's counts are kept per block (core.lists.buckets, core.lists.tally)."""

from django.db.models import ExpressionWrapper, F, IntegerField, Q, Value

#: Ids per block: a write makes the lists count again at most this many rows per block touched.
BUCKET_ROWS = 1024


def block_of(column):
    """Return the block of ids (core.lists.buckets) of the id in `column`, as an expression."""
    return ExpressionWrapper(F(column) / Value(BUCKET_ROWS), output_field=IntegerField())


def in_blocks(blocks):
    """Return a Q for the rows whose ids fall in `blocks`."""
    query = Q()
    for block in sorted(blocks):
        query |= Q(pk__gte=block * BUCKET_ROWS, pk__lt=(block + 1) * BUCKET_ROWS)
    return query
