"""No lost edits on any curated model: each admin refuses a save over someone else's, inlines too.

Builds on tests/config/test_concurrent_edits.py (which walks through a visit in detail): the
same two-curator race on actors, issues, visits, sources and claims, and on the records a
curator edits inline (claims on a source or a visit, aliases, roles, participants, citations).
"""

import pytest
from django.urls import reverse

from actors.models import Actor, ActorAlias, ActorRole
from claims.models import Claim
from sources.models import Citation, SourceDocument
from tests import factories
from tests.core.test_concurrent_edits import form_data, logged_in
from visits.models import Issue, Participation, Visit

pytestmark = pytest.mark.django_db

REFUSED = "someone else changed this"


@pytest.fixture
def amina():
    return logged_in(factories.UserFactory(username="amina", groups=["Editor"]))


@pytest.fixture
def najam():
    return logged_in(factories.UserFactory(username="najam", groups=["Editor"]))


@pytest.fixture
def records():
    """Return one record of every curated model, linked so that every inline shows."""
    visit = factories.VisitFactory(title="Khan visits Kabul", summary="A day-long visit.")
    source = factories.SourceDocumentFactory(title="Khan in Kabul", publisher="Dawn")
    source.visits.add(visit)
    claim = factories.ClaimFactory(source=source, visit=visit, summary="They met.")
    return {
        "actor": visit.visitor,
        "issue": factories.IssueFactory(name="Border", description="The border."),
        "visit": visit,
        "sourcedocument": source,
        "claim": claim,
        "alias": factories.ActorAliasFactory(actor=visit.visitor, name="PM Khan"),
        "role": factories.ActorRoleFactory(actor=visit.visitor, title="Prime Minister"),
        "participation": factories.ParticipationFactory(visit=visit, note="Host"),
        "citation": factories.CitationFactory(source=source, text="A readout"),
    }


#: For each curated model: its admin, and the two fields the two curators change.
CURATED = {
    "actor": ("actors", "actor", Actor, "name", "description"),
    "issue": ("visits", "issue", Issue, "description", "keywords"),
    "visit": ("visits", "visit", Visit, "title", "summary"),
    "sourcedocument": ("sources", "sourcedocument", SourceDocument, "title", "publisher"),
    "claim": ("claims", "claim", Claim, "summary", "status_note"),
}


@pytest.mark.parametrize("key", list(CURATED))
def test_the_second_of_two_saves_is_refused_on_every_curated_model(amina, najam, records, key):
    app, model_name, model, first_field, second_field = CURATED[key]
    record = records[key]
    url = reverse(f"admin:{app}_{model_name}_change", args=[record.pk])
    first, second = form_data(amina.get(url)), form_data(najam.get(url))
    before = getattr(record, second_field)

    first[first_field] = "Changed by Amina"
    assert amina.post(url, first).status_code == 302
    second[second_field] = "Changed by Najam"
    refused = najam.post(url, second)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert f"{REFUSED} {model._meta.verbose_name} after you opened it" in page
    assert "amina at" in page
    assert "Changed by Najam" in page  # Najam's edit waits in the form
    record.refresh_from_db()
    assert getattr(record, first_field) == "Changed by Amina"
    assert getattr(record, second_field) == before


def test_the_source_import_form_carries_no_version_and_the_change_form_does(editor_client, records):
    add = editor_client.get(reverse("admin:sources_sourcedocument_add")).content.decode()
    change = editor_client.get(
        reverse("admin:sources_sourcedocument_change", args=[records["sourcedocument"].pk])
    ).content.decode()

    assert 'name="edit_version"' not in add  # a new article has nobody else's edit to lose
    assert f'name="edit_version" value="{records["sourcedocument"].version}"' in change


def inline_prefix(data, formset, pk):
    """Return the prefix of the form of `formset` ("claims", "aliases" …) editing row `pk`."""
    for name, held in data.items():
        if name.startswith(f"{formset}-") and name.endswith("-id") and str(held) == str(pk):
            return name[: -len("-id")]
    raise AssertionError(f"no {formset} form for row {pk} in {sorted(data)}")


@pytest.mark.parametrize(
    ("parent_key", "app", "model_name"),
    [("sourcedocument", "sources", "sourcedocument"), ("visit", "visits", "visit")],
)
def test_a_claim_edited_inline_over_a_newer_edit_is_refused(
    amina, najam, records, parent_key, app, model_name
):
    claim = records["claim"]
    parent_url = reverse(f"admin:{app}_{model_name}_change", args=[records[parent_key].pk])
    claim_url = reverse("admin:claims_claim_change", args=[claim.pk])
    parent_form = form_data(amina.get(parent_url))
    claim_form = form_data(najam.get(claim_url))

    claim_form["summary"] = "Najam's summary"
    assert najam.post(claim_url, claim_form).status_code == 302
    prefix = inline_prefix(parent_form, "claims", claim.pk)
    parent_form[f"{prefix}-status_note"] = "Amina's note"
    refused = amina.post(parent_url, parent_form)

    assert refused.status_code == 200
    assert f"{REFUSED} claim after you opened it" in refused.content.decode()
    claim.refresh_from_db()
    assert (claim.summary, claim.status_note) == ("Najam's summary", "")


