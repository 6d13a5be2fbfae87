"""Staff preview drafts on the public pages; publishing says what still hides a record."""

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from actors.models import Actor
from claims.models import Claim
from core import publishing
from core.status import PublicationStatus
from tests import factories
from tests.core.test_concurrent_edits import form_data
from visits.models import Visit

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
PUBLISHED = PublicationStatus.PUBLISHED


@pytest.fixture
def hidden_claim():
    """A published claim about a published visit whose visitor is a draft: nothing shows."""
    visitor = factories.ActorFactory(
        name="Draft Visitor", slug="draft-visitor", publication_status=DRAFT
    )
    visit = factories.VisitFactory(
        title="Draft Visitor in Washington", slug="draft-visitor-in-washington", visitor=visitor
    )
    source = factories.SourceDocumentFactory(title="The draft source", publication_status=DRAFT)
    claim = factories.ClaimFactory(source=source, visit=visit, summary="A hidden claim.")
    return claim


def page_messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Preview ------------------------------------------------------------------------------


def detail_urls(claim):
    visit = claim.visit
    return {
        "visit": visit.get_absolute_url(),
        "actor": visit.visitor.get_absolute_url(),
        "source": claim.source.get_absolute_url(),
        "claim": claim.get_absolute_url(),
    }


def test_anonymous_visitors_and_signed_in_non_staff_get_404_for_drafts(hidden_claim, client):
    member = factories.UserFactory(username="reader", is_staff=False)
    signed_in = Client()
    signed_in.force_login(member)
    for url in detail_urls(hidden_claim).values():
        assert Client().get(url).status_code == 404, url
        assert signed_in.get(url).status_code == 404, url


@pytest.mark.parametrize("user_fixture", ["editor", "curator"])
def test_staff_see_every_draft_page_with_a_banner_noindex_and_no_caching(
    hidden_claim, client, request, user_fixture
):
    client.force_login(request.getfixturevalue(user_fixture))
    for kind, url in detail_urls(hidden_claim).items():
        response = client.get(url)
        html = response.content.decode()

        assert response.status_code == 200, (kind, url)
        assert "Draft — not public." in html, kind
        assert '<meta name="robots" content="noindex, nofollow">' in html, kind
        assert response["X-Robots-Tag"] == "noindex"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_banner_names_the_drafts_that_hide_a_published_record(hidden_claim, editor_client):
    html = editor_client.get(hidden_claim.visit.get_absolute_url()).content.decode()
    claim_html = editor_client.get(hidden_claim.get_absolute_url()).content.decode()

    assert "Published, but hidden by the draft actor “Draft Visitor”." in html
    assert (
        "Published, but hidden by the draft source document “The draft source” and the draft "
        "actor “Draft Visitor”." in claim_html
    )
    edit = reverse("admin:visits_visit_change", args=[hidden_claim.visit.pk])
    assert f'href="{edit}"' in html


def test_the_banner_of_a_draft_names_the_drafts_above_it_too(hidden_claim, editor_client):
    html = editor_client.get(hidden_claim.source.get_absolute_url()).content.decode()
    visit = hidden_claim.visit
    visit.publication_status = DRAFT
    visit.save()
    visit_html = editor_client.get(visit.get_absolute_url()).content.decode()

    assert "Draft — not public." in html
    assert "hidden by" not in html  # a source has nothing above it
    assert "Publishing it is not enough: the draft actor “Draft Visitor” hides it too." in (
        visit_html
    )


def test_a_public_page_has_no_banner_for_staff(editor_client):
    visit = factories.VisitFactory()

    html = editor_client.get(visit.get_absolute_url()).content.decode()

    assert "Draft — not public" not in html
    assert "noindex" not in html


def test_no_cache_keeps_a_draft_page_for_anyone(hidden_claim, editor_client, settings):
    settings.PAGE_CACHE = True
    url = hidden_claim.visit.get_absolute_url()
    anonymous = Client()

    assert anonymous.get(url).status_code == 404
    assert editor_client.get(url).status_code == 200
    assert editor_client.get(url).get("X-Page-Cache") is None
    again = anonymous.get(url)
    assert again.status_code == 404
    assert "Draft" not in again.content.decode()


def test_view_on_site_and_the_changelist_lead_to_the_preview(hidden_claim, editor_client):
    visit = hidden_claim.visit
    change = editor_client.get(reverse("admin:visits_visit_change", args=[visit.pk]))
    view_on_site = re.search(r'href="([^"]+)" class="viewsitelink"', change.content.decode())
    changelist = editor_client.get(reverse("admin:visits_visit_changelist")).content.decode()

    assert view_on_site is not None
    assert editor_client.get(view_on_site.group(1), follow=True).status_code == 200
    assert f'<a href="{visit.get_absolute_url()}">preview</a>' in changelist


def test_the_changelist_shows_whether_each_row_is_public(hidden_claim, editor_client):
    public_visit = factories.VisitFactory(title="A public visit")
    html = editor_client.get(reverse("admin:visits_visit_changelist")).content.decode()

    assert "column-public" in html
    rows = {
        title: row
        for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S)
        for title in (public_visit.title, hidden_claim.visit.title)
        if title in row
    }
    assert 'alt="True"' in rows[public_visit.title]
    assert 'alt="False"' in rows[hidden_claim.visit.title]
    assert "Published" in rows[hidden_claim.visit.title]  # published, and still not public


# --- Publishing that explains itself ------------------------------------------------------


