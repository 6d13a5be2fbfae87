"""Filters shared by every public list: repeatable slug, choice and year parameters, search, sort.

Repeated parameters combine the way facet links need them to: values of a single-valued field
(a visit has one leader, one year) are alternatives (OR); values of a many-to-many field (a visit
has several issues) must all hold (AND), so that following a facet link narrows the results to
exactly the count the facet showed.
"""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from core import search
from core.lists import facets
from core.lists.fields import (
    ChoiceListField,
    ListField,
    MatchedSlugListField,
    SearchInput,
    SlugListField,
    SuggestInput,
    TextListField,
    YearField,
    YearListField,
    column_field,
    label_field,
    related_model,
)
from core.lists.provenance import RECORD_CHOICES, record_q


def _limit_choices_to(model, path):
    """Return the `limit_choices_to` of the relation at the end of `path` ({} if none)."""
    *through, last = path.split("__")
    owner = related_model(model, "__".join(through)) if through else model
    return owner._meta.get_field(last).get_limit_choices_to() or {}


class ListFilter(django_filters.Filter):
    """Base of the repeatable filters: the one declaration of a list's parameter.

    Besides django-filter's field, lookup and label, a filter says whether its values are
    counted in a facet (`facet`, under its label; `facet_limit` values shown), whether the
    filter form shows it (`in_form`), and what its select offers (`options`: "all" the public
    rows it can name, or the "facet"'s top values); and it names its values in a chip.
    """

    field_class = ListField

    def __init__(self, *args, facet=True, facet_limit=None, in_form=True, options=None, **kwargs):
        self.faceted = facet
        self.facet_limit = facet_limit
        self.in_form = in_form
        self.options = options
        super().__init__(*args, **kwargs)

    def value_labels(self, model, values):
        """Return {value: label} for the chips of the active values."""
        return {value: str(value) for value in values}

    def facet_parts(self):
        """Return (Facet class, its own arguments) of the facet counting this filter's values,
        or None if its values are not counted."""
        return None

    def make_facet(self, param):
        """Return a fresh Facet of this filter's values under `param`, or None."""
        parts = self.facet_parts() if self.faceted else None
        if parts is None:
            return None
        facet_class, kwargs = parts
        if self.facet_limit:
            kwargs["limit"] = self.facet_limit
        return facet_class(param, self.label or param, **kwargs)

    def select_options(self, model, facet, chosen, read):
        """Return the options of the filter's select ("Any" first), or None if it has none.

        `facet` is its counted facet (or None), `chosen` the [(value, label)] in force; `read`
        returns the rows of a queryset, read once for the selects of one form that offer them.
        """
        if self.options == "facet":
            values = facet.values if facet is not None else []
            offered = [(item.value, f"{item.label} ({item.count})") for item in values]
            known = {value for value, _label in offered}
            offered += [(value, label) for value, label in chosen if value not in known]
            return [("", "Any"), *offered]
        if self.options == "all":
            target = related_model(model, self.field_name)
            limit = _limit_choices_to(model, self.field_name)
            rows = target.objects.published().complex_filter(limit).order_by(label_field(target))
            return [("", "Any"), *read(rows.values_list("slug", label_field(target)))]
        return None


class SlugFilter(ListFilter):
    """Rows whose foreign key `field_name` points to one of the given slugs (OR).

    The form field reads the slugs as the ids of public rows (one query; an unknown slug is a
    form error; each cleaned value is a fields.Named), and the rows are filtered by those ids:
    no join, and the planner sees the actual values, so it knows that one leader has
    thousands of visits and another three.
    """

    field_class = SlugListField

    @property
    def field(self):
        if getattr(self, "model", None) is not None:  # bound to a FilterSet
            self.extra.setdefault("target", related_model(self.model, self.field_name))
        return super().field

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": [named.pk for named in value]})

    def facet_parts(self):
        return facets.RelationFacet, {"path": self.field_name}


