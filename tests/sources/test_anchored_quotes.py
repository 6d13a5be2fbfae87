"""A source's page marks the occurrence of words its claim was anchored to, not the first."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.text import normalise
from tests import factories
from tests.claims.test_anchors import second

pytestmark = pytest.mark.django_db

QUOTE = "talks will resume in May."
BODY = (
    "The minister said: talks will resume in May.\n\n"
    "No comment.\n\n"
    "Later the envoy repeated: talks will resume in May.\n\n"
    "The visit ended on Wednesday."
)


def marked_paragraphs(page, claim):
    """Return the text of each paragraph of the body in which `claim`'s quote is marked."""
    return [
        re.sub(r"<[^>]+>", "", paragraph)
        for paragraph in re.findall(r"<p>(.*?)</p>", page, re.S)
        if f'id="claim-{claim.pk}"' in paragraph
    ]


def test_a_quote_anchored_to_its_second_occurrence_is_highlighted_there(client):
    source = factories.SourceDocumentFactory(body=BODY)
    claim = factories.ClaimFactory(source=source, quote=QUOTE, quote_start=second(BODY))

    page = client.get(source.get_absolute_url()).content.decode()

    assert marked_paragraphs(page, claim) == [
        "Later the envoy repeated: talks will resume in May.1"
    ]
    assert "<p>The minister said: talks will resume in May.</p>" in page


def test_without_a_position_the_first_occurrence_is_marked(client):
    source = factories.SourceDocumentFactory(body=BODY)
    claim = factories.ClaimFactory(source=source, quote=QUOTE)

    page = client.get(source.get_absolute_url()).content.decode()

    assert claim.quote_start == normalise(BODY).index(QUOTE)
    assert marked_paragraphs(page, claim) == ["The minister said: talks will resume in May.1"]


def test_a_body_edit_that_only_shifts_the_text_keeps_the_anchor(client):
    source = factories.SourceDocumentFactory(body=BODY)
    claim = factories.ClaimFactory(source=source, quote=QUOTE, quote_start=second(BODY))

    source.body = "A new opening paragraph, added on review.\n\n" + BODY.replace(
        "No comment.", "No comment from the embassy."
    )
    source.save()

    claim.refresh_from_db()
    assert (claim.quote_start, claim.is_orphaned) == (second(source.body), False)
    assert claim.quote_end == claim.quote_start + len(QUOTE)
    page = client.get(source.get_absolute_url()).content.decode()
    assert marked_paragraphs(page, claim) == [
        "Later the envoy repeated: talks will resume in May.1"
    ]


def test_a_body_edit_that_drops_the_anchored_words_orphans_the_claim_not_moves_it(client):
    source = factories.SourceDocumentFactory(body=BODY)
    claim = factories.ClaimFactory(source=source, quote=QUOTE, quote_start=second(BODY))
    kept = factories.ClaimFactory(source=source, quote="The visit ended on Wednesday.")

    # The same words are still in the first paragraph, but not the ones the claim quotes.
    source.body = BODY.replace("Later the envoy repeated: talks will resume in May.\n\n", "")
    source.save()

    claim.refresh_from_db()
    kept.refresh_from_db()
    assert claim.is_orphaned and not kept.is_orphaned
    page = client.get(source.get_absolute_url()).content.decode()
    assert f'id="claim-{claim.pk}"' not in page
    assert f'id="claim-{kept.pk}"' in page
    note = page.split(f'<li id="note-{claim.pk}">')[1].split("</li>")[0]
    assert "This quote no longer appears in the current text of the source" in note

    # The text back as it was: the claim finds its quote again.
    source.body = BODY
    source.save()
    claim.refresh_from_db()
    assert (claim.quote_start, claim.is_orphaned) == (second(BODY), False)


def test_an_unchanged_body_saved_again_leaves_the_claims_alone():
    source = factories.SourceDocumentFactory(body=BODY)
    factories.ClaimFactory(source=source, quote=QUOTE, quote_start=second(BODY))
    source.refresh_from_db()
    source.title = "Renamed"

    with CaptureQueriesContext(connection) as queries:
        source.save()

    assert not [query for query in queries if "quote_start" in query["sql"]]
