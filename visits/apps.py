from django.apps import AppConfig


class VisitsConfig(AppConfig):
    """Visits (who travelled where and when, whom they met) and the issues on their agenda."""

    name = "visits"
