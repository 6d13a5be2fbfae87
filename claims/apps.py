from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    """Claims: what a source asserts, quoted verbatim, about visits, actors and issues."""

    name = "claims"
