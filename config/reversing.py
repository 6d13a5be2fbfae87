"""Detail-page URLs at list speed: reverse() once per pattern, then plain string formatting.

A list page links every row, its leader, its source, its issues…: a hundred reverse() calls,
each resolving the URL patterns again. The pattern of a detail page is fixed, so its URL is
the part before the identifier, the identifier, and the part after.
"""

import re
from functools import lru_cache

from django.urls import get_script_prefix, reverse

#: Identifiers that need no quoting in a URL path (slugs and ids).
PLAIN = re.compile(r"[A-Za-z0-9_-]+")


@lru_cache(maxsize=64)
def _parts(prefix, viewname, kwarg, sentinel):
    head, tail = reverse(viewname, kwargs={kwarg: sentinel}).split(sentinel, 1)
    return head, tail


def detail_url(viewname, kwarg, value):
    """Return reverse(viewname, kwargs={kwarg: value}), from a cached pattern when it can."""
    text = str(value)
    if not PLAIN.fullmatch(text):
        return reverse(viewname, kwargs={kwarg: value})
    sentinel = "987654321" if isinstance(value, int) else "detail-url-sentinel"
    head, tail = _parts(get_script_prefix(), viewname, kwarg, sentinel)
    return f"{head}{text}{tail}"
