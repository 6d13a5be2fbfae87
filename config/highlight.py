"""A source's body as escaped HTML paragraphs, each claim's quote highlighted and anchored."""

import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from config.text import _normalised_with_offsets, normalise

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


@dataclass
class Quote:
    """A passage to highlight: its anchor id, the text to find, the note it links to."""

    anchor: str
    text: str
    title: str = ""
    note_url: str = ""
    number: int = 0
    found: bool = False


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


def locate(body, fragments):
    """Return, for each fragment, its (start, end) offsets in `body` or None.

    The same rule as config.text.find_normalised, with the body normalised once rather than
    once per quote (a source may carry hundreds of claims).
    """
    haystack, offsets = _normalised_with_offsets(body or "")
    positions = []
    for fragment in fragments:
        needle = normalise(fragment)
        index = haystack.find(needle) if needle else -1
        positions.append(
            None if index < 0 else (offsets[index], offsets[index + len(needle) - 1] + 1)
        )
    return positions


def highlight_body(body, quotes):
    """Return `body` as safe HTML paragraphs with every found quote in <mark id=anchor>.

    Overlapping quotes are each marked over their own extent (nested spans split into
    segments); a quote split over paragraphs is marked in each, anchored at its start.
    Sets `found` on each quote and numbers the quotes in reading order (unfound ones last).
    """
    body = body or ""
    spans = []
    for quote, position in zip(quotes, locate(body, [q.text for q in quotes]), strict=True):
        quote.found = position is not None
        if position:
            spans.append((position[0], position[1], quote))
    spans.sort(key=lambda span: (span[0], span[1]))
    for number, (_start, _end, quote) in enumerate(spans, start=1):
        quote.number = number
    for number, quote in enumerate((q for q in quotes if not q.found), start=len(spans) + 1):
        quote.number = number
    boundaries = {0, len(body)}
    for start, end, _quote in spans:
        boundaries.update((start, end))
    paragraphs = _paragraph_ranges(body)
    for start, end in paragraphs:
        boundaries.update((start, end))
    cuts = sorted(boundaries)
    anchored = set()
    html = []
    for para_start, para_end in paragraphs:
        pieces = []
        points = [cut for cut in cuts if para_start <= cut <= para_end]
        for seg_start, seg_end in zip(points, points[1:], strict=False):
            text = body[seg_start:seg_end]
            covering = [
                quote for start, end, quote in spans if start <= seg_start and seg_end <= end
            ]
            if not covering:
                pieces.append(_escaped(text))
                continue
            opening = [quote for quote in covering if quote.anchor not in anchored]
            anchored.update(quote.anchor for quote in opening)
            mark_id = opening[0].anchor if opening else ""
            extra_anchors = "".join(
                format_html('<span id="{}" class="quote-anchor"></span>', quote.anchor)
                for quote in opening[1:]
            )
            closing = "".join(
                format_html(
                    '<a class="quote-ref" href="{}" title="{}">{}</a>',
                    quote.note_url,
                    quote.title,
                    quote.number,
                )
                for start, end, quote in spans
                if end == seg_end and quote in covering and quote.note_url
            )
            pieces.append(
                format_html(
                    '<mark class="quote{}"{}>{}{}</mark>{}',
                    " quote-overlap" if len(covering) > 1 else "",
                    format_html(' id="{}"', mark_id) if mark_id else "",
                    mark_safe(extra_anchors),  # noqa: S308 - built with format_html
                    mark_safe(_escaped(text)),  # noqa: S308 - escaped above
                    mark_safe(closing),  # noqa: S308 - built with format_html
                )
            )
        html.append(format_html("<p>{}</p>", mark_safe("".join(pieces))))  # noqa: S308
    return mark_safe("\n".join(html))  # noqa: S308 - every paragraph is built with format_html
