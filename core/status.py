"""The publication status of a curated record (a leaf module: it imports nothing of the project)."""

from django.db import models


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
