"""The source admin's "Add" page imports an article (pasted or uploaded) instead of a blank form.

The source admin is registered by sources and given its claims by claims; the import sits above
them both, so it extends the registered admin rather than being imported by it.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse

from ingest.articles.forms import ArticleImportForm
from ingest.articles.services import (
    ArticleImportError,
    DuplicateSourceError,
    size_limit_text,
    source_import,
)
from sources.models import SourceDocument

RegisteredSourceAdmin = type(admin.site.get_model_admin(SourceDocument))


class ArticleImportAdmin(RegisteredSourceAdmin):
    """The source admin, whose "Add" page imports an article."""

    import_template = "admin/sources/sourcedocument/import_form.html"

    def add_view(self, request, form_url="", extra_context=None):
        """Import an article (pasted or uploaded) instead of typing a source by hand."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        duplicate = None
        if request.method == "POST":
            form = ArticleImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    source = source_import(
                        raw_text=form.cleaned_data["raw_text"],
                        filename=form.cleaned_data["filename"],
                        overrides=form.overrides(),
                    )
                except DuplicateSourceError as error:
                    duplicate = error.existing
                    form.add_error(None, str(error))
                except ArticleImportError as error:
                    form.add_error(None, str(error))
                else:
                    return self._imported(request, source)
        else:
            form = ArticleImportForm()
        context = {
            **self.admin_site.each_context(request),
            "title": f"Add {self.opts.verbose_name}",
            "subtitle": None,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "form": form,
            "duplicate": duplicate,
            "size_limit": size_limit_text(),
            "is_popup": IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET,
            "to_field": request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR, "")),
            "has_view_permission": self.has_view_permission(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.import_template, context)

    def _imported(self, request, source):
        self.log_addition(request, source, [{"added": {}}])
        if IS_POPUP_VAR in request.POST:
            return self.response_add(request, source)
        citations = source.citations.count()
        paragraphs = source.body.count("\n\n") + 1
        self.message_user(
            request,
            f"Imported “{source.title}”: {paragraphs} paragraphs, {citations} citations. "
            "Check the title, authors and date, then link the suggested actors and issues.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._change_url(source))


admin.site.unregister(SourceDocument)
admin.site.register(SourceDocument, ArticleImportAdmin)
