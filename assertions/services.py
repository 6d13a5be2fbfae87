"""Claims a curator may add to an assertion: other sources' claims about the same visit, alike.

Offered, never added without a curator: the change page lists them, most alike first, each
unticked, with how alike it is. Likeness is trigram similarity (PostgreSQL's pg_trgm where it
runs, the same measure computed here elsewhere) of the claim's summary or quote to the
assertion's statement and the summaries of its claims.
"""

import re

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connections, transaction
from django.db.models.functions import Greatest

from assertions.models import AssertionClaim, Relation

#: Claims at least this alike (0–1) are offered.
CANDIDATE_THRESHOLD = 0.15
#: At most this many candidates are offered, most alike first.
CANDIDATE_LIMIT = 10
#: At most this many claims of the visit are compared (a visit has tens, not thousands).
COMPARED_LIMIT = 1000


def trigrams(text):
    """Return the trigrams of `text` as pg_trgm forms them (each word padded "  word ")."""
    found = set()
    for word in re.findall(r"[^\W_]+", text.casefold()):
        padded = f"  {word} "
        found.update(padded[index : index + 3] for index in range(len(padded) - 2))
    return found


def similarity(first, second):
    """Return pg_trgm's similarity of two texts: shared trigrams over all trigrams (0–1)."""
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b) if a and b else 0.0


def candidates(assertion):
    """Return [(claim, likeness)]: other sources' claims about the visit, most alike first."""
    if assertion.visit_id is None:
        return []
    claim_model = AssertionClaim._meta.get_field("claim").related_model
    linked = list(assertion.links.select_related("claim"))
    represented = {link.claim.source_id for link in linked}
    reference = " ".join([assertion.statement, *(link.claim.summary for link in linked)])
    others = (
        claim_model.objects.filter(visit_id=assertion.visit_id)
        .exclude(source_id__in=represented)
        .exclude(assertion_links__assertion=assertion)
        .select_related("source")
    )
    if connections[others.db].vendor == "postgresql":
        scored = (
            others.annotate(
                likeness=Greatest(
                    TrigramSimilarity("summary", reference), TrigramSimilarity("quote", reference)
                )
            )
            .filter(likeness__gte=CANDIDATE_THRESHOLD)
            .order_by("-likeness", "pk")[:CANDIDATE_LIMIT]
        )
        return [(claim, claim.likeness) for claim in scored]
    scored = []
    for claim in others.order_by("pk")[:COMPARED_LIMIT]:
        likeness = max(similarity(claim.summary, reference), similarity(claim.quote, reference))
        if likeness >= CANDIDATE_THRESHOLD:
            scored.append((claim, likeness))
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return scored[:CANDIDATE_LIMIT]


def add_candidates(assertion, claim_ids):
    """Add the claims `claim_ids` (offered as candidates) to the assertion as supporting it."""
    offered = {claim.pk: claim for claim, _ in candidates(assertion)}
    chosen = [offered[int(pk)] for pk in claim_ids if int(pk) in offered]
    with transaction.atomic():
        for claim in chosen:
            AssertionClaim.objects.create(
                assertion=assertion, claim=claim, relation=Relation.SUPPORTS
            )
        if chosen:
            assertion._change_reason = f"Added {len(chosen)} claims from the candidates"
            assertion.save(update_fields=["version", "updated_at"])
    return chosen
