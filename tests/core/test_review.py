"""Pending changes: a curator's edit of what the public sees waits for an editor's review."""

import json

import pytest
from django.test import Client

from claims.models import Claim
from core.models import PendingChange, ReviewStatus
from tests import factories
from tests.core.test_concurrent_edits import form_data
from tests.core.test_permissions import revert_data
from tests.pages.test_views import body_of

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "Khan said aid would resume within the year."


@pytest.fixture
def corpus():
    corpus = factories.build_corpus()
    corpus.claim = Claim.objects.get(summary="Khan flew to Kabul in 2020.")
    corpus.other_visit = corpus.washington
    return corpus


def review_page(change):
    return f"/admin/core/pendingchange/{change.pk}/change/"


def signed_in(username, group):
    client = Client()
    client.force_login(factories.UserFactory(username=username, groups=[group]))
    return client


@pytest.fixture
def curator_session():
    return signed_in("amina", "Curator")


@pytest.fixture
def editor_session():
    return signed_in("najam", "Editor")


def edit(client, claim, **changes):
    """Post the claim's change form with `changes`, as the curator's browser would."""
    url = f"/admin/claims/claim/{claim.pk}/change/"
    data = {**form_data(client.get(url)), **changes}
    return client.post(url, data, follow=True)


def public_views(claim):
    """Return what an anonymous visitor reads of `claim`: its page, a list, a search, exports."""
    anonymous = Client()
    paths = [
        f"/claims/{claim.pk}/",
        "/claims/",
        "/search/?q=kabul",
        "/claims/?format=csv",
        "/claims/?format=json",
        f"/api/v1/claims/{claim.pk}/",
    ]
    return {path: body_of(anonymous.get(path)) for path in paths}


def test_a_curators_edit_of_a_public_claim_waits_and_the_public_sees_the_claim_as_it_was(
    corpus, curator_session
):
    before = public_views(corpus.claim)
    response = edit(
        curator_session,
        corpus.claim,
        summary=NEW_SUMMARY,
        visit=str(corpus.other_visit.pk),
    )

    assert "waits for an editor's review" in response.content.decode()
    claim = Claim.objects.get(pk=corpus.claim.pk)
    assert claim.summary == "Khan flew to Kabul in 2020."
    assert claim.visit_id == corpus.kabul.pk
    change = PendingChange.objects.get()
    assert change.status == ReviewStatus.PENDING
    assert change.proposed_by.username == "amina"
    after = public_views(claim)
    for path, body in after.items():
        assert NEW_SUMMARY not in body, path
    assert after[f"/claims/{claim.pk}/"] == before[f"/claims/{claim.pk}/"]


def test_the_editor_sees_it_field_by_field_and_approves_it_in_one_click(
    corpus, curator_session, editor_session
):
    edit(curator_session, corpus.claim, summary=NEW_SUMMARY, visit=str(corpus.other_visit.pk))
    change = PendingChange.objects.get()

    queue = editor_session.get("/admin/core/pendingchange/").content.decode()
    assert "Khan flew to Kabul" in queue and "amina" in queue
    page = editor_session.get(review_page(change)).content.decode()
    assert "Khan flew to Kabul in 2020." in page and NEW_SUMMARY in page  # now, and proposed
    assert corpus.other_visit.title in page

    editor_session.post(review_page(change), {"_approve": "Approve"})

    claim = Claim.objects.get(pk=corpus.claim.pk)
    assert claim.summary == NEW_SUMMARY
    assert claim.visit_id == corpus.other_visit.pk
    change.refresh_from_db()
    assert change.status == ReviewStatus.APPROVED
    assert change.decided_by.username == "najam"
    latest = claim.history.order_by("-history_date").first()
    assert latest.history_user.username == "najam"
    assert "amina" in latest.history_change_reason
    assert NEW_SUMMARY in public_views(claim)[f"/claims/{claim.pk}/"]


def test_a_changed_quote_is_shown_in_its_sources_words(corpus, curator_session, editor_session):
    quote = "Aid worth $1.3 billion was discussed."
    edit(curator_session, corpus.claim, quote=quote)
    change = PendingChange.objects.get()

    page = editor_session.get(review_page(change)).content.decode()

    assert "In the source:" in page
    assert f"<mark>{quote.replace('$', '$')}</mark>" in page


def test_rejection_keeps_the_public_version_and_tells_the_curator_why(
    corpus, curator_session, editor_session
):
    edit(curator_session, corpus.claim, summary=NEW_SUMMARY)
    change = PendingChange.objects.get()

    refused = editor_session.post(review_page(change), {"_reject": "Reject"}, follow=True)
    assert "Say why it is rejected" in refused.content.decode()
    editor_session.post(
        review_page(change),
        {"_reject": "Reject", "note": "The source says 2021, not 2020."},
    )

    assert Claim.objects.get(pk=corpus.claim.pk).summary == "Khan flew to Kabul in 2020."
    change.refresh_from_db()
    assert change.status == ReviewStatus.REJECTED
    record_page = curator_session.get(f"/admin/claims/claim/{corpus.claim.pk}/change/")
    assert "was rejected by najam: The source says 2021, not 2020." in record_page.content.decode()
    queue = curator_session.get(review_page(change)).content.decode()
    assert "The source says 2021, not 2020." in queue


def test_a_curator_sees_only_their_own_and_cannot_decide(corpus, curator_session):
    edit(curator_session, corpus.claim, summary=NEW_SUMMARY)
    change = PendingChange.objects.get()
    other = signed_in("bilal", "Curator")

    assert "Khan flew to Kabul" not in other.get("/admin/core/pendingchange/").content.decode()
    response = curator_session.post(review_page(change), {"_approve": "Approve"})

    assert response.status_code == 403
    assert Claim.objects.get(pk=corpus.claim.pk).summary == "Khan flew to Kabul in 2020."


