from django.apps import AppConfig


class AssertionsConfig(AppConfig):
    """Assertions: what several sources state alike about a visit, and who disputes or denies it."""

    name = "assertions"
    #: Its tables are shown publicly: a write to any of them raises the data version.
    public_data = True
