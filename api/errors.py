"""The site's 404: JSON under /api/ (what an API client reads), the site's page elsewhere."""

from django.http import JsonResponse
from django.views import defaults

from api.throttling import API_PREFIX


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
