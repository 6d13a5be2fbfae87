"""Admin date fields say the format they take, and take ISO dates as well as 14/12/2023."""

import datetime
import re

import pytest
from django.urls import reverse

from tests import factories
from tests.core.test_concurrent_edits import form_data

pytestmark = pytest.mark.django_db


def test_date_fields_state_the_format_and_show_dates_in_it(editor_client):
    visit = factories.VisitFactory(
        start_date=datetime.date(2023, 12, 14), end_date=datetime.date(2023, 12, 15)
    )

    content = editor_client.get(
        reverse("admin:visits_visit_change", args=[visit.pk])
    ).content.decode()

    assert re.search(r'name="start_date" value="2023-12-14"', content)
    assert content.count("YYYY-MM-DD, e.g. 2023-12-14") >= 2  # start and end
    source_page = editor_client.get(
        reverse("admin:sources_sourcedocument_change", args=[factories.SourceDocumentFactory().pk])
    ).content.decode()
    assert "YYYY-MM-DD, e.g. 2023-12-14. Leave empty when the text does not say." in source_page


@pytest.mark.parametrize("typed", ["2023-12-14", "14/12/2023"])
def test_a_date_is_taken_in_iso_or_day_first_form(editor_client, typed):
    visit = factories.VisitFactory()
    url = reverse("admin:visits_visit_change", args=[visit.pk])
    data = form_data(editor_client.get(url))
    data["start_date"] = data["end_date"] = typed

    response = editor_client.post(url, data)

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.start_date == datetime.date(2023, 12, 14)


def test_the_admin_calendar_inserts_iso_dates(editor_client):
    catalog = editor_client.get(reverse("admin:jsi18n")).content.decode()

    assert re.search(r'"DATE_INPUT_FORMATS": \[\s*"%Y-%m-%d"', catalog)
