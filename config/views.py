"""Site-wide pages: the overview and the health check."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.generic import TemplateView

from actors.models import Actor
from claims.models import Claim
from sources.models import SourceDocument
from visits.models import Issue, Visit


class HomeView(TemplateView):
    """The overview: counts and the latest visits."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = {
            "visits": Visit.objects.published().count(),
            "actors": Actor.objects.published().count(),
            "issues": Issue.objects.published().count(),
            "sources": SourceDocument.objects.published().count(),
            "claims": Claim.objects.published().count(),
        }
        context["latest_visits"] = Visit.objects.published().for_list()[:10]
        return context


def healthz(request):
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})
