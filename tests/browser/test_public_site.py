"""What a reader does in a browser: filter through the form, follow a claim, download a CSV."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from assertions.models import Assertion, AssertionClaim
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def corpus(transactional_db):
    return factories.build_corpus()


def card_titles(page):
    return sorted(page.locator(".results .card-title").all_inner_texts())


def test_filter_visits_by_leader_and_issue_through_the_form(page, live_server, corpus):
    page.goto(f"{live_server.url}/visits/")
    form = page.locator("form.filter-form")

    leader = form.get_by_label("Leader")
    leader.press_sequentially("imran", delay=40)
    # The type-ahead offers the leader by name; picking it puts the identifier in the field.
    suggestion = page.locator("#id_leader-options option").first
    expect(suggestion).to_have_attribute("value", "imran-khan")
    assert suggestion.get_attribute("label").startswith("Imran Khan")
    leader.fill("imran-khan")
    form.get_by_label("Issue").select_option(label="Afghanistan")
    form.get_by_role("button", name="Apply filters").click()

    page.wait_for_url(re.compile(r"leader=imran-khan"))
    assert "issue=afghanistan" in page.url
    assert "=&" not in page.url and not page.url.endswith("=")  # empty fields dropped
    assert card_titles(page) == [
        "Imran Khan in Tashkent",
        "Imran Khan visits Kabul",
        "Imran Khan visits Washington",
    ]
    chips = page.locator(".chips .chip").all_inner_texts()
    assert any("Imran Khan" in chip for chip in chips)
    assert any("Afghanistan" in chip for chip in chips)

    form = page.locator("form.filter-form")
    form.get_by_label("Year", exact=True).fill("2020")
    form.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"year=2020"))
    assert card_titles(page) == ["Imran Khan visits Kabul"]
    assert page.locator(".result-count").inner_text().startswith("1 result")


@pytest.mark.parametrize(("typed", "name"), [("mun", "Asim Munir"), ("imran", "Imran Khan")])
def test_a_leader_is_found_by_typing_part_of_the_name(page, live_server, corpus, typed, name):
    page.goto(f"{live_server.url}/visits/")
    form = page.locator("form.filter-form")

    form.get_by_label("Leader").press_sequentially(typed, delay=40)
    expect(page.locator("#id_leader-options option").first).to_have_attribute(
        "label", re.compile(f"^{name}")
    )
    # Submitted as typed, without picking: the server matches the name.
    form.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(f"leader={typed}"))
    assert any(name in chip for chip in page.locator(".chips .chip").all_inner_texts())
    assert all(name.split()[-1] in title for title in card_titles(page))


def test_follow_a_claim_to_its_highlighted_quote(page, live_server, corpus):
    claim = corpus.claim_mediation
    page.goto(f"{live_server.url}{corpus.washington.get_absolute_url()}")

    page.locator(f'a[href$="#claim-{claim.pk}"]').first.click()

    page.wait_for_url(re.compile(rf"{corpus.source.get_absolute_url()}#claim-{claim.pk}$"))
    quote = page.locator(f"mark#claim-{claim.pk}")
    assert quote.inner_text().startswith("Trump offered to mediate on Kashmir.")
    assert quote.is_visible()
    box = quote.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]  # scrolled into view
    # The targeted quote stands out from the other highlighted quotes.
    outline = quote.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline == "solid"
    # The pasted script in the article is text, not code.
    assert "<script>alert('x')</script>" in page.locator(".body-text").inner_text()


def test_download_a_csv_of_the_filtered_list(page, live_server, corpus):
    page.goto(f"{live_server.url}/visits/?leader=imran-khan&year=2020")
    shown = card_titles(page)

    with page.expect_download() as download_info:
        page.locator(".export-links").get_by_role("link", name="CSV").click()
    download = download_info.value

    # Named after its filters, with the byte order mark Excel needs to read UTF-8.
    assert download.suggested_filename == "visits-leader-imran-khan-2020.csv"
    raw = download.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfslug,")
    text = raw.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert (
        sorted(row["title"] for row in rows)
        == shown
        == [
            "Imran Khan at Davos",
            "Imran Khan visits Kabul",
        ]
    )
    assert {row["visitor"] for row in rows} == {"Imran Khan"}
    assert all(row["url"].startswith(live_server.url) for row in rows)


def test_screenshots_of_the_main_pages(live_server, corpus, screenshot):
    if not screenshot.enabled:
        pytest.skip("set SCREENSHOTS=1 to save screenshots under tests/screenshots/")
    pages = {
        "home": "/",
        "visits": "/visits/?issue=afghanistan",
        "visit": corpus.washington.get_absolute_url(),
        "official-record": factories.build_official_records(corpus).nawaz_visit.get_absolute_url(),
        "source": corpus.source.get_absolute_url(),
        "actor": corpus.imran.get_absolute_url(),
        "country": corpus.pakistan.get_absolute_url(),
        "claims": "/claims/",
    }
    for name, path in pages.items():
        for saved in screenshot(f"{live_server.url}{path}", name):
            assert saved.stat().st_size > 5_000


@pytest.mark.parametrize("width", [360, 1280])
def test_no_page_is_wider_than_the_screen(browser, live_server, corpus, screenshot, width):
    from tests.browser.conftest import SCREENSHOT_DIR

    long_url = factories.SourceDocumentFactory(
        title="A dataset", body="https://example.org/" + "a-very-long-unbroken-address-" * 12
    )
    records = factories.build_official_records(corpus)
    assertion = Assertion.objects.create(
        statement="Trump offered to mediate on Kashmir, as two claims of the source say",
        slug="trump-offered-to-mediate",
        visit=corpus.washington,
        publication_status="published",
    )
    AssertionClaim.objects.create(assertion=assertion, claim=corpus.claim_mediation)
    AssertionClaim.objects.create(
        assertion=assertion, claim=corpus.claim_kashmir, relation="denies", by=corpus.india
    )
    pages = {
        "home": "/",
        "visits": "/visits/",
        "actors": "/actors/",
        "issues": "/issues/",
        "claims": "/claims/",
        "sources": "/sources/",
        "assertions": "/assertions/",
        "assertion": assertion.get_absolute_url(),
        "visit": corpus.washington.get_absolute_url(),
        "official-record": records.clinton_trip.get_absolute_url(),
        "actor": corpus.imran.get_absolute_url(),
        "country": corpus.pakistan.get_absolute_url(),
        "issue": "/issues/kashmir/",
        "claim": corpus.claim_mediation.get_absolute_url(),
        "source": corpus.source.get_absolute_url(),
        "long-source": long_url.get_absolute_url(),
        "search": "/search/?q=example.org",
        "api-docs": "/api/v1/docs/",
    }
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, (path, scroll_width)
        if screenshot.enabled:
            SCREENSHOT_DIR.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOT_DIR / f"width-{width}-{name}.png"), full_page=True)
    context.close()
