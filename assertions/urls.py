from django.urls import path

from assertions import views

app_name = "assertions"
urlpatterns = [
    path("", views.AssertionListView.as_view(), name="list"),
    path("<slug:slug>/", views.AssertionDetailView.as_view(), name="detail"),
]
