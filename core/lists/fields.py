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


class TextListField(ListField):
    def check_value(self, value):
        if len(value) > 200:
            raise forms.ValidationError("A value may be at most 200 characters.", code="long")
        return value


def related_model(model, path):
    """Return the model reached from `model` by following the `__`-separated `path`."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def column_field(model, path):
    """Return the model field at the end of `path` ("start_date", or a related row's column:
    "visit__start_date")."""
    *through, name = path.split("__")
    if through:
        model = related_model(model, "__".join(through))
    return model._meta.get_field(name)


def label_field(model):
    """Return the field that names a row of `model` to a reader ("name", else "title")."""
    names = {field.name for field in model._meta.concrete_fields}
    return "name" if "name" in names else "title"


class Named(str):
    """A public record's slug, as a filter's cleaned value: with its id, its name, and the
    value given in the URL (the slug itself, or the name typed)."""

    def __new__(cls, slug, pk, label, given):
        named = super().__new__(cls, slug)
        named.pk, named.label, named.given = pk, label, given
        return named


class SlugListField(ListField):
    """Public records of `target` named by their slugs; an unknown slug is a form error.

    Cleaned, each value is a Named slug: the records are read in one query, for the filter
    and the chips. Without a `target` (a field made outside a FilterSet) slugs are only
    checked for their form.
    """

    def __init__(self, *, target=None, **kwargs):
        self.target = target
        super().__init__(**kwargs)

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

    def to_python(self, value):
        values = super().to_python(value)
        if self.target is None or not values:
            return values
        found = public_records(self.target, values)
        resolved, errors = [], []
        for item in values:
            try:
                named = Named(item, *found[item], item) if item in found else self.unknown(item)
            except forms.ValidationError as error:
                errors.append(error)
                continue
            if named not in resolved:
                resolved.append(named)
        if errors:
            raise forms.ValidationError(errors)
        return resolved

    def unknown(self, value):
        """Return the Named record a value that is no public slug stands for, or raise."""
        raise forms.ValidationError(
            "There is no public %(noun)s “%(value)s”.",
            code="unknown",
            params={"noun": self.target._meta.verbose_name, "value": value[:60]},
        )


def public_records(target, slugs):
    """Return {slug: (id, label)} of the public rows of `target` among `slugs`: one query."""
    rows = (
        target.objects.published()
        .filter(slug__in=slugs)
        .values_list("pk", "slug", label_field(target))
    )
    return {slug: (pk, name) for pk, slug, name in rows}


class SuggestInput(RepeatableMixin, forms.TextInput):
    """A text input that offers matching records as one types (static/js/suggest.js).

    The script fills the input's datalist from `url` (?q=…); without it the input still works:
    the server reads a slug or (part of) a name, see MatchedSlugListField.
    """

    def __init__(self, url="", attrs=None):
        attrs = {"autocomplete": "off", "spellcheck": "false", **(attrs or {})}
        super().__init__(attrs)
        self.url = url

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        options = f"{attrs.get('id', name)}-options"
        attrs.update({"list": options, "data-suggest": self.url})
        html = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', html, options)


class MatchedSlugListField(SlugListField):
    """Records named by slug, or by a name or part of one as typed ("mun", "Imran Khan").

    A value that is not a public slug is matched against names and aliases (the target's
    `matching()`, best first): the one best match is taken (one exact name; else one name
    starting with the text; else one with a word starting with it; else the only match);
    several equally good are a form error naming them, so that the reader picks one; none is
    a form error.
    """

    #: Matches named in the error when a typed name fits several records.
    SHOWN = 6

    check_value = TextListField.check_value  # a name, not a slug: any text, within bounds

    def unknown(self, text):
        """Return the Named slug of the one record `text` names."""
        noun = self.target._meta.verbose_name
        matches = list(self.target.objects.published().matching(text)[: self.SHOWN + 1])
        best = [match for match in matches if match.match_rank == matches[0].match_rank]
        if matches and len(best) == 1:
            record = best[0]
            return Named(record.slug, record.pk, record.name, text)
        if not matches:
            raise forms.ValidationError(
                "No public %(noun)s is named “%(value)s”: check the spelling, or type part "
                "of the name and pick one of the suggestions.",
                code="no_match",
                params={"noun": noun, "value": text[:60]},
            )
        names = ", ".join(record.name for record in matches[: self.SHOWN])
        more = " …" if len(matches) > self.SHOWN else ""
        raise forms.ValidationError(
            "“%(value)s” fits several: %(names)s%(more)s. Type more of the name.",
            code="ambiguous",
            params={"value": text[:60], "names": names, "more": more},
        )


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
