from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Pages that show several apps at once: the overview, search and the health check."""

    name = "pages"
    verbose_name = "Site pages"

    def ready(self):
        from core.lists import tally
        from pages.views import home_counts

        # After each write, the overview's numbers are brought up to date with the lists'.
        tally.warm_counts.connect(home_counts, dispatch_uid="home-counts")
