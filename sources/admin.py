from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from core.admin import CuratedAdmin, OwnedRowAdmin, year_filter
from sources.models import Citation, SourceDocument
from sources.services import (
    CONFIDENCE_SCALE,
    CONFIDENCE_THRESHOLD,
    link_suggestions,
    suggest_links,
)

#: A dataset's links, shown as counts: (field, admin changelist, its lookup of the source).
DATASET_LINKS = {
    "visits": ("covered_visits", "admin:visits_visit_changelist", "sources__id__exact"),
    "actors": ("mentioned_actors", "admin:actors_actor_changelist", "mentioned_in__id__exact"),
    "issues": ("discussed_issues", "admin:visits_issue_changelist", "sources__id__exact"),
}


def is_dataset(source):
    """Return whether `source` is a saved imported dataset (thousands of records)."""
    return source is not None and source.pk is not None and source.kind == source.DATASET_KIND


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    fields = ["position", "label", "text", "url"]


@admin.register(SourceDocument)
class SourceDocumentAdmin(CuratedAdmin):
    list_display = ["title", "kind", "publisher", "authors", "published_date", "publication_status"]
    list_filter = [
        "publication_status",
        "kind",
        year_filter("published_date"),
        "issues",
        "language",
    ]
    search_fields = ["title", "slug", "publisher", "authors", "url"]
    date_hierarchy = "published_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["visits", "actors", "issues"]
    inlines = [CitationInline]
    readonly_fields = ["checksum", "external_id"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "publisher", "authors", "published_date"]}),
        ("Where it comes from", {"fields": ["url", "language", "licence", "external_id"]}),
        ("Text", {"fields": ["body", "raw_text", "checksum"]}),
        ("What it covers", {"fields": ["visits", "actors", "issues"]}),
        ("Publication", {"fields": ["publication_status"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        """Return the fieldsets; a dataset's links are shown as counts, not edited here."""
        fieldsets = super().get_fieldsets(request, obj)
        if not is_dataset(obj):
            return fieldsets
        shown = {field: summary for field, (summary, _, _) in DATASET_LINKS.items()}
        return [
            (name, {**options, "fields": [shown.get(f, f) for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if is_dataset(obj):
            fields += [summary for summary, _, _ in DATASET_LINKS.values()]
        return fields

    def _linked_rows(self, obj, field):
        summary, changelist, lookup = DATASET_LINKS[field]
        count = getattr(obj, field).count()
        url = reverse(changelist, current_app=self.admin_site.name)
        url = f"{url}?{urlencode({lookup: obj.pk})}"
        return format_html(
            '{} — <a href="{}">see them in the {} list</a>. The importer keeps these links '
            "(each re-import brings them in step with the data); they are not edited here.",
            f"{count:,}",
            url,
            field,
        )

    @admin.display(description="visits")
    def covered_visits(self, obj):
        return self._linked_rows(obj, "visits")

    @admin.display(description="actors")
    def mentioned_actors(self, obj):
        return self._linked_rows(obj, "actors")

    @admin.display(description="issues")
    def discussed_issues(self, obj):
        return self._linked_rows(obj, "issues")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.defer("raw_text", "body")
        return queryset

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        link = path(
            "<path:object_id>/link-suggestions/",
            self.admin_site.admin_view(self.link_suggestions_view),
            name=f"{info[0]}_{info[1]}_link_suggestions",
        )
        return [link, *super().get_urls()]

    def _change_url(self, source):
        info = self.opts.app_label, self.opts.model_name
        return reverse(
            f"admin:{info[0]}_{info[1]}_change", args=[source.pk], current_app=self.admin_site.name
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if is_dataset(obj):
            # Thousands of records: every name in the data would be suggested.
            context["link_suggestions_skipped"] = True
        elif obj is not None and change and self.has_change_permission(request, obj):
            info = self.opts.app_label, self.opts.model_name
            context["link_suggestions"] = suggest_links(obj)
            context["confidence_threshold"] = CONFIDENCE_THRESHOLD
            context["confidence_scale"] = CONFIDENCE_SCALE
            context["link_suggestions_url"] = reverse(
                f"admin:{info[0]}_{info[1]}_link_suggestions",
                args=[obj.pk],
                current_app=self.admin_site.name,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def link_suggestions_view(self, request, object_id):
        """Link the ticked suggested actors and issues to the source in one step."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = self.get_object(request, unquote(object_id))
        if source is None:
            self.message_user(
                request, f"There is no source with the id “{object_id}”.", messages.WARNING
            )
            return HttpResponseRedirect(reverse("admin:sources_sourcedocument_changelist"))
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        actor_ids = [value for value in request.POST.getlist("actors") if value.isdigit()]
        issue_ids = [value for value in request.POST.getlist("issues") if value.isdigit()]
        actors, issues = link_suggestions(source, actor_ids=actor_ids, issue_ids=issue_ids)
        if not actors and not issues:
            self.message_user(
                request, "Nothing was ticked, so nothing was linked.", messages.WARNING
            )
            return HttpResponseRedirect(self._change_url(source))
        parts = []
        for label, objects in (("actor", actors), ("issue", issues)):
            if objects:
                noun = label if len(objects) == 1 else f"{label}s"
                names = ", ".join(str(obj) for obj in objects)
                parts.append(f"{len(objects)} {noun} ({names})")
        summary = " and ".join(parts)
        self.log_change(request, source, f"Linked {summary} from the suggestions.")
        self.message_user(request, f"Linked {summary} to “{source}”.", messages.SUCCESS)
        return HttpResponseRedirect(self._change_url(source))


@admin.register(Citation)
class CitationAdmin(OwnedRowAdmin):
    owner_field = "source"
    list_display = ["source", "label", "text", "url"]
    list_select_related = ["source"]
    search_fields = ["text", "url", "source__title"]
    autocomplete_fields = ["source"]
