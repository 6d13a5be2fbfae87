from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actors.models import Actor, ActorAlias, ActorRole
from config.curation_admin import CuratedAdmin


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1
    fields = ["name"]


class ActorRoleInline(admin.TabularInline):
    model = ActorRole
    fk_name = "actor"
    extra = 1
    autocomplete_fields = ["organisation"]
    fields = ["title", "organisation", "start_date", "end_date", "date_precision"]


@admin.register(Actor)
class ActorAdmin(CuratedAdmin):
    list_display = ["name", "kind", "country", "publication_status", "updated_at"]
    list_filter = ["publication_status", "kind", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country"]
    search_fields = ["name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["country"]
    inlines = [ActorAliasInline, ActorRoleInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "country", "description"]}),
        ("Publication", {"fields": ["publication_status"]}),
    ]


@admin.register(ActorRole)
class ActorRoleAdmin(SimpleHistoryAdmin):
    list_display = ["actor", "title", "organisation", "start_date", "end_date"]
    list_select_related = ["actor", "organisation"]
    search_fields = ["title", "actor__name"]
    autocomplete_fields = ["actor", "organisation"]
    list_filter = ["title"]


@admin.register(ActorAlias)
class ActorAliasAdmin(SimpleHistoryAdmin):
    list_display = ["name", "actor"]
    list_select_related = ["actor"]
    search_fields = ["name", "actor__name"]
    autocomplete_fields = ["actor"]
