"""Suggesting the actors and issues a source's text mentions, for a curator to link."""

import re

from django.db import models, transaction

from actors.models import Actor, ActorAlias
from core.text import normalise
from visits.models import Issue


def _words(name):
    return re.findall(r"\w+", name.casefold())


def _is_acronym(name):
    """Return whether a name is written in capitals ("US", "TTP"): matched case-sensitively."""
    letters = [char for char in name if char.isalpha()]
    return 1 < len(letters) <= 6 and all(char.isupper() for char in letters)


def _pattern(names, *, fold):
    """Return a regex matching any of the names as whole words (longest first)."""
    alternatives = [
        r"\W+".join(map(re.escape, re.findall(r"\w+", name.casefold() if fold else name)))
        for name in sorted(names, key=len, reverse=True)
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _occurs(name, text, folded):
    acronym = _is_acronym(name)
    return _pattern([name], fold=not acronym).search(text if acronym else folded) is not None


def _mentions(text, names_by_key):
    """Return {key: (count, names found)} for keys with a name that occurs in the text."""
    folded = text.casefold()
    # The text's words: a cheap test of each name before any regex is built.
    present = set(re.findall(r"\w+", folded))
    found = {}
    for key, names in names_by_key.items():
        candidates = [n for n in dict.fromkeys(names) if _words(n) and set(_words(n)) <= present]
        matched = [n for n in candidates if _occurs(n, text, folded)]
        if matched:
            acronyms = [n for n in matched if _is_acronym(n)]
            others = [n for n in matched if not _is_acronym(n)]
            # One pattern per case rule, longest name first: "Imran Khan" is not also "Khan".
            count = len(_pattern(others, fold=True).findall(folded)) if others else 0
            count += len(_pattern(acronyms, fold=False).findall(text)) if acronyms else 0
            found[key] = (count, matched)
    return found


def suggest_links(source) -> dict:
    """Return actors and issues the body mentions and the source does not link yet, with counts.

    {"actors": [(Actor, count), ...], "issues": [(Issue, count), ...]}, most mentioned first.
    Each suggested object carries `matched_names`, the names or keywords found.
    """
    text = normalise(source.body)
    # One query for every name and alias, carrying what a suggestion shows of its actor.
    aliases = (
        ActorAlias.objects.exclude(actor__mentioned_in=source)
        .order_by()
        .values_list("actor", "name", "actor__name", "actor__kind")
    )
    rows = (
        Actor.objects.exclude(mentioned_in=source)
        .order_by()
        .annotate(shown=models.F("name"))
        .values_list("pk", "name", "shown", "kind")
        .union(aliases, all=True)
    )
    names, actors = {}, {}
    for pk, name, shown, kind in rows:
        names.setdefault(pk, []).append(normalise(name))
        if pk not in actors:
            # Other fields load on access, as with .only().
            actors[pk] = Actor.from_db(rows.db, ["id", "name", "kind"], [pk, shown, kind])
    actor_found = _mentions(text, names)

    issues = {issue.pk: issue for issue in Issue.objects.exclude(sources=source)}
    keywords = {
        pk: [normalise(word) for word in issue.keyword_list] for pk, issue in issues.items()
    }
    issue_found = _mentions(text, keywords)
    return {
        "actors": _ranked(actors, actor_found),
        "issues": _ranked(issues, issue_found),
    }


def _ranked(objects, found):
    ranked = []
    for pk, (count, names) in found.items():
        obj = objects[pk]
        obj.matched_names = names
        ranked.append((obj, count))
    ranked.sort(key=lambda pair: (-pair[1], str(pair[0]).casefold()))
    return ranked


def link_suggestions(source, *, actor_ids=(), issue_ids=()):
    """Link the chosen actors and issues to the source; return (actors, issues) linked."""
    actors = list(Actor.objects.filter(pk__in=actor_ids).exclude(mentioned_in=source))
    issues = list(Issue.objects.filter(pk__in=issue_ids).exclude(sources=source))
    with transaction.atomic():
        source.actors.add(*actors)
        source.issues.add(*issues)
        if actors or issues:
            # Links have no history of their own: the source records the change, and its new
            # version refuses a change form opened before (which would drop the links again).
            names = ", ".join(str(obj) for obj in [*actors, *issues])
            source._change_reason = f"Linked {names}"[:100]
            source.save(update_fields=["version", "updated_at"])
    return actors, issues
