from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    """Claims: what a source asserts, quoted verbatim, about visits, actors and issues."""

    name = "claims"
    #: Its tables are shown publicly: a write to any of them raises the data version.
    public_data = True

    def ready(self):
        from claims.anchoring import reanchor_after_body_change
        from claims.views import ClaimListView
        from core.lists.views import count_ahead
        from sources.signals import body_changed

        # After each write, the list's first page is counted before a reader asks for it.
        count_ahead(ClaimListView)

        # A source's body changed: its claims' quotes are anchored again (or orphaned).
        body_changed.connect(reanchor_after_body_change, dispatch_uid="claims_reanchor")
