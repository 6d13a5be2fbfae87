from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"
urlpatterns = [
    path("", views.Root.as_view(), name="root"),
    path("visits/", views.VisitList.as_view(), name="visit-list"),
    path("visits/<slug:slug>/", views.VisitDetail.as_view(), name="visit-detail"),
    path("actors/", views.ActorList.as_view(), name="actor-list"),
    path("actors/<slug:slug>/", views.ActorDetail.as_view(), name="actor-detail"),
    path("issues/", views.IssueList.as_view(), name="issue-list"),
    path("issues/<slug:slug>/", views.IssueDetail.as_view(), name="issue-detail"),
    path("claims/", views.ClaimList.as_view(), name="claim-list"),
    path("claims/<int:pk>/", views.ClaimDetail.as_view(), name="claim-detail"),
    path("sources/", views.SourceList.as_view(), name="source-list"),
    path("sources/<slug:slug>/", views.SourceDetail.as_view(), name="source-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
