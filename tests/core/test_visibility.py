"""Stored visibility flags and copied source dates follow every write; drafts stay hidden."""

import datetime

import pytest
from django.urls import reverse
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actors.models import Actor
from actors.services import actor_merge
from bench.synthetic import generate
from claims.models import Claim
from core import visibility
from sources.models import SourceDocument
from tests import factories
from tests.ingest.test_history_state_gov import Dataset, visit_xml
from visits.models import Visit

pytestmark = pytest.mark.django_db

PUBLISHED, DRAFT = factories.PUBLISHED, factories.DRAFT


def expected_public(row):
    """Return whether `row` (a visit or claim) should be public, read afresh from its parents."""
    row = type(row)._base_manager.get(pk=row.pk)
    if row.publication_status != PUBLISHED:
        return False
    if isinstance(row, Visit):
        actors = [row.visitor, row.origin, row.destination]
        return all(actor is None or actor.publication_status == PUBLISHED for actor in actors)
    return (
        row.source.publication_status == PUBLISHED
        and (row.visit is None or expected_public(row.visit))
        and (row.speaker is None or row.speaker.publication_status == PUBLISHED)
    )


def assert_every_stored_column_right():
    """Fail if any visit or claim stores a flag or source date its parents contradict."""
    for visit in Visit._base_manager.all():
        assert visit.is_public == expected_public(visit), visit.title
    for claim in Claim._base_manager.select_related("source"):
        assert claim.is_public == expected_public(claim), claim.summary
        assert claim.source_date == claim.source.published_date, claim.summary


def public_claims():
    return set(Claim.objects.published().values_list("summary", flat=True))


def public_visits():
    return set(Visit.objects.published().values_list("title", flat=True))


@pytest.fixture
def world():
    """A public visit with a public claim, and a second claim by a speaker, on one source."""
    visit = factories.VisitFactory(title="Khan in Washington")
    source = factories.SourceDocumentFactory(published_date=datetime.date(2019, 7, 24))
    speaker = factories.ActorFactory(name="Donald Trump")
    on_visit = factories.ClaimFactory(source=source, visit=visit, summary="on the visit")
    by_speaker = factories.ClaimFactory(source=source, speaker=speaker, summary="by the speaker")
    return visit, source, speaker, on_visit, by_speaker


def test_public_rows_are_flagged_and_draft_rows_are_not(world):
    factories.ClaimFactory(summary="a draft claim", publication_status=DRAFT)
    factories.VisitFactory(title="a draft visit", publication_status=DRAFT)

    assert public_claims() == {"on the visit", "by the speaker"}
    assert public_visits() == {"Khan in Washington"}
    assert_every_stored_column_right()


def test_unpublishing_a_source_hides_its_claims_and_publishing_it_shows_them(world):
    _visit, source, _speaker, _on_visit, _by_speaker = world

    source.publication_status = DRAFT
    source.save()
    assert public_claims() == set()

    source.publication_status = PUBLISHED
    source.save()
    assert public_claims() == {"on the visit", "by the speaker"}
    assert_every_stored_column_right()


def test_publishing_a_source_leaves_its_draft_claims_hidden(world):
    _visit, source, _speaker, _on_visit, _by_speaker = world
    factories.ClaimFactory(source=source, summary="still a draft", publication_status=DRAFT)
    source.publication_status = DRAFT
    source.save()

    source.publication_status = PUBLISHED
    source.save()

    assert "still a draft" not in public_claims()
    assert_every_stored_column_right()


def test_unpublishing_a_visitor_hides_the_visit_and_its_claims(world):
    visit, _source, _speaker, _on_visit, _by_speaker = world

    visit.visitor.publication_status = DRAFT
    visit.visitor.save()

    assert public_visits() == set()
    assert public_claims() == {"by the speaker"}
    assert_every_stored_column_right()

    visit.visitor.publication_status = PUBLISHED
    visit.visitor.save()
    assert public_visits() == {"Khan in Washington"}
    assert public_claims() == {"on the visit", "by the speaker"}


def test_unpublishing_a_destination_country_hides_the_visit_and_its_claims(world):
    visit, _source, _speaker, _on_visit, _by_speaker = world

    visit.destination.publication_status = DRAFT
    visit.destination.save()

    assert public_visits() == set()
    assert public_claims() == {"by the speaker"}
    assert_every_stored_column_right()


def test_unpublishing_a_speaker_hides_only_the_claims_they_make(world):
    _visit, _source, speaker, _on_visit, _by_speaker = world

    speaker.publication_status = DRAFT
    speaker.save()

    assert public_claims() == {"on the visit"}
    assert public_visits() == {"Khan in Washington"}
    assert_every_stored_column_right()


def test_unpublishing_a_visit_hides_its_claims(world):
    visit, _source, _speaker, _on_visit, _by_speaker = world

    visit.publication_status = DRAFT
    visit.save()

    assert public_claims() == {"by the speaker"}
    assert_every_stored_column_right()


def test_moving_a_claim_to_a_draft_visit_hides_it_and_back_shows_it(world):
    visit, _source, _speaker, on_visit, _by_speaker = world
    draft_visit = factories.VisitFactory(publication_status=DRAFT)

    on_visit.visit = draft_visit
    on_visit.save()
    assert "on the visit" not in public_claims()

    on_visit.visit = visit
    on_visit.save()
    assert "on the visit" in public_claims()


