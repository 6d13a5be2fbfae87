"""What a passage of a source suggests for a claim quoting it: the actors, issues and visit."""

import re

from actors.models import Actor, ActorAlias
from core.text import normalise
from visits.models import Issue, Visit

#: Past this many visits (a dataset's), a source's visits are not searched by name.
VISITS_READ = 50
_RECORD_ID = re.compile(r"\[([^\]\s]+)\]")


def _is_acronym(name):
    """Return whether a name is written in capitals ("US", "TTP"): matched case-sensitively."""
    letters = [char for char in name if char.isalpha()]
    return 1 < len(letters) <= 6 and all(char.isupper() for char in letters)


def mentioned(text, names_by_key):
    """Return the keys of `names_by_key` with a name that occurs in `text` as whole words."""
    text = normalise(text)
    folded = text.casefold()
    present = set(re.findall(r"\w+", folded))
    found = []
    for key, names in names_by_key.items():
        for name in names:
            name = normalise(name)
            acronym = _is_acronym(name)
            words = re.findall(r"\w+", name if acronym else name.casefold())
            # The text's words: a cheap test of each name before a regex is built.
            if not words or not {word.casefold() for word in words} <= present:
                continue
            pattern = r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)"
            if re.search(pattern, text if acronym else folded):
                found.append(key)
                break
    return found


def suggested_actors(text):
    """Return the ids of the actors whose name or an alias occurs in `text`."""
    names = {}
    for pk, name in Actor.objects.order_by().values_list("pk", "name"):
        names.setdefault(pk, []).append(name)
    for pk, name in ActorAlias.objects.order_by().values_list("actor", "name"):
        names.setdefault(pk, []).append(name)
    return mentioned(text, names)


def suggested_issues(text):
    """Return the ids of the issues whose name or a keyword occurs in `text`."""
    return mentioned(text, {issue.pk: issue.keyword_list for issue in Issue.objects.all()})


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
        scores[visit.pk] = len(mentioned(text, names))
    best = max(scores.values())
    winners = [pk for pk, score in scores.items() if score == best]
    return winners[0] if best and len(winners) == 1 else None


def suggestions(source, text):
    """Return {"actors": [ids], "issues": [ids], "visit": id or None} for a passage."""
    return {
        "actors": suggested_actors(text),
        "issues": suggested_issues(text),
        "visit": suggested_visit(source, text),
    }
