"""Admin pieces shared by every curated model: publishing, history, year filters."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from config.curation import PublicationStatus


def year_filter(field_path, title="year"):
    """Return a list filter by the year of a date field (a related path is fine)."""

    class YearFilter(admin.SimpleListFilter):
        parameter_name = "year"

        def lookups(self, request, model_admin):
            dates = model_admin.model._default_manager.dates(field_path, "year", order="DESC")
            return [(str(value.year), str(value.year)) for value in dates]

        def queryset(self, request, queryset):
            value = self.value()
            if value is None:
                return queryset
            if not value.isdigit():
                return queryset.none()
            return queryset.filter(**{f"{field_path}__year": int(value)})

    YearFilter.title = title
    return YearFilter


def has_publish_permission(request, model):
    """Return whether the user may publish and unpublish rows of `model`."""
    codename = model.publish_permission_codename()
    return request.user.has_perm(f"{model._meta.app_label}.{codename}")


class PublishingMixin:
    """Publication status editable only by those allowed to publish (admins and inlines)."""

    def has_publish_permission(self, request):
        return has_publish_permission(request, self.model)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request) and "publication_status" not in fields:
            fields.append("publication_status")
        return fields


def describe_changes_since(instance, version):
    """Return lines describing who changed what in `instance` after `version`."""
    records = list(instance.history.filter(version__gt=version).order_by("history_date"))
    base = instance.history.filter(version=version).order_by("-history_date").first()
    lines = []
    for record in records:
        who = record.history_user.get_username() if record.history_user else "an import"
        when = date_format(timezone.localtime(record.history_date), "j M Y, H:i")
        changed = []
        if base is not None:
            delta = record.diff_against(base)
            changed = [
                instance._meta.get_field(change.field).verbose_name for change in delta.changes
            ]
        fields = f": {', '.join(changed)}" if changed else ""
        lines.append(f"{who} at {when}{fields}")
        base = record
    return lines


class VersionCheckedForm(forms.ModelForm):
    """Refuse to save over a change made by someone else since this form was opened."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edit_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        submitted = cleaned_data.get("edit_version")
        # Lock the row until this request's transaction ends, so no save slips in between.
        current = (
            type(self.instance)
            ._default_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if submitted is not None and submitted == current:
            return cleaned_data
        changes = describe_changes_since(self.instance, submitted or 0) if submitted else []
        # The re-shown form keeps every value typed; saving it again is a deliberate overwrite.
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_version")] = current
        raise ValidationError(
            "Not saved: someone else changed this %(model)s after you opened it (%(changes)s). "
            "Your edits are still in the form below. Open the record in another tab to see the "
            "current version, then save again to replace it with yours.",
            code="stale",
            params={
                "model": self.instance._meta.verbose_name,
                "changes": "; ".join(changes) or "the page you edited is out of date",
            },
        )


class CuratedAdmin(PublishingMixin, SimpleHistoryAdmin):
    """Admin of a curated model: publish/unpublish actions, history, status filter."""

    form = VersionCheckedForm
    actions = ["publish", "unpublish"]
    list_per_page = 50
    show_full_result_count = False
    save_on_top = True

    def _set_status(self, request, queryset, status):
        changed = 0
        with transaction.atomic():
            # One save per row, so that each change leaves a history row with its user.
            for obj in queryset.select_for_update(of=("self",)).exclude(publication_status=status):
                obj.publication_status = status
                obj.save()
                changed += 1
        label = (
            self.model._meta.verbose_name if changed == 1 else self.model._meta.verbose_name_plural
        )
        verb = "published" if status == PublicationStatus.PUBLISHED else "returned to draft"
        self.message_user(
            request,
            ngettext("%(count)d %(label)s %(verb)s.", "%(count)d %(label)s %(verb)s.", changed)
            % {"count": changed, "label": label, "verb": verb},
            messages.SUCCESS,
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (name, options), *rest = fieldsets
        first = (name, {**options, "fields": [*options["fields"], "edit_version"]})
        return [first, *rest]

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, PublicationStatus.PUBLISHED)

    @admin.action(
        description="Return selected %(verbose_name_plural)s to draft", permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, PublicationStatus.DRAFT)
