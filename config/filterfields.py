"""Form fields and widgets of the public filters: repeatable values, years, fast selects.

A parameter may be repeated (?issue=a&issue=b); its field reads every value, checks each, and
its widget shows the first and keeps the others as hidden inputs.
"""

import functools
from html import escape as escape_text

from django import forms
from django.core.validators import validate_slug
from django.utils.safestring import mark_safe

#: The most values one repeatable parameter accepts (a URL is not a bulk query).
MAX_VALUES = 20
MIN_YEAR, MAX_YEAR = 1800, 2200


def escape(value):
    """Return `value` escaped for HTML, a safe string as it is (Django's conditional_escape).

    Django's own goes through a lazy-string check on every call; a filter form makes a few
    hundred of them.
    """
    return value.__html__() if hasattr(value, "__html__") else escape_text(str(value))


def html_attrs(attrs):
    """Return `attrs` written as Django's flatatt writes them: ` key="value"` by key, then
    ` key` for each true boolean; False and None leave an attribute out."""
    pairs = sorted(
        (key, value) for key, value in attrs.items() if not isinstance(value, bool | None)
    )
    flags = sorted(key for key, value in attrs.items() if value is True)
    return "".join(
        [f' {escape(key)}="{escape(value)}"' for key, value in pairs]
        + [f" {escape(key)}" for key in flags]
    )


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
        extras = "".join(
            f'<input type="hidden" name="{escape(name)}" value="{escape(item)}">'
            for item in values[1:]
        )
        return mark_safe(html + extras)  # noqa: S308 - every value is escaped


class DirectInput(forms.widgets.Input):
    """An input written directly, as DirectSelect is, rather than through three templates."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        html = f'<input type="{escape(self.input_type)}" name="{escape(name)}"'
        if value is not None:
            html += f' value="{escape(value)}"'
        final = html_attrs(self.build_attrs(self.attrs, attrs))
        return mark_safe(f"{html}{final}>")  # noqa: S308 - every value is escaped


class DirectTextInput(DirectInput, forms.TextInput):
    """A text input (or, given attrs={"type": …}, a search input) written directly."""


class DirectNumberInput(DirectInput, forms.NumberInput):
    """A number input written directly."""


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
        self._choices = tuple(value)

    def render(self, name, value, attrs=None, renderer=None):
        try:
            options = _options_html(self._choices)
        except TypeError:  # pairs given as lists
            options = _options_html(tuple(map(tuple, self._choices)))
        for option in self.format_value(value):
            plain = f'<option value="{escape_text(option)}">'
            if plain in options:
                options = options.replace(plain, plain[:-1] + " selected>", 1)
                break
        final = html_attrs(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return mark_safe(f"<select{final}>{options}</select>")  # noqa: S308 - all escaped


@functools.lru_cache(maxsize=32)
def _options_html(choices):
    """Return the escaped <option> lines of `choices` ((value, label) pairs), unselected."""
    return "\n" + "".join(
        f'<option value="{escape_text(str(value))}">{escape_text(str(label))}</option>\n'
        for value, label in choices
    )


class RepeatableSelect(RepeatableMixin, DirectSelect):
    """A select whose options the view fills in (a facet's top values, the chosen ones)."""


class RepeatableNumberInput(RepeatableMixin, DirectNumberInput):
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
    widget = DirectNumberInput(attrs=YEAR_ATTRS)

    def to_python(self, value):
        if value in (None, ""):
            return None
        return check_year(str(value).strip())
