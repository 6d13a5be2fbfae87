"""The review of a curator's change to a public claim, and a revert, in a browser at phone and
desktop widths, against the live server (each request its own transaction, as in production).

A curator edits a published claim: the public still reads it as it was. An editor finds the
change in the queue, reads it field by field, rejects it with a note; the curator reads the
note on the claim's page, proposes again, and the editor approves: now the public reads it.
An editor then reverts the claim to its first version from its history.
"""

import os

import pytest
from django.test import Client
from playwright.sync_api import expect

from claims.models import Claim
from core.models import PendingChange, ReviewStatus
from tests import factories
from tests.browser.conftest import DESKTOP, SCREENSHOT_DIR
from tests.browser.test_curator_flow import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
FIRST = "Khan said the talks covered trade."
PROPOSED = "Khan said the talks covered trade and Afghanistan."


@pytest.fixture
def claim(transactional_db):
    factories.migrated_rows()  # the Curator and Editor groups, gone after an earlier flush
    factories.UserFactory(username="amina", groups=["Curator"])
    factories.UserFactory(username="najam", groups=["Editor"])
    source = factories.SourceDocumentFactory(
        body="Imran Khan met the president. The talks covered trade and Afghanistan, he said."
    )
    return factories.ClaimFactory(
        source=source, quote="The talks covered trade and Afghanistan", summary=FIRST
    )


def shot(page, name):
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"review-{name}.png"), full_page=True)


def public_page(live_server, claim):
    return Client().get(f"/claims/{claim.pk}/").content.decode()


def propose(curator, live_server, claim, summary):
    curator.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    curator.locator("#id_summary").fill(summary)
    curator.get_by_role("button", name="Save and continue editing").first.click()
    expect(curator.locator(".messagelist")).to_contain_text("waits for an editor's review")


def open_in_queue(editor, live_server):
    editor.goto(f"{live_server.url}/admin/")
    editor.get_by_role("link", name="Changes waiting for review").first.click()
    editor.locator("#result_list tbody tr").first.get_by_role("link").first.click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_curators_change_is_reviewed_rejected_then_approved(
    browser, live_server, claim, viewport
):
    width = viewport["width"]
    curator = signed_in(browser, live_server, "amina", viewport)
    editor = signed_in(browser, live_server, "najam", viewport)

    # The curator's edit waits; the public reads the claim as it was.
    propose(curator, live_server, claim, PROPOSED)
    expect(curator.locator(".messagelist")).to_contain_text("Your change of")
    shot(curator, f"1-held-{width}")
    assert Claim.objects.get(pk=claim.pk).summary == FIRST
    assert FIRST in public_page(live_server, claim)
    assert PROPOSED not in public_page(live_server, claim)

    # The editor reads it field by field and rejects it; a reason is asked for first.
    open_in_queue(editor, live_server)
    diff = editor.locator(".review-diff")
    expect(diff.locator("td.now")).to_contain_text(FIRST)
    expect(diff.locator("td.proposed")).to_contain_text(PROPOSED)
    shot(editor, f"2-review-{width}")
    assert editor.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    editor.get_by_role("button", name="Reject").click()
    expect(editor.locator(".messagelist")).to_contain_text("Say why it is rejected")
    editor.get_by_label("Why reject it").fill("The source names trade only.")
    editor.get_by_role("button", name="Reject").click()
    expect(editor.locator(".messagelist")).to_contain_text("stays as it was")

    # The curator is told why; the public still reads the claim as it was.
    curator.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    expect(curator.locator(".messagelist")).to_contain_text(
        "was rejected by najam: The source names trade only."
    )
    shot(curator, f"3-rejected-{width}")
    assert FIRST in public_page(live_server, claim)

    # Proposed again and approved in one click: the public reads it now, history says who.
    propose(curator, live_server, claim, PROPOSED + " Both sides agreed.")
    open_in_queue(editor, live_server)
    editor.get_by_role("button", name="Approve").click()
    expect(editor.locator(".messagelist")).to_contain_text("is changed as proposed")
    assert PROPOSED + " Both sides agreed." in public_page(live_server, claim)
    statuses = sorted(PendingChange.objects.values_list("status", flat=True))
    assert statuses == [ReviewStatus.APPROVED, ReviewStatus.REJECTED]
    latest = Claim.objects.get(pk=claim.pk).history.order_by("-history_date").first()
    assert latest.history_user.username == "najam"
    assert "amina" in latest.history_change_reason

    # The editor reverts the claim to its first version from its history.
    editor.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/history/")
    editor.locator("#change-history tbody tr").last.get_by_role("link").first.click()
    expect(editor.locator("#id_summary")).to_have_value(FIRST)
    editor.get_by_role("button", name="Revert").first.click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    shot(editor, f"4-reverted-{width}")
    assert Claim.objects.get(pk=claim.pk).summary == FIRST
    assert FIRST in public_page(live_server, claim)
