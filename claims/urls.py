from django.urls import path

from claims import views

app_name = "claims"
urlpatterns = [
    path("", views.ClaimListView.as_view(), name="list"),
    path("<int:pk>/", views.ClaimDetailView.as_view(), name="detail"),
    path("<int:pk>/cite.<str:ext>", views.claim_cite, name="cite"),
]
