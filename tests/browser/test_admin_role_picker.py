"""What a curator does in the visit form: pick a visitor, then one of that visitor's roles."""

import datetime

import pytest
from playwright.sync_api import expect

from core.dates import DatePrecision
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def army_chiefs(transactional_db):
    """Return (Munir's role, Bajwa's role): the same title, held by two men."""
    pakistan = factories.CountryFactory(name="Pakistan", slug="pakistan")
    munir = factories.ActorRoleFactory(
        actor=factories.ActorFactory(name="Asim Munir"),
        title="Chief of Army Staff",
        organisation=pakistan,
        start_date=datetime.date(2022, 11, 29),
        date_precision=DatePrecision.MONTH,
    )
    bajwa = factories.ActorRoleFactory(
        actor=factories.ActorFactory(name="Qamar Javed Bajwa"),
        title="Chief of Army Staff",
        organisation=pakistan,
        start_date=datetime.date(2016, 11, 29),
        end_date=datetime.date(2022, 11, 29),
        date_precision=DatePrecision.YEAR,
    )
    return munir, bajwa


def log_in(page, live_server):
    factories.UserFactory(username="admin", is_superuser=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def choose(page, field, typed, label):
    """Open the autocomplete of `field`, type `typed` and pick the option `label`."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(typed)
    page.locator(".select2-results__option", has_text=label).click()


def offered_roles(page):
    """Open the role picker and return the labels it offers."""
    page.locator("#id_visitor_role + .select2 .select2-selection").click()
    options = page.locator(".select2-container--open .select2-results__option")
    expect(options.first).not_to_have_class("loading-results")
    expect(options.first).not_to_have_text("Searching…")
    labels = options.all_inner_texts()
    page.keyboard.press("Escape")
    return labels


def test_the_role_picker_offers_only_the_chosen_visitors_roles(page, live_server, army_chiefs):
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/visits/visit/add/")

    assert sorted(offered_roles(page)) == [
        "Asim Munir — Chief of Army Staff (Pakistan), since November 2022",
        "Qamar Javed Bajwa — Chief of Army Staff (Pakistan), 2016–2022",
    ]

    choose(page, "visitor", "Munir", "Asim Munir")
    assert offered_roles(page) == [
        "Asim Munir — Chief of Army Staff (Pakistan), since November 2022"
    ]

    choose(page, "visitor_role", "army", "Asim Munir")
    expect(page.locator("#id_visitor_role")).to_have_value(str(army_chiefs[0].pk))

    # Another visitor: the role picked for Munir is cleared, and Bajwa's alone are offered.
    choose(page, "visitor", "Bajwa", "Qamar Javed Bajwa")
    expect(page.locator("#id_visitor_role")).to_have_value("")
    assert offered_roles(page) == ["Qamar Javed Bajwa — Chief of Army Staff (Pakistan), 2016–2022"]
