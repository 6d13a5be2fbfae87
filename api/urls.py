"""The API's URLs: a twin of each list the site routes (see core.lists.site), and each record."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views
from core.lists.site import lists_in


def urls(site_patterns):
    """Return the API's URLconf for include(): a list for each list in `site_patterns` that
    names its twin (`api_view_name`), at the list's own path, and the records."""
    twins = [item for item in lists_in(site_patterns) if item.view.api_view_name]
    lists = [
        path(
            item.route,
            views.PublicListView.twin_of(item).as_view(),
            name=item.view.api_view_name.removeprefix("api:"),
        )
        for item in twins
    ]
    root = views.Root.as_view(
        lists=[(item.route.strip("/"), item.view.api_view_name) for item in twins]
    )
    patterns = [
        path("", root, name="root"),
        *lists,
        path("visits/<slug:slug>/", views.VisitDetail.as_view(), name="visit-detail"),
        path("actors/<slug:slug>/", views.ActorDetail.as_view(), name="actor-detail"),
        path("issues/<slug:slug>/", views.IssueDetail.as_view(), name="issue-detail"),
        path("claims/<int:pk>/", views.ClaimDetail.as_view(), name="claim-detail"),
        path("sources/<slug:slug>/", views.SourceDetail.as_view(), name="source-detail"),
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    ]
    return patterns, "api"
