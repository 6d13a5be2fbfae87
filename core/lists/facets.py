"""Facet counts: how many of the results fall under each value of a field, exactly.

Every facet of a list is counted over the whole result, block by block of ids (see
core.lists.buckets: a write makes the lists count again only the blocks it touched), in one of
two ways that give the same numbers (tests hold them to it):

- a result of at most `ROWS_LIMIT` rows is read once, the ids and the single-valued columns
  of every facet together, and counted here; each many-to-many facet is counted from the
  links of those ids by the link table's index (without single-valued facets, no rows are
  read: the links are counted as for a large result);
- a larger result is counted by the database, one GROUP BY (block, value) per facet.

The counts of every value are kept (see tally); only the top values of each facet are then
named, in one query per related model (the speaker, actor and leader facets of claims are all
actors), and only public ones: a draft issue or country never shows as a value.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import ExtractYear

from core import db  # noqa: F401 - registers the any_of lookup
from core.lists.blocks import BUCKET_ROWS, block_of, in_blocks
from core.lists.fields import label_field, related_model
from core.lists.provenance import record_q

#: Results at most this many are read once and counted here; larger ones by the database.
ROWS_LIMIT = 20_000


@dataclass
class Counts:
    """The number of rows, and per facet parameter how many rows have each value."""

    rows: int = 0
    values: dict = field(default_factory=dict)

    def add(self, other, sign=1):
        """Add (or, with `sign` -1, take away) the counts of `other`."""
        self.rows += sign * other.rows
        for param, counts in other.values.items():
            mine = self.values.setdefault(param, Counter())
            if sign > 0:
                mine.update(counts)
            else:
                mine.subtract(counts)
        return self

    def tidy(self):
        """Drop the values no row has any more."""
        self.values = {param: +counts for param, counts in self.values.items()}
        return self


def count_blocks(facets, queryset, blocks=None):
    """Return {block: Counts} of the rows of `queryset` (only those in `blocks`, if given).

    Blocks without rows are absent.
    """
    if blocks is not None:
        if not blocks:
            return {}
        queryset = queryset.filter(in_blocks(blocks))
    queryset = queryset.order_by()
    model = queryset.model
    totals = dict(
        queryset.annotate(count_block=block_of("pk"))
        .values("count_block")
        .annotate(count_n=Count("pk"))
        .values_list("count_block", "count_n")
    )
    found = {block: Counts(rows) for block, rows in totals.items() if rows}
    if not found or not facets:
        return found
    columns = facet_columns(facets, model)
    if columns and sum(totals.values()) <= ROWS_LIMIT:
        records = list(queryset.values_list("pk", *columns))
        ids = [record[0] for record in records]
        per_facet = {}
        for facet in facets:
            column = facet.column(model)
            if column is None:
                per_facet[facet.param] = facet.count_links(model, ids, totals)
                continue
            position = 1 + columns.index(column)
            by_block = {}
            for record in records:
                key = facet.key(record[position])
                by_block.setdefault(record[0] // BUCKET_ROWS, Counter())[key] += 1
            per_facet[facet.param] = by_block
    else:
        per_facet = {
            facet.param: (
                facet.count_links(model, queryset.values("pk"), totals)
                if facet.column(model) is None
                else facet.group(queryset)
            )
            for facet in facets
        }
    for param, by_block in per_facet.items():
        for block, counts in by_block.items():
            counts.pop(None, None)
            counts.pop("", None)
            if block in found:
                found[block].values[param] = counts
    return found


def facet_columns(facets, model):
    """Return the values() columns the single-valued `facets` count, each once."""
    return list(dict.fromkeys(c for f in facets if (c := f.column(model)) is not None))


def _by_block(rows):
    """Return {block: Counter({value: n})} of (block, value, n) rows."""
    found = {}
    for block, value, count in rows:
        found.setdefault(block, Counter())[value] += count
    return found


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
        """Return {block: {value: count}} over `queryset`, counted by the database."""
        column = self.column(queryset.model)
        rows = (
            queryset.annotate(facet_block=block_of("pk"))
            .values("facet_block", column)
            .annotate(facet_n=Count("pk"))
            .values_list("facet_block", column, "facet_n")
        )
        return _by_block((block, self.key(value), n) for block, value, n in rows)

    def rows(self, model, counts):
        """Return (value, label, count) for the top values, from {value: count}."""
        raise NotImplementedError

    def count_links(self, model, ids, totals):
        """Return {block: {value: count}} over the rows `ids` (facets without a column).

        `ids` is a list of ids, or a subquery of them (a large result); `totals` gives the
        rows of each block.
        """
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


def name_facets(facets, model, counts):
    """Return {param: [(value, label, count)]} of each facet's top public values, from
    {param: {value: count}}.

    Only the likeliest top values are named, in one query per related model: a related row
    may not be public (a draft country of an actor, a draft issue linked to a visit), so twice
    as many as shown are asked for, and the rest only if those fall short.
    """
    result, related = {}, []
    counts = {facet.param: counts.get(facet.param, Counter()) for facet in facets}
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
    """Values of a many-to-many relation (`relation`, e.g. "issues", or a related row's:
    "visit__issues"), by slug."""

    relation: str = ""

    def target(self, model):
        return related_model(model, self.relation)

    def count_links(self, model, ids, totals):
        """Count the links of `ids` by block: a list of ids, or a subquery of them."""
        if isinstance(ids, list) and not ids:
            return {}
        if "__" in self.relation:  # a related row's links: through the join to that row
            lookup = "pk__any_of" if isinstance(ids, list) else "pk__in"
            rows = (
                model.objects.filter(**{lookup: ids})
                .annotate(facet_block=block_of("pk"))
                .values("facet_block", self.relation)
                .annotate(n=Count("pk"))
                .values_list("facet_block", self.relation, "n")
                .order_by()
            )
            return _by_block(rows)
        relation = model._meta.get_field(self.relation)
        through = relation.remote_field.through
        owner, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        # Given the ids themselves, the planner reads these rows' links by index instead of
        # hashing the whole link table; only the top values are then named (and checked
        # public), rather than joining every linked row.
        lookup = f"{owner}__any_of" if isinstance(ids, list) else f"{owner}__in"
        rows = (
            through.objects.filter(**{lookup: ids})
            .annotate(facet_block=block_of(f"{owner}_id"))
            .values("facet_block", f"{target}_id")
            .annotate(n=Count("pk"))
            .values_list("facet_block", f"{target}_id", "n")
            .order_by()
        )
        return _by_block(rows)


@dataclass
class RecordFacet(Facet):
    """Official records (rows imported from an official dataset) and the rest (articles)."""

    choices: tuple = ()

    def count_links(self, model, ids, totals):
        # Counted with the filter's own condition, so that each count is its link's total.
        lookup = "pk__any_of" if isinstance(ids, list) else "pk__in"
        official = dict(
            model.objects.filter(**{lookup: ids})
            .filter(record_q(model, "official"))
            .annotate(facet_block=block_of("pk"))
            .values("facet_block")
            .annotate(n=Count("pk"))
            .values_list("facet_block", "n")
            .order_by()
        )
        return {
            block: Counter(
                {"official": official.get(block, 0), "article": rows - official.get(block, 0)}
            )
            for block, rows in totals.items()
        }

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
            queryset.annotate(facet_block=block_of("pk"), facet_year=ExtractYear(self.path))
            .values("facet_block", "facet_year")
            .annotate(facet_n=Count("pk"))
            .values_list("facet_block", "facet_year", "facet_n")
        )
        return _by_block(rows)

    def rows(self, model, counts):
        top = self._top(counts, key=lambda year: -year)
        return sorted(((year, year, n) for year, n in top), reverse=True)
