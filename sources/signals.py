"""Signals a source document sends for the records that depend on it."""

from django.dispatch import Signal

#: Sent with `source` after a saved source's normalised body changed (an edit, a re-import):
#: the claims app anchors the source's quotes again. Sources do not import claims.
body_changed = Signal()
