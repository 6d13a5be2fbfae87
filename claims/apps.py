from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    """Claims: what a source asserts, quoted verbatim, about visits, actors and issues."""

    name = "claims"
    #: Its tables are shown publicly: a write to any of them raises the data version.
    public_data = True

    def ready(self):
        from claims.anchoring import reanchor_after_body_change
        from sources.signals import body_changed

        # A source's body changed: its claims' quotes are anchored again (or orphaned).
        body_changed.connect(reanchor_after_body_change, dispatch_uid="claims_reanchor")
