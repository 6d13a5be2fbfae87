"""Staff see a draft on the public templates before it is published: the preview."""

from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from core import publishing


def may_preview(user, model):
    """Return whether `user` may open drafts of `model` on the public site."""
    opts = model._meta
    return (
        user.is_active
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )


class PreviewMixin:
    """A detail view that shows staff any record, drafts included, with a "Draft" banner.

    Everyone else sees public records only (a draft is a 404, as if it did not exist). A draft's
    page says which drafts keep it hidden, asks search engines not to index it, and is marked
    uncacheable; the page cache never stores a page for a signed-in visitor anyway.
    """

    def viewable(self, manager):
        """Return the rows of `manager` this visitor may see: all for staff, else public ones."""
        user = getattr(self.request, "user", None)
        if user is not None and may_preview(user, manager.model):
            return manager.all()
        return manager.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not publishing.is_public(self.object):
            opts = self.object._meta
            context["draft_preview"] = True
            context["admin_url"] = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.object.pk]
            )
            parents = publishing.hiding_parents(self.object)
            drafts = publishing.name_drafts(parents, most=10) if parents else ""
            if self.object.publication_status == publishing.PUBLISHED:
                context["preview_note"] = f"Published, but hidden by {drafts}."
            elif drafts:
                verb = "hides" if len(parents) == 1 else "hide"
                context["preview_note"] = f"Publishing it is not enough: {drafts} {verb} it too."
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context.get("draft_preview"):
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex"
        return response
