from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from claims.models import Claim
from core.admin import CuratedAdmin, PublishingMixin, VersionCheckedForm, year_filter
from sources.admin import SourceDocumentAdmin
from sources.models import SourceDocument
from visits.admin import VisitAdmin
from visits.models import Visit

CLAIM_AUTOCOMPLETE = ["source", "speaker", "visit", "actors", "issues", "disputed_by"]


@admin.register(Claim)
class ClaimAdmin(CuratedAdmin):
    list_display = [
        "short_summary",
        "kind",
        "status",
        "speaker",
        "visit",
        "source",
        "publication_status",
    ]
    list_filter = [
        "publication_status",
        "status",
        "kind",
        year_filter("visit__start_date", title="year of visit"),
        year_filter("source__published_date", title="year of source", parameter_name="source_year"),
        "issues",
    ]
    list_select_related = ["speaker", "visit", "source"]
    search_fields = ["summary", "quote", "source__title", "speaker__name", "visit__title"]
    full_text_search = True  # on PostgreSQL: the words of the quote, summary and note
    autocomplete_fields = CLAIM_AUTOCOMPLETE
    readonly_fields = ["external_id"]
    fieldsets = [
        (None, {"fields": ["source", "quote", "summary", "kind", "speaker"]}),
        ("About", {"fields": ["visit", "actors", "issues"]}),
        ("Status", {"fields": ["status", "disputed_by", "status_note"]}),
        ("Publication", {"fields": ["publication_status", "external_id"]}),
    ]

    @admin.display(description="summary", ordering="summary")
    def short_summary(self, obj):
        return obj.summary if len(obj.summary) <= 90 else f"{obj.summary[:88]}…"


class ClaimInline(PublishingMixin, admin.StackedInline):
    """Claims edited where a curator reads them: on their source and on their visit."""

    model = Claim
    # Claims are also edited on their own page and on the other record they are inline on.
    form = VersionCheckedForm
    extra = 0
    show_change_link = True
    autocomplete_fields = CLAIM_AUTOCOMPLETE
    fields = [
        "quote",
        "summary",
        ("kind", "status"),
        ("source", "speaker", "visit"),
        ("actors", "issues", "disputed_by"),
        "status_note",
        "publication_status",
        "edit_version",
    ]
    #: Sources such as a whole dataset have thousands of claims: past this, link to the list.
    max_inline_rows = 60


class ClaimOnSourceInline(ClaimInline):
    fields = [
        "quote",
        "summary",
        ("kind", "status"),
        ("speaker", "visit"),
        ("actors", "issues", "disputed_by"),
        "status_note",
        "publication_status",
        "edit_version",
    ]


class ClaimOnVisitInline(ClaimInline):
    pass


class WithClaimsMixin:
    """Show a record's claims inline, or a link to them when there are too many to edit here."""

    claim_inline = None
    claim_lookup = None

    def get_inline_instances(self, request, obj=None):
        instances = super().get_inline_instances(request, obj)
        if obj is None or Claim.objects.filter(**{self.claim_lookup: obj}).count() <= (
            ClaimInline.max_inline_rows
        ):
            instances.append(self.claim_inline(self.model, self.admin_site))
        return instances

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "claims_link"]

    @admin.display(description="claims")
    def claims_link(self, obj):
        if obj is None or obj.pk is None:
            return "Save first, then add claims."
        url = reverse("admin:claims_claim_changelist") + f"?{self.claim_lookup}__id__exact={obj.pk}"
        count = Claim.objects.filter(**{self.claim_lookup: obj}).count()
        return format_html('<a href="{}">All {} claims, in the claims list</a>', url, count)


admin.site.unregister(SourceDocument)
admin.site.unregister(Visit)


@admin.register(SourceDocument)
class SourceDocumentWithClaimsAdmin(WithClaimsMixin, SourceDocumentAdmin):
    claim_inline = ClaimOnSourceInline
    claim_lookup = "source"
    fieldsets = [
        *SourceDocumentAdmin.fieldsets[:-1],
        ("Claims", {"fields": ["claims_link"]}),
        SourceDocumentAdmin.fieldsets[-1],
    ]


@admin.register(Visit)
class VisitWithClaimsAdmin(WithClaimsMixin, VisitAdmin):
    claim_inline = ClaimOnVisitInline
    claim_lookup = "visit"
    fieldsets = [
        *VisitAdmin.fieldsets[:-1],
        ("Claims", {"fields": ["claims_link"]}),
        VisitAdmin.fieldsets[-1],
    ]
