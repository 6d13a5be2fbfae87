from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode

from actors.models import Actor, ActorAlias, ActorRole
from actors.services import actor_merge, find_duplicate_pairs, merge_preview
from core.admin import CuratedAdmin, OwnedRowAdmin
from core.admin_input import TolerantAutocompleteMixin


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1
    fields = ["name"]


class ActorRoleInline(TolerantAutocompleteMixin, admin.TabularInline):
    model = ActorRole
    fk_name = "actor"
    extra = 1
    autocomplete_fields = ["organisation"]
    fields = ["title", "organisation", "start_date", "end_date", "date_precision"]

    def get_queryset(self, request):
        # Each row is headed by its label (holder, title, organisation): read with the row.
        return super().get_queryset(request).select_related("actor", "organisation")


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
    actions = [*CuratedAdmin.actions, "merge_two"]

    def lookup_allowed(self, lookup, value, request=None):
        # A dataset source's page links to its actors by this lookup (sources/admin.py).
        return lookup == "mentioned_in__id__exact" or super().lookup_allowed(lookup, value, request)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("duplicates/", view(self.duplicates_view), name="actors_actor_duplicates"),
            path("merge/", view(self.merge_view), name="actors_actor_merge"),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "can_merge": self.has_delete_permission(request),
            **extra,
        }

    def duplicates_view(self, request):
        """List persons whose names are alike within one country, for a curator to merge."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        pairs = find_duplicate_pairs()
        ids = {actor.pk for pair in pairs for actor in (pair.first, pair.second)}
        visits = dict(
            Actor.objects.filter(pk__in=ids).annotate(n=Count("visits_made")).values_list("pk", "n")
        )
        rows = [
            {
                "pair": pair,
                "first_visits": visits.get(pair.first.pk, 0),
                "second_visits": visits.get(pair.second.pk, 0),
                "score": round(pair.score * 100),
            }
            for pair in pairs
        ]
        context = self._context(request, "Possible duplicate actors", rows=rows)
        return TemplateResponse(request, "admin/actors/actor/duplicates.html", context)

    def merge_view(self, request):
        """Confirm (GET) and perform (POST) the merge of one actor into another."""
        if not self.has_delete_permission(request):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        try:
            keep_id, other_id = int(data.get("keep", "")), int(data.get("other", ""))
        except ValueError:
            messages.error(request, "Choose two actors to merge.")
            return HttpResponseRedirect(reverse("admin:actors_actor_duplicates"))
        keep = get_object_or_404(Actor.objects.select_related("country"), pk=keep_id)
        other = get_object_or_404(Actor.objects.select_related("country"), pk=other_id)
        if keep.pk == other.pk:
            messages.error(request, "An actor cannot be merged into itself.")
            return HttpResponseRedirect(reverse("admin:actors_actor_duplicates"))
        if request.method == "POST":
            other_label = f"“{other.name}” (#{other.pk})"
            moved = actor_merge(keep=keep, other=other, user=request.user)
            summary = ", ".join(f"{count} {what}" for what, count in moved.items())
            message = f"Merged {other_label} into this actor; moved: {summary or 'nothing'}."
            self.log_change(request, keep, message)
            messages.success(request, message)
            return HttpResponseRedirect(reverse("admin:actors_actor_change", args=[keep.pk]))
        context = self._context(
            request,
            f"Merge “{other.name}” into “{keep.name}”",
            keep=keep,
            other=other,
            preview=merge_preview(other),
            swap_url=reverse("admin:actors_actor_merge")
            + "?"
            + urlencode({"keep": other.pk, "other": keep.pk}),
        )
        return TemplateResponse(request, "admin/actors/actor/merge.html", context)

    @admin.action(description="Merge the two selected actors…", permissions=["delete"])
    def merge_two(self, request, queryset):
        actors = list(queryset.order_by("pk")[:3])
        if len(actors) != 2:
            self.message_user(request, "Select exactly two actors to merge.", messages.WARNING)
            return None
        query = urlencode({"keep": actors[0].pk, "other": actors[1].pk})
        return HttpResponseRedirect(f"{reverse('admin:actors_actor_merge')}?{query}")


@admin.register(ActorRole)
class ActorRoleAdmin(OwnedRowAdmin):
    owner_field = "actor"
    list_display = ["actor", "title", "organisation", "start_date", "end_date"]
    list_select_related = ["actor", "organisation"]
    search_fields = ["title", "actor__name"]
    autocomplete_fields = ["actor", "organisation"]
    list_filter = ["title"]

    def get_search_results(self, request, queryset, search_term):
        """Return the roles matching the search; only one actor's when the picker names it."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # A visit's role picker sends its visitor as `holder` (static/js/visitor_role_picker.js).
        holder = request.GET.get("holder", "").strip()
        if holder:
            queryset = queryset.filter(actor=holder) if holder.isdigit() else queryset.none()
        return queryset, may_have_duplicates


@admin.register(ActorAlias)
class ActorAliasAdmin(OwnedRowAdmin):
    owner_field = "actor"
    list_display = ["name", "actor"]
    list_select_related = ["actor"]
    search_fields = ["name", "actor__name"]
    autocomplete_fields = ["actor"]
