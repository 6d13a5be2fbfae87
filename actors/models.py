"""People, organisations and countries that travel, host, speak and are spoken about."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.dates import DatePrecision, format_date_range
from core.models import CuratedModel, CuratedQuerySet, publish_permission, shown
from core.text import fingerprint


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    COUNTRY = "country", "Country"


class ActorQuerySet(CuratedQuerySet):
    def countries(self):
        """Return country actors."""
        return self.filter(kind=ActorKind.COUNTRY)

    def for_list(self):
        """Return actors with what a list row shows (country, aliases), in a fixed few queries."""
        aliases = ActorAlias.objects.only("name", "actor")
        return (
            self.select_related("country")
            .defer_unshown("country")
            .prefetch_related(shown("aliases", aliases, "shown_aliases"))
        )

    def as_links(self):
        """Return actors with only what a link to one needs (its name and slug)."""
        return self.only("name", "slug")

    def matching(self, text):
        """Return actors whose name or an alias contains `text` (any case), best first.

        Best (`match_rank` 0) is a name or alias that is `text` itself, then (1) a name that
        starts with it, (2) a name with a word that starts with it ("mun": Asim Munir), then
        (3) the rest ("mun": Edmund Muskie); each by name. This is what a type-ahead offers
        while one types "mun" or "imran".
        """
        text = text.strip()
        aliases = ActorAlias.objects.filter(actor=models.OuterRef("pk"))
        return (
            self.filter(
                models.Q(name__icontains=text) | models.Exists(aliases.filter(name__icontains=text))
            )
            .annotate(
                match_rank=models.Case(
                    models.When(
                        models.Q(name__iexact=text)
                        | models.Exists(aliases.filter(name__iexact=text)),
                        then=0,
                    ),
                    models.When(name__istartswith=text, then=1),
                    models.When(
                        models.Q(name__icontains=f" {text}") | models.Q(name__icontains=f"-{text}"),
                        then=2,
                    ),
                    default=3,
                )
            )
            .order_by("match_rank", "name", "pk")
        )


class Actor(CuratedModel):
    """A person, organisation or country."""

    name = models.CharField(
        max_length=200,
        db_index=True,
        help_text="The usual full name, without a title: “Imran Khan”, not “PM Imran Khan”.",
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="Used in URLs and filters (/actors/imran-khan/, ?leader=imran-khan). "
        "For countries, the Office of the Historian's country key (e.g. “pakistan”).",
    )
    kind = models.CharField(max_length=20, choices=ActorKind.choices, default=ActorKind.PERSON)
    country = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nationals",
        limit_choices_to={"kind": ActorKind.COUNTRY},
        help_text="For a person or organisation: the country it belongs to.",
    )
    description = models.TextField(blank=True, help_text="One or two neutral sentences.")
    #: The columns full-text search reads, each with its weight (A ranks highest).
    search_weights = {"name": "A", "description": "C"}
    search_vector = SearchVectorField(
        null=True, editable=False, help_text="Full-text index (PostgreSQL), kept by a trigger."
    )
    fingerprint = models.CharField(
        max_length=200,
        db_index=True,
        editable=False,
        help_text="Name key used to match spellings (lower case, no accents, words sorted).",
    )

    public_parents = ()
    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["name"]
        permissions = [publish_permission("actor", "actors")]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("actors:detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        self.fingerprint = fingerprint(self.name)
        super().save(*args, **kwargs)


class ActorAlias(models.Model):
    """Another spelling or short form of an actor's name, as sources write it."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(
        max_length=200,
        help_text="Exactly as a source writes it: “PM Khan”, “COAS”, “President Asif Zadari”.",
    )
    fingerprint = models.CharField(max_length=200, db_index=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "actor aliases"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "name"], name="unique_alias_per_actor")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fingerprint = fingerprint(self.name)
        super().save(*args, **kwargs)


class ActorRole(models.Model):
    """A position an actor held, so that a visit knows what its visitor was at the time."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(
        max_length=200, help_text="As it was held: “Prime Minister”, “Chief of Army Staff”."
    )
    organisation = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positions",
        help_text="The country or organisation the position belongs to.",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="Leave empty if still held.")
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.YEAR,
        help_text="How precisely the dates are known; pages show no more than this.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["actor", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="role_end_not_before_start",
                violation_error_message="The role cannot end before it starts.",
            )
        ]

    def __str__(self):
        # Holder first: a curator picking a visit's role sees whose it is and when it was held.
        where = f" ({self.organisation})" if self.organisation_id else ""
        period = f", {self.period}" if self.period else ""
        return f"{self.actor} \u2014 {self.title}{where}{period}"

    @property
    def period(self):
        """Return the period held, as precisely as known ('2018–2022')."""
        if self.start_date is None:
            return ""
        if self.end_date is None:
            return f"since {format_date_range(self.start_date, None, self.date_precision)}"
        return format_date_range(self.start_date, self.end_date, self.date_precision)
