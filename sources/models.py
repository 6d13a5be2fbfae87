"""Source documents: every fact in the knowledge base points to one."""

import hashlib

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actors.models import Actor
from core.models import CuratedModel, FromDataset, publish_permission
from core.text import normalise
from sources.querysets import SourceDocumentQuerySet
from sources.signals import body_changed
from visits.models import Issue, Visit


class SourceKind(models.TextChoices):
    NEWS = "news", "News report"
    ANALYSIS = "analysis", "Analysis or op-ed"
    BRIEF = "brief", "Think-tank brief"
    STATEMENT = "statement", "Official statement or readout"
    DATASET = "dataset", "Dataset"
    OTHER = "other", "Other"


#: Only web links: a citation or source link is followed by readers' browsers.
web_url_validator = URLValidator(schemes=["http", "https"])


def author_list(authors):
    """Return the names in an authors field ("A; B") as a list."""
    return [name.strip() for name in authors.split(";") if name.strip()]


def body_checksum(body):
    """Return the checksum that identifies a cleaned body (whitespace and quote style ignored)."""
    return hashlib.sha256(normalise(body).encode("utf-8")).hexdigest()


class SourceDocument(CuratedModel, FromDataset):
    """An article, brief, readout or dataset, kept as received and as cleaned text."""

    #: The kind of an imported dataset; every other kind is something curators read.
    DATASET_KIND = SourceKind.DATASET

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.NEWS)
    publisher = models.CharField(
        max_length=200, blank=True, db_index=True, help_text="Outlet or institution: “ISSI”."
    )
    authors = models.CharField(
        max_length=300, blank=True, help_text="Names separated by “; ”, as the source gives them."
    )
    url = models.URLField(
        max_length=1000,
        blank=True,
        validators=[web_url_validator],
        help_text="Where the source is published (http or https).",
    )
    published_date = models.DateField(
        null=True, blank=True, db_index=True, help_text="Leave empty when the text does not say."
    )
    language = models.CharField(max_length=10, default="en", help_text="ISO code, e.g. “en”.")
    licence = models.CharField(max_length=200, blank=True, help_text="E.g. “Public domain (CC0)”.")
    raw_text = models.TextField(
        blank=True,
        help_text="The text exactly as received. Never edited; the body is built from it.",
    )
    body = models.TextField(
        help_text="The cleaned text. Claims quote it verbatim, so fix it before adding claims."
    )
    checksum = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="SHA-256 of the normalised body; the same article cannot be imported twice.",
    )
    visits = models.ManyToManyField(
        Visit, blank=True, related_name="sources", help_text="The visits this source covers."
    )
    actors = models.ManyToManyField(
        Actor, blank=True, related_name="mentioned_in", help_text="Actors the source mentions."
    )
    issues = models.ManyToManyField(
        Issue, blank=True, related_name="sources", help_text="Issues the source discusses."
    )
    #: The columns full-text search reads, each with its weight (A ranks highest).
    search_weights = {"title": "A", "publisher": "B", "authors": "B", "body": "D"}
    search_vector = SearchVectorField(
        null=True, editable=False, help_text="Full-text index (PostgreSQL), kept by a trigger."
    )
    external_id = models.CharField(
        max_length=100, null=True, blank=True, unique=True, editable=False
    )

    objects = SourceDocumentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["raw_text", "search_vector"])

    class Meta:
        ordering = ["-published_date", "title"]
        permissions = [publish_permission("sourcedocument", "source documents")]
        indexes = [
            models.Index(fields=["kind", "published_date"]),
            # The public list's order, over public rows only (sources have no parents).
            models.Index(
                fields=["published_date", "id"],
                condition=models.Q(publication_status="published"),
                name="source_public_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sources:detail", kwargs={"slug": self.slug})

    @property
    def normalised_body(self):
        """Return the body as quotes are compared with it (memoised until the body changes)."""
        cached = getattr(self, "_normalised_body", None)
        if cached is None or cached[0] is not self.body:
            cached = (self.body, normalise(self.body))
            self._normalised_body = cached
        return cached[1]

    @property
    def author_list(self):
        """Return the authors as a list."""
        return author_list(self.authors)

    def duplicate_of(self):
        """Return another document with the same cleaned body, if there is one."""
        others = SourceDocument.objects.filter(checksum=body_checksum(self.body))
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        return others.only("title", "slug").first()

    def clean(self):
        super().clean()
        if self.body and not self.body.strip():
            raise ValidationError({"body": "The body is empty."})
        existing = self.duplicate_of() if self.body else None
        if existing is not None:
            message = "This text is already in the knowledge base as “%(title)s” (%(url)s)."
            params = {"title": existing.title, "url": existing.get_absolute_url()}
            raise ValidationError(
                {"body": ValidationError(message, code="duplicate", params=params)}
            )

    @classmethod
    def from_db(cls, db, field_names, values):
        source = super().from_db(db, field_names, values)
        # The checksum as loaded, to tell on save whether the body changed.
        source.loaded_checksum = source.__dict__.get("checksum")
        return source

    def save(self, *args, **kwargs):
        self.checksum = body_checksum(self.body)
        update_fields = kwargs.get("update_fields")
        changed = (
            self.pk is not None
            and self.checksum != getattr(self, "loaded_checksum", None)
            and (update_fields is None or "body" in update_fields)
        )
        super().save(*args, **kwargs)
        self.loaded_checksum = self.checksum
        if changed:
            body_changed.send(sender=type(self), source=self)


class Citation(models.Model):
    """A footnote, endnote or reference the source itself gives."""

    source = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="citations")
    label = models.CharField(max_length=20, blank=True, help_text="The note's mark: “1”, “a”.")
    text = models.TextField(help_text="The note as the source prints it.")
    url = models.URLField(max_length=1000, blank=True, validators=[web_url_validator])
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "position"]

    def __str__(self):
        return f"[{self.label}] {self.text[:80]}" if self.label else self.text[:80]
