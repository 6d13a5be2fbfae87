"""Suggesting the actors and issues a source's text mentions, for a curator to link.

Names are found as whole words, each place in the text read once, by the longest name known
there ("Amir Khan Muttaqi", not "Khan"). Each suggestion has a confidence (0–100) from how it
was named: in full, by an alias, by one word only. Only strong suggestions
(CONFIDENCE_THRESHOLD or more) are ticked in advance; weak ones are listed for a curator
to tick, and a lone surname inside someone else's name is not counted at all.
"""

import re
from dataclasses import dataclass

from django.db import models, transaction

from actors.models import Actor, ActorAlias, ActorKind
from actors.names import PARTICLES, TITLES
from core.text import normalise
from sources.models import SourceDocument
from visits.models import Issue

#: Suggestions at least this confident are ticked in advance; weaker ones are listed unticked.
CONFIDENCE_THRESHOLD = 60

#: How confident a name makes a suggestion, and why (shown to the curator).
FULL_NAME = 100, "named in full"
ALIAS = 90, "a known alias of two or more words"
ACRONYM = 80, "its acronym, in capitals"
ONE_WORD_PLACE = 70, "a one-word name of a country or organisation"
TITLE_AND_NAME = 60, "a title and one name"
ONE_KEYWORD = 50, "a single keyword"
ONE_WORD = 40, "one word of a person's name"
SHARED = 40, "a name several actors share"
INSIDE = 40, "part of a longer name"
#: The scale, as the change page explains it.
CONFIDENCE_SCALE = [
    FULL_NAME,
    ALIAS,
    ACRONYM,
    ONE_WORD_PLACE,
    TITLE_AND_NAME,
    (ONE_KEYWORD[0], "a single keyword of an issue"),
    (ONE_WORD[0], f"{ONE_WORD[1]}, {SHARED[1]} or {INSIDE[1]}"),
]

#: Words that may stand before a name without being part of it ("PM Khan", "Mr Khan").
TITLE_WORDS = frozenset(
    word.casefold() for title in TITLES for word in re.findall(r"\w+", title)
) | frozenset(
    """mr mrs ms dr pm fm gen lt col maj sir sheikh syed mullah maulana minister foreign
    defence defense army chief former senator ambassador envoy commander field marshal
    deputy state mr mrs lady lord""".split()
)
# A word with an apostrophe stays one word ("Khan's", "People's"): its own "s" is not a word.
_WORD = re.compile(r"\w+(?:'\w+)*")
_POSSESSIVE = re.compile(r"'s$")
_JOIN = re.compile(r"[ \-]+")
_SENTENCE_END = re.compile(r"[.!?:;\n\"]\s*$")


@dataclass
class Suggestion:
    """An actor or issue the text mentions: how often, by which names, how surely."""

    obj: models.Model
    mentions: int
    names: list
    confidence: int
    reason: str

    @property
    def strong(self):
        """Return whether the suggestion is ticked in advance."""
        return self.confidence >= CONFIDENCE_THRESHOLD

    @property
    def kind(self):
        """Return 'actor' or 'issue'."""
        return "actor" if isinstance(self.obj, Actor) else "issue"


def _is_acronym(name):
    """Return whether a name is written in capitals ("US", "TTP"): matched case-sensitively."""
    letters = [char for char in name if char.isalpha()]
    return 1 < len(letters) <= 6 and all(char.isupper() for char in letters)


def _word_key(word, *, fold=True):
    """Return a word as names are compared: without a possessive "'s", folded unless an acronym."""
    word = _POSSESSIVE.sub("", word)
    return word.casefold() if fold else word


def _spelling(name):
    """Return (words, acronym) of a name as the text is searched for it."""
    acronym = _is_acronym(name)
    return tuple(_word_key(word, fold=not acronym) for word in _WORD.findall(name)), acronym


def _is_name_word(word):
    """Return whether a word looks like part of a proper name ("Muttaqi", not "PTI" or "the")."""
    return word[:1].isupper() and not word.isupper() and not _POSSESSIVE.search(word)


