"""Staff input that names nothing (an id past the database's integers, "abc" for a row): a
form error or a message, never a 500."""

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import DataError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse


def _could_name_a_row(target, value):
    """Return whether `value` could be a value of the model field `target` (a key)."""
    try:
        parsed = target.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return False
    return not isinstance(parsed, int) or -(2**63) <= parsed < 2**63  # a database's integers


def _usable_ids(db_field, values):
    """Return the `values` that could name a row of `db_field`'s target (others never will)."""
    return [value for value in values if _could_name_a_row(db_field.target_field, value)]


def _target_of(field):
    """Return the model field a choice field's values name (its to_field, else the key)."""
    meta = field.queryset.model._meta
    return meta.get_field(field.to_field_name) if field.to_field_name else meta.pk


class TolerantModelChoiceField(forms.ModelChoiceField):
    """A choice of a row that calls a value naming no possible row an invalid choice, rather
    than asking the database (a key past its integers is an error there, not a miss)."""

    def to_python(self, value):
        if value not in self.empty_values and not _could_name_a_row(_target_of(self), value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class TolerantModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """TolerantModelChoiceField for several rows."""

    def clean(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        target = _target_of(self)
        for item in values:
            if item not in self.empty_values and not _could_name_a_row(target, item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:50]},
                )
        return super().clean(value)


class TolerantAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that re-shows a form whose value names no row (`visitor=abc`): the
    field's own error says so, and the widget shows nothing selected rather than failing."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _usable_ids(self.field, value), attr)


class TolerantAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    """TolerantAutocompleteSelect for many values (issues, actors)."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _usable_ids(self.field, value), attr)


class TolerantAutocompleteMixin:
    """Admin (or inline) whose choices of rows take any value a form is posted with: one that
    names no row is a form error, re-shown as the form was."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", TolerantModelChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            db = kwargs.get("using")
            kwargs["widget"] = TolerantAutocompleteSelect(db_field, self.admin_site, using=db)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", TolerantModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            db = kwargs.get("using")
            kwargs["widget"] = TolerantAutocompleteSelectMultiple(
                db_field, self.admin_site, using=db
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TolerantChangelistMixin:
    """Admin whose changelist takes any filter value: one no column can hold is a message."""

    def changelist_view(self, request, extra_context=None):
        # Counted and rendered here, where a filter value no column can hold (an id past the
        # database's integers) is still the visitor's mistake, not the site's failure.
        try:
            response = super().changelist_view(request, extra_context)
            if isinstance(response, TemplateResponse) and not response.is_rendered:
                response.render()
        except (OverflowError, DataError):
            messages.error(
                request, "A filter's value names nothing that can exist: the filters are off."
            )
            return HttpResponseRedirect(request.path)
        return response
