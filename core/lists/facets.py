"""Facet counts: how many of the current results fall under each value of a field.

All facets of a list are counted together over one set of rows (every result, or the first
rows of a large result; see FilteredListView.sample): the single-valued ones from one read
of their columns, each many-to-many one from one read of its links, and the related rows named
in one query per related model (the speaker, actor and leader facets of claims are all actors).
A list page therefore costs the same few queries whatever the number of results, and no more
time than reading that bounded set of rows.
"""

from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from django.db.models import Count

from core import db  # noqa: F401 - registers the any_of lookup
from core.lists.filters import label_field, related_model


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    active: bool = False
    url: str = ""


@dataclass
class Facet:
    """Counts of the results per value of the parameter `param`."""

    param: str
    label: str
    limit: int = 10
    values: list = field(default_factory=list)

    #: The values() column whose values this facet counts (single-valued facets).
    def column(self, model):
        return None

    def target(self, model):
        """Return the related model whose rows this facet counts (by id), or None."""
        return None

    def rows(self, model, counts):
        """Return (value, label, count) for the top values, from {column value: count}."""
        raise NotImplementedError

    def count_links(self, model, ids):
        """Return {related id: count} over the rows `ids` (facets without a column)."""
        raise NotImplementedError

    def fill(self, rows, active_values, url_for):
        """Set `values` from (value, label, count) rows; `url_for` makes each link."""
        active = {str(value) for value in active_values}
        self.values = [
            FacetValue(str(value), str(label), count, str(value) in active)
            for value, label, count in rows
        ]
        for item in self.values:
            item.url = url_for(self.param, item.value, item.active)
        return self

    def _top(self, counts, key=lambda value: value):
        """Return [(value, count)] of the `limit` most frequent values (ties by `key`)."""
        ranked = sorted(counts.items(), key=lambda item: (-item[1], key(item[0])))
        return ranked[: self.limit]


def facet_columns(facets, model):
    """Return the values() columns the single-valued `facets` count, each once."""
    return list(dict.fromkeys(c for f in facets if (c := f.column(model)) is not None))


def compute_facets(facets, model, columns, records, active, url_for):
    """Fill every facet from the same rows: `records`, tuples of (pk, *columns) of `model`.

    `active(param)` gives the values of a parameter in force; `url_for(param, value, active)`
    makes each value's link.
    """
    # The ids themselves rather than a subquery: given a list, the planner reads the links
    # of these rows by index instead of hashing the whole link table.
    ids = [record[0] for record in records]
    related = []
    for facet in facets:
        column = facet.column(model)
        if column is None:
            counts = facet.count_links(model, ids)
        else:
            counts = Counter(map(itemgetter(1 + columns.index(column)), records))
            counts.pop(None, None)
            counts.pop("", None)
        target = facet.target(model)
        if target is None:
            facet.fill(facet.rows(model, counts), active(facet.param), url_for)
        else:
            related.append((facet, target, counts))
    # Only the likeliest top values are named, in one query per related model: a related
    # row may not be public (a draft country of an actor, a draft issue linked to a visit),
    # so twice as many as shown are asked for, and the rest only if those fall short.
    ranked = {facet.param: _ranked(counts) for facet, _target, counts in related}
    wanted = {}
    for facet, target, _counts in related:
        candidates = ranked[facet.param][: 2 * facet.limit]
        wanted.setdefault(target, set()).update(pk for pk, _count in candidates)
    named = {target: _names(target, pks) for target, pks in wanted.items()}
    for facet, target, _counts in related:
        order = ranked[facet.param]
        names = named[target]
        top = [(*names[pk], count) for pk, count in order if pk in names][: facet.limit]
        if len(top) < facet.limit and len(order) > 2 * facet.limit:
            names = {**names, **_names(target, [pk for pk, _count in order[2 * facet.limit :]])}
            top = [(*names[pk], count) for pk, count in order if pk in names][: facet.limit]
        facet.fill(top, active(facet.param), url_for)
    return facets


def _ranked(counts):
    """Return [(pk, count)] of {pk: count}, the most frequent first (ties by id)."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _names(target, pks):
    """Return {pk: (slug, name)} of the public `target` rows among `pks`: one query."""
    if not pks:
        return {}
    rows = (
        target.objects.published().filter(pk__in=pks).values_list("pk", "slug", label_field(target))
    )
    return {pk: (slug, name) for pk, slug, name in rows}


@dataclass
class RelationFacet(Facet):
    """Values of a foreign key (`path`, e.g. "visitor" or "visit__visitor"), by slug."""

    path: str = ""

    def column(self, model):
        return f"{self.path}_id"

    def target(self, model):
        return related_model(model, self.path)


@dataclass
class ManyFacet(Facet):
    """Values of a many-to-many relation (`relation`, e.g. "issues"), by slug."""

    relation: str = ""

    def target(self, model):
        return model._meta.get_field(self.relation).related_model

    def count_links(self, model, ids):
        relation = model._meta.get_field(self.relation)
        through = relation.remote_field.through
        owner, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        if not ids:
            return {}
        # Counted in the database by the link table's index alone; only the top values are
        # then named (and checked public), rather than joining every linked row.
        rows = (
            through.objects.filter(**{f"{owner}__any_of": ids})
            .values(f"{target}_id")
            .annotate(n=Count("pk"))
            .values_list(f"{target}_id", "n")
            .order_by()
        )
        return dict(rows)


@dataclass
class ChoiceFacet(Facet):
    """Values of a field with choices, labelled by the choices."""

    path: str = ""
    choices: tuple = ()

    def column(self, model):
        return self.path

    def rows(self, model, counts):
        labels = dict(self.choices)
        return [(value, labels.get(value, value), n) for value, n in self._top(counts)]


@dataclass
class ValueFacet(Facet):
    """Values of a plain text field (e.g. a publisher's name); blanks left out."""

    path: str = ""

    def column(self, model):
        return self.path

    def rows(self, model, counts):
        return [(value, value, n) for value, n in self._top(counts)]


@dataclass
class YearFacet(Facet):
    """Years of a date field (`path`), the busiest `limit` years shown newest first."""

    path: str = ""
    limit: int = 12

    def column(self, model):
        return self.path

    def rows(self, model, counts):
        years = Counter()
        for day, n in counts.items():
            years[day.year] += n
        top = self._top(years, key=lambda year: -year)
        return sorted(((year, year, n) for year, n in top), reverse=True)
