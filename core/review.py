"""Pending changes: a curator's change to what the public sees waits for an editor.

As Wagtail keeps a live page's new revision and MediaWiki a reviewed article's pending edit: a
save by someone who may not publish, of a record stored as published, is not written to the
record. The form as submitted (every field, inlines included, as typed) is kept as a
PendingChange; the public goes on seeing the record as it was. An editor sees each pending
change field by field beside the record as it is now, and approves it (the submission is
saved through the same admin form, in one transaction, recorded in the record's history with
who approved it and whose change it was) or rejects it with a note the curator reads.
Drafts are never public: saving one is immediate, as are editors' own saves.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from core.models import PendingChange, ReviewStatus
from core.publishing import has_publish_permission
from core.status import PublicationStatus
from core.text import find_normalised

#: Keys of a submitted form that are not its data: the token, and which button was pressed.
NOT_DATA = {
    "csrfmiddlewaretoken",
    "_save",
    "_continue",
    "_addanother",
    "_saveasnew",
    "_change_history",
}
#: Fields the diff leaves out: the edit check, and a list's copy as first shown.
UNSHOWN = {"edit_version", "sources_shown"}


def held_for_review(request, obj):
    """Return whether a save of the existing record `obj` by this user may wait for an
    editor: the record is stored published (the public sees it, or will once its parents
    are) and the user may not publish. It waits if it changes something (changes_public)."""
    if obj.pk is None or has_publish_permission(request, type(obj)):
        return False
    stored = type(obj).objects.filter(pk=obj.pk).values_list("publication_status", flat=True)
    return stored.first() == PublicationStatus.PUBLISHED


PUBLISHED = PublicationStatus.PUBLISHED


def _public_row(row):
    """Return whether an inline's stored row shows on its record's public page: it has no
    status of its own (an alias, a citation) or is stored published."""
    model = type(row)
    if not hasattr(model, "publication_status"):
        return True
    stored = model.objects.filter(pk=row.pk).values_list("publication_status", flat=True)
    return stored.first() == PUBLISHED


def changes_public(form, formsets):
    """Return whether a submission of a published record's form changes what the public
    sees: a field of the record, or an inline row the public sees (changed, removed, or
    added where a new row is public at once). A new draft row, or a change to one, is not."""
    if any(name not in UNSHOWN for name in form.changed_data):
        return True
    for formset in formsets:
        for inline_form in formset.forms:
            if not inline_form.has_changed():
                continue
            row = inline_form.instance
            if row.pk is None:
                if not hasattr(row, "publication_status") or row.publication_status == PUBLISHED:
                    return True
            elif _public_row(row):
                return True
    return False


def propose(request, obj):
    """Keep the form `request` submitted for `obj` as a pending change; return it."""
    data = [[key, request.POST.getlist(key)] for key in request.POST if key not in NOT_DATA]
    stored = type(obj).objects.get(pk=obj.pk)  # as it is, not as the form would make it
    return PendingChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        label=str(stored)[:300],
        data=data,
        proposed_by=request.user,
    )


def pending_for(obj):
    """Return the pending changes of `obj`, oldest first."""
    return PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        status=ReviewStatus.PENDING,
    ).order_by("proposed_at", "pk")


def submitted(change):
    """Return the form data of `change` as a QueryDict, as it was posted."""
    data = QueryDict(mutable=True)
    for key, values in change.data:
        data.setlist(key, values)
    return data


def bound_forms(model_admin, request, obj, change):
    """Return (form, formsets) of the admin's change form of `obj`, bound to `change`'s data."""
    data = submitted(change)
    form = model_admin.get_form(request, obj, change=True)(data, {}, instance=obj)
    formsets, prefixes = [], {}
    for formset_class, inline in model_admin.get_formsets_with_inlines(request, obj):
        prefix = formset_class.get_default_prefix()
        prefixes[prefix] = prefixes.get(prefix, 0) + 1
        if prefixes[prefix] != 1:  # the admin numbers a second inline of the same rows
            prefix = f"{prefix}-{prefixes[prefix]}"
        formsets.append(
            formset_class(
                data=data,
                files={},
                instance=obj,
                prefix=prefix,
                queryset=inline.get_queryset(request),
            )
        )
    return form, formsets


def _shown(value):
    """Return a field's value as a reader sees it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple) or hasattr(value, "model"):
        names = [str(item) for item in value]
        return "; ".join(names) if names else "—"
    return str(value)


def _initial(form, name):
    """Return the record's current value of field `name`, as its form would show it."""
    field = form.fields[name]
    value = form.get_initial_for_field(field, name)
    queryset = getattr(field, "queryset", None)
    if queryset is not None and value not in (None, "", []):
        ids = value if isinstance(value, list | tuple) else [value]
        ids = [getattr(item, "pk", item) for item in ids]
        rows = list(queryset.filter(pk__in=ids))
        return rows if isinstance(value, list | tuple) else (rows[0] if rows else value)
    return value


