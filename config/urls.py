from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Diplomatic Visits — curation"
admin.site.site_title = "Diplomatic Visits"
admin.site.index_title = "Curate visits, actors, issues, sources and claims"

handler500 = "config.errors.server_error"
handler404 = "api.errors.page_not_found"

urlpatterns = [
    path("", include("pages.urls")),
    path("admin/", admin.site.urls),
    path("actors/", include("actors.urls")),
    path("", include("visits.urls")),
    path("sources/", include("sources.urls")),
    path("claims/", include("claims.urls")),
    path("assertions/", include("assertions.urls")),
    path("api/v1/", include("api.urls")),
]
