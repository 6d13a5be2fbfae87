"""Names as sources write them: titles split off, several people on one line, name words.

"Prime Minister Mohammed Nawaz Sharif" is the title "Prime Minister" and the name "Mohammed
Nawaz Sharif"; "President X and Secretary Y" is two people. actors.resolution matches the names.
"""

import re

from core.text import fingerprint

#: Titles that may open a name, longest first within each family so that the longest wins.
TITLES = (
    "Chairman of the Presidency",
    "Acting Prime Minister",
    "Interim Prime Minister",
    "Acting President",
    "Interim President",
    "Provisional President",
    "President-elect",
    "President-designate",
    "Vice President",
    "Prime Minister",
    "President",
    "Vice Premier",
    "Premier and Prince",
    "Premier",
    "Federal Chancellor",
    "Chancellor-elect",
    "Chancellor",
    "Governor General",
    "General Secretary",
    "First Secretary",
    "Secretary of State",
    "Secretary",
    "Chief of State",
    "Head of State",
    "Junta Member",
    "Brigadier General",
    "Lieutenant General",
    "General",
    "Crown Prince",
    "Grand Duchess",
    "Grand Duke",
    "Prince",
    "King",
    "Queen",
    "Emperor",
    "Empress",
    "Amir",
    "Emir",
    "Sultan",
    "Shah",
    "Pope",
    "Regent",
    "Taoiseach",
    "Chairman",
)
_CANONICAL_TITLE = {title.casefold(): title for title in TITLES}
_TITLE_ALTERNATIVES = "|".join(
    re.escape(title).replace(r"\ ", r"\s+") for title in sorted(TITLES, key=len, reverse=True)
)
_LEADING_TITLE = re.compile(rf"^(?P<title>{_TITLE_ALTERNATIVES})\s+(?P<rest>\S.*)$", re.I)
# "…, Prime Minister X" / "… and Crown Prince Y": a second person, named with a title.
_NEXT_PERSON = re.compile(rf"\s*(?:,|\band\b|&)\s*(?=(?:{_TITLE_ALTERNATIVES})\s)", re.I)

#: Words that do not tell people apart on their own.
PARTICLES = frozenset(
    [
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "de",
        "da",
        "do",
        "dos",
        "das",
        "del",
        "della",
        "di",
        "du",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "y",
        "e",
        "ul",
        "ud",
    ]
)
#: Generational suffixes: a name with one is a different person from the name without it.
GENERATIONAL = frozenset(["jr", "sr", "ii", "iii", "iv", "2nd", "3rd", "4th"])


def _tidy(text):
    text = " ".join((text or "").split())
    # "President- elect", "Premier & Prince": spellings of one title.
    text = re.sub(r"(\w)-\s+(\w)", r"\1-\2", text)
    return re.sub(r"\s*&\s*", " and ", text)


def title_key(title):
    """Return the key on which spellings of one title agree ("Governor-General")."""
    return " ".join(re.sub(r"[\s-]+", " ", title.casefold()).split())


def _canonical_title(title):
    return _CANONICAL_TITLE.get(" ".join(title.split()).casefold(), title)


def split_title(text):
    """Return (title, name) of 'Prime Minister Imran Khan'; the title is '' when none is known."""
    text = _tidy(text)
    match = _LEADING_TITLE.match(text)
    if match is None:
        return "", text
    return _canonical_title(match["title"]), match["rest"].strip()


def split_people(text):
    """Return [(title, name), …] of a visitor line that may name several people."""
    title, rest = split_title(text)
    people = []
    for index, part in enumerate(_NEXT_PERSON.split(rest)):
        if index == 0:
            people.append((title, part.strip()))
        elif part.strip():
            people.append(split_title(part))
    return [(title, name) for title, name in people if name]


def name_words(name):
    """Return the set of words of a name's fingerprint."""
    return frozenset(fingerprint(name).split())


def is_partial_match(smaller, larger):
    """Return whether name words `smaller` safely identify the same person as `larger`."""
    if not smaller <= larger or smaller & GENERATIONAL != larger & GENERATIONAL:
        return False
    telling = len(smaller - PARTICLES - GENERATIONAL) + bool(smaller & GENERATIONAL)
    return telling >= 2
