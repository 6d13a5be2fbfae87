"""Facet counts: how many of the current results fall under each value of a field.

Each facet runs one aggregate query over the filtered results, bounded to its top values, so a
list page costs the same number of queries whatever the number of results.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import ExtractYear

from config.filtering import label_field, related_model


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

    def rows(self, queryset):
        """Return (value, label, count) for the top values among `queryset`."""
        raise NotImplementedError

    def compute(self, queryset, active_values, url_for):
        """Fill `values` from `queryset`; `url_for(param, value, active)` makes each link."""
        active = {str(value) for value in active_values}
        self.values = [
            FacetValue(str(value), str(label), count, str(value) in active)
            for value, label, count in self.rows(queryset)
        ]
        for item in self.values:
            item.url = url_for(self.param, item.value, item.active)
        return self


def _named(target, counts):
    """Return (slug, name, count) for [(pk, count)] rows: one query for the names.

    Counting by key first and naming the few top keys afterwards keeps the aggregate free of
    joins (SQLite otherwise picks a nested-loop plan that probes every pair).
    """
    names = {
        pk: (slug, name)
        for pk, slug, name in target.objects.filter(pk__in=[pk for pk, _n in counts]).values_list(
            "pk", "slug", label_field(target)
        )
    }
    return [(*names[pk], count) for pk, count in counts if pk in names]


@dataclass
class RelationFacet(Facet):
    """Values of a foreign key (`path`, e.g. "visitor" or "visit__visitor"), by slug."""

    path: str = ""

    def rows(self, queryset):
        target = related_model(queryset.model, self.path)
        key = f"{self.path}_id"
        counts = (
            queryset.order_by()
            .filter(**{f"{key}__in": target.objects.published().values("pk")})
            .values(key)
            .annotate(n=Count("pk"))
            .order_by("-n", key)[: self.limit]
        )
        return _named(target, [(row[key], row["n"]) for row in counts])


@dataclass
class ManyFacet(Facet):
    """Values of a many-to-many relation (`relation`, e.g. "issues"), by slug."""

    relation: str = ""

    def rows(self, queryset):
        relation = queryset.model._meta.get_field(self.relation)
        through = relation.remote_field.through
        owner, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        key = f"{target}_id"
        counts = (
            through.objects.filter(**{f"{owner}_id__in": queryset.order_by().values("pk")})
            .filter(**{f"{key}__in": relation.related_model.objects.published().values("pk")})
            .values(key)
            .annotate(n=Count(f"{owner}_id"))
            .order_by("-n", key)[: self.limit]
        )
        return _named(relation.related_model, [(row[key], row["n"]) for row in counts])


@dataclass
class ChoiceFacet(Facet):
    """Values of a field with choices, labelled by the choices."""

    path: str = ""
    choices: tuple = ()

    def rows(self, queryset):
        labels = dict(self.choices)
        counts = (
            queryset.order_by()
            .values(self.path)
            .annotate(n=Count("pk"))
            .order_by("-n", self.path)[: self.limit]
        )
        return [
            (row[self.path], labels.get(row[self.path], row[self.path]), row["n"]) for row in counts
        ]


@dataclass
class ValueFacet(Facet):
    """Values of a plain text field (e.g. a publisher's name); blanks left out."""

    path: str = ""

    def rows(self, queryset):
        counts = (
            queryset.order_by()
            .exclude(**{self.path: ""})
            .values(self.path)
            .annotate(n=Count("pk"))
            .order_by("-n", self.path)[: self.limit]
        )
        return [(row[self.path], row[self.path], row["n"]) for row in counts]


@dataclass
class YearFacet(Facet):
    """Years of a date field (`path`), the busiest `limit` years shown newest first."""

    path: str = ""
    limit: int = 12

    def rows(self, queryset):
        counts = (
            queryset.order_by()
            .exclude(**{f"{self.path}__isnull": True})
            .annotate(facet_year=ExtractYear(self.path))
            .values("facet_year")
            .annotate(n=Count("pk"))
            .order_by("-n", "-facet_year")[: self.limit]
        )
        rows = [(row["facet_year"], row["facet_year"], row["n"]) for row in counts]
        return sorted(rows, key=lambda row: row[0], reverse=True)
