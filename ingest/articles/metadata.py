"""What an article says about itself at its top: title, byline, institution, date."""

import datetime
import re
from dataclasses import dataclass, field

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_DATE_PATTERNS = [
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}\s*,?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
]
_DATE_PREFIX = re.compile(
    r"^(?:published|posted|updated|last updated|date|dated|first published)(?:\s+on)?\s*:?\s*",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?|hrs|[A-Z]{2,4})?", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:By|BY|Written by|Author:|Authors:)(?:\s+|$)(?P<rest>.*)$")
_EDITED_BY = re.compile(r"^(?:Edited|Reviewed|Compiled) by\b:?\s*(?P<rest>.*)$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_BYLINE_EXTRA = re.compile(r"\s+[|•·–—]\s+|\s+-\s+")
_INSTITUTION = re.compile(
    r"\b(?:institute|institution|centre|center|university|council|foundation|ministry|"
    r"office|academy|forum|society|agency|press)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,7}$")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "of", "on", "or", "the"}
_SMALL_WORDS |= {"to", "vs", "via", "with"}


@dataclass
class FrontMatter:
    """The metadata found at the top of an article and which paragraphs carried it."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    published_date: datetime.date | None = None
    dropped: set[int] = field(default_factory=set)


def parse_date(text):
    """Return the first calendar date written in text ("December 6, 2020"), or None."""
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text or ""):
            month = match.group("month")
            month = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
            try:
                return datetime.date(int(match.group("year")), month, int(match.group("day")))
            except ValueError:
                continue
    return None


def _date_line(text):
    """Return the date when the paragraph is only a date line ("Posted on 6 Dec 2020, 10:30")."""
    if len(text) > 80:
        return None
    text = _DATE_PREFIX.sub("", text.strip())
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match:
            rest = _TIME.sub("", text[: match.start()] + text[match.end() :])
            rest = re.sub(r"\b(?:at|on)\b", "", rest, flags=re.IGNORECASE)
            return parse_date(match.group(0)) if not re.sub(r"[\W_]+", "", rest) else None
    return None


def _words(text):
    return text.split()


def is_prose(text):
    """Return whether a paragraph reads as running text rather than a heading or a label."""
    words = len(_words(text))
    return words >= 25 or (words >= 12 and text.rstrip()[-1:] in ".!”\"'’")


def _is_title_candidate(text):
    return 0 < len(_words(text)) <= 25 and len(text) <= 250 and not text.endswith(".")


def _looks_like_names(text):
    names = [name for name in _NAME_SPLIT.split(text) if name]
    return bool(names) and all(
        len(name.split()) <= 6 and name[:1].isupper() and not re.search(r"\d", name)
        for name in names
    )


def split_names(text):
    """Return the names in a byline: "A, B and C" -> ["A", "B", "C"]."""
    return [name.strip(" .") for name in _NAME_SPLIT.split(text.strip()) if name.strip(" .")]


def smart_title(text):
    """Return an ALL-CAPS title in title case; any other title unchanged."""
    letters = [char for char in text if char.isalpha()]
    if not letters or not all(char.isupper() for char in letters):
        return text
    words, out = text.lower().split(), []
    for index, word in enumerate(words):
        after_colon = index > 0 and words[index - 1].endswith(":")
        if index and not after_colon and word in _SMALL_WORDS:
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def _institution(lines):
    """Return the institution named at the end of an affiliation ("Centre …, ISSI" -> ISSI)."""
    for line in reversed(lines):
        part = line.split(",")[-1].strip()
        if _ACRONYM.match(part) or _INSTITUTION.search(part):
            return part
    return ""


def read_front_matter(texts, blocks, meta=None):
    """Return the metadata in the paragraphs before the article's first running text.

    `texts` are the paragraphs, `blocks` the block (blank-line separated group) of each, and
    `meta` what an HTML page declared (author, date, publisher, title).
    """
    meta = meta or {}
    front = FrontMatter(
        authors=split_names(meta["author"]) if meta.get("author") else [],
        publisher=meta.get("publisher", ""),
        published_date=parse_date(meta.get("date", "")),
    )
    index, limit = 0, min(len(texts), 15)
    while index < limit and not is_prose(texts[index]):
        text = texts[index]
        byline, edited = _BYLINE.match(text), _EDITED_BY.match(text)
        if byline or edited:
            index = _read_byline(
                texts,
                blocks,
                index,
                (byline or edited).group("rest"),
                front,
                keep_names=bool(byline),
            )
            continue
        found_date = _date_line(text)
        if found_date:
            front.published_date = front.published_date or found_date
            front.dropped.add(index)
        elif not front.title and _is_title_candidate(text):
            following = texts[index + 1] if index + 1 < len(texts) else ""
            if (
                len(_words(text)) <= 3
                and not following.startswith(("By ", "BY "))
                and _is_title_candidate(following)
                and not is_prose(following)
                and not _date_line(following)
            ):
                # A section or site header above the title ("The Pulse").
                front.publisher = front.publisher or text
            else:
                front.title = smart_title(text)
            front.dropped.add(index)
        index += 1
    if not front.title and meta.get("title", meta.get("page_title")):
        front.title = smart_title(meta.get("title") or meta["page_title"])
    return front


def _read_byline(texts, blocks, index, rest, front, *, keep_names):
    """Consume a byline (and the affiliation lines of its block); return the next index."""
    front.dropped.add(index)
    block, position = blocks[index], index + 1
    parts = _BYLINE_EXTRA.split(rest.strip()) if rest.strip() else []
    if not parts and position < len(texts) and _looks_like_names(texts[position]):
        parts = [texts[position]]
        front.dropped.add(position)
        position += 1
    names = split_names(parts[0]) if parts and _looks_like_names(parts[0]) else []
    for extra in parts[1:]:
        front.published_date = front.published_date or parse_date(extra)
    affiliation = []
    while position < len(texts) and blocks[position] == block and not is_prose(texts[position]):
        found_date = _date_line(texts[position])
        if found_date:
            front.published_date = front.published_date or found_date
        else:
            affiliation.append(texts[position])
        front.dropped.add(position)
        position += 1
    if keep_names:
        front.authors = front.authors or names
        front.publisher = front.publisher or _institution(affiliation)
    return position