def test_saving_a_source_never_puts_back_an_inline_claim_edited_meanwhile(amina, najam, records):
    claim, source = records["claim"], records["sourcedocument"]
    source_url = reverse("admin:sources_sourcedocument_change", args=[source.pk])
    claim_url = reverse("admin:claims_claim_change", args=[claim.pk])
    source_form = form_data(amina.get(source_url))
    claim_form = form_data(najam.get(claim_url))

    claim_form["summary"] = "Najam's summary"
    najam.post(claim_url, claim_form)
    source_form["title"] = "Amina's title"  # the claim inline is left as it was shown
    response = amina.post(source_url, source_form)

    claim.refresh_from_db()
    assert claim.summary == "Najam's summary"
    source.refresh_from_db()
    if response.status_code == 200:  # refused: Amina sees why and saves again
        assert REFUSED in response.content.decode()
        assert source.title == "Khan in Kabul"
    else:
        assert source.title == "Amina's title"


def test_a_claim_untouched_by_others_saves_inline(amina, records):
    claim, source = records["claim"], records["sourcedocument"]
    url = reverse("admin:sources_sourcedocument_change", args=[source.pk])
    data = form_data(amina.get(url))
    data[f"{inline_prefix(data, 'claims', claim.pk)}-status_note"] = "Confirmed by a readout."

    response = amina.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    claim.refresh_from_db()
    assert claim.status_note == "Confirmed by a readout."


#: Records edited inline on a parent: (key, parent key, parent admin, formset, field, value).
CHILD_INLINES = [
    ("alias", "actor", "actors_actor", "aliases", "name", "Prime Minister Khan", ActorAlias),
    ("role", "actor", "actors_actor", "roles", "title", "Premier", ActorRole),
    (
        "participation",
        "visit",
        "visits_visit",
        "participations",
        "note",
        "At the airport",
        Participation,
    ),
    (
        "citation",
        "sourcedocument",
        "sources_sourcedocument",
        "citations",
        "text",
        "B readout",
        Citation,
    ),
]


@pytest.mark.parametrize(
    ("key", "parent_key", "admin_name", "formset", "field", "value", "_model"), CHILD_INLINES
)
def test_an_inline_edit_over_a_newer_edit_on_the_parent_page_is_refused(
    amina, najam, records, key, parent_key, admin_name, formset, field, value, _model
):
    child = records[key]
    url = reverse(f"admin:{admin_name}_change", args=[records[parent_key].pk])
    first, second = form_data(amina.get(url)), form_data(najam.get(url))
    before = getattr(child, field)

    first[f"{inline_prefix(first, formset, child.pk)}-{field}"] = value
    assert amina.post(url, first).status_code == 302
    second[f"{inline_prefix(second, formset, child.pk)}-{field}"] = "Najam's version"
    refused = najam.post(url, second)

    assert refused.status_code == 200
    assert REFUSED in refused.content.decode()
    child.refresh_from_db()
    assert getattr(child, field) == value != before


@pytest.mark.parametrize(
    ("key", "parent_key", "admin_name", "_formset", "field", "value", "model"), CHILD_INLINES
)
def test_an_edit_on_its_own_page_is_not_undone_from_the_parent_page(
    amina, najam, records, key, parent_key, admin_name, _formset, field, value, model
):
    child = records[key]
    parent_url = reverse(f"admin:{admin_name}_change", args=[records[parent_key].pk])
    child_url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[child.pk]
    )
    parent_form = form_data(amina.get(parent_url))
    child_form = form_data(najam.get(child_url))

    child_form[field] = value
    assert najam.post(child_url, child_form).status_code == 302
    response = amina.post(parent_url, parent_form)  # the inline shows the old value

    child.refresh_from_db()
    assert getattr(child, field) == value
    assert response.status_code == 200
    assert REFUSED in response.content.decode()


def test_links_made_from_the_suggestions_are_not_dropped_by_a_form_opened_before(
    amina, najam, records
):
    source = records["sourcedocument"]
    source.body += " Imran Khan spoke."
    source.save()
    imran = factories.ActorFactory(name="Imran Khan")
    url = reverse("admin:sources_sourcedocument_change", args=[source.pk])
    stale = form_data(amina.get(url))  # the actors field as it was: without Imran Khan

    najam.post(
        reverse("admin:sources_sourcedocument_link_suggestions", args=[source.pk]),
        {"actors": [imran.pk]},
    )
    stale["publisher"] = "Dawn News"
    refused = amina.post(url, stale)

    assert refused.status_code == 200
    assert REFUSED in refused.content.decode()
    assert list(source.actors.all()) == [imran]
