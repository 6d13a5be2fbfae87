"""Text normalisation shared by quote validation, highlighting, checksums and name matching."""

import re
import unicodedata

from django.utils.text import slugify

# Typographic characters a quote may carry in one place and not the other.
_TRANSLATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
    }
)
_WHITESPACE = re.compile(r"\s+")


def normalise_char(char):
    """Return the normalised form of one character (possibly empty or several characters)."""
    return unicodedata.normalize("NFKC", char).translate(_TRANSLATION)


def normalise(text):
    """Return text with typographic quotes/dashes made plain and whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "").translate(_TRANSLATION)
    return _WHITESPACE.sub(" ", text).strip()


def _normalised_with_offsets(text):
    """Return the normalised text and, for each of its characters, its offset in `text`."""
    chars, offsets = [], []
    previous_space = True  # drops leading whitespace, like normalise()
    for index, char in enumerate(text):
        for out in normalise_char(char):
            if out.isspace():
                if previous_space:
                    continue
                out = " "
                previous_space = True
            else:
                previous_space = False
            chars.append(out)
            offsets.append(index)
    return "".join(chars), offsets


def find_normalised(text, fragment):
    """Return (start, end) offsets in `text` where `fragment` occurs once both are normalised."""
    needle = normalise(fragment)
    if not needle:
        return None
    haystack, offsets = _normalised_with_offsets(text or "")
    position = haystack.find(needle)
    if position < 0:
        return None
    return offsets[position], offsets[position + len(needle) - 1] + 1


def contains_normalised(text, fragment):
    """Return whether `fragment` occurs in `text` once both are normalised."""
    needle = normalise(fragment)
    return bool(needle) and needle in normalise(text)


_HONORIFICS = re.compile(
    r"\b(mr|mrs|ms|dr|gen|general|lt|col|sir|sheikh|shaikh|syed|sayyid|hazrat|haji|prof)\b\.?",
)


def fingerprint(name):
    """Return a key on which spellings of one name agree: accents, case, order, honorifics."""
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9 ]+", " ", ascii_name.lower().replace("'", ""))
    words = _HONORIFICS.sub(" ", words)
    return " ".join(sorted(set(words.split())))


def unique_slug(model, text, *, max_length=200, exclude_pk=None, field="slug"):
    """Return a slug for `text` not yet used by `model` (adding -2, -3, … when needed)."""
    base = slugify(text)[: max_length - 6].strip("-") or "item"
    candidate, counter = base, 2
    queryset = model.objects.all()
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    while queryset.filter(**{field: candidate}).exists():
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate


def web_url(url):
    """Return `url` if it is a web link (http or https), else ''."""
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else ""


#: Marks a curator may type or paste around a quote: straight, curly, low-9 and guillemets.
QUOTE_MARKS = "\"'\u201c\u201d\u201e\u201f\u2018\u2019\u201a\u201b\u00ab\u00bb\u2039\u203a"


def strip_quote_marks(text):
    """Return a quote without the quotation marks (and spaces) wrapped around the whole of it.

    Pages show a quote inside marks of their own; kept, pasted marks would show twice. Only a
    mark at each end goes, so that an inner quotation keeps its marks.
    """
    inner = (text or "").strip()
    while len(inner) > 2 and inner[0] in QUOTE_MARKS and inner[-1] in QUOTE_MARKS:
        inner = inner[1:-1].strip()
    return inner if len(inner) < len((text or "").strip()) else text
