"""A reader of the seed knowledge base follows aid from its issue to a highlighted quote."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from claims.models import Claim
from tests import factories
from tests.browser.conftest import SCREENSHOT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MUNIR_VISIT = "Asim Munir visits the United States"
AID_ASSERTION = "Pakistan sought U.S. aid and support against the TTP during Munir's visit"


@pytest.fixture
def seed(transactional_db):
    factories.migrated_rows()  # the issues a migration creates, gone after an earlier flush
    call_command("load_seed", stdout=StringIO())


def shoot(page, name):
    """Save a full-page screenshot of what the page shows now, when SCREENSHOTS=1."""
    import os

    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def assert_fits(page, where):
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (where, width)


@pytest.mark.parametrize("width", [390, 1280])
def test_from_the_aid_issue_to_a_sources_highlighted_quote(browser, live_server, seed, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto(f"{live_server.url}/issues/aid/")
    shoot(page, f"seed-issue-aid-{width}")
    page.locator("#visits-heading").locator("xpath=..").get_by_role(
        "link", name=MUNIR_VISIT
    ).first.click()

    page.wait_for_url(re.compile(r"/visits/asim-munir-us-2023/$"))
    assert_fits(page, "visit")
    shoot(page, f"seed-visit-munir-{width}")
    page.get_by_role("link", name=re.compile(r"^What the sources assert together")).click()
    assertions = page.locator('section[aria-labelledby="assertions-heading"]')
    assert assertions.is_visible()
    card = assertions.locator("li.card.assertion").filter(has_text=AID_ASSERTION)
    assert "2 sources for" in card.locator(".claim-kind").inner_text()
    card.get_by_role("link", name=AID_ASSERTION).click()

    page.wait_for_url(
        re.compile(r"/assertions/pakistan-sought-us-aid-and-support-against-the-ttp/$")
    )
    assert_fits(page, "assertion")
    shoot(page, f"seed-assertion-aid-{width}")
    assert page.locator(".lede.verdict").inner_text() == "Reported by 2 sources."
    stating = page.locator('section[aria-labelledby="side-for"]')
    assert stating.locator("li.side-claim").count() == 4
    source_link = stating.locator("a.source-link").first
    href = source_link.get_attribute("href")
    claim = Claim.objects.get(pk=int(href.rsplit("#claim-", 1)[1]))
    source_link.click()

    page.wait_for_url(re.compile(rf"{claim.source.get_absolute_url()}#claim-{claim.pk}$"))
    quote = page.locator(f"mark.quote#claim-{claim.pk}")
    assert quote.is_visible()
    assert claim.quote.startswith(quote.inner_text().strip()[:40])
    expect(quote).to_be_in_viewport()  # scrolled to, once the page has settled
    shoot(page, f"seed-source-quote-{width}")
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_seeds_assertion_pages_fit_the_screen(browser, live_server, seed, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name, path in {
        "visit-washington": "/visits/imran-khan-washington-2019/",
        "assertion-kashmir": "/assertions/modi-asked-trump-to-mediate-on-kashmir/",
        "assertion-agreements": "/assertions/no-agreement-was-announced-from-munirs-visit/",
        "assertions": "/assertions/?agreement=contested",
    }.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert_fits(page, path)
        shoot(page, f"seed-{name}-{width}")
    context.close()
