from django.apps import AppConfig


class ActorsConfig(AppConfig):
    """People, organisations and countries, with their roles over time and every spelling seen."""

    name = "actors"
    #: Its tables are shown publicly: a write to any of them raises the data version.
    public_data = True
