from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: publication and visibility, dates, text, admin mixins, lists."""

    name = "core"
    verbose_name = "Knowledge base"
