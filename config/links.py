"""The public rows a list row links to (its issues, actors, aliases), read as plain values.

A card shows a linked row's name and links to its page. Django's prefetch would build a model
instance per linked row, through its prefetch machinery, which cost a list page more than
the queries themselves; here one values query per relation fills plain lists of `Linked`.
"""

from functools import partial

from django.db.models.query import ModelIterable

from config import visibility
from config.db import rows_for_ids


def public_links(model, relation):
    """Return (queryset of the links of `relation`, owner field, target path) of `model`.

    The links of a many-to-many relation to public targets ("target__" prefixes the target's
    fields), or the rows of a reverse foreign key (e.g. an actor's aliases; target path "").
    """
    field = model._meta.get_field(relation)
    target_model = field.related_model
    if field.many_to_many:
        through = field.remote_field.through
        owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        links = through._default_manager.all()
        if hasattr(target_model, "publication_status"):
            links = links.filter(visibility.stored_public_q(target_model, f"{target}__"))
        return links, owner, f"{target}__"
    return target_model._default_manager.all(), field.field.name, ""


class Linked:
    """A linked public row as a card shows it: its name, and its page when it has one."""

    __slots__ = ("model", "pk", "name", "slug")

    def __init__(self, model, pk, name, slug=""):
        self.model, self.pk, self.name, self.slug = model, pk, name, slug

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        # The models' own get_absolute_url reads the slug alone.
        return self.model.get_absolute_url(self)


def _links(model, relation, ids):
    """Return a query of (owner id, pk, name[, slug]) of the rows `ids`' public `relation` rows."""
    links, owner, target = public_links(model, relation)
    target_model = model._meta.get_field(relation).related_model
    fields = [f"{owner}_id", f"{target}pk", f"{target}name"]
    if any(field.name == "slug" for field in target_model._meta.concrete_fields):
        fields.append(f"{target}slug")
    ordered = links.filter(**{f"{owner}__any_of": ids}).order_by(f"{target}name", f"{target}pk")
    return ordered.values_list(*fields)


def attach_links(objects, relations):
    """Set `to_attr` on each of `objects` to the list of its public `relation` rows, by name.

    `relations` is a sequence of (relation, to_attr); one query each, whatever the rows.
    """
    if not objects:
        return
    model = objects[0].__class__
    ids = [obj.pk for obj in objects]
    for relation, to_attr in relations:
        target_model = model._meta.get_field(relation).related_model
        rows = rows_for_ids(("links", model, relation), partial(_links, model, relation), ids)
        by_owner = {pk: [] for pk in ids}
        for owner_id, *values in rows:
            by_owner[owner_id].append(Linked(target_model, *values))
        for obj in objects:
            setattr(obj, to_attr, by_owner[obj.pk])


class LinkingQuerySetMixin:
    """A QuerySet that fills plain lists of linked public rows on the rows it returns."""

    _links = ()

    def with_links(self, **relations):
        """Return a copy whose rows get `to_attr=relation` lists of `Linked` (attach_links)."""
        clone = self._chain()
        clone._links = (*self._links, *((rel, attr) for attr, rel in relations.items()))
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._links = self._links
        return clone

    def attach_links_to(self, objects):
        """Attach the links this queryset asks for (with_links) to `objects`, rows it read."""
        if self._links:
            attach_links(objects, self._links)

    def _fetch_all(self):
        fetching = self._result_cache is None
        super()._fetch_all()
        if fetching and self._iterable_class is ModelIterable:
            self.attach_links_to(self._result_cache)
