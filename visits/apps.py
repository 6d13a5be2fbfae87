from django.apps import AppConfig


class VisitsConfig(AppConfig):
    """Visits (who travelled where and when, whom they met) and the issues on their agenda."""

    name = "visits"
    #: Its tables are shown publicly: a write to any of them raises the data version.
    public_data = True
