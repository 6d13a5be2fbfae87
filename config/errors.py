"""Error pages that work when the database does not: 500, and 503 for a database outage."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

RETRY_AFTER_SECONDS = 30


def server_error(request):
    """Answer 503 when the database cannot be reached (a lost or refused connection: an
    outage), else 500, logged as one (a query the database refuses is the site's fault)."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
