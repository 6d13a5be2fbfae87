"""Claims' quotes anchored again when their source's text changes (see core.anchors)."""

from claims.models import Claim
from core import anchors
from core.text import normalise


def claims_reanchor(*, source) -> int:
    """Anchor the claims of `source` in its current body; return how many are orphaned.

    Each claim is found again by its stored context; one no longer found is marked orphaned
    (kept, not deleted, not moved). Claims are read in their old order, so that the shift
    of the text before one tells where to look for the next without searching the whole.
    """
    text = source.normalised_body
    claims = (
        Claim.objects.filter(source=source)
        .order_by("quote_start", "pk")
        .only("source_id", "quote", *Claim.anchor_fields)
    )
    changed, orphaned, shift = [], 0, 0
    for claim in claims.iterator(2000):
        if claim.quote_start is None:
            anchor = anchors.place(text, normalise(claim.quote))
        else:
            anchor = claim.found_again(text, expected=claim.quote_start + shift)
            if anchor is not None:
                shift = anchor.start - claim.quote_start
        if claim.set_anchor(anchor):
            changed.append(claim)
        orphaned += claim.is_orphaned
    Claim.objects.bulk_update(changed, Claim.anchor_fields, batch_size=1000)
    return orphaned


def reanchor_after_body_change(sender, source, **kwargs):
    """Receive sources.signals.body_changed: anchor the source's claims again."""
    claims_reanchor(source=source)
