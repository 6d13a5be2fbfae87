"""The admin as the curators' workplace: every page answers, history records who, roles hold."""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from actors.models import Actor
from assertions.models import Assertion, AssertionClaim
from claims.models import Claim
from core.admin import distinct_years
from core.status import PublicationStatus
from sources.models import SourceDocument
from tests import factories
from visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def knowledge_base():
    """Return one object of every model, linked together as a curator would link them."""
    issue = factories.IssueFactory(slug="kashmir", name="Kashmir")
    visit = factories.VisitFactory(issues=[issue])
    participation = factories.ParticipationFactory(visit=visit)
    source = factories.SourceDocumentFactory()
    source.visits.add(visit)
    citation = factories.CitationFactory(source=source)
    claim = factories.ClaimFactory(
        source=source, visit=visit, issues=[issue], actors=[visit.visitor]
    )
    alias = factories.ActorAliasFactory(actor=visit.visitor, name="PM Khan")
    role = factories.ActorRoleFactory(actor=visit.visitor, organisation=visit.origin)
    assertion = Assertion.objects.create(
        statement="Kashmir was discussed",
        slug="kashmir-was-discussed",
        visit=visit,
        publication_status=PublicationStatus.PUBLISHED,
    )
    link = AssertionClaim.objects.create(assertion=assertion, claim=claim)
    # A serving process knows its content types after its first page: the budgets below are
    # of such a process, not of whichever test happened to run first in this one.
    ContentType.objects.get_for_models(*apps.get_models())
    return {
        "actor": visit.visitor,
        "actoralias": alias,
        "actorrole": role,
        "issue": issue,
        "visit": visit,
        "participation": participation,
        "sourcedocument": source,
        "citation": citation,
        "claim": claim,
        "assertion": assertion,
        "assertionclaim": link,
    }


# Query budgets per admin page (changelist, change page), measured with the knowledge_base
# fixture: session, user, permissions and the page's own queries. The change pages of visits and
# sources render one query per autocomplete widget with a value; a source's change page spends
# two more on its link suggestions (all names and aliases, all issues). A query per row breaks them.
#: (changelist, change page) queries; a curated record's change page also reads the changes of
#: it waiting for review (REVIEW).
REVIEW = 1
QUERY_BUDGETS = {
    ("actors", "actor"): (7, 10 + REVIEW),
    ("actors", "actoralias"): (7, 7),
    ("actors", "actorrole"): (8, 9),
    ("visits", "issue"): (6, 6 + REVIEW),
    ("visits", "visit"): (10, 26 + REVIEW),  # the sources covering it: their ids, their titles
    ("visits", "participation"): (7, 9),
    ("sources", "sourcedocument"): (11, 22 + REVIEW),
    ("sources", "citation"): (7, 7),
    ("claims", "claim"): (10, 13 + REVIEW),  # its source's text, shown beside the quote
    ("assertions", "assertion"): (8, 13 + REVIEW),  # claims inline; candidates of other sources
    ("assertions", "assertionclaim"): (7, 9),
}
ADMIN_MODELS = list(QUERY_BUDGETS)


@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_every_changelist_answers_within_its_query_budget(
    editor_client, knowledge_base, django_assert_max_num_queries, app, model
):
    url = reverse(f"admin:{app}_{model}_changelist")

    with django_assert_max_num_queries(QUERY_BUDGETS[app, model][0]):
        response = editor_client.get(url)

    assert response.status_code == 200
    assert str(knowledge_base[model])[:40] in response.content.decode()


