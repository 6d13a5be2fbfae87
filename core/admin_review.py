"""The review of pending changes in the admin: held saves, the editors' queue, its decisions.

A curator's save of a published record (see core.review) is held: the record is not written,
the submission is kept, and the curator is told so on the record's page. Editors work through
"Changes waiting for review": each change shown field by field beside the record as it is now
(a changed quote in its source's words), approved or rejected in one click each.
"""

import copy

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from core import review
from core.admin_input import TolerantChangelistMixin
from core.models import PendingChange, ReviewStatus


def _when(moment):
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def review_url(change):
    return reverse("admin:core_pendingchange_change", args=[change.pk])


class ReviewMixin:
    """A curated record's admin whose saves by curators of published records wait for review."""

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        if change and review.held_for_review(request, obj):
            # A candidate: held if the submission changes what the public sees (decided in
            # save_related, where the inlines are known; at once on a revert, which has none).
            request.review = "undecided"
            save_m2m = form.save_m2m

            def save_m2m_unless_held():
                if getattr(request, "pending_change", None) is None:
                    save_m2m()

            form.save_m2m = save_m2m_unless_held
        return obj

    def hold(self, request, obj):
        """Return whether the save of `obj` is not to be written now: kept for review (a
        revert of a published record), or put off until save_related has seen the inlines."""
        state = getattr(request, "review", None)
        if state == "undecided":
            if getattr(request, "reverting", False):
                request.pending_change = review.propose(request, obj)
                request.review = "held"
            else:
                request.review = "deferred"
        return getattr(request, "review", None) in ("held", "deferred")

    def save_related(self, request, form, formsets, change):
        if getattr(request, "review", None) == "deferred":
            if review.changes_public(form, formsets):
                request.pending_change = review.propose(request, form.instance)
                request.review = "held"
                return
            request.review = None  # nothing the public sees: saved as any other save
            self.save_model(request, form.instance, form, change)
        if getattr(request, "review", None) == "held":
            return
        super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "pending_change", None) is not None:
            return ""  # nothing was saved, so the inlines have no saved rows to name
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "pending_change", None) is not None:
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        pending = getattr(request, "pending_change", None)
        if pending is None:
            return super().response_change(request, obj)
        messages.info(
            request,
            format_html(
                "Your change to {} waits for an editor's review; until it is approved the public "
                'sees the record as it was. <a href="{}">See the change</a>.',
                pending.label,
                review_url(pending),
            ),
        )
        return HttpResponseRedirect(request.path)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and str(object_id).isdigit():
            self._tell_of_review(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def _tell_of_review(self, request, object_id):
        """Say on the record's page which changes of it wait, and why the user's last was
        rejected (if it was, and they have not proposed another since): one query."""
        changes = list(
            PendingChange.objects.filter(
                # by name, not ContentType's cache: one query, whatever the cache holds
                content_type__app_label=self.opts.app_label,
                content_type__model=self.opts.model_name,
                object_id=int(object_id),
            )
            .filter(Q(status=ReviewStatus.PENDING) | Q(proposed_by=request.user))
            .select_related("proposed_by", "decided_by")
            .order_by("proposed_at", "pk")
        )
        for change in changes:
            if change.status != ReviewStatus.PENDING:
                continue
            mine = change.proposed_by_id == request.user.pk
            who = "Your" if mine else f"{change.proposed_by.get_username()}'s"
            messages.warning(
                request,
                format_html(
                    '{} change of {} waits for review. <a href="{}">See it</a>.',
                    who,
                    _when(change.proposed_at),
                    review_url(change),
                ),
            )
        mine = [change for change in changes if change.proposed_by_id == request.user.pk]
        if mine and mine[-1].status == ReviewStatus.REJECTED:
            last = mine[-1]
            messages.error(
                request,
                format_html(
                    "Your change of {} was rejected by {}: {}",
                    _when(last.proposed_at),
                    last.decided_by.get_username() if last.decided_by else "an editor",
                    last.note or "no reason given.",
                ),
            )


@admin.register(PendingChange)
class PendingChangeAdmin(TolerantChangelistMixin, admin.ModelAdmin):
    """Changes waiting for review: the editors' queue (a curator sees their own)."""

    list_display = [
        "label",
        "kind",
        "proposed_by",
        "proposed_at",
        "status",
        "decided_by",
        "record_link",
    ]
    list_filter = ["status", "content_type"]
    list_select_related = ["proposed_by", "decided_by", "content_type"]
    search_fields = ["label", "note"]
    change_form_template = "admin/core/pendingchange/review.html"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if self.reviews(request):
            return rows
        return rows.filter(proposed_by=request.user)

    @staticmethod
    def reviews(request):
        return request.user.has_perm("core.review_pendingchange")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # decided by its own buttons, never edited

    @staticmethod
    def record_url(change):
        """Return the admin page of the changed record ("" if it has none)."""
        try:
            return reverse(
                f"admin:{change.content_type.app_label}_{change.content_type.model}_change",
                args=[change.object_id],
            )
        except NoReverseMatch:
            return ""

    @admin.display(description="record now")
    def record_link(self, change):
        url = self.record_url(change)
        return format_html('<a href="{}">open</a>', url) if url else "—"

    @admin.display(description="kind of record")
    def kind(self, change):
        return change.content_type.name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = (
            self.get_queryset(request).filter(pk=object_id).first()
            if str(object_id).isdigit()
            else None
        )
        if change is None:
            return HttpResponseRedirect(reverse("admin:core_pendingchange_changelist"))
        model = change.content_type.model_class()
        model_admin = admin.site.get_model_admin(model)
        if request.method == "POST":
            return self._decide(request, change, model_admin)
        record = change.record
        rows, problems = (
            ([], [])
            if record is None
            else review.differences(model_admin, self._as_proposer(request, change), change)
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change to {change.label}",
            "change": change,
            "record": record,
            "rows": rows,
            "problems": problems,
            "decides": self.reviews(request) and change.status == ReviewStatus.PENDING,
            "opts": self.model._meta,
            "record_url": self.record_url(change),
        }
        return TemplateResponse(request, self.change_form_template, context)

    @staticmethod
    def _as_proposer(request, change):
        """Return `request` as the curator who proposed `change` made it: the form then has
        the fields they could fill in (no publication status), and reads their submission."""
        as_them = copy.copy(request)
        as_them.user = get_user_model().objects.get(pk=change.proposed_by_id)
        return as_them

    def _decide(self, request, change, model_admin):
        if not self.reviews(request):
            raise PermissionDenied
        here = reverse("admin:core_pendingchange_change", args=[change.pk])
        try:
            if "_approve" in request.POST:
                review.approve(model_admin, request, change, self._as_proposer(request, change))
                messages.success(request, f"Approved: {change.label} is changed as proposed.")
            elif "_reject" in request.POST:
                note = request.POST.get("note", "").strip()
                if not note:
                    messages.error(request, "Say why it is rejected: the curator reads it.")
                    return HttpResponseRedirect(here)
                review.reject(request, change, note)
                messages.success(request, f"Rejected: {change.label} stays as it was.")
            else:
                return HttpResponseRedirect(here)
        except review.NotApproved as refused:
            messages.error(request, f"Not approved: {refused}")
            return HttpResponseRedirect(here)
        return HttpResponseRedirect(reverse("admin:core_pendingchange_changelist"))
