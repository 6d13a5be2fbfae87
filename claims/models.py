"""Claims: one assertion a source makes, with its verbatim quote."""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actors.models import Actor
from claims.querysets import ClaimQuerySet
from core.models import CuratedModel, ImportedRecord, publish_permission
from core.text import normalise, strip_quote_marks
from sources.models import SourceDocument
from visits.models import PUBLIC, Issue, Visit


class ClaimKind(models.TextChoices):
    OUTCOME = "outcome", "Outcome"
    AGREEMENT = "agreement", "Agreement"
    STATEMENT = "statement", "Statement or pledge"
    ALLEGATION = "allegation", "Allegation"
    DENIAL = "denial", "Denial"
    ASSESSMENT = "assessment", "Assessment"
    BACKGROUND = "background", "Background fact"
    EXPECTATION = "expectation", "Expectation"


class ClaimStatus(models.TextChoices):
    REPORTED = "reported", "Reported"
    CONFIRMED = "confirmed", "Confirmed"
    DISPUTED = "disputed", "Disputed"
    DENIED = "denied", "Denied"
    UNVERIFIED = "unverified", "Unverified"


class Claim(CuratedModel, ImportedRecord):
    """One assertion a source makes about a visit, actors or issues."""

    source = models.ForeignKey(
        SourceDocument,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="The document that makes the claim. Every claim has one.",
    )
    quote = models.TextField(
        help_text="Copied verbatim from the source's body (quotes, dashes and line breaks may "
        "differ). A quote not found in the body is refused."
    )
    summary = models.TextField(help_text="What is claimed, in the curator's neutral words.")
    kind = models.CharField(max_length=20, choices=ClaimKind.choices, default=ClaimKind.STATEMENT)
    speaker = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims_made",
        help_text="Who asserts it. Leave empty when it is the source's own author speaking.",
    )
    visit = models.ForeignKey(
        Visit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="The visit the claim is about, if any.",
    )
    actors = models.ManyToManyField(
        Actor, blank=True, related_name="claims_about", help_text="Who the claim is about."
    )
    issues = models.ManyToManyField(Issue, blank=True, related_name="claims")
    status = models.CharField(
        max_length=20,
        choices=ClaimStatus.choices,
        default=ClaimStatus.REPORTED,
        db_index=True,
        help_text="Reported: stated by the source. Confirmed: by an official record. "
        "Disputed/denied: name who did it below.",
    )
    disputed_by = models.ManyToManyField(
        Actor,
        blank=True,
        related_name="claims_disputed",
        help_text="Who disputed or denied the claim.",
    )
    status_note = models.CharField(
        max_length=500, blank=True, help_text="How and when it was disputed, denied or confirmed."
    )
    #: The columns full-text search reads, each with its weight (A ranks highest).
    search_weights = {"quote": "A", "summary": "B", "status_note": "C"}
    search_vector = SearchVectorField(
        null=True, editable=False, help_text="Full-text index (PostgreSQL), kept by a trigger."
    )
    is_public = models.BooleanField(
        default=False,
        editable=False,
        help_text="Published, and so are its source, visit and speaker: kept on every save.",
    )
    source_date = models.DateField(
        null=True,
        editable=False,
        help_text="Its source's date, copied so that lists sort and filter claims by it.",
    )

    public_parents = ("source", "visit", "speaker")
    copied_fields = {"source_date": "source__published_date"}
    objects = ClaimQuerySet.as_manager()
    # The stored columns follow from the recorded fields: no history of their own.
    history = HistoricalRecords(excluded_fields=["search_vector", "is_public", "source_date"])

    class Meta:
        ordering = ["source", "id"]
        permissions = [publish_permission("claim", "claims")]
        # Public lists read public rows only: partial indexes, one per filter and sort, each
        # ending in the id so that a page is found by an index-only scan.
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["visit", "status"]),
            models.Index(fields=["source", "id"], name="claim_source_id"),
            models.Index(fields=["source_date", "id"], condition=PUBLIC, name="claim_public_date"),
            models.Index(
                fields=["status", "source_date", "id"], condition=PUBLIC, name="claim_public_status"
            ),
            models.Index(
                fields=["kind", "source_date", "id"], condition=PUBLIC, name="claim_public_kind"
            ),
            models.Index(
                fields=["speaker", "source_date", "id"],
                condition=PUBLIC,
                name="claim_public_speaker",
            ),
        ]

    def __str__(self):
        return self.summary[:100] or self.quote[:100]

    def get_absolute_url(self):
        return reverse("claims:detail", kwargs={"pk": self.pk})

    def check_quote(self):
        """Raise ValidationError unless the quote occurs in the source's body."""
        if not self.source_id or not self.quote:
            return
        quote = normalise(self.quote)
        if not quote or quote not in self.source.normalised_body:
            message = (
                "This quote does not occur in the body of “%(source)s”. Copy it exactly from "
                "the source (quote marks, dashes and line breaks may differ)."
            )
            raise ValidationError(
                {
                    "quote": ValidationError(
                        message, code="quote_not_in_source", params={"source": self.source.title}
                    )
                }
            )

    def clean(self):
        super().clean()
        self.quote = strip_quote_marks(self.quote)
        self.check_quote()

    def save(self, *args, **kwargs):
        # The same rules in every path that saves a claim (admin, commands, code): pages show
        # the quote inside marks of their own, and it must occur in the source.
        self.quote = strip_quote_marks(self.quote)
        self.check_quote()
        super().save(*args, **kwargs)
