"""Why a published record may still be off the public site, and publishing it with its parents.

A record is public when it is published and each parent in its model's `public_parents` (a
claim's source, visit and speaker; a visit's visitor and countries) is public too. Publishing a
claim whose visit is a draft therefore shows nothing: these functions name the drafts that hide
it, so that the admin can say so and offer to publish them in the same step.
"""

from django.db import transaction

from core import visibility
from core.status import PublicationStatus

PUBLISHED = PublicationStatus.PUBLISHED


def has_publish_permission(request, model):
    """Return whether the user may publish and unpublish rows of `model`."""
    codename = model.publish_permission_codename()
    return request.user.has_perm(f"{model._meta.app_label}.{codename}")


def is_public(obj):
    """Return whether `obj`, as loaded, is on the public site (published and parents public)."""
    if visibility.stores_visibility(type(obj)):
        return obj.is_public
    return obj.publication_status == PUBLISHED


def hiding_parents(obj):
    """Return the drafts among `obj`'s parents (and theirs) that keep it off the public site.

    Farthest first, so that publishing them in this order never passes through a row whose own
    parent is still a draft. Each appears once, however many paths lead to it.
    """
    found = {}

    def walk(row):
        for name in type(row).public_parents:
            parent = getattr(row, name)
            if parent is None:
                continue
            parent_model = type(parent)
            if visibility.stores_visibility(parent_model) and parent.is_public:
                continue  # stored public: so are all of its own parents
            walk(parent)
            if parent.publication_status != PUBLISHED:
                found.setdefault((parent_model._meta.label, parent.pk), parent)

    walk(obj)
    return list(found.values())


def parent_paths(model, prefix=""):
    """Return the `__` paths to every parent of `model`'s rows and to their parents."""
    paths = []
    for name in model.public_parents:
        path = f"{prefix}{name}"
        parent = model._meta.get_field(name).related_model
        paths += [path, *parent_paths(parent, f"{path}__")]
    return paths


def describe(obj):
    """Return "visit “Munir in Washington”": the record's kind and name, for messages."""
    return f"{obj._meta.verbose_name} “{obj}”"


def name_drafts(parents, most=5):
    """Return "the draft visit “X” and the draft actor “Y”" (at most `most` named)."""
    names = [f"the draft {describe(parent)}" for parent in parents]
    if len(names) > most:
        names = [*names[:most], f"{len(names) - most} more"]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def hidden_rows(model, ids):
    """Return the rows `ids` of `model` that are published but not public, with their parents."""
    if not visibility.stores_visibility(model):
        return []  # a model without parents is public when published
    rows = model.objects.filter(pk__in=ids, publication_status=PUBLISHED, is_public=False)
    rows = rows.select_related(*parent_paths(model))  # the parents with the rows, not per row
    return [row for row in rows.order_by("pk") if hiding_parents(row)]


def publish_together(records):
    """Publish the drafts hiding `records`, then `records`; return every row published.

    One transaction: all of them become public or none does. Each row is saved on its own so
    that it leaves a history row with its user.
    """
    drafts = {}
    for record in records:
        for parent in hiding_parents(record):
            drafts.setdefault((parent._meta.label, parent.pk), parent)
        drafts.setdefault((record._meta.label, record.pk), record)
    published = []
    with transaction.atomic():
        for row in drafts.values():
            if row.publication_status == PUBLISHED:
                continue
            row.publication_status = PUBLISHED
            row._change_reason = "Published with the records it hid"
            row.save()
            published.append(row)
    return published


def public_counts_below(model, ids):
    """Return {model: number of public rows} among the rows that depend on rows `ids`."""
    counts = {}
    for dependant, paths in visibility.dependants(model):
        if not visibility.stores_visibility(dependant):
            continue
        scope = dependant.objects.none()
        for path in paths:
            scope |= dependant.objects.filter(**{f"{path}__in": ids})
        counts[dependant] = scope.filter(is_public=True).count()
    return counts
