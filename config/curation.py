"""What every curated model shares: a publication status, an edit version, timestamps, history."""

from django.db import models
from django.db.models import Q


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def public_q(model, prefix=""):
    """Return a Q matching public rows of `model`, every field looked up through `prefix`.

    A row is public when it is published and each parent named in `model.public_parents` is
    public too (a nullable parent may also be absent).
    """
    query = Q(**{f"{prefix}publication_status": PublicationStatus.PUBLISHED})
    for name in model.public_parents:
        field = model._meta.get_field(name)
        parent_q = public_q(field.related_model, prefix=f"{prefix}{name}__")
        if field.null:
            parent_q |= Q(**{f"{prefix}{name}__isnull": True})
        query &= parent_q
    return query


class CuratedQuerySet(models.QuerySet):
    """Base QuerySet of curated models: knows what is public."""

    def published(self):
        """Return rows that are published and whose parents are published too."""
        return self.filter(public_q(self.model))

    def drafts(self):
        """Return rows still in draft."""
        return self.filter(publication_status=PublicationStatus.DRAFT)


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

    objects = CuratedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

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
