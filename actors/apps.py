from django.apps import AppConfig


class ActorsConfig(AppConfig):
    """People, organisations and countries, with their roles over time and every spelling seen."""

    name = "actors"
