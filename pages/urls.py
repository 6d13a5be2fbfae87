from django.urls import path

from pages import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", views.SearchView.as_view(), name="search"),
]
