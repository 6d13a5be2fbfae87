from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from claims.models import Claim
from claims.suggest import suggestions
from core.admin import (
    CuratedAdmin,
    PublishingMixin,
    TolerantAutocompleteMixin,
    VersionCheckedForm,
    year_filter,
)
from core.text import strip_quote_marks
from sources.admin import SourceDocumentAdmin
from sources.models import SourceDocument
from sources.passages import as_quote, paragraph_quote, paragraph_starts, paragraph_stretch
from sources.visit_sources import VisitSourcesAdminMixin
from visits.admin import VisitAdmin
from visits.models import Visit

CLAIM_AUTOCOMPLETE = ["source", "speaker", "visit", "actors", "issues", "disputed_by"]


class ClaimForm(VersionCheckedForm):
    """The claim form; `quote_at` carries where in the source a curator selected the quote."""

    quote_at = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "quote_at" not in self.initial:
            self.fields["quote_at"].initial = self.instance.quote_start

    def clean(self):
        cleaned_data = super().clean()
        # A position given anew places the quote there (the occurrence nearest it).
        if cleaned_data.get("quote_at") is not None:
            self.instance.quote_start = cleaned_data["quote_at"]
        return cleaned_data


@admin.register(Claim)
class ClaimAdmin(CuratedAdmin):
    form = ClaimForm
    list_display = [
        "short_summary",
        "kind",
        "status",
        "speaker",
        "visit",
        "source",
        "publication_status",
        "is_orphaned",
    ]
    list_filter = [
        "is_orphaned",
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
        (None, {"fields": ["source", "quote", "quote_at", "summary", "kind", "speaker"]}),
        ("About", {"fields": ["visit", "actors", "issues"]}),
        ("Status", {"fields": ["status", "disputed_by", "status_note"]}),
        ("Publication", {"fields": ["publication_status", "external_id"]}),
    ]

    @admin.display(description="summary", ordering="summary")
    def short_summary(self, obj):
        return obj.summary if len(obj.summary) <= 90 else f"{obj.summary[:88]}…"

    def get_changeform_initial_data(self, request):
        """Fill a new claim from its source's page: the quote, and what the quote names.

        `?source=1&paragraph=3` quotes paragraph 3; `?source=1&quote=…` a selected passage,
        with `&quote_at=…` where in the source's normalised text it was selected (the quote
        is anchored at that occurrence). Unless the link gives actors, issues or a visit,
        those the passage names are suggested.
        """
        initial = super().get_changeform_initial_data(request)
        source = source_from_id(initial.get("source"))
        if source is None:
            return initial
        number = request.GET.get("paragraph", "")
        if number.isdigit() and not initial.get("quote"):
            initial["quote"] = paragraph_quote(source, int(number))
            starts = paragraph_starts(source)
            if 1 <= int(number) <= len(starts):
                initial["quote_at"] = starts[int(number) - 1]
        quote = strip_quote_marks(as_quote(initial.get("quote")))
        if not quote:
            return initial
        initial["quote"] = quote
        if not {"actors", "issues", "visit"} & set(request.GET):
            suggested = suggestions(source, quote)
            initial["actors"] = [str(pk) for pk in suggested["actors"]]
            initial["issues"] = [str(pk) for pk in suggested["issues"]]
            if suggested["visit"] is not None:
                initial["visit"] = str(suggested["visit"])
        return initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The source's text beside the quote, once the source is known (opened from the source,
        # editing a saved claim, or a form shown again with its errors).
        form = context["adminform"].form
        source = obj.source if obj is not None and obj.source_id else None
        if source is None and "source" in form.fields:
            source = source_from_id(form["source"].value())
        if source is not None:
            quote = form["quote"].value() if "quote" in form.fields else obj and obj.quote
            context["source_text"] = paragraph_stretch(source, around=quote or "")
        if obj is not None and obj.is_orphaned:
            messages.warning(request, ORPHANED_WARNING)
        return super().render_change_form(request, context, add, change, form_url, obj)


ORPHANED_WARNING = (
    "Orphaned: this quote no longer appears in the current text of its source (the source's "
    "text was changed). Correct the quote from the text below, or the source's text; until "
    "then its public page says so and the source does not highlight it."
)


def source_from_id(value):
    """Return the source with the id `value` (as a form or a link gives it), or None."""
    value = str(value or "")
    return SourceDocument.objects.filter(pk=value).first() if value.isdigit() else None


class ClaimInline(TolerantAutocompleteMixin, PublishingMixin, admin.StackedInline):
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
    # The source's page with its body by numbered paragraphs, each a way into a new claim.
    change_form_template = "admin/sources/sourcedocument/change_form_with_body.html"
    fieldsets = [
        *SourceDocumentAdmin.fieldsets[:-1],
        ("Claims", {"fields": ["claims_link"]}),
        SourceDocumentAdmin.fieldsets[-1],
    ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None and request.user.has_perm("claims.add_claim"):
            start = request.GET.get("paragraphs_from", "")
            context["source_text"] = paragraph_stretch(
                obj, start=int(start) if start.isdigit() else 1
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The body changed: its claims were anchored again; say which no longer anchor.
        if not change or "body" not in form.changed_data:
            return
        orphaned = Claim.objects.filter(source=obj, is_orphaned=True).count()
        if orphaned:
            url = reverse("admin:claims_claim_changelist")
            url += f"?source__id__exact={obj.pk}&is_orphaned__exact=1"
            messages.warning(
                request,
                format_html(
                    "{} of this source’s claims no longer find their quote in its text: "
                    '<a href="{}">the orphaned claims</a>.',
                    orphaned,
                    url,
                ),
            )


@admin.register(Visit)
class VisitWithClaimsAdmin(VisitSourcesAdminMixin, WithClaimsMixin, VisitAdmin):
    claim_inline = ClaimOnVisitInline
    claim_lookup = "visit"
    fieldsets = [
        *VisitAdmin.fieldsets[:-1],
        ("Sources", {"fields": ["sources"]}),
        ("Claims", {"fields": ["claims_link"]}),
        VisitAdmin.fieldsets[-1],
    ]