class RelatedSlugFilter(SlugFilter):
    """Rows linked through the many-to-many `field_name` to every given slug (AND)."""

    def filter(self, qs, value):
        if not value:
            return qs
        for named in value:
            qs = qs.filter(linked_to(qs.model, self.field_name, named.pk))
        return qs

    def facet_parts(self):
        return facets.ManyFacet, {"relation": self.field_name}


class MatchedFilterMixin:
    """A slug filter whose values may also be typed names, offered as one types (actors)."""

    field_class = MatchedSlugListField

    def __init__(self, *args, suggest="", **kwargs):
        # The type-ahead's URL, reversed when the form is first drawn (URLs load after filters).
        self.suggest = suggest
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if "widget" not in self.extra:
            self.extra["widget"] = SuggestInput(url=reverse(self.suggest))
            self.extra.setdefault(
                "help_text", "Type part of a name and pick one; or give its identifier."
            )
        return super().field


class MatchedSlugFilter(MatchedFilterMixin, SlugFilter):
    """Rows whose foreign key points to one of the given actors, by slug or typed name (OR)."""


class MatchedRelatedSlugFilter(MatchedFilterMixin, RelatedSlugFilter):
    """Rows linked to every one of the given actors, by slug or typed name (AND)."""


def linked_to(model, relation, target_id):
    """Return an Exists() true for rows of `model` linked through `relation` to `target_id`.

    `relation` is a many-to-many of the row ("issues") or of a related row ("visit__issues":
    the issues of a participation's visit). An Exists subquery rather than a join keeps each
    row once without DISTINCT.
    """
    *path, name = relation.split("__")
    owner_model = related_model(model, "__".join(path)) if path else model
    field = owner_model._meta.get_field(name)
    through = field.remote_field.through
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    outer = OuterRef(f"{'__'.join(path)}_id" if path else "pk")
    links = through.objects.filter(**{f"{owner}_id": outer, f"{target}_id": target_id})
    return Exists(links)


class ChoiceFilter(ListFilter):
    """Rows whose `field_name` is one of the given choices (OR): by default, the choices of
    the model's field (see PublicFilterSet.get_filters)."""

    field_class = ChoiceListField

    def __init__(self, *args, choices=(), **kwargs):
        self.choices = list(choices)
        super().__init__(*args, choices=self.choices, **kwargs)

    def take_choices(self, model):
        """Offer the choices of `model`'s field, if none were given."""
        if not self.choices:
            self.choices[:] = column_field(model, self.field_name).choices or []

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs

    def value_labels(self, model, values):
        labels = dict(self.choices)
        return {value: labels.get(value, value) for value in values}

    def facet_parts(self):
        # A choice written "Name: what it means" is counted under its name alone.
        named = tuple((value, str(label).split(":")[0]) for value, label in self.choices)
        return facets.ChoiceFacet, {"path": self.field_name, "choices": named}