def test_a_stale_copy_of_a_claim_saved_later_does_not_show_it_again(world):
    _visit, source, _speaker, on_visit, _by_speaker = world
    stale = Claim.objects.get(pk=on_visit.pk)
    source.publication_status = DRAFT
    source.save()

    stale.summary = "on the visit, edited"
    stale.save()

    assert public_claims() == set()
    assert_every_stored_column_right()


def test_a_claim_copies_its_sources_date_and_follows_a_change_of_it(world):
    _visit, source, _speaker, on_visit, _by_speaker = world
    assert Claim.objects.get(pk=on_visit.pk).source_date == datetime.date(2019, 7, 24)

    source.published_date = datetime.date(2020, 1, 2)
    source.save()
    assert set(Claim.objects.values_list("source_date", flat=True)) == {datetime.date(2020, 1, 2)}

    SourceDocument.objects.filter(pk=source.pk).update(published_date=None)
    assert set(Claim.objects.values_list("source_date", flat=True)) == {None}
    assert_every_stored_column_right()


def test_the_admins_unpublish_and_publish_actions_cascade(editor_client, world):
    visit, _source, _speaker, _on_visit, _by_speaker = world
    url = reverse("admin:actors_actor_changelist")

    editor_client.post(url, {"action": "unpublish", "_selected_action": [visit.visitor.pk]})
    assert public_visits() == set()
    assert public_claims() == {"by the speaker"}

    editor_client.post(url, {"action": "publish", "_selected_action": [visit.visitor.pk]})
    assert public_visits() == {"Khan in Washington"}
    assert public_claims() == {"on the visit", "by the speaker"}


def test_queryset_updates_of_status_or_parents_cascade(world):
    visit, source, _speaker, _on_visit, _by_speaker = world

    Actor.objects.filter(pk=visit.visitor_id).update(publication_status=DRAFT)
    assert public_visits() == set()
    assert public_claims() == {"by the speaker"}

    other = factories.ActorFactory()
    Visit.objects.filter(pk=visit.pk).update(visitor=other)
    assert public_visits() == {"Khan in Washington"}
    assert public_claims() == {"on the visit", "by the speaker"}

    SourceDocument.objects.filter(pk=source.pk).update(publication_status=DRAFT)
    assert public_claims() == set()
    assert_every_stored_column_right()


def test_bulk_creates_and_updates_with_history_fill_and_cascade(world):
    visit, source, _speaker, _on_visit, _by_speaker = world
    draft_actor = factories.ActorFactory(publication_status=DRAFT)
    new_visits = [
        Visit(
            title="bulk public",
            slug="bulk-public",
            visitor=visit.visitor,
            start_date=visit.start_date,
        ),
        Visit(
            title="bulk hidden",
            slug="bulk-hidden",
            visitor=draft_actor,
            start_date=visit.start_date,
        ),
    ]
    for new in new_visits:
        new.publication_status = PUBLISHED
    bulk_create_with_history(new_visits, Visit)
    assert public_visits() == {"Khan in Washington", "bulk public"}

    source.publication_status = DRAFT
    bulk_update_with_history([source], SourceDocument, ["publication_status"])
    assert public_claims() == set()

    draft_actor.publication_status = PUBLISHED
    bulk_update_with_history([draft_actor], Actor, ["publication_status"])
    assert public_visits() == {"Khan in Washington", "bulk public", "bulk hidden"}
    assert_every_stored_column_right()


def test_merging_a_draft_actor_into_a_public_one_shows_its_visits(world):
    visit, _source, _speaker, _on_visit, _by_speaker = world
    duplicate = factories.ActorFactory(name="I. Khan", publication_status=DRAFT)
    factories.VisitFactory(title="by the duplicate", visitor=duplicate)
    assert "by the duplicate" not in public_visits()

    actor_merge(keep=visit.visitor, other=duplicate)

    assert "by the duplicate" in public_visits()
    assert_every_stored_column_right()


def test_the_office_of_the_historian_import_stores_public_flags(tmp_path):
    dataset = Dataset(tmp_path)
    dataset.write_visits("2019.xml", visit_xml("2933", "Prime Minister Imran Khan"))

    dataset.run()

    assert Visit.objects.published().count() == 1
    assert Claim.objects.published().count() == 1
    assert_every_stored_column_right()


def test_generated_synthetic_rows_store_the_right_flags_and_dates():
    generate(visits=60, claims=300, sources=20, seed=11)

    assert Claim.objects.drafts().exists()
    assert Claim.objects.published().exists()
    assert_every_stored_column_right()


def test_refresh_all_corrects_a_flag_written_behind_its_back():
    claim = factories.ClaimFactory(summary="a draft", publication_status=DRAFT)
    Claim._base_manager.filter(pk=claim.pk).update(is_public=True)  # as raw SQL would
    assert public_claims() == {"a draft"}

    report = visibility.refresh_all()

    assert report["claims.Claim"] == 1
    assert public_claims() == set()


def test_a_stored_flag_written_directly_is_put_right_at_once(world):
    draft = factories.ClaimFactory(summary="a draft", publication_status=DRAFT)

    Claim.objects.filter(pk=draft.pk).update(is_public=True)
    Claim.objects.filter(summary="on the visit").update(source_date=None)

    assert "a draft" not in public_claims()
    assert_every_stored_column_right()
