"""What every curated model shares: a publication status, an edit version, timestamps, history."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch

from core import visibility
from core.status import PublicationStatus


def public_q(model, prefix=""):
    """Return a Q matching public rows of `model`, every field looked up through `prefix`.

    A row is public when it is published and each parent named in `model.public_parents` is
    public too (a nullable parent may also be absent). Models with parents store the answer
    in `is_public` (kept by core.visibility), so this is one indexed column, not a join.
    """
    return visibility.stored_public_q(model, prefix)


def shown(relation, queryset, to_attr):
    """Return a Prefetch of the rows of `relation` in `queryset`, by name, as the list `to_attr`.

    A card shows its issues, actors or aliases by name and links to their pages: each relation
    costs one query for the whole page.
    """
    return Prefetch(relation, queryset=queryset.order_by("name", "pk"), to_attr=to_attr)


#: Columns that public pages never show (see CuratedQuerySet.defer_unshown).
UNSHOWN_FIELDS = ("search_vector", "created_at", "updated_at")


class CuratedQuerySet(models.QuerySet):
    """Base QuerySet of curated models: knows what is public, keeps stored visibility right."""

    def published(self):
        """Return rows that are published and whose parents are published too."""
        return self.filter(public_q(self.model))

    def drafts(self):
        """Return rows still in draft."""
        return self.filter(publication_status=PublicationStatus.DRAFT)

    def defer_unshown(self, *relations):
        """Defer the columns no public row shows, here and on the `relations` it selects.

        Search vectors are for the database alone; the timestamps are for the admin, and each
        costs a time-zone-aware parse per row.
        """
        names = []
        for path in ("", *relations):
            model = self.model
            for part in filter(None, path.split("__")):
                model = model._meta.get_field(part).related_model
            prefix = f"{path}__" if path else ""
            names += [
                prefix + field.name
                for field in model._meta.concrete_fields
                if field.name in UNSHOWN_FIELDS
            ]
        return self.defer(*names)

    # The bulk writes bypass save(): each one brings the stored columns in step itself.

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with visibility.together(self.db):
            visibility.fill(objs)
            created = super().bulk_create(objs, *args, **kwargs)
            if kwargs.get("update_conflicts"):
                visibility.cascade(self.model, [obj.pk for obj in created if obj.pk is not None])
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        names = {self.model._meta.get_field(name).attname for name in fields} | set(fields)
        if not objs or not names & visibility.relevant_fields(self.model):
            return super().bulk_update(objs, fields, *args, **kwargs)
        with visibility.together(self.db):
            visibility.fill(objs)
            fields = [*fields, *visibility.stored_fields(self.model)]
            updated = super().bulk_update(objs, fields, *args, **kwargs)
            visibility.cascade(self.model, [obj.pk for obj in objs])
        return updated

    def update(self, **kwargs):
        if not set(kwargs) & visibility.relevant_fields(self.model):
            return super().update(**kwargs)
        with visibility.together(self.db):
            ids = list(self.values_list("pk", flat=True))
            updated = super().update(**kwargs)
            visibility.refresh_rows(self.model, ids)
            visibility.cascade(self.model, ids)
        return updated

    update.alters_data = True


class CuratedModel(models.Model):
    """Abstract base: publication status, optimistic-concurrency version, timestamps."""

    publication_status = models.CharField(
        "publication",
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
        help_text="Only published records (with published parents) appear on the public site. "
        "Editors publish; curators save drafts.",
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised on every save; an edit made on an older version is refused.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    #: Foreign keys whose targets must be public for a row of this model to be public.
    public_parents: tuple[str, ...] = ()
    #: A search result's snippet with the matches marked (search.attach_headlines sets it on
    #: the shown rows). Empty by default, so a card outside a search reads it without a miss.
    headline = ""

    objects = CuratedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version = (self.version or 0) + 1
        existed = self.pk is not None and not kwargs.get("force_insert")
        update_fields = kwargs.get("update_fields")
        relevant = visibility.relevant_fields(type(self))
        if update_fields is not None and not set(update_fields) & relevant:
            super().save(*args, **kwargs)
            return
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *visibility.stored_fields(type(self))}
        # The stored columns, the row and the rows below it change together or not at all.
        with visibility.together():
            visibility.fill([self])
            super().save(*args, **kwargs)
            if existed:
                visibility.cascade(type(self), [self.pk])

    @property
    def is_published(self):
        """Return whether this row itself is published (parents not considered)."""
        return self.publication_status == PublicationStatus.PUBLISHED

    @classmethod
    def publish_permission_codename(cls):
        """Return the codename of the permission to publish rows of this model."""
        return f"publish_{cls._meta.model_name}"


def publish_permission(model_name, verbose_name_plural):
    """Return the Meta.permissions entry that lets a user publish rows of a model."""
    return (f"publish_{model_name}", f"Can publish and unpublish {verbose_name_plural}")


class FromDataset(models.Model):
    """Abstract base of rows an official dataset may be the source of (core.lists.provenance)."""

    dataset = models.CharField(
        max_length=60,
        blank=True,
        default="",
        db_index=True,
        editable=False,
        help_text="The official dataset the record was imported from (e.g. “history.state.gov”); "
        "empty for the curators' own records from articles.",
    )

    class Meta:
        abstract = True


class ImportedRecord(FromDataset):
    """Abstract base of rows an importer writes: provenance and what it last wrote."""

    import_checksum = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Checksum of the values an importer last wrote; when the record no longer "
        "matches it, a curator has edited it and re-imports leave it alone.",
    )
    external_modified = models.CharField(
        max_length=40,
        blank=True,
        editable=False,
        help_text="The dataset record's own last-modified time, as last imported.",
    )
    external_id = models.CharField(
        max_length=100,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Identifier in an imported dataset (e.g. “hsg-visit:2991”), for re-import.",
    )

    class Meta:
        abstract = True


class DataVersion(models.Model):
    """The version of the public data: one row, raised by triggers (see core.dataversion)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.BigIntegerField(
        default=0, help_text="Microseconds since 1970 of the last change, or one more."
    )
    changed_at = models.DateTimeField(null=True, help_text="When the public data last changed.")
    hidden_version = models.BigIntegerField(
        default=0,
        db_default=0,
        help_text="The version of the last change that hid something the public saw (an "
        "unpublish, a return to draft, a delete): no page older than it may be served.",
    )

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"data version {self.version}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class PendingChange(models.Model):
    """A curator's change to a record the public sees, kept until an editor decides it.

    See core.review."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    label = models.CharField(
        max_length=300, help_text="The record as it was named when the change was proposed."
    )
    data = models.JSONField(help_text="The form as the curator submitted it: every field, typed.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposed_changes"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_changes",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(
        blank=True, help_text="Why it was rejected: the curator who proposed it reads this."
    )

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "status"])]
        permissions = [("review_pendingchange", "Can approve and reject pending changes")]
        verbose_name = "change waiting for review"
        verbose_name_plural = "changes waiting for review"

    def __str__(self):
        return f"{self.label} ({self.get_status_display().lower()})"