class RecordFilter(ChoiceFilter):
    """Rows from official records, from articles, or (both given, or none) either."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", "Record")
        kwargs.setdefault(
            "help_text",
            "Official records: imported from a public dataset (the U.S. Office of the "
            "Historian's visits and travels); of visits, those no article discusses. "
            "From articles: the rest.",
        )
        super().__init__(*args, choices=RECORD_CHOICES, **kwargs)

    def filter(self, qs, value):
        if not value or len(value) == len(RECORD_CHOICES):
            return qs
        return qs.filter(record_q(qs.model, value[0]))

    def facet_parts(self):
        return facets.RecordFacet, {"choices": RECORD_CHOICES}


class ValueFilter(ListFilter):
    """Rows whose text `field_name` equals one of the given values (OR)."""

    field_class = TextListField

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs

    def facet_parts(self):
        return facets.ValueFacet, {"path": self.field_name}


def year_q(field_name, year):
    """Return a Q for dates in `year`, as a range so that a date index serves it."""
    return Q(
        **{
            f"{field_name}__gte": datetime.date(year, 1, 1),
            f"{field_name}__lt": datetime.date(year + 1, 1, 1),
        }
    )


class YearFilter(ListFilter):
    """Rows whose date `field_name` falls in one of the given years (OR)."""

    field_class = YearListField

    def filter(self, qs, value):
        if not value:
            return qs
        query = Q()
        for year in value:
            query |= year_q(self.field_name, year)
        return qs.filter(query)

    def facet_parts(self):
        return facets.YearFacet, {"path": self.field_name}


class YearBoundFilter(django_filters.Filter):
    """Rows whose date `field_name` is in or after (`gte`) / in or before (`lte`) a year."""

    field_class = YearField

    def filter(self, qs, value):
        if value is None:
            return qs
        if self.lookup_expr == "gte":
            return qs.filter(**{f"{self.field_name}__gte": datetime.date(value, 1, 1)})
        return qs.filter(**{f"{self.field_name}__lt": datetime.date(value + 1, 1, 1)})

    def value_labels(self, model, values):
        return {value: str(value) for value in values}


class SearchFilter(django_filters.CharFilter):
    """Rows matching a text query, in the same syntax on both databases (see core.search)."""

    def __init__(self, *args, fallback_fields=(), **kwargs):
        self.fallback_fields = fallback_fields
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", search.SYNTAX_HELP)
        kwargs.setdefault("widget", SearchInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        return search.filter_queryset(qs, value, self.fallback_fields) if value else qs

    def value_labels(self, model, values):
        return {value: f"“{value}”" for value in values}


class SortFilter(django_filters.ChoiceFilter):
    """The order of the results; applied by the FilterSet after every other filter."""

    def __init__(self, *args, options, **kwargs):
        self.options = options
        choices = [(key, label) for key, (label, _ordering) in options.items()]
        kwargs.setdefault("empty_label", None)
        super().__init__(*args, choices=choices, **kwargs)

    def filter(self, qs, value):
        return qs  # ordering happens in PublicFilterSet.ordered()


class PublicFilterSet(django_filters.FilterSet):
    """Base FilterSet of the public lists: filters first, then the chosen order."""

    #: The sort key used when none is given (and when "relevance" has no search to rank by).
    default_sort = ""

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for filter_field in filters.values():
            if isinstance(filter_field, ChoiceFilter) and cls._meta.model is not None:
                filter_field.take_choices(cls._meta.model)
        return filters

    @classmethod
    def make_facets(cls):
        """Return fresh Facets of the list, in the order its filters are declared."""
        made = (
            f.make_facet(name) for name, f in cls.base_filters.items() if isinstance(f, ListFilter)
        )
        return [facet for facet in made if facet is not None]

    @classmethod
    def form_params(cls):
        """Return the parameters the filter form shows, in the order they are declared."""
        return [
            name
            for name, f in cls.base_filters.items()
            if getattr(f, "in_form", True) and not isinstance(f, SortFilter)
        ]

    def filter_queryset(self, queryset):
        for name, value in self.form.cleaned_data.items():
            if name != "sort":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def search_text(self):
        """Return the cleaned text query, or ''."""
        data = getattr(self.form, "cleaned_data", {})
        return (data.get("q") or "").strip()

    @property
    def sort_key(self):
        """Return the sort in force: the chosen one, relevance for a search, else the default."""
        chosen = getattr(self.form, "cleaned_data", {}).get("sort")
        if chosen:
            return chosen
        if self.can_rank:
            return "relevance"
        return self.default_sort

    @property
    def can_rank(self):
        """Return whether the results can be ordered by relevance to a search."""
        return (
            bool(self.search_text)
            and "relevance" in self.filters["sort"].options
            and search.ranks(self.queryset)
        )

    def ranked(self, *, rank=True):
        """Return whether the results are ordered by relevance (`rank`: there are few enough)."""
        return self.sort_key == "relevance" and self.can_rank and rank

    def ordered(self, queryset, *, rank=True):
        """Return `queryset` in the order the parameters ask for.

        With `rank` false a relevance order falls back to the default one (there are too
        many matches to rank one by one).
        """
        if self.ranked(rank=rank):
            return search.order_by_rank(queryset, self.search_text)
        key = self.sort_key
        if key == "relevance":
            key = self.default_sort
        _label, ordering = self.filters["sort"].options[key]
        return queryset.order_by(*ordering)
