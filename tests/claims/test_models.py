import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim
from tests.factories import (
    DRAFT,
    ActorFactory,
    ClaimFactory,
    SourceDocumentFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def test_quote_absent_from_body_is_rejected_with_a_clear_message():
    source = SourceDocumentFactory(title="The Pulse", body="The visit was a success.")
    claim = Claim(source=source, quote="The visit was a failure.", summary="x")

    with pytest.raises(ValidationError) as error:
        claim.full_clean()

    assert "does not occur in the body of “The Pulse”" in error.value.message_dict["quote"][0]


def test_quote_absent_from_body_cannot_be_saved_from_code_either():
    source = SourceDocumentFactory(body="The visit was a success.")

    with pytest.raises(ValidationError):
        Claim.objects.create(source=source, quote="not in the text", summary="x")

    assert Claim.objects.count() == 0


def test_quote_matches_across_typographic_quotes_dashes_and_line_breaks():
    source = SourceDocumentFactory(
        body="He said “it’s in the interest of Pakistan\nto not allow militias” — firmly."
    )
    claim = Claim(
        source=source,
        quote='said "it\'s in the interest of Pakistan to not allow   militias" - firmly',
        summary="x",
    )

    claim.full_clean()  # does not raise


def test_a_quote_with_different_words_is_not_accepted_by_normalisation():
    source = SourceDocumentFactory(body="Trump offered to mediate the Kashmir dispute.")
    claim = Claim(source=source, quote="Trump refused to mediate the Kashmir dispute.", summary="x")

    with pytest.raises(ValidationError):
        claim.full_clean()


def test_published_hides_drafts_and_children_of_drafts():
    public = ClaimFactory()
    draft_claim = ClaimFactory(publication_status=DRAFT)
    claim_of_draft_source = ClaimFactory(source=SourceDocumentFactory(publication_status=DRAFT))
    claim_of_draft_visit = ClaimFactory(visit=VisitFactory(publication_status=DRAFT))
    claim_of_visit_by_draft_actor = ClaimFactory(
        visit=VisitFactory(visitor__publication_status=DRAFT)
    )
    claim_with_draft_speaker = ClaimFactory(speaker=ActorFactory(publication_status=DRAFT))

    published = set(Claim.objects.published())

    assert published == {public}
    for hidden in [
        draft_claim,
        claim_of_draft_source,
        claim_of_draft_visit,
        claim_of_visit_by_draft_actor,
        claim_with_draft_speaker,
    ]:
        assert hidden not in published
