"""The sources covering a visit, listed and edited on the visit's admin page.

The link is SourceDocument.visits; edited from the visit's side, each source whose link changes
is saved as changed (a history row, a new version), so a source form opened before, which would
put its old list of visits back, is refused.
"""

from django import forms
from django.contrib import admin
from django.db import transaction

from core.admin import mark_changed
from core.admin_input import TolerantAutocompleteSelectMultiple, TolerantModelMultipleChoiceField
from sources.models import SourceDocument

#: The link table's key to a source: the autocomplete finds sources through it.
SOURCE_LINK = SourceDocument.visits.through._meta.get_field("sourcedocument")


def visit_sources_change(visit, *, added=(), removed=()):
    """Link the `added` sources to the visit and unlink the `removed`; return both, as done."""
    with transaction.atomic():
        linked = set(visit.sources.values_list("pk", flat=True))
        added = [source for source in added if source.pk not in linked]
        removed = [source for source in removed if source.pk in linked]
        visit.sources.add(*added)
        visit.sources.remove(*removed)
        for sources, verb in ((added, "Linked"), (removed, "Unlinked")):
            for source in sources:
                mark_changed(source, f"{verb} visit {visit} on the visit's page")
    return added, removed


class VisitSourcesForm(forms.Form):
    """The visit form's "sources" field (mixed into the visit admin's form)."""

    sources = TolerantModelMultipleChoiceField(
        queryset=SourceDocument.objects.all(),
        required=False,
        widget=TolerantAutocompleteSelectMultiple(SOURCE_LINK, admin.site),
        help_text="The articles, statements and datasets that cover this visit. Saving links "
        "the ones added here and unlinks the ones removed.",
    )
    # The list as first shown travels with the form: saving changes only what the curator
    # added or removed, whatever was linked from a source's page meanwhile.
    sources_shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            ids = list(self.instance.sources.order_by("title").values_list("pk", flat=True))
            self.fields["sources"].initial = ids
            self.fields["sources_shown"].initial = ",".join(map(str, ids))

    def sources_change(self):
        """Return (added, removed): the sources the curator added to and removed from the list.

        Neither when the form did not carry the list as shown (the field was not on it).
        """
        if self.add_prefix("sources_shown") not in self.data:
            return [], []
        shown_ids = (self.cleaned_data.get("sources_shown") or "").split(",")
        shown = {int(value) for value in shown_ids if value.strip().isdigit()}
        chosen = {source.pk: source for source in self.cleaned_data.get("sources") or []}
        added = [source for pk, source in chosen.items() if pk not in shown]
        removed = list(SourceDocument.objects.filter(pk__in=shown - set(chosen)))
        return added, removed


def replaced(fields, name, names):
    """Return a fieldset's `fields` with `name`, where it is one of them, replaced by `names`."""
    return [new for field in fields for new in (names if field == name else [field])]


class VisitSourcesAdminMixin:
    """Give the visit admin's form the "sources" field, and save it after the visit."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        kwargs["form"] = type(base.__name__, (VisitSourcesForm, base), {})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        # An editor gets the list as shown beside the field, hidden; a reader, the titles.
        if obj is None or self.has_change_permission(request, obj):
            shown = ["sources", "sources_shown"]
        else:
            shown = ["covering_sources"]
        return [
            (name, {**options, "fields": replaced(options["fields"], "sources", shown)})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "covering_sources"]

    @admin.display(description="sources")
    def covering_sources(self, obj):
        if obj is None or obj.pk is None:
            return ""
        return "; ".join(obj.sources.order_by("title").values_list("title", flat=True))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "sources" in form.fields:
            added, removed = form.sources_change()
            visit_sources_change(form.instance, added=added, removed=removed)
