"""The kind of visit an Office of the Historian description or remarks names.

The records name it in their own words, most often first ("Official Working Visit.",
"State visit; …", "Guest of U.S. Government.", "Attended the NATO Summit.", "Met with
President Bush."). Phrases are tried in tiers: a kind of visit named outright wins over the
occasion (a summit, a funeral), which wins over a stop on the way, which wins over talks; within
a tier the phrase that comes first in the text wins ("Official working visit. Private visit to
…" is official working).
"""

import re

from visits.models import VisitKind

_I = re.IGNORECASE

#: A kind of visit named outright, by its protocol name or its older wording.
_NAMED = [
    (r"\bofficial[\s-]+working\s+visits?\b", VisitKind.OFFICIAL_WORKING),
    (r"\bstate\s+visits?\b", VisitKind.STATE),
    # "Offical" is the data's own misspelling; "Official select visit" is Crawford and Camp
    # David; before the 1950s an official visitor was the government's or President's guest.
    (r"\boffici?al\s+(?:select\s+)?visits?\b", VisitKind.OFFICIAL),
    (r"\b(?:official|presidential|invited)\s+guest\b", VisitKind.OFFICIAL),
    (
        r"\bguests?\s+of\s+(?:the\s+)?(?:U\.\s?S\.\s+)?(?:government|president)\b",
        VisitKind.OFFICIAL,
    ),
    (r"\bas\s+guests?\s+of\s+the\s+government\b", VisitKind.OFFICIAL),
    (
        r"^at\s+(?:the\s+)?invitation\s+of\s+(?:the\s+)?(?:U\.\s?S\.\s+government|president)\b",
        VisitKind.OFFICIAL,
    ),
    (r"\bworking\s+visits?\b", VisitKind.WORKING),
    (r"\bprivate\s+visits?\b", VisitKind.PRIVATE),
    # The older name of a private visit, and what a private visit was for.
    (r"\bunofficial(?:ly)?\b", VisitKind.PRIVATE),
    (r"\bvacation", VisitKind.PRIVATE),
    (r"\b(?:fishing|hunting)\s+trips?\b", VisitKind.PRIVATE),
    (r"\bmedical\s+treatment\b", VisitKind.PRIVATE),
    (r"\binformal\s+(?:visits?|meetings?|talks|discussions?|call)\b", VisitKind.INFORMAL),
    (r"\binformal,\s+unofficial\s+visit\b", VisitKind.INFORMAL),
    (r"\bmet\s+informally\b", VisitKind.INFORMAL),
    (r"\b(?:courtesy|social)\s+(?:visits?|call)\b", VisitKind.INFORMAL),
    (r"\bunannounced\b", VisitKind.UNANNOUNCED),
]

#: The occasion: a ceremony, or a meeting of many leaders or ministers.
_OCCASION = [
    (
        r"\b(?:funerals?|memorial\s+services?|coronation|inauguration|inaugural\s+ceremon\w*|"
        r"signing|dedication|ceremon(?:y|ies|ial)|commemorat\w*|anniversary|centennial|"
        r"bicentennial|jubilee|wedding|celebrations?|signed)\b",
        VisitKind.CEREMONY,
    ),
    (
        r"\b(?:summits?|general\s+assembly|united\s+nations|ministerial|north\s+atlantic\s+council|"
        r"(?:foreign|defen[cs]e)\s+ministers[’']?\s+meetings?|leaders[’']?\s+(?:meeting|conference)s?|"
        r"council\s+meetings?|conference|forum|organization\s+of\s+american\s+states|"
        r"heads\s+of\s+(?:government|state)|presidents\s+of|contact\s+group|quartet|"
        r"group\s+of\s+\d+|P5\s*\+\s*1)\b",
        VisitKind.MULTILATERAL,
    ),
    # Acronyms, as written (case matters: "UN", not "un").
    (
        r"\b(?:U\.\s?N\.|UN|NATO|G[-–\s]?(?:7|8|20)|APEC|ASEAN|OAS|CENTO|SEATO|ANZUS|[OC]SCE|"
        r"OECD|CARICOM|EU|EC|SICA|NACC|EAPC)\b",
        VisitKind.MULTILATERAL,
    ),
]

#: A stop on the way somewhere else.
_STOPOVER = [
    (
        r"\b(?:stopped|stopover|(?:overnight|refuell?ing|brief)\s+stop|disembarked)\b",
        VisitKind.STOPOVER,
    ),
]

#: Talks, when nothing else is named: the record says only whom the traveller met.
_TALKS = [
    (
        r"\b(?:met|meetings?\s+with|talks\s+with|conversations?\s+with|discussed|conferred|"
        r"consulted|audiences?\s+with|conference\s+with|meetings?|sessions?|commission|"
        r"committee|dialogue|negotiat\w*|talks|briefed|reviewed|brunch|luncheon|dinner|"
        r"banquet)\b",
        VisitKind.MEETING,
    ),
]


def _compile(phrases, flags=_I):
    return [(re.compile(pattern, flags), kind) for pattern, kind in phrases]


_TIERS = [
    _compile(_NAMED),
    _compile(_OCCASION[:2]) + _compile(_OCCASION[2:], flags=0),
    _compile(_STOPOVER),
    _compile(_TALKS),
]
# A clause that discusses a summit or a conference is talks about it, not one attended.
_DISCUSSED = re.compile(r"^\s*(?:also\s+)?discussed\b", _I)
_CLAUSE = re.compile(r"[^.;]+")


def _earliest(tier, text):
    found = [(match.start(), kind) for rx, kind in tier if (match := rx.search(text))]
    return min(found)[1] if found else None


def kind_from_text(text):
    """Return the VisitKind a description or remarks names, else other."""
    text = text or ""
    named = _earliest(_TIERS[0], text)
    if named:
        return named
    clauses = [clause.group(0) for clause in _CLAUSE.finditer(text)]
    clauses = " | ".join(clause for clause in clauses if not _DISCUSSED.match(clause))
    for tier, searched in ((_TIERS[1], clauses), (_TIERS[2], text), (_TIERS[3], text)):
        kind = _earliest(tier, searched)
        if kind:
            return kind
    return VisitKind.OTHER


#: A deliberately broad net for "this text names a kind of visit", independent of the
#: parser's phrases: a kind word before visit/guest/trip/tour/call, an occasion attended, a
#: meeting. It measures the parser (what share of the texts caught here get a kind), so it
#: errs on catching too much.
NAMES_A_KIND = re.compile(
    r"\b(?:state|official|offical|working|private|informal|unofficial|courtesy|social|"
    r"good[\s-]?will|pastoral|ceremonial|unannounced|select|fishing|hunting|vacation)\s+"
    r"(?:visits?|guests?|trips?|tours?|calls?|meetings?)\b"
    r"|\bguests?\s+of\b|\bpresidential\s+guest\b|\bat\s+(?:the\s+)?invitation\s+of\b"
    r"|\bsummit|\bgeneral\s+assembly\b|\bconference\b|\bministerial\b"
    r"|\battended\b|\bmet\s+(?:with|informally)\b|\bvacation|\ben\s+route\b",
    _I,
)


def names_a_kind(text):
    """Return whether a description or remarks names a kind of visit (broadly)."""
    return bool(NAMES_A_KIND.search(text or ""))


def kind_coverage(texts_and_kinds):
    """Return (texts naming a kind, of those read as a kind other than other) of (text, kind)."""
    named = read = 0
    for text, kind in texts_and_kinds:
        if names_a_kind(text):
            named += 1
            read += kind != VisitKind.OTHER
    return named, read
