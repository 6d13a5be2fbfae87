from django.apps import AppConfig


class SourcesConfig(AppConfig):
    """Source documents (articles, briefs, readouts, datasets) and the citations they contain."""

    name = "sources"
    #: Its tables are shown publicly: a write to any of them raises the data version.
    public_data = True
