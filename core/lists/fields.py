"""Form fields and widgets of the public filters: repeatable values and years.

A parameter may be repeated (?issue=a&issue=b); its field reads every value, checks each, and
its widget shows the first and keeps the others as hidden inputs.
"""

from django import forms
from django.core.validators import validate_slug
from django.utils.html import format_html, format_html_join

#: The most values one repeatable parameter accepts (a URL is not a bulk query).
MAX_VALUES = 20
MIN_YEAR, MAX_YEAR = 1800, 2200


class RepeatableMixin:
    """A widget that reads every value of a repeated parameter and keeps the extra ones."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [value for value in values if value not in (None, "")]

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        values = list(value) if isinstance(value, list | tuple) else [value]
        values = [item for item in values if item not in (None, "")]
        html = super().render(name, values[0] if values else None, attrs, renderer)
        # A form shows one value per field; the others stay in the URL as hidden inputs.
        extras = format_html_join(
            "", '<input type="hidden" name="{}" value="{}">', ((name, item) for item in values[1:])
        )
        return format_html("{}{}", html, extras)


class RepeatableSelect(RepeatableMixin, forms.Select):
    """A select whose options the view fills in (a facet's top values, the chosen ones).

    Its options are written by one format_html_join rather than a template include each: a
    country select has some 250 options, which cost a list page more than its queries when
    each went through the template engine. Options carry a value, a label and whether they
    are chosen, nothing else.
    """

    template_name = "core/widgets/select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = {str(item) for item in context["widget"]["value"]}
        context["widget"]["options"] = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (option, " selected" if str(option) in chosen else "", label)
                for option, label in self.choices
            ),
        )
        return context

    def optgroups(self, name, value, attrs=None):
        # The options are written from the choices themselves (see get_context).
        return []


class RepeatableNumberInput(RepeatableMixin, forms.NumberInput):
    """A number input (a year) that keeps any further values of its parameter."""


class SearchInput(forms.TextInput):
    """A text input of type "search"."""

    input_type = "search"


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
        if len(values) > MAX_VALUES:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")
        cleaned = []
        for item in values:
            item = str(item).strip()
            if "\x00" in item:
                raise forms.ValidationError("Null characters are not allowed.", code="null")
            item = self.check_value(item)
            if item not in cleaned:
                cleaned.append(item)
        return cleaned

    def check_value(self, value):
        """Return `value` checked (and converted), or raise a ValidationError."""
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
