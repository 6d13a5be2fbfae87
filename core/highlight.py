"""A source's body as escaped HTML paragraphs, each claim's quote highlighted and anchored."""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core.text import _normalised_with_offsets, normalise

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


@dataclass
class Quote:
    """A passage to highlight: its anchor id, the text to find, what its marker's title says.

    `start` is where it begins in the normalised body (core.anchors), when it is anchored:
    that occurrence is marked, not the first; an `orphaned` one (its anchor lost) is not.
    """

    anchor: str
    text: str
    title: str = ""
    key: object = None
    number: int = 0
    found: bool = False
    end: int = -1
    start: int | None = None
    orphaned: bool = False


def _paragraph_ranges(body):
    """Return (start, end) offsets of the paragraphs of `body` (blank lines separate them)."""
    ranges, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(body):
        ranges.append((start, match.start()))
        start = match.end()
    ranges.append((start, len(body)))
    return [(start, end) for start, end in ranges if body[start:end].strip()]


def _escaped(text):
    return escape(text).replace("\n", "<br>\n")


def locate(body, fragments, starts=None):
    """Return, for each fragment, its (start, end) offsets in `body` or None.

    The same rule as core.text.find_normalised, with the body normalised once rather than
    once per quote (a source may carry hundreds of claims). Where `starts` gives a fragment's
    position in the normalised body, the occurrence there (or the nearest) is taken instead
    of the first.
    """
    haystack, offsets = _normalised_with_offsets(body or "")
    positions = []
    for fragment, start in zip(fragments, starts or [None] * len(fragments), strict=True):
        needle = normalise(fragment)
        index = _occurrence(haystack, needle, start) if needle else -1
        positions.append(
            None if index < 0 else (offsets[index], offsets[index + len(needle) - 1] + 1)
        )
    return positions


def _occurrence(haystack, needle, start):
    """Return the index of `needle` in `haystack`: at or nearest `start`, else the first."""
    if start is None:
        return haystack.find(needle)
    if haystack.startswith(needle, start):
        return start
    after = haystack.find(needle, start)
    before = haystack.rfind(needle, 0, start + len(needle) - 1)
    if before < 0 or (after >= 0 and after - start <= start - before):
        return after
    return before


def highlight_body(body, quotes, note_url=None):
    """Return `body` as safe HTML paragraphs with every found quote in <mark id=anchor>.

    Overlapping quotes are each marked over their own extent (nested spans split into
    segments); a quote split over paragraphs is marked in each, anchored at its start.
    Sets `found` on each quote and numbers the quotes in reading order (unfound ones last);
    `note_url(quote)`, called once they are numbered, gives the link of each quote's marker.
    """
    body = body or ""
    spans = []
    shown = [quote for quote in quotes if not quote.orphaned]
    located = locate(body, [q.text for q in shown], [q.start for q in shown])
    for quote in quotes:
        quote.found = False
    for quote, position in zip(shown, located, strict=True):
        quote.found = position is not None
        if position:
            quote.end = position[1]
            spans.append((position[0], position[1], quote))
    spans.sort(key=lambda span: (span[0], span[1]))
    for number, (_start, _end, quote) in enumerate(spans, start=1):
        quote.number = number
    for number, quote in enumerate((q for q in quotes if not q.found), start=len(spans) + 1):
        quote.number = number
    cuts = {0, len(body)}
    starts, ends = defaultdict(list), defaultdict(list)
    for index, (start, end, _quote) in enumerate(spans):
        cuts.update((start, end))
        starts[start].append(index)
        ends[end].append(index)
    paragraphs = _paragraph_ranges(body)
    paragraph_starts = {start for start, _end in paragraphs}
    paragraph_ends = {end for _start, end in paragraphs}
    for start, end in paragraphs:
        cuts.update((start, end))
    cuts = sorted(cuts)
    links = {quote.anchor: note_url(quote) for _s, _e, quote in spans} if note_url else {}

    # One sweep over the cut points: `active` holds the quotes covering the current segment.
    active, anchored, html, pieces = {}, set(), [], None
    for position, cut in enumerate(cuts):
        for index in ends.get(cut, ()):
            active.pop(index, None)
        if cut in paragraph_ends and pieces is not None:
            html.append(format_html("<p>{}</p>", mark_safe("".join(pieces))))  # noqa: S308
            pieces = None
        if cut in paragraph_starts:
            pieces = []
        for index in starts.get(cut, ()):
            active[index] = spans[index][2]
        if pieces is None or position + 1 == len(cuts):
            continue
        segment_end = cuts[position + 1]
        text = _escaped(body[cut:segment_end])
        if not active:
            pieces.append(text)
            continue
        pieces.append(_marked_segment(text, list(active.values()), anchored, segment_end, links))
    return mark_safe("\n".join(html))  # noqa: S308 - every paragraph is built with format_html


def _marked_segment(text, covering, anchored, segment_end, links):
    """Return one highlighted segment: a <mark>, anchors of quotes opening here, closing refs."""
    opening = [quote for quote in covering if quote.anchor not in anchored]
    anchored.update(quote.anchor for quote in opening)
    extra_anchors = "".join(
        format_html('<span id="{}" class="quote-anchor"></span>', quote.anchor)
        for quote in opening[1:]
    )
    closing = "".join(
        format_html(
            '<a class="quote-ref" href="{}" title="{}">{}</a>',
            links[quote.anchor],
            quote.title,
            quote.number,
        )
        for quote in covering
        if links.get(quote.anchor) and quote.end == segment_end
    )
    return format_html(
        '<mark class="quote{}"{}>{}{}</mark>{}',
        " quote-overlap" if len(covering) > 1 else "",
        format_html(' id="{}"', opening[0].anchor) if opening else "",
        mark_safe(extra_anchors),  # noqa: S308 - built with format_html
        mark_safe(text),  # noqa: S308 - escaped by the caller
        mark_safe(closing),  # noqa: S308 - built with format_html
    )


def paragraphs(body):
    """Return the paragraphs of `body` (blank lines separate them), as in the highlighted page."""
    body = body or ""
    return [body[start:end] for start, end in _paragraph_ranges(body)]
