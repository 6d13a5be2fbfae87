"""Admin pieces shared by every curated model: publishing, history, year filters."""

import json
import math

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core import search
from core.lists.filters import related_model
from core.status import PublicationStatus


def year_filter(field_path, title="year", parameter_name="year"):
    """Return a list filter by the year of a date field (a related path is fine).

    The years offered are read from the table that holds the date (for "visit__start_date",
    the visits), not through a join from every row of the list.
    """

    class YearFilter(admin.SimpleListFilter):
        def lookups(self, request, model_admin):
            *path, field_name = field_path.split("__")
            model = related_model(model_admin.model, "__".join(path)) if path else None
            model = model or model_admin.model
            return [(str(year), str(year)) for year in distinct_years(model, field_name)]

        def queryset(self, request, queryset):
            value = self.value()
            if value is None:
                return queryset
            if not value.isdigit():
                return queryset.none()
            return queryset.filter(**{f"{field_path}__year": int(value)})

    YearFilter.title = title
    YearFilter.parameter_name = parameter_name
    return YearFilter


def distinct_years(model, field_name):
    """Return the years of the date field `field_name` of `model`'s rows, newest first.

    On PostgreSQL the date's index is read a year at a time, newest first (one probe per
    year), rather than every row of the table on every changelist; elsewhere, dates().
    """
    manager = model.objects
    connection = connections[manager.db]
    if connection.vendor != "postgresql":
        return [value.year for value in manager.dates(field_name, "year", order="DESC")]
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field_name).column)
    newest_before = f"SELECT EXTRACT(YEAR FROM MAX({column}))::int FROM {table}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE years(year) AS (
                ({newest_before})
                UNION ALL
                SELECT ({newest_before} WHERE {column} < make_date(years.year, 1, 1))
                FROM years WHERE years.year IS NOT NULL
            )
            SELECT year FROM years WHERE year IS NOT NULL
            """  # noqa: S608 - only quoted names of the model's own table and column
        )
        return [year for (year,) in cursor.fetchall()]


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
    #: For a row without a version of its own (an alias, a citation …): the foreign key to the
    #: curated record it belongs to, whose version is checked instead.
    version_of = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        versioned = self.versioned()
        if versioned is not None:
            self.fields["edit_version"].initial = versioned.version

    def versioned(self):
        """Return the saved record whose version this form checks, or None for a new row."""
        if self.instance.pk is None:
            return None
        return getattr(self.instance, self.version_of) if self.version_of else self.instance

    def clean(self):
        cleaned_data = super().clean()
        versioned = self.versioned()
        if versioned is None:
            return cleaned_data
        submitted = cleaned_data.get("edit_version")
        # Lock the row until this request's transaction ends, so no save slips in between.
        current = (
            type(versioned)
            .objects.select_for_update()
            .filter(pk=versioned.pk)
            .values_list("version", flat=True)
            .first()
        )
        if submitted is not None and submitted == current:
            return cleaned_data
        changes = describe_changes_since(versioned, submitted or 0) if submitted else []
        # The re-shown form keeps every value typed; saving it again is a deliberate overwrite.
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_version")] = current
        raise ValidationError(
            "Not saved: someone else changed this %(model)s after you opened it (%(changes)s). "
            "Your edits are still in the form below. Open the record in another tab to see the "
            "current version, then save again to replace it with yours.",
            code="stale",
            params={
                "model": versioned._meta.verbose_name,
                "changes": "; ".join(changes) or "the page you edited is out of date",
            },
        )


def mark_changed(record, reason):
    """Save `record` as changed (a new version and a history row) without touching its fields.

    Called when a row it owns (an alias, a citation …) changes on a page of its own, so that a
    form opened on the record's page before, which shows that row inline, is refused.
    """
    record._change_reason = reason[:100]
    record.save(update_fields=["version", "updated_at"])


class OwnedRowAdmin(SimpleHistoryAdmin):
    """Admin of rows a curated record owns and shows inline (`owner_field` points to it).

    A change here is checked against the owner's version and counts as a change of the owner:
    no edit made here is lost to a form opened on the owner's page, or the other way round.
    """

    form = VersionCheckedForm
    owner_field = ""

    def get_queryset(self, request):
        # The owner's version is read with the row, not by a query of its own. The list's own
        # joins go along: a changelist adds them only to a queryset that has none.
        joins = self.list_select_related
        joins = list(joins) if isinstance(joins, list | tuple) else []
        return super().get_queryset(request).select_related(self.owner_field, *joins)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.version_of = self.owner_field
        return form

    def _owners(self, rows):
        """Return the owners of `rows` as saved now (a row may be moving to another owner)."""
        ids = {getattr(row, f"{self.owner_field}_id") for row in rows}
        saved = self.model.objects.filter(pk__in=[row.pk for row in rows if row.pk])
        ids |= set(saved.values_list(f"{self.owner_field}_id", flat=True))
        owner_model = self.model._meta.get_field(self.owner_field).related_model
        return list(owner_model.objects.filter(pk__in=ids))

    def _mark_owners_changed(self, owners, verb):
        label = self.model._meta.verbose_name.capitalize()
        for owner in owners:
            mark_changed(owner, f"{label} {verb} on its own page")

    def save_model(self, request, obj, form, change):
        owners = self._owners([obj])
        super().save_model(request, obj, form, change)
        self._mark_owners_changed(owners, "changed" if change else "added")

    def delete_model(self, request, obj):
        owners = self._owners([obj])
        super().delete_model(request, obj)
        self._mark_owners_changed(owners, "deleted")

    def delete_queryset(self, request, queryset):
        rows = list(queryset)
        owners = self._owners(rows)
        super().delete_queryset(request, queryset)
        self._mark_owners_changed(owners, "deleted")


#: Changelist rows counted exactly; past this many, the planner's estimate (PostgreSQL).
ADMIN_COUNT_LIMIT = 500


class ApproximateCount(int):
    """A row count that is the planner's estimate: shows as "about 950,000"."""

    def __str__(self):
        if self < 100:
            return f"about {int(self):,}"
        digits = 10 ** (int(math.log10(self)) - 1)
        return f"about {round(self / digits) * digits:,}"


