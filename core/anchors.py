"""Quotes anchored in a text the W3C Web Annotation way: exact words, position and context.

A quote's anchor is a TextQuoteSelector (the exact words and up to CONTEXT characters either
side: prefix and suffix) with a TextPositionSelector (start and end). Positions count the
characters of the *normalised* text (core.text.normalise: plain quotes and dashes, whitespace
runs made one space), the text claims are checked against; core.highlight maps them back.

The rule, in two cases:
- placing a new (or changed) quote: the occurrence nearest the position asked for (where a
  curator selected it), else the first occurrence;
- finding a stored quote again once the text changed: the whole context still at the place
  the text around it moved it to, else, among the occurrences that fit, the one whose
  neighbouring characters agree with the stored prefix and suffix on the most characters
  (ties: the nearest its old place). An occurrence fits when at least one side agrees: half
  of the stored prefix (or suffix) read outwards from the quote, or, for an empty one, the
  start (end) of the text. None fits: the quote has no anchor (the claim is orphaned). So
  an edit on one side of a quote keeps it, and a quote is never moved to other words that
  merely happen to be the same; one whose text on both sides was rewritten is orphaned too,
  for a curator to check.
"""

from dataclasses import dataclass

#: Characters of context kept on each side of a quote.
CONTEXT = 32


@dataclass(frozen=True)
class Anchor:
    """Where a quote sits in a normalised text, and the text around it."""

    start: int
    end: int
    prefix: str
    suffix: str


def anchor_at(text, start, length):
    """Return the anchor of the `length` characters of `text` from `start`."""
    end = start + length
    return Anchor(start, end, text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT])


def occurrences(text, exact):
    """Return the start of every occurrence of `exact` in `text` (overlapping ones too)."""
    starts, index = [], text.find(exact) if exact else -1
    while index >= 0:
        starts.append(index)
        index = text.find(exact, index + 1)
    return starts


def place(text, exact, *, near=None):
    """Return the anchor of `exact` nearest the position `near` (or its first), or None."""
    if not exact:
        return None
    if near is not None and near >= 0 and text.startswith(exact, near):
        return anchor_at(text, near, len(exact))
    starts = occurrences(text, exact)
    if not starts:
        return None
    if near is None:
        return anchor_at(text, starts[0], len(exact))
    return anchor_at(text, min(starts, key=lambda start: (abs(start - near), -start)), len(exact))


def agreement(text, start, end, prefix, suffix):
    """Return how many characters before and after text[start:end] agree with the context."""
    before = 0
    while (
        before < len(prefix)
        and before < start
        and (text[start - before - 1] == prefix[len(prefix) - before - 1])
    ):
        before += 1
    after = 0
    while after < len(suffix) and end + after < len(text) and text[end + after] == suffix[after]:
        after += 1
    return before, after


def _side_agrees(count, stored, at_edge):
    """Return whether one side agrees: half its stored text, or the text's edge as stored."""
    return 2 * count >= len(stored) if stored else at_edge


def relocate(text, exact, *, start, prefix, suffix, expected=None):
    """Return the anchor of a stored quote in a (changed) text by its context, or None.

    `expected` is where the quote should now begin if the text before it moved it as much as
    it moved the quote before it (a hint, to find the unchanged context without a search).
    """
    if not exact:
        return None
    context = prefix + exact + suffix
    for guess in dict.fromkeys(g for g in (expected, start) if g is not None):
        if guess >= len(prefix) and text.startswith(context, guess - len(prefix)):
            return anchor_at(text, guess, len(exact))
    near = start if expected is None else expected
    fitting = []
    for candidate in occurrences(text, exact):
        end = candidate + len(exact)
        before, after = agreement(text, candidate, end, prefix, suffix)
        if _side_agrees(before, prefix, candidate == 0) or _side_agrees(
            after, suffix, end == len(text)
        ):
            fitting.append((before + after, -abs(candidate - near), candidate))
    if not fitting:
        return None
    return anchor_at(text, max(fitting)[2], len(exact))
