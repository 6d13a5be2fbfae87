from django.contrib import admin

from actors.models import ActorRole
from core.admin import (
    CuratedAdmin,
    OwnedRowAdmin,
    TolerantAutocompleteMixin,
    VersionCheckedForm,
    year_filter,
)
from visits.models import Issue, Participation, Visit


@admin.register(Issue)
class IssueAdmin(CuratedAdmin):
    list_display = ["name", "slug", "parent", "publication_status"]
    list_filter = ["publication_status"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "keywords"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fields = ["name", "slug", "description", "keywords", "parent", "publication_status"]

    def lookup_allowed(self, lookup, value, request=None):
        # A dataset source's page links to its issues by this lookup (sources/admin.py).
        return lookup == "sources__id__exact" or super().lookup_allowed(lookup, value, request)


class ParticipationInline(TolerantAutocompleteMixin, admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ["actor"]
    fields = ["actor", "role", "note"]
    verbose_name = "participant"
    verbose_name_plural = "participants (hosts, people met, delegation)"


class VisitAdminForm(VersionCheckedForm):
    """The visit form, whose role picker offers only the chosen visitor's roles."""

    class Media:
        js = ["admin/js/autocomplete.js", "js/visitor_role_picker.js"]


@admin.register(Visit)
class VisitAdmin(CuratedAdmin):
    form = VisitAdminForm
    list_display = [
        "title",
        "visitor",
        "origin",
        "destination",
        "date_display",
        "kind",
        "publication_status",
    ]
    list_filter = [
        "publication_status",
        "kind",
        year_filter("start_date"),
        "issues",
        "date_precision",
    ]
    list_select_related = ["visitor", "origin", "destination"]
    search_fields = ["title", "slug", "visitor__name", "city", "summary"]
    full_text_search = True  # on PostgreSQL: the words of the title, city and summary
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["visitor", "visitor_role", "origin", "destination", "issues"]
    inlines = [ParticipationInline]
    record_fields = ["record_visitor", "record_title", "record_text", "record_url", "record_page"]
    readonly_fields = ["external_id", *record_fields]
    fieldsets = [
        (None, {"fields": ["title", "slug", "visitor", "visitor_role", "kind"]}),
        ("Where", {"fields": ["origin", "destination", "city"]}),
        ("When", {"fields": ["start_date", "end_date", "date_precision"]}),
        ("What", {"fields": ["summary", "issues"]}),
        ("Publication", {"fields": ["publication_status", "external_id"]}),
        (
            "Official record (as imported; the importer keeps it in step with the record)",
            {"fields": record_fields, "classes": ["collapse"]},
        ),
    ]

    def lookup_allowed(self, lookup, value, request=None):
        # A dataset source's page links to its visits by this lookup (sources/admin.py).
        return lookup == "sources__id__exact" or super().lookup_allowed(lookup, value, request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "visitor_role":
            # The chosen role is shown by its holder, title and organisation: one query.
            kwargs["queryset"] = ActorRole.objects.select_related("actor", "organisation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="dates", ordering="start_date")
    def date_display(self, obj):
        return obj.date_display


@admin.register(Participation)
class ParticipationAdmin(OwnedRowAdmin):
    owner_field = "visit"
    list_display = ["visit", "actor", "role", "note"]
    list_select_related = ["visit", "actor"]
    list_filter = ["role"]
    search_fields = ["visit__title", "actor__name", "note"]
    autocomplete_fields = ["visit", "actor"]
