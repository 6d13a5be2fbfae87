"""Who may do what: anonymous users reach no admin page and write nothing; curators neither
publish nor delete, by any route; every admin write needs its CSRF token.

Builds on tests/config/test_security.py and tests/config/test_admin.py, which check the
changelists and add pages, one delete action and one publish action.
"""

import pytest
from django.test import Client
from django.urls import reverse

from actors.models import Actor, ActorAlias
from claims.models import Claim
from core.status import PublicationStatus
from sources.models import SourceDocument
from tests import factories
from tests.core.test_admin import ADMIN_MODELS
from tests.core.test_concurrent_edits import form_data
from tests.core.test_history_everywhere import CURATED, MODELS, fresh

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED


def revert_data(response):
    """Return the fields a browser would submit from a "revert to this version" page."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        elif value is not None:
            data[name] = value
    return data


def object_urls(app, model, pk, history_id):
    """Return every admin URL of one row: change, delete, history, a past version."""
    return [
        reverse(f"admin:{app}_{model}_change", args=[pk]),
        reverse(f"admin:{app}_{model}_delete", args=[pk]),
        reverse(f"admin:{app}_{model}_history", args=[pk]),
        reverse(f"admin:{app}_{model}_simple_history", args=[pk, history_id]),
    ]


def every_admin_url():
    """Return every admin URL, with a row of each model to point at."""
    urls = [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("admin:autocomplete") + "?app_label=visits&model_name=visit&field_name=visitor",
        reverse("admin:jsi18n"),
        reverse("admin:actors_actor_duplicates"),
        reverse("admin:actors_actor_merge"),
    ]
    for app in ("actors", "visits", "sources", "claims", "assertions"):
        urls.append(reverse("admin:app_list", args=[app]))
    rows = {}
    for app, model in ADMIN_MODELS:
        row = rows[model] = fresh(model)
        urls += [
            reverse(f"admin:{app}_{model}_changelist"),
            reverse(f"admin:{app}_{model}_add"),
            *object_urls(app, model, row.pk, row.history.latest().history_id),
        ]
    urls.append(
        reverse("admin:sources_sourcedocument_link_suggestions", args=[rows["sourcedocument"].pk])
    )
    return urls, rows


# --- Anonymous users --------------------------------------------------------------------------


def test_anonymous_users_reach_no_admin_page(client):
    urls, _rows = every_admin_url()

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url


def test_anonymous_posts_to_any_admin_url_change_nothing(client):
    urls, rows = every_admin_url()
    states = {model: list(MODELS[model].history.all()) for model in MODELS}
    counts = {model: MODELS[model]._default_manager.count() for model in MODELS}

    for url in urls:
        response = client.post(
            url,
            {
                "post": "yes",
                "action": "delete_selected",
                "_selected_action": [row.pk for row in rows.values()],
                "keep": rows["actor"].pk,
                "other": rows["actoralias"].actor_id,
                "actors": [rows["actor"].pk],
                "title": "Defaced",
                "name": "Defaced",
                "text": "Defaced article\n\nNothing to see.",
            },
        )
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN), url

    assert {model: MODELS[model]._default_manager.count() for model in MODELS} == counts
    assert {model: list(MODELS[model].history.all()) for model in MODELS} == states


@pytest.mark.parametrize("path", ["/", "/visits/", "/claims/", "/search/"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_public_pages_accept_no_write(client, path, method):
    response = getattr(client, method)(path)

    assert response.status_code == 405


def test_public_detail_pages_accept_no_write(client):
    visit = factories.VisitFactory()

    for url in (visit.get_absolute_url(), visit.visitor.get_absolute_url()):
        assert client.post(url, {"title": "Defaced"}).status_code == 405


# --- Curators: no publishing, no deleting -----------------------------------------------------


@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_a_curator_deletes_nothing(curator_client, app, model):
    row = fresh(model)
    changelist = reverse(f"admin:{app}_{model}_changelist")
    delete = reverse(f"admin:{app}_{model}_delete", args=[row.pk])

    assert curator_client.get(delete).status_code == 403
    assert curator_client.post(delete, {"post": "yes"}).status_code == 403
    assert 'value="delete_selected"' not in curator_client.get(changelist).content.decode()
    curator_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"}
    )
    assert MODELS[model]._default_manager.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    ("app", "model", "formset", "child"),
    [
        ("actors", "actor", "aliases", "actoralias"),
        ("actors", "actor", "roles", "actorrole"),
        ("visits", "visit", "participations", "participation"),
        ("visits", "visit", "claims", "claim"),
        ("sources", "sourcedocument", "citations", "citation"),
        ("sources", "sourcedocument", "claims", "claim"),
    ],
)
def test_a_curator_deletes_no_inline_row(curator_client, app, model, formset, child):
    row = fresh(child)
    owner = {
        "actoralias": lambda: row.actor,
        "actorrole": lambda: row.actor,
        "participation": lambda: row.visit,
        "citation": lambda: row.source,
        "claim": lambda: row.visit if model == "visit" else row.source,
    }[child]()
    if owner is None:
        owner = factories.VisitFactory()
        row.visit = owner
        row.save()
    url = reverse(f"admin:{app}_{model}_change", args=[owner.pk])
    page = curator_client.get(url)
    data = form_data(page)
    data[f"{formset}-0-DELETE"] = "on"

    response = curator_client.post(url, data)

    assert f'name="{formset}-0-DELETE"' not in page.content.decode()
    assert response.status_code == 302
    assert MODELS[child]._default_manager.filter(pk=row.pk).exists()


def test_a_curator_merges_no_actors_by_the_action_either(curator_client):
    first, second = factories.ActorFactory(), factories.ActorFactory()
    changelist = reverse("admin:actors_actor_changelist")

    page = curator_client.get(changelist)
    response = curator_client.post(
        changelist, {"action": "merge_two", "_selected_action": [first.pk, second.pk]}
    )

    assert 'value="merge_two"' not in page.content.decode()
    assert reverse("admin:actors_actor_merge") not in response.get("Location", "")
    assert Actor.objects.filter(pk__in=[first.pk, second.pk]).count() == 2


@pytest.mark.parametrize(("app", "model"), CURATED)
def test_a_curator_publishes_nothing_by_action(curator_client, app, model):
    row = fresh(model)
    row.publication_status = DRAFT
    row.save()
    changelist = reverse(f"admin:{app}_{model}_changelist")

    page = curator_client.get(changelist).content.decode()
    curator_client.post(changelist, {"action": "publish", "_selected_action": [row.pk]})

    assert 'value="publish"' not in page and 'value="unpublish"' not in page
    row.refresh_from_db()
    assert row.publication_status == DRAFT


@pytest.mark.parametrize(("app", "model"), CURATED)
@pytest.mark.parametrize("status", [DRAFT, PUBLISHED])
def test_a_curator_changes_no_publication_status_through_the_form(
    curator_client, app, model, status
):
    row = fresh(model)
    row.publication_status = status
    row.save()
    url = reverse(f"admin:{app}_{model}_change", args=[row.pk])
    data = form_data(curator_client.get(url))
    data["publication_status"] = DRAFT if status == PUBLISHED else PUBLISHED

    response = curator_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert row.publication_status == status


def test_a_curator_publishes_no_claim_through_an_inline(curator_client):
    source = factories.SourceDocumentFactory()
    claim = factories.ClaimFactory(source=source, publication_status=DRAFT)
    url = reverse("admin:sources_sourcedocument_change", args=[source.pk])
    data = form_data(curator_client.get(url))
    data["claims-0-publication_status"] = PUBLISHED
    data.update(
        {
            "claims-TOTAL_FORMS": "2",
            "claims-1-quote": "The prime minister met the president in Washington.",
            "claims-1-summary": "A new claim.",
            "claims-1-kind": "outcome",
            "claims-1-status": "reported",
            "claims-1-publication_status": PUBLISHED,
        }
    )

    response = curator_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(source.claims.values_list("publication_status", flat=True)) == {DRAFT}
    assert source.claims.count() == 2
    claim.refresh_from_db()
    assert claim.publication_status == DRAFT


@pytest.mark.parametrize(("app", "model"), CURATED)
def test_a_curator_publishes_nothing_by_reverting_to_a_published_version(
    curator_client, app, model
):
    row = fresh(model)  # published, then returned to draft by an editor
    published_version = row.history.latest().history_id
    row.publication_status = DRAFT
    row.save()
    url = reverse(f"admin:{app}_{model}_simple_history", args=[row.pk, published_version])

    page = curator_client.get(url)
    data = revert_data(page)
    first = curator_client.post(url, data)
    again = curator_client.post(url, revert_data(first) if first.status_code == 200 else data)

    assert page.status_code == 200
    assert again.status_code in (200, 302)
    row.refresh_from_db()
    assert row.publication_status == DRAFT


def test_an_editor_may_still_revert_a_record_to_a_published_version(editor_client):
    visit = fresh("visit")
    published_version = visit.history.latest().history_id
    visit.publication_status = DRAFT
    visit.title = "A later title"
    visit.save()
    url = reverse("admin:visits_visit_simple_history", args=[visit.pk, published_version])

    first = editor_client.post(url, revert_data(editor_client.get(url)))
    if first.status_code == 200:  # refused once: the record changed since that version
        first = editor_client.post(url, revert_data(first))

    assert first.status_code == 302
    visit.refresh_from_db()
    assert (visit.publication_status, visit.title) == (PUBLISHED, visit.history.earliest().title)


# --- CSRF ---------------------------------------------------------------------------------------


@pytest.fixture
def strict_client(editor):
    """Return a client that, like a browser, must send the CSRF token with each write."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    return client


