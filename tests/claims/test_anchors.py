"""Each claim's quote is anchored where it was chosen; a source edit that loses it shows."""

import html
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from claims.models import Claim
from core.text import normalise
from ingest.seed.loader import seed_load
from tests import factories
from tests.core.test_concurrent_edits import form_data as form_data_of

pytestmark = pytest.mark.django_db

QUOTE = "talks will resume in May."
BODY = (
    "The minister said: talks will resume in May.\n\n"
    "No comment.\n\n"
    "Later the envoy repeated: talks will resume in May.\n\n"
    "No comment.\n\n"
    "The visit ended on Wednesday."
)


def second(text, words=QUOTE):
    """Return where the second occurrence of `words` begins in `text` once normalised."""
    text = normalise(text)
    return text.index(words, text.index(words) + 1)


def page(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def form_data(form, **values):
    """Return the POST data of an admin claim form as its initial values fill it."""
    data = {
        "source": form.initial["source"],
        "quote": form.initial["quote"],
        "quote_at": form.initial.get("quote_at") or "",
        "summary": "Talks will resume.",
        "kind": "statement",
        "status": "reported",
        "publication_status": "published",
    }
    return {**data, **values}


def test_a_claim_from_a_selection_of_the_second_occurrence_anchors_there(editor_client, client):
    source = factories.SourceDocumentFactory(body=BODY)
    add = reverse("admin:claims_claim_add")
    query = {"source": source.pk, "quote": QUOTE, "quote_at": second(BODY)}

    response = editor_client.get(add, query)
    assert f'name="quote_at" value="{second(BODY)}"' in page(response)
    response = editor_client.post(add, form_data(response.context["adminform"].form))

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.quote_start, claim.quote_end) == (second(BODY), second(BODY) + len(QUOTE))
    assert claim.quote_prefix == "No comment. Later the envoy repeated: "[-32:]
    source_page = page(client.get(source.get_absolute_url()))
    assert f'repeated: <mark class="quote" id="claim-{claim.pk}">{QUOTE}' in source_page


def test_a_claim_from_a_repeated_paragraph_anchors_at_that_paragraph(editor_client):
    source = factories.SourceDocumentFactory(body=BODY)
    add = reverse("admin:claims_claim_add")

    response = editor_client.get(add, {"source": source.pk, "paragraph": 4})
    response = editor_client.post(add, form_data(response.context["adminform"].form))

    assert response.status_code == 302
    assert Claim.objects.get().quote_start == second(BODY, "No comment.")


def test_the_source_page_offers_each_paragraphs_place_for_a_selection(editor_client):
    source = factories.SourceDocumentFactory(body=BODY)

    content = page(
        editor_client.get(reverse("admin:sources_sourcedocument_change", args=[source.pk]))
    )

    found = re.findall(r'<p class="source-paragraph" data-start="(\d+)">([^<]*)</p>', content)
    text = normalise(BODY)
    assert len(found) == 5
    for start, paragraph in found:
        assert text[int(start) :].startswith(normalise(html.unescape(paragraph)))


def test_an_orphaned_claim_is_flagged_in_the_admin_and_on_its_page(editor_client, client):
    source = factories.SourceDocumentFactory(body=BODY)
    orphan = factories.ClaimFactory(source=source, quote=QUOTE, summary="Orphan to be")
    anchored = factories.ClaimFactory(source=source, quote="The visit ended on Wednesday.")

    # Re-imported text: the minister's words are gone, the envoy's are not his.
    source.body = BODY.replace("The minister said: talks will resume in May.\n\n", "")
    source.save()

    orphan.refresh_from_db()
    assert orphan.is_orphaned and not Claim.objects.get(pk=anchored.pk).is_orphaned
    changelist = reverse("admin:claims_claim_changelist")
    filtered = page(editor_client.get(changelist, {"is_orphaned__exact": "1"}))
    assert "Orphan to be" in filtered and anchored.summary not in filtered
    assert "By orphaned" in filtered  # the list filter
    assert "column-is_orphaned" in filtered  # the column
    change = page(editor_client.get(reverse("admin:claims_claim_change", args=[orphan.pk])))
    assert "Orphaned: this quote no longer appears in the current text of its source" in change
    public = page(client.get(orphan.get_absolute_url()))
    assert "This quote no longer appears in the current text of the source" in public
    assert f"#claim-{orphan.pk}" not in public
    assert "no longer appears" not in page(client.get(anchored.get_absolute_url()))


def test_an_orphaned_claim_saves_other_edits_and_a_corrected_quote_anchors_it():
    source = factories.SourceDocumentFactory(body=BODY)
    claim = factories.ClaimFactory(source=source, quote="The minister said")
    source.body = BODY.replace("The minister said", "The minister stated")
    source.save()
    claim.refresh_from_db()

    claim.summary = "Edited while orphaned."
    claim.full_clean()
    claim.save()
    claim.refresh_from_db()
    assert claim.is_orphaned and claim.summary == "Edited while orphaned."

    claim.quote = "The minister stated"
    claim.save()
    claim.refresh_from_db()
    assert (claim.is_orphaned, claim.quote_start) == (False, 0)


def test_a_body_edit_in_the_admin_says_which_claims_it_orphaned(editor_client):
    source = factories.SourceDocumentFactory(body=BODY)
    claim = factories.ClaimFactory(source=source, quote="The visit ended on Wednesday.")
    url = reverse("admin:sources_sourcedocument_change", args=[source.pk])
    data = form_data_of(editor_client.get(url))
    data["body"] = BODY.replace("The visit ended on Wednesday.", "The visit ended early.")

    response = editor_client.post(url, data, follow=True)

    claim.refresh_from_db()
    assert claim.is_orphaned
    assert "1 of this source’s claims no longer find their quote in its text" in page(response)


def test_the_api_gives_each_claim_its_w3c_selectors(client):
    source = factories.SourceDocumentFactory(body=BODY)
    claim = factories.ClaimFactory(source=source, quote=QUOTE, quote_start=second(BODY))

    selector = client.get(reverse("api:claim-detail", args=[claim.pk])).json()["selector"]

    assert selector == {
        "orphaned": False,
        "quote": {
            "type": "TextQuoteSelector",
            "exact": QUOTE,
            "prefix": "No comment. Later the envoy repeated: "[-32:],
            "suffix": " No comment. The visit ended on ",
        },
        "position": {
            "type": "TextPositionSelector",
            "start": second(BODY),
            "end": second(BODY) + len(QUOTE),
        },
    }


def test_every_seed_claim_is_anchored_by_the_loader_and_by_the_migration():
    seed_load()
    claims = list(Claim.objects.select_related("source"))
    assert claims and not [claim for claim in claims if claim.is_orphaned]
    for claim in claims:
        text = claim.source.normalised_body
        assert text[claim.quote_start : claim.quote_end] == normalise(claim.quote)
        assert text[: claim.quote_start].endswith(claim.quote_prefix)
    anchored = {c.pk: (c.quote_start, c.quote_prefix, c.quote_suffix) for c in claims}

    # Rows as the migration finds them: with no anchor yet.
    Claim.objects.update(quote_start=None, quote_end=None, quote_prefix="", quote_suffix="")
    migration = importlib.import_module("claims.migrations.0006_quote_anchors")
    migration.anchor_quotes(apps, None)

    after = Claim.objects.values_list("pk", "quote_start", "quote_prefix", "quote_suffix")
    assert {pk: rest for pk, *rest in after} == {pk: list(v) for pk, v in anchored.items()}
    assert not Claim.objects.filter(is_orphaned=True).exists()
