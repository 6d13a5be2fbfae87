from django.apps import AppConfig


class SourcesConfig(AppConfig):
    """Source documents (articles, briefs, readouts, datasets) and the citations they contain."""

    name = "sources"
