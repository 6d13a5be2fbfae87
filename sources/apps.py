from django.apps import AppConfig


class SourcesConfig(AppConfig):
    """Source documents (articles, briefs, readouts, datasets) and the citations they contain."""

    name = "sources"
    #: Its tables are shown publicly: a write to any of them raises the data version.
    public_data = True

    def ready(self):
        from core.lists.views import count_ahead
        from sources.views import SourceListView

        # After each write, the list's first page is counted before a reader asks for it.
        count_ahead(SourceListView)
