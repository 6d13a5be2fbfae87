from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only JSON API: the public lists and records, with the lists' own filters."""

    name = "api"
    verbose_name = "API"

    def ready(self):
        from api import schema  # noqa: F401 - registers the description of the lists' filters
