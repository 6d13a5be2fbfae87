"""The whole of a curator's and then an editor's work, in a browser, from article to public claim.

A curator pastes an article, links it to the visit it reports, makes a claim from a selected
passage (a quote not in the text is refused first, with nothing typed lost), and sees the draft's
preview; an editor publishes the claim together with the drafts that hide it, in one step; and
anyone then finds the claim public, its quote highlighted in the source.
"""

import os
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from claims.models import Claim
from core.status import PublicationStatus
from sources.models import SourceDocument
from tests import factories
from tests.browser.conftest import DESKTOP, SCREENSHOT_DIR
from tests.browser.test_admin_claim_from_source import select_text
from visits.models import Issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
ARTICLE = """Dar in Washington: aid back on the table
By Sana Rahim
Published: 14 December 2023

Share this article

Foreign Minister Ishaq Dar arrived in Washington on Wednesday for two days of talks.

The United States pledged $100 million in flood aid, officials said after the meeting at the
State Department, and both sides spoke of trade.

Read more: Pakistan's economy in 2023

The visit ended with a joint statement on counter-terrorism.
"""
QUOTE = "The United States pledged $100 million in flood aid"


@pytest.fixture
def drafts(transactional_db):
    """The curator's earlier work: a draft visitor and a draft visit, and the issue Aid."""
    factories.migrated_rows()  # the Curator and Editor groups, gone after an earlier flush
    dar = factories.ActorFactory(
        name="Ishaq Dar", slug="ishaq-dar", publication_status=PublicationStatus.DRAFT
    )
    visit = factories.VisitFactory(
        title="Ishaq Dar in Washington",
        slug="ishaq-dar-in-washington-2023",
        visitor=dar,
        publication_status=PublicationStatus.DRAFT,
    )
    aid = Issue.objects.get(slug="aid")
    aid.keywords = "aid\npledged"
    aid.save()
    factories.UserFactory(username="amina", groups=["Curator"])
    factories.UserFactory(username="najam", groups=["Editor"])
    return visit


def signed_in(browser, live_server, username, viewport=DESKTOP):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def shot(page, name):
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"flow-{name}.png"), full_page=True)


def pick(page, field_id, typed, option):
    """Choose `option` in the admin's autocomplete `field_id` by typing `typed`."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=option).click()


def test_from_pasted_article_to_public_claim(browser, live_server, drafts):
    curator = signed_in(browser, live_server, "amina")

    # 1. Paste the article; the importer reads it and drops the share and read-more lines.
    curator.goto(f"{live_server.url}/admin/sources/sourcedocument/add/")
    curator.get_by_label("Article text").fill(ARTICLE)
    curator.get_by_role("button", name="Import article").click()
    expect(curator.locator(".messagelist")).to_contain_text("Imported “Dar in Washington")
    source = SourceDocument.objects.get()
    assert "Share this article" not in source.body
    assert "Read more" not in source.body
    assert "the meeting at the State Department, and" in source.body  # the wrapped line rejoined
    assert source.publication_status == PublicationStatus.DRAFT

    # 2. Link it to the visit it reports, and save.
    pick(curator, "id_visits", "Dar", "Ishaq Dar in Washington")
    curator.get_by_role("button", name="Save and continue editing").first.click()
    expect(curator.locator(".messagelist")).to_contain_text("was changed successfully")
    assert list(source.visits.all()) == [drafts]
    shot(curator, "1-source")

    # 3. Select the passage in the numbered body and make it a claim.
    select_text(curator, "#source-body .source-paragraphs", "The United States pledged", "aid")
    with curator.context.expect_page() as opened:
        curator.get_by_role("button", name="New claim from selection").click()
    form = opened.value
    form.wait_for_load_state()
    expect(form.locator("#id_quote")).to_have_value(QUOTE)
    expect(form.locator("#id_visit option:checked")).to_have_text(["Ishaq Dar in Washington"])
    expect(form.locator("#id_issues option:checked")).to_have_text(["Aid"])

    # 4. A quote the text does not contain is refused, and nothing typed is lost.
    form.locator("#id_quote").fill("The United States pledged $5 billion")
    form.locator("#id_summary").fill("The US pledged flood aid during Dar's visit.")
    form.get_by_role("button", name="Save", exact=True).first.click()
    expect(form.locator(".errorlist")).to_contain_text("does not occur in the body")
    expect(form.locator("#id_summary")).to_have_value(
        "The US pledged flood aid during Dar's visit."
    )
    expect(form.locator("#id_quote")).to_have_value("The United States pledged $5 billion")
    assert not Claim.objects.exists()

    # 5. The quote pasted inside quotation marks is taken, without them.
    form.locator("#id_quote").fill(f"“{QUOTE}”")
    form.get_by_role("button", name="Save", exact=True).first.click()
    expect(form.locator(".messagelist")).to_contain_text("was added successfully")
    claim = Claim.objects.get()
    assert claim.quote == QUOTE
    assert claim.publication_status == PublicationStatus.DRAFT

    # 6. The draft's preview, from "View on site" on its admin page.
    form.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    form.get_by_role("link", name="View on site").click()
    form.wait_for_url(re.compile(rf"/claims/{claim.pk}/"))
    expect(form.locator(".draft-banner")).to_contain_text("Draft — not public.")
    expect(form.locator(".draft-banner")).to_contain_text(
        "the draft visit “Ishaq Dar in Washington”"
    )
    shot(form, "2-preview")
    assert Client().get(f"/claims/{claim.pk}/").status_code == 404

    # 7. The editor publishes the claim; the admin names what still hides it and publishes
    #    those drafts with it in one step.
    editor = signed_in(browser, live_server, "najam")
    editor.goto(f"{live_server.url}/admin/claims/claim/")
    editor.locator(f'input[name="_selected_action"][value="{claim.pk}"]').check()
    editor.locator('select[name="action"]').select_option("publish")
    editor.get_by_role("button", name="Go").first.click()
    warning = editor.locator(".messagelist .warning")
    expect(warning).to_contain_text("is published but not public: hidden by")
    for draft in (
        "the draft source document “Dar in Washington",
        "the draft visit “Ishaq Dar in Washington”",
        "the draft actor “Ishaq Dar”",
    ):
        expect(warning).to_contain_text(draft)
    shot(editor, "3-published-but-hidden")
    warning.get_by_role("link", name="Publish these 3 too…").click()
    editor.get_by_role("button", name="Publish all 4").click()
    expect(editor.locator(".messagelist .success")).to_contain_text("All are public now.")

    # 8. Anyone finds the claim, and its quote highlighted in the source.
    reader = browser.new_context(viewport=DESKTOP).new_page()
    reader.goto(f"{live_server.url}/claims/{claim.pk}/")
    expect(reader.locator("main")).to_contain_text(QUOTE)
    expect(reader.locator(".draft-banner")).to_have_count(0)
    reader.goto(f"{live_server.url}{source.get_absolute_url()}#claim-{claim.pk}")
    marked = reader.locator("mark.quote", has_text="pledged")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text(QUOTE)
    expect(marked).to_be_in_viewport()
    shot(reader, "4-public-source")