def publish_action(client, model_name, ids):
    app = {"claim": "claims", "visit": "visits", "actor": "actors"}[model_name]
    return client.post(
        reverse(f"admin:{app}_{model_name}_changelist"),
        {"action": "publish", "_selected_action": [str(pk) for pk in ids]},
        follow=True,
    )


def test_publishing_a_claim_hidden_by_drafts_says_which_and_offers_them_in_one_step(
    hidden_claim, editor_client
):
    hidden_claim.publication_status = DRAFT
    hidden_claim.save()

    response = publish_action(editor_client, "claim", [hidden_claim.pk])
    html = response.content.decode()

    assert "1 claim published." in html
    assert (
        "Claim “A hidden claim.” is published but not public: hidden by the draft source "
        "document “The draft source” and the draft actor “Draft Visitor”." in html
    )
    link = re.search(r'<a href="([^"]+)">Publish these 2 too…</a>', html)
    assert link is not None

    confirm = editor_client.get(link.group(1).replace("&amp;", "&"))
    page = confirm.content.decode()
    assert "the draft actor “Draft Visitor”" in page
    assert "the draft source document “The draft source”" in page
    assert 'value="Publish all 3"' in page
    assert Client().get(hidden_claim.get_absolute_url()).status_code == 404  # not yet

    done = editor_client.post(
        link.group(1).replace("&amp;", "&"), {"ids": str(hidden_claim.pk)}, follow=True
    )

    assert "Published 2 records" in done.content.decode()
    for url in detail_urls(hidden_claim).values():
        assert Client().get(url).status_code == 200, url
    actor = Actor.objects.get(pk=hidden_claim.visit.visitor_id)
    assert actor.history.first().history_user.username == "editor"


def test_saving_a_published_record_whose_parent_is_a_draft_warns_on_the_change_page(
    hidden_claim, editor_client
):
    visit = hidden_claim.visit
    url = reverse("admin:visits_visit_change", args=[visit.pk])
    data = form_data(editor_client.get(url))
    data["summary"] = "A corrected summary."

    response = editor_client.post(url, data, follow=True)
    shown = page_messages(response)

    assert any(
        "Visit “Draft Visitor in Washington” is published but not public: hidden by the draft "
        "actor “Draft Visitor”." in message
        for message in shown
    ), shown


def test_curators_are_told_what_hides_a_record_but_offered_no_publish(hidden_claim, curator_client):
    url = reverse("admin:visits_visit_change", args=[hidden_claim.visit.pk])
    data = form_data(curator_client.get(url))
    response = curator_client.post(url, data, follow=True)
    html = response.content.decode()

    assert "hidden by the draft actor “Draft Visitor”. An editor who may publish them" in html
    assert "Publish it too" not in html
    together = reverse("admin:visits_visit_publish_with_parents") + f"?ids={hidden_claim.visit.pk}"
    assert curator_client.get(together).status_code == 403
    assert curator_client.post(together, {"ids": hidden_claim.visit.pk}).status_code == 403
    assert Actor.objects.get(slug="draft-visitor").publication_status == DRAFT


def test_returning_a_parent_to_draft_says_how_many_public_records_it_hides(editor_client):
    visitor = factories.ActorFactory(name="Public Visitor")
    visits = [factories.VisitFactory(visitor=visitor) for _ in range(2)]
    factories.ClaimFactory(visit=visits[0])
    factories.ClaimFactory(visit=visits[1], speaker=visitor)
    factories.ClaimFactory(visit=visits[1], publication_status=DRAFT)  # not public anyway

    response = editor_client.post(
        reverse("admin:actors_actor_changelist"),
        {"action": "unpublish", "_selected_action": [str(visitor.pk)]},
        follow=True,
    )
    html = response.content.decode()

    assert "1 actor returned to draft." in html
    assert "This hides 2 visits and 2 claims that were public until now." in html
    assert not Visit.objects.published().filter(visitor=visitor).exists()
    assert not Claim.objects.published().exists()


def test_the_hidden_rows_and_the_drafts_above_them_are_read_in_one_query(
    django_assert_num_queries,
):
    visitor = factories.ActorFactory(name="Draft Visitor", publication_status=DRAFT)
    visits = [factories.VisitFactory(visitor=visitor) for _ in range(2)]
    claims = [factories.ClaimFactory(visit=visit) for visit in visits for _ in range(10)]

    with django_assert_num_queries(1):
        hidden = publishing.hidden_rows(Claim, [claim.pk for claim in claims])
        parents = {parent.pk for row in hidden for parent in publishing.hiding_parents(row)}

    assert len(hidden) == 20
    assert parents == {visitor.pk}


def test_publishing_rows_that_become_public_says_nothing_more(editor_client):
    visit = factories.VisitFactory(publication_status=DRAFT)

    html = publish_action(editor_client, "visit", [visit.pk]).content.decode()

    assert "1 visit published." in html
    assert "not public" not in html


def test_returning_a_parent_to_draft_on_its_change_page_says_what_it_hides(editor_client):
    visit = factories.VisitFactory()
    factories.ClaimFactory(visit=visit)
    url = reverse("admin:visits_visit_change", args=[visit.pk])
    data = form_data(editor_client.get(url))

    data["publication_status"] = "draft"
    hidden = page_messages(editor_client.post(url, data, follow=True))
    again = page_messages(editor_client.post(url, form_data(editor_client.get(url)), follow=True))

    assert "This hides 1 claim that was public until now." in hidden
    assert not any("This hides" in message for message in again)  # a draft saved again
