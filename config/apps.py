from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Project-wide pieces: the site's front page, health check, shared template tags."""

    name = "config"
    verbose_name = "Knowledge base"
