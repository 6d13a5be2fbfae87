"""Admin pieces shared by every curated model: publishing, history, year filters."""

import json
import math

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections, router, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core import publishing, search
from core.admin_dates import DateHintMixin
from core.admin_input import TolerantAutocompleteMixin, TolerantChangelistMixin
from core.admin_review import ReviewMixin
from core.lists.fields import related_model
from core.publishing import has_publish_permission
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
            if not value.isdigit() or not 1 <= int(value) <= 9999:
                return queryset.none()  # no date has that year (and the database takes none)
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


PUBLISHED = PublicationStatus.PUBLISHED


def noun(model, count):
    """Return the model's verbose name, plural unless `count` is one."""
    return model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural


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
    #: True on a revert's page, whose record is a past version: the edit is checked against
    #: the version stored when the page was opened, not the past one shown.
    against_stored = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        versioned = self.versioned()
        if versioned is not None:
            self.fields["edit_version"].initial = (
                type(versioned)
                .objects.filter(pk=versioned.pk)
                .values_list("version", flat=True)
                .first()
                if self.against_stored
                else versioned.version
            )

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


class HistoryAdmin(TolerantChangelistMixin, TolerantAutocompleteMixin, SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history pages take only ids, and whose revert is atomic."""

    def history_view(self, request, object_id, extra_context=None):
        if not str(object_id).isdigit():
            raise Http404("No such record.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # A version of the record, shown to be reverted to: "…/history/abc/" is no version.
        if not (str(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404("No such version.")
        request.reverting = True  # see get_form
        # Like the change form's own view: the edit check locks the row (select_for_update),
        # which the database allows only inside a transaction.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if getattr(request, "reverting", False) and issubclass(form, VersionCheckedForm):
            return type(form.__name__, (form,), {"against_stored": True})
        return form


class OwnerReviewedForm(forms.ModelForm):
    """A row of a record the public sees, edited on a page of its own by someone who may not
    publish: refused, with the way to do it (on the record's page the change waits for an
    editor's review, core.admin_review). The form keeps what was typed."""

    def clean(self):
        cleaned_data = super().clean()
        stored = getattr(self.instance, self.version_of) if self.instance.pk else None
        for owner in (stored, cleaned_data.get(self.version_of)):
            if owner is not None and owner.publication_status == PUBLISHED:
                raise ValidationError(
                    "%(owner)s is published, so its %(rows)s are changed on its own page, where "
                    "an editor reviews the change before the public sees it.",
                    code="reviewed",
                    params={
                        "owner": capfirst(f"{owner._meta.verbose_name} “{owner}”"),
                        "rows": self._meta.model._meta.verbose_name_plural,
                    },
                )
        return cleaned_data


class OwnedRowAdmin(HistoryAdmin):
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
        if not self._publishes_owners(request):
            form = type(form.__name__, (OwnerReviewedForm, form), {})
        return form

    def _publishes_owners(self, request):
        return has_publish_permission(
            request, self.model._meta.get_field(self.owner_field).related_model
        )

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self._publishes_owners(request):
            owner = getattr(obj, self.owner_field)
            if owner.publication_status == PUBLISHED:
                return False  # removed on the owner's page, where an editor reviews it
        return super().has_delete_permission(request, obj)

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


class CuratedAdmin(ReviewMixin, DateHintMixin, PublishingMixin, HistoryAdmin):
    """Admin of a curated model: publish/unpublish actions, history, status filter; a
    curator's save of a published record waits for an editor (core.admin_review)."""

    form = VersionCheckedForm
    actions = ["publish", "unpublish"]
    list_per_page = 50
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    #: Search the row's stored full-text vector on PostgreSQL (a GIN index) rather than
    #: substrings of `search_fields` through joins, which reads every row of a big table.
    full_text_search = False

    def get_search_results(self, request, queryset, search_term):
        if self.full_text_search and search.is_postgres(queryset) and search_term.strip():
            query = search.prefix_query(search_term)
            if query is None:
                return queryset.none(), False
            return queryset.filter(search_vector=query), False
        return super().get_search_results(request, queryset, search_term)

    save_on_top = True

    # --- Publishing ----------------------------------------------------------------------

    def get_urls(self):
        together = path(
            "publish-with-parents/",
            self.admin_site.admin_view(self.publish_with_parents_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_publish_with_parents",
        )
        return [together, *super().get_urls()]

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        at = columns.index("publication_status") + 1 if "publication_status" in columns else None
        if at is not None:
            columns[at:at] = ["public"]
        return [*columns, "site_link"]

    def _url(self, name):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}")

    @admin.display(description="public", boolean=True)
    def public(self, obj):
        """Published and shown: a published claim of a draft visit is not."""
        return publishing.is_public(obj)

    @admin.display(description="on the site")
    def site_link(self, obj):
        label = "view" if self.public(obj) else "preview"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)

    def save_model(self, request, obj, form, change):
        if self.hold(request, obj):
            return  # kept for an editor's review; the record stays as it is
        self._keep_stored_status(request, obj)
        below = {}
        if change and obj.publication_status != PublicationStatus.PUBLISHED:
            stored = type(obj).objects.filter(pk=obj.pk, publication_status=PUBLISHED)
            if stored.exists():  # returning to draft: count what it showed
                below = publishing.public_counts_below(type(obj), [obj.pk])
        super().save_model(request, obj, form, change)
        self._report_hidden(request, type(obj), [obj.pk])
        self._report_hidden_below(request, type(obj), [obj.pk], below)

    def _keep_stored_status(self, request, obj):
        if self.has_publish_permission(request):
            return
        # The status stays as stored, whatever the form says or a past version reverted to
        # (simple-history's "revert" page restores every field of that version).
        stored = (
            type(obj).objects.filter(pk=obj.pk).values_list("publication_status", flat=True).first()
            if obj.pk is not None
            else None
        )
        obj.publication_status = stored or PublicationStatus.DRAFT

    def _report_hidden(self, request, model, ids):
        """Warn about rows `ids` that are published but hidden by draft parents."""
        hidden = publishing.hidden_rows(model, ids)
        if not hidden:
            return
        parents = {}
        for row in hidden:
            for parent in publishing.hiding_parents(row):
                parents.setdefault((parent._meta.label, parent.pk), parent)
        if len(hidden) == 1:
            what = f"{capfirst(publishing.describe(hidden[0]))} is published but not public"
        else:
            what = f"{len(hidden)} {model._meta.verbose_name_plural} are published but not public"
        message = f"{what}: hidden by {publishing.name_drafts(list(parents.values()))}."
        if all(has_publish_permission(request, type(p)) for p in parents.values()):
            url = self._url("publish_with_parents")
            query = urlencode({"ids": ",".join(str(row.pk) for row in hidden)})
            which = "it" if len(parents) == 1 else f"these {len(parents)}"
            link = format_html(' <a href="{}?{}">Publish {} too…</a>', url, query, which)
            self.message_user(request, format_html("{}{}", message, link), messages.WARNING)
        else:
            message += " An editor who may publish them can make it public."
            self.message_user(request, message, messages.WARNING)

    def _report_hidden_below(self, request, model, ids, before):
        """Say how many public rows below rows `ids` a return to draft has hidden."""
        after = publishing.public_counts_below(model, ids)
        lost = [
            (before[below] - after.get(below, 0), below)
            for below in before
            if before[below] > after.get(below, 0)
        ]
        if not lost:
            return
        parts = [f"{count:,} {noun(below, count)}" for count, below in lost]
        self.message_user(
            request,
            f"This hides {' and '.join(parts)} that "
            f"{'was' if sum(count for count, _ in lost) == 1 else 'were'} public until now.",
            messages.WARNING,
        )

    def publish_with_parents_view(self, request):
        """Confirm (GET) and do (POST): publish rows with the drafts that hide them."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        ids = [value for value in data.get("ids", "").split(",") if value.isdigit()]
        records = publishing.hidden_rows(self.model, ids)
        changelist = self._url("changelist")
        if not records:
            self.message_user(
                request, "Nothing to publish: those records are public already.", messages.INFO
            )
            return HttpResponseRedirect(changelist)
        rows = [(record, publishing.hiding_parents(record)) for record in records]
        parents = {p._meta.label_lower + str(p.pk): p for _r, ps in rows for p in ps}
        refused = sorted(
            {
                str(p._meta.verbose_name_plural)
                for p in parents.values()
                if not has_publish_permission(request, type(p))
            }
        )
        if request.method == "POST" and not refused:
            published = publishing.publish_together(records)
            for row in published:
                admin_of = self.admin_site.get_model_admin(type(row))
                admin_of.log_change(request, row, "Published with the records it hid.")
            names = format_html_join(", ", "{}", ((publishing.describe(r),) for r in published))
            self.message_user(
                request,
                format_html("Published {} records: {}. All are public now.", len(published), names),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(changelist)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Publish with the drafts that hide them",
            "rows": [
                (record, [(parent, parent._meta.verbose_name) for parent in parents])
                for record, parents in rows
            ],
            "count": len(records) + len(parents),
            "ids": ",".join(str(record.pk) for record in records),
            "refused": refused,
        }
        return TemplateResponse(request, "admin/publish_with_parents.html", context)

    def _set_status(self, request, queryset, status):
        changed = []
        with transaction.atomic():
            # Locked through a plain query of the chosen ids: a changelist's own annotations
            # (a count of links) would make it a GROUP BY, which FOR UPDATE refuses.
            chosen = self.model.objects.filter(pk__in=queryset.values("pk"))
            rows = list(chosen.select_for_update().exclude(publication_status=status))
            ids = [obj.pk for obj in rows]
            below = {}
            if status != PublicationStatus.PUBLISHED:
                below = publishing.public_counts_below(self.model, ids)
            # One save per row, so that each change leaves a history row with its user.
            for obj in rows:
                obj.publication_status = status
                obj.save()
                changed.append(obj)
        count = len(changed)
        label = noun(self.model, count)
        verb = "published" if status == PublicationStatus.PUBLISHED else "returned to draft"
        self.message_user(
            request,
            ngettext("%(count)d %(label)s %(verb)s.", "%(count)d %(label)s %(verb)s.", count)
            % {"count": count, "label": label, "verb": verb},
            messages.SUCCESS,
        )
        if status == PublicationStatus.PUBLISHED:
            self._report_hidden(request, self.model, ids)
        else:
            self._report_hidden_below(request, self.model, ids, below)

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
