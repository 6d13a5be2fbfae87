from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse

from assertions.models import Assertion, AssertionClaim
from assertions.services import add_candidates, candidates
from core.admin import CuratedAdmin, OwnedRowAdmin
from core.admin_input import TolerantAutocompleteMixin


class AssertionClaimInline(TolerantAutocompleteMixin, admin.TabularInline):
    model = AssertionClaim
    extra = 1
    autocomplete_fields = ["claim", "by"]
    fields = ["claim", "relation", "by"]
    verbose_name = "claim"
    verbose_name_plural = "claims of the sources (each for or against the assertion)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim", "by")


@admin.register(Assertion)
class AssertionAdmin(CuratedAdmin):
    list_display = ["statement", "visit", "claim_total", "publication_status"]
    list_filter = ["publication_status", "issues"]
    list_select_related = ["visit"]
    search_fields = ["statement", "slug", "visit__title"]
    prepopulated_fields = {"slug": ["statement"]}
    autocomplete_fields = ["visit", "issues"]
    inlines = [AssertionClaimInline]
    fieldsets = [
        (None, {"fields": ["statement", "slug", "visit", "issues", "note"]}),
        ("Publication", {"fields": ["publication_status"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(link_count=Count("links"))

    @admin.display(description="claims", ordering="link_count")
    def claim_total(self, obj):
        return obj.link_count

    def get_urls(self):
        add = path(
            "<path:object_id>/add-candidates/",
            self.admin_site.admin_view(self.add_candidates_view),
            name="assertions_assertion_add_candidates",
        )
        return [add, *super().get_urls()]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and change and self.has_change_permission(request, obj):
            context["candidates"] = candidates(obj)
            context["candidates_url"] = reverse(
                "admin:assertions_assertion_add_candidates", args=[obj.pk]
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def add_candidates_view(self, request, object_id):
        """Add the ticked candidate claims to the assertion, each as supporting it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        assertion = self.get_object(request, unquote(object_id))
        if assertion is None:
            self.message_user(request, "There is no such assertion.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:assertions_assertion_changelist"))
        if not self.has_change_permission(request, assertion):
            raise PermissionDenied
        ids = [value for value in request.POST.getlist("claims") if value.isdigit()]
        added = add_candidates(assertion, ids)
        change_url = reverse("admin:assertions_assertion_change", args=[assertion.pk])
        if not added:
            self.message_user(
                request, "Nothing was ticked, so nothing was added.", messages.WARNING
            )
            return HttpResponseRedirect(change_url)
        summary = f"Added {len(added)} claim{'s' if len(added) != 1 else ''} as supporting it"
        self.log_change(request, assertion, summary + ".")
        self.message_user(
            request,
            f"{summary}: check each one's relation (supports, disputes, denies) below.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url)


@admin.register(AssertionClaim)
class AssertionClaimAdmin(OwnedRowAdmin):
    owner_field = "assertion"
    list_display = ["assertion", "claim", "relation", "by"]
    list_select_related = ["assertion", "claim", "by"]
    list_filter = ["relation"]
    search_fields = ["assertion__statement", "claim__summary", "claim__quote"]
    autocomplete_fields = ["assertion", "claim", "by"]
