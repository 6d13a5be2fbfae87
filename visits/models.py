"""Visits and the issues on their agenda."""

from urllib.parse import urlsplit

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from actors.models import Actor, ActorKind, ActorRole
from core.dates import DatePrecision, format_date_range
from core.models import CuratedModel, ImportedRecord, publish_permission
from visits.querysets import IssueQuerySet, ParticipationQuerySet, VisitQuerySet

#: The condition of the partial indexes that serve the public pages.
PUBLIC = models.Q(is_public=True)


class Issue(CuratedModel):
    """A topic on the agenda of visits and the subject of claims."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="Used in URLs and filters (?issue=kashmir)."
    )
    description = models.TextField(blank=True, help_text="What the issue covers, in a sentence.")
    keywords = models.TextField(
        blank=True,
        help_text="Words and phrases that signal the issue in an article, one per line "
        "(used to suggest issues for a new source).",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="A broader issue this one belongs to, if any.",
    )

    objects = IssueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [publish_permission("issue", "issues")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("visits:issue-detail", kwargs={"slug": self.slug})

    @property
    def keyword_list(self):
        """Return the keywords as a list, the name included."""
        words = [line.strip() for line in self.keywords.splitlines() if line.strip()]
        return [self.name, *[word for word in words if word.lower() != self.name.lower()]]


class VisitKind(models.TextChoices):
    STATE = "state", "State visit"
    OFFICIAL = "official", "Official visit"
    OFFICIAL_WORKING = "official_working", "Official working visit"
    WORKING = "working", "Working visit"
    PRIVATE = "private", "Private visit"
    INFORMAL = "informal", "Informal visit"
    MULTILATERAL = "multilateral", "Multilateral meeting"
    CEREMONY = "ceremony", "Ceremony"  # a funeral, an inauguration, a signing …
    UNANNOUNCED = "unannounced", "Unannounced visit"
    STOPOVER = "stopover", "Stopover"
    MEETING = "meeting", "Meeting"  # talks, where no kind of visit is named
    OTHER = "other", "Other"


class Visit(CuratedModel, ImportedRecord):
    """Who travelled where and when, and whom they met."""

    title = models.CharField(
        max_length=255, help_text="Short and plain: “Imran Khan visits Kabul”."
    )
    slug = models.SlugField(max_length=255, unique=True)
    visitor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="visits_made",
        help_text="The leader who travelled.",
    )
    visitor_role = models.ForeignKey(
        ActorRole,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="What the visitor was at the time (add the role on the actor first).",
    )
    origin = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits_from",
        limit_choices_to={"kind": ActorKind.COUNTRY},
        help_text="The country the visitor came from.",
    )
    destination = models.ForeignKey(
        Actor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits_to",
        limit_choices_to={"kind": ActorKind.COUNTRY},
        help_text="The country visited.",
    )
    city = models.CharField(max_length=120, blank=True, help_text="City or place, if known.")
    start_date = models.DateField(
        db_index=True,
        help_text="If only the month or year is known, enter its first day and set the "
        "precision: “2014” is 1 January 2014 with precision “Year”.",
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="Last day of the visit; empty for a one-day visit."
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How precisely the dates are known; pages never show more than this.",
    )
    kind = models.CharField(max_length=20, choices=VisitKind.choices, default=VisitKind.OTHER)
    summary = models.TextField(blank=True, help_text="What happened, in the curator's words.")
    issues = models.ManyToManyField(Issue, blank=True, related_name="visits")
    participants = models.ManyToManyField(
        Actor, through="Participation", blank=True, related_name="visits_attended"
    )
    # What the official record itself says (an importer fills these; curators do not edit
    # them): the visit page shows them, with the record's page, as its provenance.
    record_visitor = models.CharField(
        max_length=255,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="The traveller as the imported record names them, title included "
        "(“Prime Minister Imran Khan”).",
    )
    record_title = models.CharField(
        max_length=200,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="The traveller's title at the time, as the record states it.",
    )
    record_text = models.TextField(
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="The record's own description or remarks, verbatim.",
    )
    record_url = models.URLField(
        max_length=500,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="The page of the dataset's publisher that lists the record.",
    )
    record_page = models.CharField(
        max_length=255,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="What that page lists (“Visits to the United States by leaders of Pakistan”).",
    )
    #: The columns full-text search reads, each with its weight (A ranks highest).
    search_weights = {"title": "A", "city": "B", "summary": "C"}
    search_vector = SearchVectorField(
        null=True, editable=False, help_text="Full-text index (PostgreSQL), kept by a trigger."
    )
    is_public = models.BooleanField(
        default=False,
        editable=False,
        help_text="Published, and so are the visitor and the countries: kept on every save.",
    )

    public_parents = ("visitor", "origin", "destination")
    objects = VisitQuerySet.as_manager()
    # The stored flag follows from the recorded fields: no history of its own.
    history = HistoricalRecords(excluded_fields=["search_vector", "is_public"])

    class Meta:
        ordering = ["-start_date", "title"]
        permissions = [publish_permission("visit", "visits")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="visit_end_not_before_start",
                violation_error_message="The visit cannot end before it starts.",
            )
        ]
        # Public lists read public rows only: partial indexes, one per filter and sort, each
        # ending in the id so that a page is found by an index-only scan.
        indexes = [
            models.Index(fields=["origin", "destination", "start_date"]),
            models.Index(fields=["destination", "start_date"]),
            models.Index(fields=["start_date", "id"], condition=PUBLIC, name="visit_public_date"),
            models.Index(
                fields=["visitor", "start_date", "id"], condition=PUBLIC, name="visit_public_leader"
            ),
            models.Index(
                fields=["kind", "start_date", "id"], condition=PUBLIC, name="visit_public_kind"
            ),
            models.Index(fields=["title", "id"], condition=PUBLIC, name="visit_public_title"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("visits:detail", kwargs={"slug": self.slug})

    #: What decides, beyond its own row, whether a visit is listed and under which values
    #: (core.lists.buckets): its record (official_record_q) reads the sources that cover it
    #: and the sources of the claims about it.
    counted_paths = {"record": ("sources__kind", "claims__source__kind")}

    @classmethod
    def official_record_q(cls):
        """Return a Q for official records only: imported from a dataset, and discussed by no
        article (a visit an article covers or claims about belongs to the articles' corpus,
        as on the overview, even where the dataset has it too)."""
        from core.lists.provenance import official_q

        # Sources sit above visits: reached through the reverse relation.
        articles = cls._meta.get_field("sources").related_model.objects.articles()
        return official_q() & ~(cls.objects.covered_q(articles) | cls.objects.claimed_q(articles))

    @property
    def origin_name(self):
        """Return the name of the country of origin ('' if none, or not public)."""
        return self.origin.name if self.origin_id and self.origin.is_published else ""

    @property
    def destination_name(self):
        """Return the name of the destination country ('' if none, or not public)."""
        return (
            self.destination.name if self.destination_id and self.destination.is_published else ""
        )

    @property
    def has_official_record(self):
        """Return whether an importer stored what the visit's official record says."""
        return bool(self.record_url or self.record_visitor or self.record_text)

    @property
    def record_collection(self):
        """Return the collection of the imported record ("visit", "secretary-trip"…) or ''.

        External ids read "<dataset>-<collection>:<number>" ("hsg-visit:2933").
        """
        prefix, _, number = (self.external_id or "").partition(":")
        return prefix.partition("-")[2] if number else ""

    @property
    def record_site(self):
        """Return the host of the record's page ("history.state.gov"), or ''."""
        return (urlsplit(self.record_url).hostname or "") if self.record_url else ""

    @property
    def date_display(self):
        """Return the dates as precisely as they are known."""
        return format_date_range(self.start_date, self.end_date, self.date_precision)

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            message = "The visit cannot end before it starts (%(start)s)."
            raise ValidationError(
                {"end_date": ValidationError(message, params={"start": self.start_date})}
            )
        if (
            self.visitor_role_id
            and self.visitor_id
            and self.visitor_role.actor_id != self.visitor_id
        ):
            raise ValidationError({"visitor_role": "This role belongs to another actor."})


class ParticipationRole(models.TextChoices):
    HOST = "host", "Host"
    MET_WITH = "met_with", "Met with"
    DELEGATION = "delegation", "Delegation member"


class Participation(models.Model):
    """An actor's part in a visit other than the visitor's: host, person met, delegation."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(
        max_length=20, choices=ParticipationRole.choices, default=ParticipationRole.MET_WITH
    )
    note = models.CharField(
        max_length=255, blank=True, help_text="Their title at the time, or what they discussed."
    )

    history = HistoricalRecords()
    objects = ParticipationQuerySet.as_manager()
    #: A part is public while its visit and its actor are (the meetings list counts them).
    counted_paths = {"public": ("visit__is_public", "actor__publication_status")}

    class Meta:
        ordering = ["visit", "role", "actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "actor", "role"], name="unique_participation_role"
            )
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"
