"""What a passage of a source suggests for a claim quoting it: the actors, issues and visit."""

import re

from sources.services import mentions, names_found
from visits.models import Visit

#: Past this many visits (a dataset's), a source's visits are not searched by name.
VISITS_READ = 50
_RECORD_ID = re.compile(r"\[([^\]\s]+)\]")


def suggested_visit(source, text):
    """Return the id of the visit a passage of `source` is about, or None.

    A record's line names its visit by id; a source covering one visit suggests it; among
    several, the one whose visitor, city or destination the passage names most.
    """
    record_ids = _RECORD_ID.findall(text)
    if record_ids:
        by_record = list(
            Visit.objects.filter(external_id__in=record_ids, sources=source).values_list(
                "pk", flat=True
            )[:2]
        )
        if len(by_record) == 1:
            return by_record[0]
    visits = list(
        source.visits.select_related("visitor", "destination").order_by()[: VISITS_READ + 1]
    )
    if len(visits) == 1:
        return visits[0].pk
    if not visits or len(visits) > VISITS_READ:
        return None
    scores = {}
    for visit in visits:
        names = {
            "visitor": [visit.visitor.name] if visit.visitor_id else [],
            "city": [visit.city] if visit.city else [],
            "destination": [visit.destination.name] if visit.destination_id else [],
        }
        scores[visit.pk] = len(names_found(text, names))
    best = max(scores.values())
    winners = [pk for pk, score in scores.items() if score == best]
    return winners[0] if best and len(winners) == 1 else None


def suggestions(source, text):
    """Return {"actors": [ids], "issues": [ids], "visit": id or None} for a passage."""
    found = mentions(text)
    return {
        "actors": [suggestion.obj.pk for suggestion in found["actors"] if suggestion.strong],
        "issues": [suggestion.obj.pk for suggestion in found["issues"] if suggestion.strong],
        "visit": suggested_visit(source, text),
    }
