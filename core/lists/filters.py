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
)


def related_model(model, path):
    """Return the model reached from `model` by following the `__`-separated `path`."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


class ListFilter(django_filters.Filter):
    """Base of the repeatable filters: knows how to name its values in a chip."""

    field_class = ListField

    def value_labels(self, model, values):
        """Return {value: label} for the chips of the active values."""
        return {value: str(value) for value in values}


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


class RelatedSlugFilter(SlugFilter):
    """Rows linked through the many-to-many `field_name` to every given slug (AND)."""

    def filter(self, qs, value):
        if not value:
            return qs
        for named in value:
            qs = qs.filter(linked_to(qs.model, self.field_name, named.pk))
        return qs


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

    An Exists subquery rather than a join keeps each row once without DISTINCT.
    """
    field = model._meta.get_field(relation)
    through = field.remote_field.through
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    links = through.objects.filter(**{f"{owner}_id": OuterRef("pk"), f"{target}_id": target_id})
    return Exists(links)


class ChoiceFilter(ListFilter):
    """Rows whose `field_name` is one of the given choices (OR)."""

    field_class = ChoiceListField

    def __init__(self, *args, choices=(), **kwargs):
        self.choices = list(choices)
        super().__init__(*args, choices=self.choices, **kwargs)

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs

    def value_labels(self, model, values):
        labels = dict(self.choices)
        return {value: labels.get(value, value) for value in values}


#: Where a row comes from: an official dataset (imported, with its record's id) or the
#: curators' reading of articles. The `record` filter and facet of the lists.
RECORD_CHOICES = (
    ("article", "From articles"),
    ("official", "Official record"),
)


#: The external ids of rows imported from official datasets (the Office of the Historian
#: importer's "hsg-visit:2933", "hsg-dataset:visits"); the seed's own ids ("seed:…") are not.
OFFICIAL_ID_PREFIXES = ("hsg-",)


def official_q():
    """Return a Q for rows imported from an official dataset."""
    query = Q()
    for prefix in OFFICIAL_ID_PREFIXES:
        query |= Q(external_id__startswith=prefix)
    return query


def record_q(model, value):
    """Return a Q for rows of `model` of one origin of RECORD_CHOICES.

    A model may say what its official records are (`official_record_q()`: a visit that an
    article discusses is the articles' too); else they are the rows a dataset importer made.
    """
    official = getattr(model, "official_record_q", official_q)()
    return official if value == "official" else ~official


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


class ValueFilter(ListFilter):
    """Rows whose text `field_name` equals one of the given values (OR)."""

    field_class = TextListField

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


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
