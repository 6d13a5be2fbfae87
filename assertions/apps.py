from django.apps import AppConfig


class AssertionsConfig(AppConfig):
    """Assertions: what several sources state alike about a visit, and who disputes or denies it."""

    name = "assertions"
    #: Its tables are shown publicly: a write to any of them raises the data version.
    public_data = True

    def ready(self):
        from assertions.views import AssertionListView
        from core.lists.views import count_ahead

        # After each write, the list's first page is counted before a reader asks for it.
        count_ahead(AssertionListView)
