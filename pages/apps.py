from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Pages that show several apps at once: the overview, search and the health check."""

    name = "pages"
    verbose_name = "Site pages"
