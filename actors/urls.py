from django.urls import path

from actors import views

app_name = "actors"
urlpatterns = [
    path("", views.ActorListView.as_view(), name="list"),
    path("suggest/", views.suggest, name="suggest"),
    path("<slug:slug>/", views.ActorDetailView.as_view(), name="detail"),
]
