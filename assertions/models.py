"""Assertions: one thing stated about a visit, with every source's claim for or against it.

Each claim stands in one source. An assertion groups the claims of different sources that state
the same thing ("Trump offered to mediate on Kashmir"), each claim related to it as supporting,
disputing or denying it, and says from them how far the sources agree: reported by how many
sources, disputed or denied by whom.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from actors.models import Actor
from assertions.querysets import RELATION_ORDER, AssertionQuerySet
from claims.models import Claim
from core.models import CuratedModel, publish_permission
from visits.models import Issue, Visit


class Relation(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    DISPUTES = "disputes", "Disputes"
    DENIES = "denies", "Denies"


class Agreement(models.TextChoices):
    UNCONTESTED = "uncontested", "Uncontested: two or more sources, none against"
    CONTESTED = "contested", "Contested: disputed or denied"
    SINGLE_SOURCE = "single-source", "Single source: one source, none against"


class Assertion(CuratedModel):
    """What sources state alike about a visit, with the claims for and against it."""

    statement = models.CharField(
        max_length=300,
        help_text="The thing stated, in neutral words: “Trump offered to mediate on Kashmir”.",
    )
    slug = models.SlugField(max_length=120, unique=True)
    visit = models.ForeignKey(
        Visit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assertions",
        help_text="The visit it is stated about.",
    )
    issues = models.ManyToManyField(Issue, blank=True, related_name="assertions")
    note = models.TextField(
        blank=True, help_text="What a reader should know beside the sources: context, caveats."
    )
    claims = models.ManyToManyField(
        Claim, through="AssertionClaim", related_name="assertions", blank=True
    )
    is_public = models.BooleanField(
        default=False,
        editable=False,
        help_text="Published, and so is its visit: kept on every save.",
    )

    #: What decides, beyond its own row, whether an assertion is listed and how it is counted
    #: (core.lists.buckets): its agreement and claim count (querysets.with_agreement) read its
    #: links to claims, and each claim's visibility and source.
    counted_paths = {"agreement": ("links__relation", "links__claim__source")}
    public_parents = ("visit",)
    objects = AssertionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["is_public"])

    class Meta:
        ordering = ["statement", "id"]
        permissions = [publish_permission("assertion", "assertions")]

    def __str__(self):
        return self.statement

    def get_absolute_url(self):
        return reverse("assertions:detail", kwargs={"slug": self.slug})

    @property
    def sides(self):
        """Return (for, against): its public links (prefetched as `public_links`), in order."""
        links = sorted(self.public_links, key=lambda link: RELATION_ORDER[link.relation])
        return (
            [link for link in links if link.relation == Relation.SUPPORTS],
            [link for link in links if link.relation != Relation.SUPPORTS],
        )

    @property
    def verdict(self):
        """Return the line a reader sees first: "Reported by 3 sources; denied by India."."""
        supporting, opposing = self.sides
        sources = len({link.claim.source_id for link in supporting})
        parts = [
            f"reported by {sources} source{pluralize(sources)}"
            if sources
            else "stated by no source as fact"
        ]
        for relation, verb in ((Relation.DISPUTES, "disputed"), (Relation.DENIES, "denied")):
            names = list(dict.fromkeys(x.opposer for x in opposing if x.relation == relation))
            if names:
                parts.append(f"{verb} by {join_names(names)}")
        return capfirst("; ".join(parts)) + "."


class AssertionClaim(models.Model):
    """A claim's place in an assertion: for it or against it, and who is against it."""

    assertion = models.ForeignKey(Assertion, on_delete=models.CASCADE, related_name="links")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="assertion_links")
    relation = models.CharField(
        max_length=10,
        choices=Relation.choices,
        default=Relation.SUPPORTS,
        help_text="Whether the claim states the assertion, disputes it or denies it.",
    )
    by = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assertions_opposed",
        verbose_name="disputed or denied by",
        help_text="Who disputes or denies it. Empty: the claim's speaker, else its source.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["assertion", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assertion", "claim"], name="assertion_claim_once")
        ]
        verbose_name = "claim in an assertion"
        verbose_name_plural = "claims in assertions"

    def __str__(self):
        return f"{self.get_relation_display()}: {self.claim}"

    def clean(self):
        super().clean()
        if not (self.assertion_id and self.claim_id):
            return
        visit_id, claim_visit_id = self.assertion.visit_id, self.claim.visit_id
        if visit_id and claim_visit_id and visit_id != claim_visit_id:
            message = (
                f"This claim is about another visit (“{self.claim.visit}”): an assertion "
                "groups the claims about its own visit."
            )
            raise ValidationError({"claim": message})

    @property
    def opposer(self):
        """Return who disputes or denies: the named actor, the claim's speaker, or its source."""
        if self.by_id and self.by.is_published:  # a draft actor is named by no public page
            return self.by.name
        if self.claim.speaker_id:
            return self.claim.speaker.name
        source = self.claim.source
        return source.publisher or source.title


def join_names(names):
    """Return "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
