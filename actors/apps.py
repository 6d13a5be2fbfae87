from django.apps import AppConfig


class ActorsConfig(AppConfig):
    """People, organisations and countries, with their roles over time and every spelling seen."""

    name = "actors"
    #: Its tables are shown publicly: a write to any of them raises the data version.
    public_data = True

    def ready(self):
        from actors.views import ActorListView
        from core.lists.views import count_ahead

        # After each write, the list's first page is counted before a reader asks for it.
        count_ahead(ActorListView)