class _Text:
    """A text's words, with what tells a name standing alone from a part of a longer one."""

    def __init__(self, text):
        self.text = text
        self.words = list(_WORD.finditer(text))
        self.folded = [_word_key(match.group()) for match in self.words]
        self.written = [_word_key(match.group(), fold=False) for match in self.words]
        # "People's" is also "Peoples" (as in "Peoples' Republic of China").
        self.bare = [match.group().replace("'", "").casefold() for match in self.words]

    def matches(self, position, words, acronym):
        """Return whether the text's words from `position` are `words`."""
        end = position + len(words)
        if acronym:
            return tuple(self.written[position:end]) == words
        if end > len(self.words):
            return False
        pairs = zip(words, self.folded[position:end], self.bare[position:end], strict=True)
        return all(word in (folded, bare) for word, folded, bare in pairs)

    def _joined(self, left, right):
        return _JOIN.fullmatch(self.text[self.words[left].end() : self.words[right].start()])

    def inside_longer_name(self, start, end, *, both_sides):
        """Return whether words[start:end] are joined to a name word before (or after) them."""
        if start > 0 and self._joined(start - 1, start):
            before = self.words[start - 1]
            head = self.text[max(0, before.start() - 20) : before.start()]
            at_text_start = len(head) == before.start() and not head.strip()
            at_sentence_start = at_text_start or _SENTENCE_END.search(head) is not None
            if (
                _is_name_word(before.group())
                and self.folded[start - 1] not in TITLE_WORDS
                and not at_sentence_start
            ):
                return True
        if both_sides and end < len(self.words) and self._joined(end - 1, end):
            return _is_name_word(self.words[end].group())
        return False


def _find(text, spellings):
    """Return {key: [(name, inside a longer name?), ...]} of every name found in the text.

    `spellings` is {(words, acronym): [(key, name, one-word person?), ...]}. Each place in the
    text is read once, by the longest name that starts there.
    """
    index = {}
    for words, acronym in spellings:
        if words:
            index.setdefault(words[0].casefold(), []).append((words, acronym))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    found = {}
    position = 0
    while position < len(text.words):
        entries = index.get(text.folded[position], [])
        if text.bare[position] != text.folded[position]:
            entries = sorted(
                entries + index.get(text.bare[position], []), key=lambda entry: -len(entry[0])
            )
        for words, acronym in entries:
            if not text.matches(position, words, acronym):
                continue
            end = position + len(words)
            for key, name, lone_word in spellings[words, acronym]:
                inside = text.inside_longer_name(position, end, both_sides=lone_word)
                if lone_word and inside:
                    continue  # "Khan" of "Amir Khan Muttaqi" is not a mention of Imran Khan
                found.setdefault(key, []).append((name, inside))
            position = end
            break
        else:
            position += 1
    return found


def _actor_confidence(name, *, kind, alias):
    """Return (score, reason) of finding an actor by `name` (its own name or an alias)."""
    words, acronym = _spelling(name)
    if kind != ActorKind.PERSON:
        if not alias:
            return FULL_NAME
        if acronym:
            return ACRONYM
        return ALIAS if len(words) > 1 else ONE_WORD_PLACE
    telling = [word for word in words if word not in PARTICLES and word not in TITLE_WORDS]
    if len(telling) >= 2:
        return ALIAS if alias else FULL_NAME
    if telling and len(words) > 1:
        return TITLE_AND_NAME
    return ONE_WORD


def _issue_confidence(name, *, alias):
    """Return (score, reason) of finding an issue by its name or a keyword."""
    if not alias:
        return FULL_NAME
    return ALIAS if len(_spelling(name)[0]) > 1 else ONE_KEYWORD


def _suggestions(objects, found, confidence_of):
    """Return Suggestions of what was found, surest and most mentioned first."""
    suggestions = []
    for key, hits in found.items():
        obj, linked = objects[key]
        if linked:
            continue
        best = max(
            (min(confidence_of[key, name], INSIDE) if inside else confidence_of[key, name])
            for name, inside in hits
        )
        names = list(dict.fromkeys(name for name, _ in hits))
        suggestions.append(Suggestion(obj, len(hits), names, *best))
    suggestions.sort(key=lambda s: (-s.confidence, -s.mentions, str(s.obj).casefold()))
    return suggestions


