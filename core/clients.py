"""Who a request comes from: the address the server saw, or the one a trusted proxy saw.

A client writes its own `X-Forwarded-For`, so the header is believed only as far as the
proxies in front of the site write it: with TRUSTED_PROXIES = N (each appending the address
it saw), the client is the address N from the right of the header; with none (the default),
the header is ignored and the client is REMOTE_ADDR.
"""

from django.conf import settings


def client_address(request):
    """Return the address `request` comes from, as the site's own proxies saw it."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]
