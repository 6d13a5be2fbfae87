"""A source's text as numbered paragraphs, shown a bounded stretch at a time for quoting."""

from dataclasses import dataclass

from core.highlight import paragraphs
from core.text import normalise

#: The most paragraphs shown at once: a dataset's body lists thousands of records.
STRETCH_SIZE = 200


def source_paragraphs(source):
    """Return the source's body as paragraphs; a dataset's as its lines (one per record)."""
    if source.kind == source.DATASET_KIND:
        return [line.strip() for line in (source.body or "").splitlines() if line.strip()]
    return paragraphs(source.body)


def as_quote(text):
    """Return a passage with its whitespace collapsed, as a claim's quote is kept."""
    return " ".join((text or "").split())


def paragraph_quote(source, number):
    """Return paragraph `number` (counted from 1) of the source as a quote, or ''."""
    texts = source_paragraphs(source)
    return as_quote(texts[number - 1]) if 1 <= number <= len(texts) else ""


def paragraph_starts(source):
    """Return where each paragraph begins in the source's normalised body (core.anchors)."""
    return normalised_starts(source_paragraphs(source))


def normalised_starts(texts):
    """Return where each of consecutive paragraphs begins once their text is normalised.

    Paragraphs are apart by whitespace only, which normalising makes one space.
    """
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        length = len(normalise(text))
        position += length + 1 if length else 0
    return starts


@dataclass
class Stretch:
    """Consecutive numbered paragraphs of a source, and where they sit in the whole."""

    source: object
    paragraphs: list  # (number, text, start in the normalised body) triples
    total: int
    unit: str

    @property
    def first(self):
        return self.paragraphs[0][0] if self.paragraphs else 0

    @property
    def last(self):
        return self.paragraphs[-1][0] if self.paragraphs else 0

    @property
    def is_partial(self):
        return len(self.paragraphs) < self.total

    @property
    def previous_start(self):
        return max(1, self.first - STRETCH_SIZE) if self.first > 1 else None

    @property
    def next_start(self):
        return self.last + 1 if self.last < self.total else None


def paragraph_stretch(source, *, start=1, around=""):
    """Return at most STRETCH_SIZE paragraphs of the source: from `start`, or around a quote.

    With `around`, the stretch centres on the first paragraph that contains it (when the
    whole body is longer than a stretch), so a claim on a long dataset shows its own record.
    """
    texts = source_paragraphs(source)
    if around and len(texts) > STRETCH_SIZE:
        needle = normalise(around)
        found = next((i for i, text in enumerate(texts) if needle in normalise(text)), None)
        if found is not None:
            start = found + 1 - STRETCH_SIZE // 2
    start = min(max(1, start), max(1, len(texts) - STRETCH_SIZE + 1))
    shown = slice(start - 1, start - 1 + STRETCH_SIZE)
    texts_shown, starts_shown = texts[shown], normalised_starts(texts)[shown]
    numbered = zip(range(start, start + len(texts_shown)), texts_shown, starts_shown, strict=True)
    return Stretch(
        source=source,
        paragraphs=list(numbered),
        total=len(texts),
        unit="line" if source.kind == source.DATASET_KIND else "paragraph",
    )