def suggest_links(source) -> dict:
    """Return actors and issues the body mentions and the source does not link yet.

    {"actors": [Suggestion, ...], "issues": [Suggestion, ...]}, surest first.
    """
    return mentions(source.body, source=source)


def mentions(text, *, source=None) -> dict:
    """Return the actors and issues `text` mentions, as Suggestions, surest first.

    With `source`, those the source already links are left out.
    """
    text = _Text(normalise(text))

    def linked(relation, column, ref):
        if source is None:
            return models.Value(False)
        through = getattr(SourceDocument, relation).through.objects
        return models.Exists(
            through.filter(sourcedocument_id=source.pk, **{column: models.OuterRef(ref)})
        )

    # One query for every name and alias, carrying what a suggestion shows of its actor.
    aliases = (
        ActorAlias.objects.order_by()
        .annotate(
            owner=models.F("actor"),
            shown=models.F("actor__name"),
            owner_kind=models.F("actor__kind"),
            alias=models.Value(True),
            linked=linked("actors", "actor_id", "actor"),
        )
        .values_list("owner", "name", "shown", "owner_kind", "alias", "linked")
    )
    rows = (
        Actor.objects.order_by()
        .annotate(
            owner=models.F("pk"),
            shown=models.F("name"),
            owner_kind=models.F("kind"),
            alias=models.Value(False),
            linked=linked("actors", "actor_id", "pk"),
        )
        .values_list("owner", "name", "shown", "owner_kind", "alias", "linked")
        .union(aliases, all=True)
    )
    actors, spellings, confidence = {}, {}, {}
    for pk, name, shown, kind, alias, is_linked in rows:
        name = normalise(name)
        if pk not in actors:
            # Other fields load on access, as with .only().
            actor = Actor.from_db(rows.db, ["id", "name", "kind"], [pk, shown, kind])
            actors[pk] = (actor, bool(is_linked))
        score = _actor_confidence(name, kind=kind, alias=bool(alias))
        confidence[pk, name] = max(score, confidence.get((pk, name), score))
        lone_word = kind == ActorKind.PERSON and score == ONE_WORD
        owners = spellings.setdefault(_spelling(name), [])
        if all(owner[0] != pk for owner in owners):
            owners.append((pk, name, lone_word))
    for owners in spellings.values():
        if len({owner[0] for owner in owners}) > 1:
            for pk, name, _ in owners:
                confidence[pk, name] = min(confidence[pk, name], SHARED)
    actor_found = _find(text, spellings)

    issues = {
        issue.pk: (issue, issue.is_linked)
        for issue in Issue.objects.annotate(is_linked=linked("issues", "issue_id", "pk"))
    }
    issue_spellings, issue_confidence = {}, {}
    for pk, (issue, _) in issues.items():
        for position, keyword in enumerate(issue.keyword_list):
            keyword = normalise(keyword)
            score = _issue_confidence(keyword, alias=position > 0)
            issue_confidence[pk, keyword] = max(score, issue_confidence.get((pk, keyword), score))
            owners = issue_spellings.setdefault(_spelling(keyword), [])
            if all(owner[0] != pk for owner in owners):
                owners.append((pk, keyword, False))
    issue_found = _find(text, issue_spellings)
    return {
        "actors": _suggestions(actors, actor_found, confidence),
        "issues": _suggestions(issues, issue_found, issue_confidence),
    }


def names_found(text, names_by_key):
    """Return the keys of `names_by_key` with a name that occurs in `text` as whole words.

    Each place in the text is read by the longest name that starts there, as suggestions are.
    """
    spellings = {}
    for key, names in names_by_key.items():
        for name in names:
            name = normalise(name)
            owners = spellings.setdefault(_spelling(name), [])
            if all(owner[0] != key for owner in owners):
                owners.append((key, name, False))
    return list(_find(_Text(normalise(text)), spellings))


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
