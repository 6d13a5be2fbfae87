"""Filters shared by every public list: repeatable slug, choice and year parameters, search, sort.

Repeated parameters combine the way facet links need them to: values of a single-valued field
(a visit has one leader, one year) are alternatives (OR); values of a many-to-many field (a visit
has several issues) must all hold (AND), so that following a facet link narrows the results to
exactly the count the facet showed.
"""

import datetime
import functools

import django_filters
from django import forms
from django.core.validators import validate_slug
from django.db.models import Exists, OuterRef, Q
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from config import search

#: The most values one repeatable parameter accepts (a URL is not a bulk query).
MAX_VALUES = 20
MIN_YEAR, MAX_YEAR = 1800, 2200


class RepeatableMixin:
    """A widget that reads every value of a repeated parameter and keeps the extra ones."""

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        values = getlist(name) if getlist else [data.get(name)]
        return [value for value in values if value not in (None, "")]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        values = list(value) if isinstance(value, list | tuple) else [value]
        values = [item for item in values if item not in (None, "")]
        first = values[0] if values else None
        html = super().render(name, first, attrs, renderer)
        # A form shows one value per field; the others stay in the URL as hidden inputs.
        extras = format_html_join(
            "", '<input type="hidden" name="{}" value="{}">', ((name, v) for v in values[1:])
        )
        return mark_safe(html + extras)  # noqa: S308 - both parts are built with format_html


class DirectSelect(forms.Select):
    """A select written directly rather than through a template per option.

    Django renders each option through the template engine; the country selects of a list
    (some two hundred and fifty options each) then cost more than the page's queries. The
    options of a given list of choices are written once and reused; only the chosen one is
    marked per request.
    """

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        # Flat (value, label) pairs as given: Django would normalise each of them again
        # every time a view sets the options.
        self._choices = list(value)

    def render(self, name, value, attrs=None, renderer=None):
        choices = tuple((str(v), str(label)) for v, label in self.choices)
        known = {v for v, _label in choices}
        chosen = next((option for option in self.format_value(value) if option in known), None)
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = _options_html(choices)
        if chosen is not None:
            plain = f'<option value="{escape(chosen)}">'
            options = options.replace(plain, plain[:-1] + " selected>", 1)
        html = format_html("<select{}>", flatatt(final)) + options + "</select>"
        return mark_safe(html)  # noqa: S308 - every value is escaped


@functools.lru_cache(maxsize=32)
def _options_html(choices):
    """Return the escaped <option> lines of `choices` ((value, label) pairs), unselected."""
    return "\n" + "".join(
        f'<option value="{escape(value)}">{escape(label)}</option>\n' for value, label in choices
    )


class RepeatableSelect(RepeatableMixin, DirectSelect):
    """A select whose options the view fills in (a facet's top values, the chosen ones)."""


class RepeatableNumberInput(RepeatableMixin, forms.NumberInput):
    """A number input (a year) that keeps any further values of its parameter."""


class ListField(forms.Field):
    """A list of values from a repeated parameter, each checked by `check_value`."""

    widget = RepeatableSelect
    default_error_messages = {
        "too_many": f"Give at most {MAX_VALUES} values.",
    }

    def to_python(self, value):
        if value in (None, ""):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        cleaned = []
        for item in values:
            item = str(item).strip()
            if "\x00" in item:
                raise forms.ValidationError("Null characters are not allowed.", code="null")
            item = self.check_value(item)
            if item not in cleaned:
                cleaned.append(item)
        if len(cleaned) > MAX_VALUES:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")
        return cleaned

    def check_value(self, value):
        return value


class SlugListField(ListField):
    def check_value(self, value):
        try:
            validate_slug(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                "“%(value)s” is not a valid identifier (letters, digits, hyphens).",
                code="invalid_slug",
                params={"value": value[:60]},
            ) from None
        return value