class EstimatedCountPaginator(Paginator):
    """Changelist pages counted exactly up to a bound, estimated beyond (no full count).

    A curator's working view, not a researcher's number: the public lists count exactly.
    """

    @cached_property
    def count(self):
        rows = self.object_list.order_by().values("pk")
        counted = rows[: ADMIN_COUNT_LIMIT + 1].count()
        if counted <= ADMIN_COUNT_LIMIT or connections[rows.db].vendor != "postgresql":
            return counted if counted <= ADMIN_COUNT_LIMIT else rows.count()
        plan = json.loads(rows.explain(format="json"))
        return ApproximateCount(max(int(plan[0]["Plan"]["Plan Rows"]), counted))


class CuratedAdmin(PublishingMixin, SimpleHistoryAdmin):
    """Admin of a curated model: publish/unpublish actions, history, status filter."""

    form = VersionCheckedForm
    actions = ["publish", "unpublish"]
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    #: Search the row's stored full-text vector on PostgreSQL (a GIN index) rather than
    #: substrings of `search_fields` through joins, which reads every row of a big table.
    full_text_search = False

    def save_model(self, request, obj, form, change):
        if not self.has_publish_permission(request):
            # The status stays as stored, whatever the form says or a past version reverted to
            # (simple-history's "revert" page restores every field of that version).
            stored = (
                type(obj)
                .objects.filter(pk=obj.pk)
                .values_list("publication_status", flat=True)
                .first()
                if obj.pk is not None
                else None
            )
            obj.publication_status = stored or PublicationStatus.DRAFT
        super().save_model(request, obj, form, change)

    def get_search_results(self, request, queryset, search_term):
        if self.full_text_search and search.is_postgres(queryset) and search_term.strip():
            query = search.prefix_query(search_term)
            if query is None:
                return queryset.none(), False
            return queryset.filter(search_vector=query), False
        return super().get_search_results(request, queryset, search_term)

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
