from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    """Claims: what a source asserts, quoted verbatim, about visits, actors and issues."""

    name = "claims"
    #: Its tables are shown publicly: a write to any of them raises the data version.
    public_data = True