class TextListField(ListField):
    def check_value(self, value):
        if len(value) > 200:
            raise forms.ValidationError("A value may be at most 200 characters.", code="long")
        return value


class ChoiceListField(ListField):
    def __init__(self, *, choices=(), **kwargs):
        self.valid_choices = dict(choices)
        super().__init__(**kwargs)
        self.widget.choices = [("", "Any"), *choices]

    def check_value(self, value):
        if value not in self.valid_choices:
            raise forms.ValidationError(
                "“%(value)s” is not one of the choices.",
                code="invalid_choice",
                params={"value": value[:60]},
            )
        return value


YEAR_ATTRS = {"min": MIN_YEAR, "max": MAX_YEAR, "inputmode": "numeric", "placeholder": "e.g. 2020"}


class YearListField(ListField):
    widget = RepeatableNumberInput(attrs=YEAR_ATTRS)

    def check_value(self, value):
        return check_year(value)


def check_year(value):
    """Return `value` as a year, or raise a ValidationError a reader understands."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise forms.ValidationError(
            "“%(value)s” is not a year; enter four digits, e.g. 2019.",
            code="invalid_year",
            params={"value": str(value)[:60]},
        ) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise forms.ValidationError(
            "Enter a year between %(min)s and %(max)s.",
            code="year_range",
            params={"min": MIN_YEAR, "max": MAX_YEAR},
        )
    return year


class YearField(forms.Field):
    widget = forms.NumberInput(attrs=YEAR_ATTRS)

    def to_python(self, value):
        if value in (None, ""):
            return None
        return check_year(str(value).strip())


def label_field(model):
    """Return the field that names a row of `model` to a reader ("name", else "title")."""
    names = {field.name for field in model._meta.concrete_fields}
    return "name" if "name" in names else "title"


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

    The slugs are first read as the ids of public rows (one query, kept for the chips), and
    the rows filtered by those ids: no join, and the planner sees the actual values, so it
    knows that one leader has thousands of visits and another three.
    """

    field_class = SlugListField

    def targets(self, model, values):
        """Return {slug: (id, label)} of the public rows named by `values` (one query)."""
        key = tuple(values)
        remembered = getattr(self, "_targets", None)
        if remembered is not None and remembered[0] == key:
            return remembered[1]
        target = related_model(model, self.field_name)
        found = {
            slug: (pk, label)
            for pk, slug, label in target.objects.published()
            .filter(slug__in=values)
            .values_list("pk", "slug", label_field(target))
        }
        self._targets = (key, found)
        return found

    def filter(self, qs, value):
        if not value:
            return qs
        ids = [pk for pk, _label in self.targets(qs.model, value).values()]
        return qs.filter(**{f"{self.field_name}__in": ids})

    def value_labels(self, model, values):
        found = self.targets(model, values)
        return {value: found[value][1] if value in found else value for value in values}


class RelatedSlugFilter(SlugFilter):
    """Rows linked through the many-to-many `field_name` to every given slug (AND)."""

    def filter(self, qs, value):
        if not value:
            return qs
        found = self.targets(qs.model, value)
        for slug in value:
            if slug not in found:
                return qs.none()
            qs = qs.filter(linked_to(qs.model, self.field_name, found[slug][0]))
        return qs


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
    """Rows matching a text query: full-text on PostgreSQL, every word on SQLite."""

    def __init__(self, *args, fallback_fields=(), **kwargs):
        self.fallback_fields = fallback_fields
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search"}))
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
            and search.ranks(self.queryset.model)
        )

    def ordered(self, queryset, *, rank=True):
        """Return `queryset` in the order the parameters ask for.

        With `rank` false a relevance order falls back to the default one (there are too
        many matches to rank one by one).
        """
        key = self.sort_key
        if key == "relevance":
            if self.can_rank and rank:
                return search.order_by_rank(queryset, self.search_text)
            key = self.default_sort
        _label, ordering = self.filters["sort"].options[key]
        return queryset.order_by(*ordering)