def test_the_login_form_needs_its_csrf_token():
    factories.UserFactory(username="amina", groups=["Editor"])
    client = Client(enforce_csrf_checks=True)

    response = client.post(LOGIN, {"username": "amina", "password": "a-long-test-password"})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_every_admin_write_needs_its_csrf_token(strict_client):
    urls, rows = every_admin_url()
    visit, source = rows["visit"], rows["sourcedocument"]
    actor = factories.ActorFactory()
    writes = [
        (reverse("admin:visits_visit_change", args=[visit.pk]), {"title": "Defaced"}),
        (reverse("admin:visits_visit_add"), {"title": "Forged", "slug": "forged"}),
        (reverse("admin:sources_sourcedocument_add"), {"text": "Forged\n\nAn article."}),
        (reverse("admin:visits_visit_delete", args=[visit.pk]), {"post": "yes"}),
        (
            reverse("admin:visits_visit_changelist"),
            {"action": "unpublish", "_selected_action": [visit.pk]},
        ),
        (reverse("admin:actors_actor_merge"), {"keep": actor.pk, "other": visit.visitor_id}),
        (
            reverse("admin:sources_sourcedocument_link_suggestions", args=[source.pk]),
            {"actors": [actor.pk]},
        ),
        (
            reverse(
                "admin:visits_visit_simple_history",
                args=[visit.pk, visit.history.latest().history_id],
            ),
            {"title": "Reverted"},
        ),
        (reverse("admin:visits_visit_publish_with_parents"), {"ids": str(visit.pk)}),
        (
            reverse("admin:assertions_assertion_add_candidates", args=[rows["assertion"].pk]),
            {"claims": [rows["claim"].pk]},
        ),
        (reverse("admin:password_change"), {"old_password": "x", "new_password1": "y"}),
        (reverse("admin:logout"), {}),
    ]
    history_rows = {model: MODELS[model].history.count() for model in MODELS}
    claims = Claim.objects.count()

    for url, data in writes:
        response = strict_client.post(url, data)
        assert response.status_code == 403, url
        assert b"CSRF" in response.content, url

    assert {model: MODELS[model].history.count() for model in MODELS} == history_rows
    assert not SourceDocument.objects.filter(title="Forged").exists()
    assert Actor.objects.filter(pk=actor.pk).exists()
    assert strict_client.get(reverse("admin:index")).status_code == 200  # still logged in
    assert not ActorAlias.objects.filter(name=actor.name).exists()
    assert Claim.objects.count() == claims
