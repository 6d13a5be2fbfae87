from django.apps import AppConfig


class VisitsConfig(AppConfig):
    """Visits (who travelled where and when, whom they met) and the issues on their agenda."""

    name = "visits"
    #: Its tables are shown publicly: a write to any of them raises the data version.
    public_data = True

    def ready(self):
        from core.lists.views import count_ahead
        from visits.views import IssueListView, VisitListView

        # After each write, the list's first page is counted before a reader asks for it.
        count_ahead(VisitListView, IssueListView)
