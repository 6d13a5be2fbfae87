"""Admin pieces shared by every curated model: publishing, history, year filters."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from config.curation import PublicationStatus


def year_filter(field_path, title="year"):
    """Return a list filter by the year of a date field (a related path is fine)."""

    class YearFilter(admin.SimpleListFilter):
        parameter_name = "year"

        def lookups(self, request, model_admin):
            dates = model_admin.model._default_manager.dates(field_path, "year", order="DESC")
            return [(str(value.year), str(value.year)) for value in dates]

        def queryset(self, request, queryset):
            value = self.value()
            if value is None:
                return queryset
            if not value.isdigit():
                return queryset.none()
            return queryset.filter(**{f"{field_path}__year": int(value)})

    YearFilter.title = title
    return YearFilter


def has_publish_permission(request, model):
    """Return whether the user may publish and unpublish rows of `model`."""
    codename = model.publish_permission_codename()
    return request.user.has_perm(f"{model._meta.app_label}.{codename}")


class PublishingMixin:
    """Publication status editable only by those allowed to publish (admins and inlines)."""

    def has_publish_permission(self, request):
        return has_publish_permission(request, self.model)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request) and "publication_status" not in fields:
            fields.append("publication_status")
        return fields


class CuratedAdmin(PublishingMixin, SimpleHistoryAdmin):
    """Admin of a curated model: publish/unpublish actions, history, status filter."""

    actions = ["publish", "unpublish"]
    list_per_page = 50
    show_full_result_count = False
    save_on_top = True

    def _set_status(self, request, queryset, status):
        changed = 0
        with transaction.atomic():
            # One save per row, so that each change leaves a history row with its user.
            for obj in queryset.select_for_update(of=("self",)).exclude(publication_status=status):
                obj.publication_status = status
                obj.save()
                changed += 1
        label = (
            self.model._meta.verbose_name if changed == 1 else self.model._meta.verbose_name_plural
        )
        verb = "published" if status == PublicationStatus.PUBLISHED else "returned to draft"
        self.message_user(
            request,
            ngettext("%(count)d %(label)s %(verb)s.", "%(count)d %(label)s %(verb)s.", changed)
            % {"count": changed, "label": label, "verb": verb},
            messages.SUCCESS,
        )

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, PublicationStatus.PUBLISHED)

    @admin.action(
        description="Return selected %(verbose_name_plural)s to draft", permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, PublicationStatus.DRAFT)
