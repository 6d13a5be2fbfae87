from django.apps import AppConfig


class IngestConfig(AppConfig):
    """Bringing records in: pasted or uploaded articles, the seed knowledge base, datasets."""

    name = "ingest"
    verbose_name = "Imports"