@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_changelist_query_count_does_not_grow_with_rows(
    editor_client, knowledge_base, django_assert_max_num_queries, app, model
):
    # A second full knowledge base: twice the rows, the same budget.
    for _ in range(3):
        visit = factories.VisitFactory(issues=[knowledge_base["issue"]])
        factories.ParticipationFactory(visit=visit)
        source = factories.SourceDocumentFactory()
        factories.CitationFactory(source=source)
        factories.ClaimFactory(source=source, visit=visit)
        factories.ActorAliasFactory(actor=visit.visitor)
        factories.ActorRoleFactory(actor=visit.visitor)

    with django_assert_max_num_queries(QUERY_BUDGETS[app, model][0]):
        response = editor_client.get(reverse(f"admin:{app}_{model}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_every_change_page_and_add_page_answers(
    editor_client, knowledge_base, django_assert_max_num_queries, app, model
):
    obj = knowledge_base[model]

    with django_assert_max_num_queries(QUERY_BUDGETS[app, model][1]):
        change = editor_client.get(reverse(f"admin:{app}_{model}_change", args=[obj.pk]))
    add = editor_client.get(reverse(f"admin:{app}_{model}_add"))
    history = editor_client.get(reverse(f"admin:{app}_{model}_history", args=[obj.pk]))

    assert change.status_code == 200
    assert add.status_code == 200
    assert history.status_code == 200


def test_claims_are_inline_on_their_source_and_their_visit(editor_client, knowledge_base):
    claim = knowledge_base["claim"]

    source_page = editor_client.get(
        reverse("admin:sources_sourcedocument_change", args=[claim.source_id])
    )
    visit_page = editor_client.get(reverse("admin:visits_visit_change", args=[claim.visit_id]))

    assert claim.quote in source_page.content.decode()
    assert claim.quote in visit_page.content.decode()
    assert "claims-TOTAL_FORMS" in source_page.content.decode()
    assert "participations-TOTAL_FORMS" in visit_page.content.decode()


def test_an_admin_edit_writes_a_history_row_with_its_user(editor_client, editor, knowledge_base):
    actor = knowledge_base["actor"]
    url = reverse("admin:actors_actor_change", args=[actor.pk])
    form = {
        "name": "Imran Khan",
        "slug": actor.slug,
        "kind": "person",
        "country": "",
        "description": "Prime Minister of Pakistan 2018–2022.",
        "publication_status": "published",
        "edit_version": actor.version,
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }

    response = editor_client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    latest = actor.history.latest()
    assert latest.name == "Imran Khan"
    assert latest.history_user == editor
    assert latest.history_type == "~"


def test_a_curator_can_add_and_change_but_cannot_delete(curator_client, knowledge_base):
    visit = knowledge_base["visit"]

    assert curator_client.get(reverse("admin:visits_visit_add")).status_code == 200
    assert (
        curator_client.get(reverse("admin:visits_visit_change", args=[visit.pk])).status_code == 200
    )
    delete_url = reverse("admin:visits_visit_delete", args=[visit.pk])
    assert curator_client.get(delete_url).status_code == 403
    assert curator_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_a_curator_cannot_publish_by_action(curator_client, knowledge_base):
    draft = factories.ClaimFactory(
        source=knowledge_base["sourcedocument"], publication_status=PublicationStatus.DRAFT
    )
    changelist = reverse("admin:claims_claim_changelist")

    page = curator_client.get(changelist)
    curator_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})

    assert 'value="publish"' not in page.content.decode()
    draft.refresh_from_db()
    assert draft.publication_status == PublicationStatus.DRAFT


def test_a_curator_cannot_publish_through_the_form(curator_client, curator):
    url = reverse("admin:actors_actor_add")
    form = {
        "name": "Asim Munir",
        "slug": "asim-munir",
        "kind": "person",
        "publication_status": "published",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }

    response = curator_client.post(url, form)

    assert response.status_code == 302
    actor = Actor.objects.get(slug="asim-munir")
    assert actor.publication_status == PublicationStatus.DRAFT
    assert actor.history.latest().history_user == curator


def test_an_editor_publishes_and_unpublishes_with_history(editor_client, editor, knowledge_base):
    draft = factories.ClaimFactory(
        source=knowledge_base["sourcedocument"], publication_status=PublicationStatus.DRAFT
    )
    changelist = reverse("admin:claims_claim_changelist")

    editor_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.publication_status == PublicationStatus.PUBLISHED
    assert draft.history.latest().history_user == editor

    editor_client.post(changelist, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.publication_status == PublicationStatus.DRAFT
    assert draft.history.count() == 3


def test_a_quote_absent_from_the_body_is_a_form_error_in_admin(editor_client, knowledge_base):
    source = knowledge_base["sourcedocument"]
    form = {
        "source": source.pk,
        "quote": "Words the article never printed.",
        "summary": "x",
        "kind": "statement",
        "status": "reported",
        "publication_status": "draft",
    }

    response = editor_client.post(reverse("admin:claims_claim_add"), form)

    assert response.status_code == 200
    assert "does not occur in the body of" in response.content.decode()
    assert not Claim.objects.filter(quote=form["quote"]).exists()


def test_groups_exist_with_the_documented_permissions():
    curator = set(Group.objects.get(name="Curator").permissions.values_list("codename", flat=True))
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))

    assert {"add_claim", "change_claim", "view_claim", "change_visit"} <= curator
    assert not {code for code in curator if code.startswith(("delete_", "publish_"))}
    assert {"delete_claim", "publish_claim", "publish_visit", "publish_sourcedocument"} <= editor


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:visits_visit_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_year_filters_offer_each_year_that_has_rows_newest_first(admin_client):
    for year, month in ((1999, 3), (2019, 7), (2019, 1), (2024, 12)):
        factories.SourceDocumentFactory(published_date=datetime.date(year, month, 1))
    factories.SourceDocumentFactory(published_date=None)

    page = admin_client.get(reverse("admin:sources_sourcedocument_changelist")).content.decode()
    offered = re.findall(r'href="\?year=(\d+)"', page)

    assert distinct_years(SourceDocument, "published_date") == [2024, 2019, 1999]
    assert offered == ["2024", "2019", "1999"]
