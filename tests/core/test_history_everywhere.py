"""Every write leaves a history row: admin saves, deletes and bulk actions with their user,
merges, link suggestions, and the import commands (with no user: they run from a shell).

Only the synthetic benchmark data (bench.synthetic) is written without history, by design.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from actors.models import Actor, ActorAlias, ActorRole
from actors.services import actor_merge
from assertions.models import Assertion, AssertionClaim
from claims.models import Claim
from ingest.articles.services import source_import
from sources.models import Citation, SourceDocument
from tests import factories
from tests.core.test_admin import ADMIN_MODELS
from tests.core.test_concurrent_edits import form_data
from tests.ingest.test_cleaning import SEEDS
from tests.ingest.test_history_state_gov import Dataset, trip_xml, visit_xml
from visits.models import Issue, Participation, Visit

pytestmark = pytest.mark.django_db

MODELS = {
    "actor": Actor,
    "actoralias": ActorAlias,
    "actorrole": ActorRole,
    "issue": Issue,
    "visit": Visit,
    "participation": Participation,
    "sourcedocument": SourceDocument,
    "citation": Citation,
    "claim": Claim,
    "assertion": Assertion,
    "assertionclaim": AssertionClaim,
}
CURATED = [
    ("actors", "actor"),
    ("visits", "issue"),
    ("visits", "visit"),
    ("sources", "sourcedocument"),
    ("claims", "claim"),
    ("assertions", "assertion"),
]
#: The curated record that owns each row shown inline on its page.
OWNER = {
    "actoralias": "actor",
    "actorrole": "actor",
    "participation": "visit",
    "citation": "source",
    "assertionclaim": "assertion",
}


def latest(model, pk):
    """Return the newest history row of row `pk` of `model`."""
    return model.history.filter(id=pk).latest()


def without_history(model):
    """Return the ids of rows of `model` that have no history row at all."""
    recorded = set(model.history.values_list("id", flat=True))
    return set(model._default_manager.values_list("pk", flat=True)) - recorded


def rows_without_history():
    """Return {model name: ids of its rows without a history row}."""
    return {name: without_history(model) for name, model in MODELS.items()}


def assert_no_new_row_without_history(before):
    """Check that every row written since `before` (rows_without_history()) has history.

    Rows that had none before (the issues a data migration creates) are left out.
    """
    after = rows_without_history()
    assert {name: after[name] - before[name] for name in MODELS} == {name: set() for name in MODELS}


def fresh(model_name):
    """Return a new row of `model_name` that nothing protects from deletion."""
    visit = factories.VisitFactory()
    source = factories.SourceDocumentFactory()

    def assertion():
        number = Assertion.objects.count() + 1
        return Assertion.objects.create(
            statement=f"Assertion {number}", slug=f"assertion-{number}", visit=visit
        )

    return {
        "actor": lambda: factories.ActorFactory(),
        "actoralias": lambda: factories.ActorAliasFactory(actor=visit.visitor),
        "actorrole": lambda: factories.ActorRoleFactory(actor=visit.visitor),
        "issue": lambda: factories.IssueFactory(),
        "visit": lambda: visit,
        "participation": lambda: factories.ParticipationFactory(visit=visit),
        "sourcedocument": lambda: source,
        "citation": lambda: factories.CitationFactory(source=source),
        "claim": lambda: factories.ClaimFactory(source=source),
        "assertion": assertion,
        "assertionclaim": lambda: AssertionClaim.objects.create(
            assertion=assertion(), claim=factories.ClaimFactory(source=source)
        ),
    }[model_name]()


# --- The admin: saves, deletes and bulk actions ----------------------------------------------


@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_an_admin_save_leaves_a_history_row_with_its_user(editor_client, editor, app, model):
    row = fresh(model)
    url = reverse(f"admin:{app}_{model}_change", args=[row.pk])

    response = editor_client.post(url, form_data(editor_client.get(url)))

    assert response.status_code == 302, response.content.decode()[:2000]
    record = latest(MODELS[model], row.pk)
    assert (record.history_type, record.history_user) == ("~", editor)
    if model in OWNER:  # the owner's page shows the row: it is marked changed too
        owner = getattr(row, OWNER[model])
        assert latest(type(owner), owner.pk).history_user == editor


def add_form(kb):
    """Return the fields of an add form of each model, beside its inline management forms."""
    inlines = {
        "actor": ["aliases", "roles"],
        "visit": ["participations", "claims"],
        "assertion": ["links"],
    }
    data = {
        "actor": {"name": "Asim Munir", "slug": "asim-munir", "kind": "person"},
        "actoralias": {"actor": kb["actor"].pk, "name": "COAS"},
        "actorrole": {"actor": kb["actor"].pk, "title": "Chief", "date_precision": "year"},
        "issue": {"name": "Refugees", "slug": "refugees"},
        "visit": {
            "title": "Munir visits Washington",
            "slug": "munir-visits-washington",
            "visitor": kb["actor"].pk,
            "kind": "official",
            "start_date": "2023-12-01",
            "date_precision": "day",
        },
        "participation": {"visit": kb["visit"].pk, "actor": kb["actor"].pk, "role": "delegation"},
        "citation": {"source": kb["source"].pk, "text": "A note", "position": "3"},
        "claim": {
            "source": kb["source"].pk,
            "quote": "The prime minister met the president in Washington.",
            "summary": "They met.",
            "kind": "outcome",
            "status": "reported",
        },
    }
    data["assertion"] = {
        "statement": "Munir met Blinken",
        "slug": "munir-met-blinken",
        "visit": kb["visit"].pk,
    }
    if "claim" in kb:  # a link needs an assertion and a claim of its own
        data["assertionclaim"] = {
            "assertion": kb["assertion"].pk,
            "claim": kb["claim"].pk,
            "relation": "supports",
        }
    for model in ("actor", "issue", "visit", "claim", "assertion"):
        data[model]["publication_status"] = "draft"
    for model, prefixes in inlines.items():
        for prefix in prefixes:
            data[model].update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.mark.parametrize(("app", "model"), [m for m in ADMIN_MODELS if m[1] != "sourcedocument"])
def test_an_admin_addition_leaves_a_history_row_with_its_user(editor_client, editor, app, model):
    visit = factories.VisitFactory()
    kb = {"actor": visit.visitor, "visit": visit, "source": factories.SourceDocumentFactory()}
    if model == "assertionclaim":
        kb["assertion"] = Assertion.objects.create(statement="A", slug="a", visit=visit)
        kb["claim"] = factories.ClaimFactory(source=kb["source"])
    before = set(MODELS[model]._default_manager.values_list("pk", flat=True))

    response = editor_client.post(reverse(f"admin:{app}_{model}_add"), add_form(kb)[model])

    assert response.status_code == 302, response.content.decode()[:3000]
    (added,) = set(MODELS[model]._default_manager.values_list("pk", flat=True)) - before
    record = latest(MODELS[model], added)
    assert (record.history_type, record.history_user) == ("+", editor)


def test_an_article_import_in_the_admin_leaves_history_rows_with_its_user(editor_client, editor):
    text = "Envoy visits Kabul\n\nThe envoy arrived in Kabul on Monday.[1]\n\n1. A readout.\n"

    response = editor_client.post(reverse("admin:sources_sourcedocument_add"), {"text": text})

    assert response.status_code == 302
    source = SourceDocument.objects.get()
    assert source.history.get().history_user == editor
    assert {c.history.get().history_user for c in source.citations.all()} <= {editor}


@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_an_admin_deletion_leaves_a_history_row_with_its_user(editor_client, editor, app, model):
    row = fresh(model)
    cascaded = []
    if model == "visit":
        cascaded = [factories.ParticipationFactory(visit=row)]
    if model == "sourcedocument":
        cascaded = [factories.CitationFactory(source=row)]

    response = editor_client.post(
        reverse(f"admin:{app}_{model}_delete", args=[row.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not MODELS[model]._default_manager.filter(pk=row.pk).exists()
    for deleted in [row, *cascaded]:
        record = latest(type(deleted), deleted.pk)
        assert (record.history_type, record.history_user) == ("-", editor)


@pytest.mark.parametrize(("app", "model"), ADMIN_MODELS)
def test_delete_selected_leaves_a_history_row_per_row_with_its_user(
    editor_client, editor, app, model
):
    rows = [fresh(model), fresh(model)]

    response = editor_client.post(
        reverse(f"admin:{app}_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk for row in rows], "post": "yes"},
    )

    assert response.status_code == 302
    for row in rows:
        assert not MODELS[model]._default_manager.filter(pk=row.pk).exists()
        record = latest(MODELS[model], row.pk)
        assert (record.history_type, record.history_user) == ("-", editor)


@pytest.mark.parametrize(("app", "model"), CURATED)
def test_publish_and_unpublish_leave_a_history_row_per_row_with_its_user(
    editor_client, editor, app, model
):
    rows = [fresh(model)]
    rows[0].publication_status = "draft"
    rows[0].save()
    changelist = reverse(f"admin:{app}_{model}_changelist")

    for action, status in (("publish", "published"), ("unpublish", "draft")):
        before = rows[0].history.count()
        editor_client.post(changelist, {"action": action, "_selected_action": [rows[0].pk]})

        rows[0].refresh_from_db()
        assert rows[0].publication_status == status
        assert rows[0].history.count() == before + 1
        record = rows[0].history.latest()
        assert (record.publication_status, record.history_user) == (status, editor)


def test_an_inline_addition_and_change_leave_history_rows_with_their_user(editor_client, editor):
    source = factories.SourceDocumentFactory()
    claim = factories.ClaimFactory(source=source)
    url = reverse("admin:sources_sourcedocument_change", args=[source.pk])
    data = form_data(editor_client.get(url))
    data["claims-0-status_note"] = "Confirmed by a readout."
    data.update(
        {
            "citations-TOTAL_FORMS": "1",
            "citations-0-text": "A new note",
            "citations-0-position": "1",
            "citations-0-source": source.pk,
        }
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert latest(Claim, claim.pk).history_user == editor
    assert latest(Claim, claim.pk).status_note == "Confirmed by a readout."
    citation = source.citations.get()
    assert (
        latest(Citation, citation.pk).history_type,
        latest(Citation, citation.pk).history_user,
    ) == (
        "+",
        editor,
    )


def test_linking_suggestions_leaves_a_history_row_on_the_source_with_its_user(
    editor_client, editor
):
    actor = factories.ActorFactory(name="Imran Khan")
    issue = factories.IssueFactory(name="Kashmir", slug="kashmir")
    source = factories.SourceDocumentFactory(body="Imran Khan spoke about Kashmir at length.")
    version = source.version
    url = reverse("admin:sources_sourcedocument_link_suggestions", args=[source.pk])

    response = editor_client.post(url, {"actors": [actor.pk], "issues": [issue.pk]})

    assert response.status_code == 302
    source.refresh_from_db()
    assert list(source.actors.all()) == [actor] and list(source.issues.all()) == [issue]
    assert source.version == version + 1  # a change form opened before is now out of date
    record = source.history.latest()
    assert (record.history_type, record.history_user) == ("~", editor)
    assert "Imran Khan" in record.history_change_reason


def test_a_merge_in_the_admin_leaves_history_rows_on_everything_it_changed(editor_client, editor):
    pakistan = factories.CountryFactory(name="Pakistan", slug="pakistan")
    keep = factories.ActorFactory(name="Asif Ali Zardari", country=pakistan)
    other = factories.ActorFactory(name="Asif Zadari", country=pakistan)
    alias = factories.ActorAliasFactory(actor=other, name="President Zadari")
    role = factories.ActorRoleFactory(actor=other)
    visit = factories.VisitFactory(visitor=other)
    participation = factories.ParticipationFactory(actor=other)
    source = factories.SourceDocumentFactory()
    source.actors.add(other)
    spoken = factories.ClaimFactory(source=source, speaker=other)
    about = factories.ClaimFactory(source=source, actors=[other])
    party = factories.ActorFactory(name="PPP", kind="organisation", country=other)

    response = editor_client.post(
        reverse("admin:actors_actor_merge"), {"keep": keep.pk, "other": other.pk}
    )

    assert response.status_code == 302
    changed = [
        (Actor, keep.pk, "~"),
        (Actor, other.pk, "-"),
        (ActorAlias, alias.pk, "~"),
        (ActorRole, role.pk, "~"),
        (Visit, visit.pk, "~"),
        (Participation, participation.pk, "~"),
        (SourceDocument, source.pk, "~"),
        (Claim, spoken.pk, "~"),
        (Claim, about.pk, "~"),
        (Actor, party.pk, "~"),
    ]
    for model, pk, kind in changed:
        record = latest(model, pk)
        assert (record.history_type, record.history_user) == (kind, editor), model
        assert record.history_change_reason.startswith("Merged “Asif Zadari”")


# --- Code paths that run outside a request ---------------------------------------------------


def test_the_merge_service_leaves_history_rows_without_a_user():
    keep, other = factories.ActorFactory(), factories.ActorFactory()
    visit = factories.VisitFactory(visitor=other)
    before = rows_without_history()

    actor_merge(keep=keep, other=other)

    assert (latest(Visit, visit.pk).history_type, latest(Visit, visit.pk).history_user) == (
        "~",
        None,
    )
    assert latest(Actor, other.pk).history_type == "-"
    assert_no_new_row_without_history(before)


def test_load_seed_leaves_a_history_row_for_every_row_it_writes():
    before = rows_without_history()

    call_command("load_seed", stdout=StringIO())

    assert Visit.objects.exists() and Claim.objects.exists() and Citation.objects.exists()
    assert_no_new_row_without_history(before)
    assert not Visit.history.exclude(history_user=None).exists()  # a command has no user


def test_the_office_of_the_historian_import_leaves_a_history_row_for_every_row(tmp_path):
    data = Dataset(tmp_path)
    data.write_visits(
        "2019.xml",
        visit_xml("2933", "Prime Minister Imran Khan"),
        visit_xml("2811", "Prime Minister Nawaz Sharif", start="2015-10-22", end="2015-10-23"),
    )
    data.write_trips(
        "president-travels",
        "obama-barack.xml",
        trip_xml(
            "2960",
            "obama-barack",
            "Barack Obama",
            "pakistan",
            "Pakistan",
            "Islamabad",
            "Met with Prime Minister Gilani.",
            "2011-05-01",
        ),
    )

    before = rows_without_history()

    call_command(
        "import_history_state_gov",
        visits=str(data.visits),
        travels=str(data.travels),
        stdout=StringIO(),
    )

    assert Visit.objects.count() >= 3 and Claim.objects.exists()
    assert_no_new_row_without_history(before)


def test_import_articles_leaves_a_history_row_for_every_source_and_citation():
    before = rows_without_history()

    call_command("import_articles", str(SEEDS), stdout=StringIO(), stderr=StringIO())

    assert SourceDocument.objects.count() == 5 and Citation.objects.exists()
    assert_no_new_row_without_history(before)


def test_source_import_leaves_history_rows():
    before = rows_without_history()

    source = source_import(raw_text="A title\n\nA body of text.[1]\n\n1. A note.\n")

    assert source.history.get().history_type == "+"
    assert_no_new_row_without_history(before)


def test_an_owned_row_changed_on_its_own_page_marks_its_owner_changed(editor_client, editor):
    visit = factories.VisitFactory(start_date=datetime.date(2020, 1, 1), end_date=None)
    participation = factories.ParticipationFactory(visit=visit)
    version = visit.version
    url = reverse("admin:visits_participation_change", args=[participation.pk])
    data = form_data(editor_client.get(url))
    data["note"] = "Met at the airport"

    assert editor_client.post(url, data).status_code == 302

    visit.refresh_from_db()
    assert visit.version == version + 1
    record = visit.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        editor,
        "Participation changed on its own page",
    )
