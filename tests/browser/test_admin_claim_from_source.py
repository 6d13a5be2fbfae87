"""What a curator does on a source's page: select a passage and make it a claim's quote."""

import os

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import SCREENSHOT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
BODY = (
    "Islamabad and Washington have a long history.\n\n"
    "Prime Minister Imran Khan met President Trump in Washington,\n"
    "where both spoke of Kashmir.\n\n"
    "The visit ended on Wednesday."
)


@pytest.fixture
def source(transactional_db):
    khan = factories.ActorFactory(name="Imran Khan")
    factories.IssueFactory(name="Kashmir", slug="kashmir")
    source = factories.SourceDocumentFactory(title="Khan in Washington", body=BODY)
    source.visits.add(factories.VisitFactory(title="Khan visits Washington", visitor=khan))
    return source


def log_in(page, live_server):
    factories.UserFactory(username="admin", is_superuser=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def select_text(page, paragraph, start_text, end_text):
    """Select, as a mouse would, from `start_text` to the end of `end_text` in the page."""
    page.evaluate(
        """([paragraph, startText, endText]) => {
            const nodes = [];
            const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) nodes.push(walker.currentNode);
            const start = nodes.find((node) => node.data.includes(startText));
            const end = nodes.find((node) => node.data.includes(endText));
            const range = document.createRange();
            range.setStart(start, start.data.indexOf(startText));
            range.setEnd(end, end.data.indexOf(endText) + endText.length);
            document.getSelection().removeAllRanges();
            document.getSelection().addRange(range);
        }""",
        [page.locator(paragraph).element_handle(), start_text, end_text],
    )


def test_a_selected_passage_opens_a_claim_with_it_as_the_quote(page, live_server, source):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/sources/sourcedocument/{source.pk}/change/")
    button = page.get_by_role("button", name="New claim from selection")
    expect(button).to_be_disabled()

    # From the middle of paragraph 2 into paragraph 3, across the paragraph link between.
    select_text(page, "#source-body .source-paragraphs", "Imran Khan met", "The visit ended")
    expect(button).to_be_enabled()
    expect(page.locator(".source-body-status")).to_have_text("15 words selected.")
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / "admin-source-body.png"), full_page=True)
    with page.context.expect_page() as opened:
        button.click()
    claim_form = opened.value
    claim_form.wait_for_load_state()

    expect(claim_form.locator("#id_quote")).to_have_value(
        "Imran Khan met President Trump in Washington, where both spoke of Kashmir. The visit ended"
    )
    expect(claim_form.locator("#id_actors option:checked")).to_have_text(["Imran Khan"])
    expect(claim_form.locator("#id_issues option:checked")).to_have_text(["Kashmir"])
    expect(claim_form.locator("#id_visit option:checked")).to_have_text(["Khan visits Washington"])

    # On the claim form, a shorter selection of the text above replaces the quote.
    select_text(claim_form, "#source-body .source-paragraphs", "President Trump", "Washington,")
    claim_form.get_by_role("button", name="Use selection as quote").click()
    expect(claim_form.locator("#id_quote")).to_have_value("President Trump in Washington,")
    if os.environ.get("SCREENSHOTS") == "1":
        claim_form.screenshot(path=str(SCREENSHOT_DIR / "admin-claim-form.png"), full_page=True)
    claim_form.locator("#id_summary").fill("Khan met Trump.")
    claim_form.get_by_role("button", name="Save", exact=True).first.click()
    expect(claim_form.locator(".messagelist")).to_contain_text("was added successfully")
    assert source.claims.get().quote == "President Trump in Washington,"
