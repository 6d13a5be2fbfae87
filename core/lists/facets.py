"""Facet counts: how many of the results fall under each value of a field, exactly.

Every facet of a list is counted over the whole result, in one of two ways that give the same
numbers (tests hold them to it):

- a result of at most `ROWS_LIMIT` rows is read once, the ids and the single-valued columns
  of every facet together, and counted here; each many-to-many facet is counted from the
  links of those ids by the link table's index;
- a larger result is counted by the database, one GROUP BY per facet over the filtered query.

Only the top values of each facet are then named, in one query per related model (the speaker,
actor and leader facets of claims are all actors), and only public ones: a draft issue or
country never shows as a value. The result (see tally) is kept per data version, so a list's
pages, orders and downloads count it once.
"""

from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter

from django.db.models import Count
from django.db.models.functions import ExtractYear

from core import db  # noqa: F401 - registers the any_of lookup
from core.lists.fields import label_field
from core.lists.filters import record_q, related_model

#: Results at most this many are read once and counted here; larger ones by the database.
ROWS_LIMIT = 20_000


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

    def column(self, model):
        """Return the values() column whose values this facet counts (single-valued facets)."""
        return None

    def target(self, model):
        """Return the related model whose rows this facet counts (by id), or None."""
        return None

    def key(self, value):
        """Return the facet value a column value counts under (a date's year, say)."""
        return value

    def group(self, queryset):
        """Return {value: count} over `queryset`, counted by the database."""
        column = self.column(queryset.model)
        rows = queryset.order_by().values(column).annotate(facet_n=Count("pk"))
        counts = Counter()
        for value, count in rows.values_list(column, "facet_n"):
            counts[self.key(value)] += count
        return counts

    def rows(self, model, counts):
        """Return (value, label, count) for the top values, from {value: count}."""
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


def count_facets(facets, queryset, total):
    """Return {param: [(value, label, count)]}: each facet's top values over `queryset`.

    `total` is the number of rows of `queryset` (counted already): it chooses between
    reading the rows and grouping in the database.
    """
    model = queryset.model
    if total == 0 or not facets:
        return {facet.param: [] for facet in facets}
    counts = {}
    if total <= ROWS_LIMIT:
        columns = facet_columns(facets, model)
        records = list(queryset.order_by().values_list("pk", *columns))
        ids = [record[0] for record in records]
        for facet in facets:
            column = facet.column(model)
            if column is None:
                counts[facet.param] = facet.count_links(model, ids)
            else:
                found = Counter()
                for value in map(itemgetter(1 + columns.index(column)), records):
                    found[facet.key(value)] += 1
                counts[facet.param] = found
    else:
        for facet in facets:
            if facet.column(model) is None:
                counts[facet.param] = facet.count_links(model, queryset.values("pk"))
            else:
                counts[facet.param] = facet.group(queryset)
    for found in counts.values():
        found.pop(None, None)
        found.pop("", None)
    return name_facets(facets, model, counts)


def name_facets(facets, model, counts):
    """Return {param: [(value, label, count)]} of each facet's top public values.

    Only the likeliest top values are named, in one query per related model: a related row
    may not be public (a draft country of an actor, a draft issue linked to a visit), so twice
    as many as shown are asked for, and the rest only if those fall short.
    """
    result, related = {}, []
    for facet in facets:
        target = facet.target(model)
        if target is None:
            result[facet.param] = facet.rows(model, counts[facet.param])
        else:
            related.append((facet, target, _ranked(counts[facet.param])))
    wanted = {}
    for facet, target, order in related:
        wanted.setdefault(target, set()).update(pk for pk, _count in order[: 2 * facet.limit])
    named = {target: _names(target, pks) for target, pks in wanted.items()}
    for facet, target, order in related:
        names = named[target]
        top = [(*names[pk], count) for pk, count in order if pk in names][: facet.limit]
        if len(top) < facet.limit and len(order) > 2 * facet.limit:
            names = {**names, **_names(target, [pk for pk, _count in order[2 * facet.limit :]])}
            top = [(*names[pk], count) for pk, count in order if pk in names][: facet.limit]
        result[facet.param] = top
    return result


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
        """Count the links of `ids`: a list of ids, or a subquery of them (a large result)."""
        relation = model._meta.get_field(self.relation)
        through = relation.remote_field.through
        owner, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        if isinstance(ids, list) and not ids:
            return Counter()
        # Given the ids themselves, the planner reads these rows' links by index instead of
        # hashing the whole link table; only the top values are then named (and checked
        # public), rather than joining every linked row.
        lookup = f"{owner}__any_of" if isinstance(ids, list) else f"{owner}__in"
        rows = (
            through.objects.filter(**{lookup: ids})
            .values(f"{target}_id")
            .annotate(n=Count("pk"))
            .values_list(f"{target}_id", "n")
            .order_by()
        )
        return Counter(dict(rows))


@dataclass
class RecordFacet(Facet):
    """Official records (rows imported from an official dataset) and the rest (articles)."""

    choices: tuple = ()

    def count_links(self, model, ids):
        # Counted with the filter's own condition, so that each count is its link's total.
        lookup = "pk__any_of" if isinstance(ids, list) else "pk__in"
        rows = model.objects.filter(**{lookup: ids})
        official = rows.filter(record_q(model, "official")).count()
        article = len(ids) - official if isinstance(ids, list) else rows.count() - official
        return Counter({"official": official, "article": article})

    def rows(self, model, counts):
        return [(value, label, counts[value]) for value, label in self.choices if counts[value]]


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

    def key(self, value):
        return value.year if value is not None else None

    def group(self, queryset):
        rows = (
            queryset.order_by()
            .annotate(facet_year=ExtractYear(self.path))
            .values("facet_year")
            .annotate(facet_n=Count("pk"))
            .values_list("facet_year", "facet_n")
        )
        return Counter(dict(rows))

    def rows(self, model, counts):
        top = self._top(counts, key=lambda year: -year)
        return sorted(((year, year, n) for year, n in top), reverse=True)
