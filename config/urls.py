from django.contrib import admin
from django.urls import include, path

from api.urls import urls as api_urls

admin.site.site_header = "Diplomatic Visits — curation"
admin.site.site_title = "Diplomatic Visits"
admin.site.index_title = "Curate visits, actors, issues, sources and claims"
handler500 = "config.errors.server_error"
handler404 = "api.errors.page_not_found"

#: The public site, in the order of its menu; its lists have twins in the API.
site = [path("", include("pages.urls")), path("", include("visits.urls"))]
apps = ("actors", "claims", "assertions", "sources")
site += [path(f"{app}/", include(f"{app}.urls")) for app in apps]
urlpatterns = [*site, path("admin/", admin.site.urls), path("api/v1/", include(api_urls(site)))]
