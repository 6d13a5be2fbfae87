from django.urls import path

from visits import views

app_name = "visits"
urlpatterns = [
    path("visits/", views.VisitListView.as_view(), name="list"),
    path("visits/<slug:slug>/", views.VisitDetailView.as_view(), name="detail"),
    path("issues/", views.IssueListView.as_view(), name="issue-list"),
    path("issues/<slug:slug>/", views.IssueDetailView.as_view(), name="issue-detail"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
]
