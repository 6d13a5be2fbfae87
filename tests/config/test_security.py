"""Security headers on every page, CSRF on every write, no admin for anonymous users."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.core.test_admin import ADMIN_MODELS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/visits/", "/claims/", "/healthz", "/admin/login/"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)

    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", policy).group(1)
    assert script_src.strip() == "'self'"
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_carry_no_inline_scripts(editor_client):
    visit = factories.VisitFactory()
    pages = [
        "/",
        "/admin/",
        reverse("admin:visits_visit_changelist"),
        reverse("admin:visits_visit_change", args=[visit.pk]),
        reverse("admin:claims_claim_add"),
    ]
    for path in pages:
        html = editor_client.get(path).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+=", html), path


@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_anonymous_users_reach_no_admin_page(client, app, model):
    for name in ("changelist", "add"):
        response = client.get(reverse(f"admin:{app}_{model}_{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_users_cannot_write(client):
    visit = factories.VisitFactory(title="Untouched")

    response = client.post(
        reverse("admin:visits_visit_change", args=[visit.pk]), {"title": "Defaced"}
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.title == "Untouched"


def test_csrf_is_enforced_on_admin_writes(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    visit = factories.VisitFactory(title="Untouched")

    response = client.post(
        reverse("admin:visits_visit_changelist"),
        {"action": "delete_selected", "_selected_action": [visit.pk], "post": "yes"},
    )

    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.title == "Untouched"
