from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from config.curation_admin import CuratedAdmin, year_filter
from sources.models import Citation, SourceDocument


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

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.defer("raw_text", "body")
        return queryset


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ["source", "label", "text", "url"]
    list_select_related = ["source"]
    search_fields = ["text", "url", "source__title"]
    autocomplete_fields = ["source"]