def test_drafts_and_editors_saves_are_immediate(corpus, curator_session, editor_session):
    draft = factories.ClaimFactory(
        source=corpus.source,
        quote="Trump offered to mediate on Kashmir.",
        publication_status="draft",
    )
    edit(curator_session, draft, summary="A draft, edited.")
    assert Claim.objects.get(pk=draft.pk).summary == "A draft, edited."

    edit(editor_session, corpus.claim, summary=NEW_SUMMARY)
    assert Claim.objects.get(pk=corpus.claim.pk).summary == NEW_SUMMARY
    assert not PendingChange.objects.exists()


def test_a_change_overtaken_by_another_is_not_approved_blindly(
    corpus, curator_session, editor_session
):
    edit(curator_session, corpus.claim, summary=NEW_SUMMARY)
    edit(editor_session, corpus.claim, summary="The editor's own wording.")
    change = PendingChange.objects.get()

    response = editor_session.post(review_page(change), {"_approve": "Approve"}, follow=True)

    assert "Not approved" in response.content.decode()
    assert Claim.objects.get(pk=corpus.claim.pk).summary == "The editor's own wording."
    change.refresh_from_db()
    assert change.status == ReviewStatus.PENDING


def test_the_curators_submission_is_kept_whole(corpus, curator_session):
    edit(curator_session, corpus.claim, summary=NEW_SUMMARY, status_note="Checked twice.")

    data = dict(PendingChange.objects.get().data)
    assert data["summary"] == [NEW_SUMMARY]
    assert data["status_note"] == ["Checked twice."]
    assert "csrfmiddlewaretoken" not in json.dumps(data)


def test_a_save_that_changes_nothing_public_is_not_held(corpus, curator_session):
    response = edit(curator_session, corpus.claim)  # the form as shown, saved

    assert "waits for an editor's review" not in response.content.decode()
    assert not PendingChange.objects.exists()


def test_a_public_claim_changed_on_its_sources_page_waits_too(corpus, curator_session):
    corpus.claim.source.citations.filter(url__startswith="javascript:").delete()  # a bad link
    url = f"/admin/sources/sourcedocument/{corpus.claim.source_id}/change/"
    data = form_data(curator_session.get(url))
    row = next(
        key
        for key, value in data.items()
        if key.startswith("claims-") and key.endswith("-id") and str(value) == str(corpus.claim.pk)
    )
    data[row.replace("-id", "-summary")] = NEW_SUMMARY

    response = curator_session.post(url, data, follow=True)

    assert "waits for an editor's review" in response.content.decode()
    assert Claim.objects.get(pk=corpus.claim.pk).summary == "Khan flew to Kabul in 2020."
    assert PendingChange.objects.get().record == corpus.claim.source


def test_a_curators_revert_of_a_public_claim_waits_and_is_applied_on_approval(
    corpus, curator_session, editor_session
):
    claim = corpus.claim
    first = claim.history.earliest().history_id
    claim.summary = "A later wording."
    claim.save()
    url = f"/admin/claims/claim/{claim.pk}/history/{first}/"
    data = revert_data(curator_session.get(url))

    response = curator_session.post(url, data, follow=True)

    assert "waits for an editor's review" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).summary == "A later wording."
    change = PendingChange.objects.get()
    editor_session.post(review_page(change), {"_approve": "Approve"})
    assert Claim.objects.get(pk=claim.pk).summary == "Khan flew to Kabul in 2020."


def test_a_public_records_rows_are_not_changed_past_review_on_their_own_pages(
    corpus, curator_session, editor_session
):
    actor = corpus.claim.speaker
    alias = factories.ActorAliasFactory(actor=actor, name="I. Khan")
    url = f"/admin/actors/actoralias/{alias.pk}/change/"
    data = {**form_data(curator_session.get(url)), "name": "Imran K."}

    refused = curator_session.post(url, data)

    assert f"Actor “{actor}” is published, so its actor aliases are changed on its own page" in (
        refused.content.decode()
    )
    assert 'value="Imran K."' in refused.content.decode()  # nothing typed is lost
    alias.refresh_from_db()
    assert alias.name == "I. Khan"
    deleting = curator_session.post(f"/admin/actors/actoralias/{alias.pk}/delete/", {"post": "yes"})
    assert deleting.status_code == 403
    adding = curator_session.post(
        "/admin/actors/actoralias/add/", {"actor": str(actor.pk), "name": "Khan sahib"}
    )
    assert "is published, so its actor aliases" in adding.content.decode()
    assert not actor.aliases.filter(name="Khan sahib").exists()

    editor_session.post(url, {**form_data(editor_session.get(url)), "name": "Imran K."})
    alias.refresh_from_db()
    assert alias.name == "Imran K."


def test_a_change_to_a_record_deleted_since_is_refused_with_a_message(
    corpus, curator_session, editor_session
):
    edit(curator_session, corpus.claim, summary=NEW_SUMMARY)
    change = PendingChange.objects.get()
    Claim.objects.filter(pk=corpus.claim.pk).delete()

    page = editor_session.get(review_page(change)).content.decode()
    response = editor_session.post(review_page(change), {"_approve": "Approve"}, follow=True)

    assert "The record no longer exists." in page
    assert "Not approved: The record no longer exists" in response.content.decode()
    change.refresh_from_db()
    assert change.status == ReviewStatus.PENDING