def differences(model_admin, request, change):
    """Return (rows, problems): [(label, now, proposed, context)] of what `change` would
    change in the record as it is now, and the errors its form would give if approved now."""
    # The form's edit check locks the record's row, which needs a transaction (as the
    # admin's own change view has): held only while the form is checked.
    with transaction.atomic():
        return _differences(model_admin, request, change)


def _differences(model_admin, request, change):
    obj = change.record
    form, formsets = bound_forms(model_admin, request, obj, change)
    valid = form.is_valid()
    cleaned = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    rows = []
    for name in form.changed_data:
        if name in UNSHOWN or name not in form.fields:
            continue
        proposed = cleaned.get(name, form.data.get(form.add_prefix(name)))
        context = _context(obj, name, proposed)
        rows.append(
            (
                form.fields[name].label or name,
                _shown(_initial(form, name)),
                _shown(proposed),
                context,
            )
        )
    for formset in formsets:
        formset.is_valid()
        noun = formset.model._meta.verbose_name
        for inline_form in formset.forms:
            if not inline_form.has_changed():
                continue
            instance = inline_form.instance
            deleted = formset.can_delete and inline_form.cleaned_data.get("DELETE")
            if deleted:
                rows.append((f"{noun} removed", str(instance), "—", ""))
            elif instance.pk is None:
                cleaned_inline = inline_form.cleaned_data
                values = "; ".join(
                    f"{inline_form.fields[name].label}: {_shown(cleaned_inline.get(name))}"
                    for name in inline_form.changed_data
                    if name in inline_form.fields and name not in UNSHOWN
                )
                rows.append((f"{noun} added", "—", values, ""))
            else:
                for name in inline_form.changed_data:
                    if name in UNSHOWN or name not in inline_form.fields:
                        continue
                    rows.append(
                        (
                            f"{noun} “{instance}”: {inline_form.fields[name].label}",
                            _shown(_initial(inline_form, name)),
                            _shown(inline_form.cleaned_data.get(name)),
                            "",
                        )
                    )
    problems = [] if valid else [str(error) for errors in form.errors.values() for error in errors]
    for formset in formsets:
        problems += [str(error) for error in formset.non_form_errors()]
        for errors in formset.errors:
            problems += [str(error) for field_errors in errors.values() for error in field_errors]
    return rows, problems


def _context(obj, name, value):
    """Return the passage of the record's source around a changed quote, the quote marked."""
    source = getattr(obj, "source", None)
    if name != "quote" or not value or source is None:
        return ""
    found = find_normalised(source.body, str(value))
    if found is None:
        return ""
    start, end = found
    before = source.body[max(0, start - 200) : start]
    after = source.body[end : end + 200]
    return format_html("…{}<mark>{}</mark>{}…", before, source.body[start:end], after)


class NotApproved(Exception):
    """The change could not be applied to the record as it is now (the form's errors)."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def approve(model_admin, request, change, as_proposer):
    """Save `change` into its record through the admin's form, in one transaction.

    The form is the one its curator filled in (`as_proposer`: their request), saved as the
    editor's (`request`). Raises NotApproved with the form's errors (someone changed the
    record since, a value no longer valid): nothing is then written, the change stays pending.
    """
    model = change.content_type.model_class()
    with transaction.atomic():
        locked = PendingChange.objects.select_for_update().get(pk=change.pk)
        if locked.status != ReviewStatus.PENDING:
            raise NotApproved([f"This change was {locked.get_status_display().lower()} already."])
        obj = model.objects.select_for_update().filter(pk=change.object_id).first()
        if obj is None:
            raise NotApproved(["The record no longer exists: reject the change."])
        form, formsets = bound_forms(model_admin, as_proposer, obj, locked)
        if not (form.is_valid() and all(formset.is_valid() for formset in formsets)):
            raise NotApproved(differences(model_admin, as_proposer, locked)[1] or ["Invalid."])
        when = date_format(timezone.localtime(locked.proposed_at), "j M Y, H:i")
        who = locked.proposed_by.get_username()
        obj = model_admin.save_form(request, form, change=True)
        obj._change_reason = f"Approved: {who}'s change of {when}"[:100]
        model_admin.save_model(request, obj, form, change=True)
        model_admin.save_related(request, form, formsets, change=True)
        model_admin.log_change(
            request, obj, model_admin.construct_change_message(request, form, formsets)
        )
        locked.status = ReviewStatus.APPROVED
        locked.decided_by = request.user
        locked.decided_at = timezone.now()
        locked.save()
    return obj


def reject(request, change, note):
    """Mark `change` rejected with `note` (the curator reads it); the record stays as it is."""
    with transaction.atomic():
        locked = PendingChange.objects.select_for_update().get(pk=change.pk)
        if locked.status != ReviewStatus.PENDING:
            raise NotApproved([f"This change was {locked.get_status_display().lower()} already."])
        locked.status = ReviewStatus.REJECTED
        locked.decided_by = request.user
        locked.decided_at = timezone.now()
        locked.note = note
        locked.save()
    return locked
