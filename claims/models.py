"""Claims: one assertion a source makes, with its verbatim quote."""

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actors.models import Actor
from claims.querysets import ClaimQuerySet
from core import anchors
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

    # Where the quote sits in its source: a W3C TextPositionSelector (start, end) counted in
    # characters of the source's normalised body (core.text.normalise), and the text either
    # side of it (a TextQuoteSelector's prefix and suffix). Kept by save() and, when the
    # source's body changes, by claims.anchoring; see core.anchors for the rule.
    quote_start = models.PositiveIntegerField(
        null=True,
        editable=False,
        help_text="Where the quote begins in the source's normalised text (empty: not placed).",
    )
    quote_end = models.PositiveIntegerField(
        null=True, editable=False, help_text="Where the quote ends in the source's normalised text."
    )
    quote_prefix = models.CharField(
        max_length=anchors.CONTEXT,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="The text just before the quote in the source, to find it again.",
    )
    quote_suffix = models.CharField(
        max_length=anchors.CONTEXT,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="The text just after the quote in the source, to find it again.",
    )
    is_orphaned = models.BooleanField(
        "orphaned",
        default=False,
        db_default=False,  # also for rows written in bulk by SQL (bench.synthetic)
        editable=False,
        help_text="The source's text changed and the quote no longer appears in it where it "
        "was: correct the quote (or the source's text).",
    )

    public_parents = ("source", "visit", "speaker")
    copied_fields = {"source_date": "source__published_date"}
    objects = ClaimQuerySet.as_manager()
    #: The quote's anchor, kept from the quote and the source's body.
    anchor_fields = ["quote_start", "quote_end", "quote_prefix", "quote_suffix", "is_orphaned"]
    # The stored columns follow from the recorded fields: no history of their own.
    history = HistoricalRecords(
        excluded_fields=["search_vector", "is_public", "source_date", *anchor_fields]
    )

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
            # The admin's list of orphaned claims.
            models.Index(
                fields=["id"], condition=models.Q(is_orphaned=True), name="claim_orphaned"
            ),
        ]

    def __str__(self):
        return self.summary[:100] or self.quote[:100]

    def get_absolute_url(self):
        return reverse("claims:detail", kwargs={"pk": self.pk})

    @classmethod
    def from_db(cls, db, field_names, values):
        claim = super().from_db(db, field_names, values)
        claim.remember_anchor()
        return claim

    def remember_anchor(self):
        """Note the quote and its place as saved, to tell on save whether they changed."""
        self.saved_anchor = (self.__dict__.get("source_id"), self.__dict__.get("quote"))
        self.saved_anchor += (self.__dict__.get("quote_start"),)

    def quote_changed(self):
        """Return whether the quote or its source differs from the saved one (or is new)."""
        saved = getattr(self, "saved_anchor", None)
        return saved is None or saved[:2] != (self.source_id, self.quote)

    def check_quote(self):
        """Raise ValidationError unless the quote occurs in the source's body.

        Only a new or changed quote (or source) is checked: when the source's text changes
        under a claim's quote, the claim is orphaned (claims.anchoring), not refused, and may
        still be saved for its other fields.
        """
        if not self.source_id or not self.quote or not self.quote_changed():
            return
        quote = normalise(self.quote)
        if quote and quote in self.source.normalised_body:
            return
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

    def set_anchor(self, anchor):
        """Store `anchor` (a core.anchors.Anchor), or mark the claim orphaned if None.

        An orphaned claim keeps its last anchor, so that it is found again if the text comes
        back. Return whether anything changed.
        """
        before = [getattr(self, name) for name in self.anchor_fields]
        if anchor is None:
            self.is_orphaned = True
        else:
            self.quote_start, self.quote_end = anchor.start, anchor.end
            self.quote_prefix, self.quote_suffix = anchor.prefix, anchor.suffix
            self.is_orphaned = False
        return before != [getattr(self, name) for name in self.anchor_fields]

    def found_again(self, text, *, expected=None):
        """Return the stored quote's anchor in `text` (a normalised body), found by its context.

        `expected`: where it should begin now, if a hint is known (see core.anchors.relocate).
        """
        return anchors.relocate(
            text,
            normalise(self.quote),
            start=self.quote_start,
            prefix=self.quote_prefix,
            suffix=self.quote_suffix,
            expected=expected,
        )

    def anchor_quote(self):
        """Anchor the quote in the source's normalised body (see core.anchors for the rule).

        The same quote at the same place as saved is found again by its context; a new or
        changed one, or one given a new `quote_start` (where a curator selected it), is
        placed at the occurrence nearest `quote_start`, else at the first.
        """
        text, exact = self.source.normalised_body, normalise(self.quote)
        saved = getattr(self, "saved_anchor", None)
        if (
            self.quote_start is not None
            and not self.quote_changed()
            and (saved[2] == self.quote_start)
        ):
            anchor = self.found_again(text)
        else:
            anchor = anchors.place(text, exact, near=self.quote_start)
        self.set_anchor(anchor)

    @property
    def selector(self):
        """Return the quote's W3C Web Annotation selectors (positions: normalised text)."""
        placed = self.quote_start is not None and not self.is_orphaned
        return {
            "orphaned": self.is_orphaned,
            "quote": {
                "type": "TextQuoteSelector",
                "exact": normalise(self.quote),
                "prefix": self.quote_prefix,
                "suffix": self.quote_suffix,
            },
            "position": {
                "type": "TextPositionSelector",
                "start": self.quote_start,
                "end": self.quote_end,
            }
            if placed
            else None,
        }

    def clean(self):
        super().clean()
        self.quote = strip_quote_marks(self.quote)
        self.check_quote()

    def save(self, *args, **kwargs):
        # The same rules in every path that saves a claim (admin, commands, code): pages show
        # the quote inside marks of their own, and it must occur in the source.
        self.quote = strip_quote_marks(self.quote)
        self.check_quote()
        update_fields = kwargs.get("update_fields")
        if self.source_id and self.quote and (update_fields is None or "quote" in update_fields):
            self.anchor_quote()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.anchor_fields}
        super().save(*args, **kwargs)
        self.remember_anchor()
