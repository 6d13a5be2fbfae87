"""Two curators editing one record: the second save is refused, nothing is overwritten."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from visits.models import Visit

pytestmark = pytest.mark.django_db


def form_data(response):
    """Return the fields a browser would submit from the admin change form in `response`."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
            data[form.add_prefix(name)] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[inline_form.add_prefix(name)] = value
    return data


@pytest.fixture
def visit():
    return factories.VisitFactory(title="Imran Khan visits Kabul", summary="A day-long visit.")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_second_of_two_concurrent_saves_is_refused_and_shows_what_changed(visit):
    first = logged_in(factories.UserFactory(username="amina", groups=["Editor"]))
    second = logged_in(factories.UserFactory(username="najam", groups=["Editor"]))
    url = reverse("admin:visits_visit_change", args=[visit.pk])
    first_form = form_data(first.get(url))
    second_form = form_data(second.get(url))

    first_form["title"] = "Imran Khan's first visit to Kabul"
    assert first.post(url, first_form).status_code == 302
    second_form["summary"] = "A long-awaited day-long visit."
    refused = second.post(url, second_form)

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "someone else changed this visit after you opened it" in page
    assert re.search(r"amina at \d+ \w+ \d{4}, \d\d:\d\d: title", page)
    assert "A long-awaited day-long visit." in page  # the second curator's edit is still there
    visit.refresh_from_db()
    assert visit.title == "Imran Khan's first visit to Kabul"
    assert visit.summary == "A day-long visit."


def test_saving_again_after_the_warning_is_a_deliberate_overwrite(visit):
    first = logged_in(factories.UserFactory(username="amina", groups=["Editor"]))
    second = logged_in(factories.UserFactory(username="najam", groups=["Editor"]))
    url = reverse("admin:visits_visit_change", args=[visit.pk])
    first_form = form_data(first.get(url))
    second_form = form_data(second.get(url))
    first_form["title"] = "Changed first"
    first.post(url, first_form)
    second_form["summary"] = "Changed second"

    refused = second.post(url, second_form)
    again = second.post(url, form_data(refused))

    assert again.status_code == 302
    visit.refresh_from_db()
    assert visit.summary == "Changed second"
    assert visit.history.latest().history_user.username == "najam"


def test_a_form_without_its_version_is_refused(visit, editor_client):
    url = reverse("admin:visits_visit_change", args=[visit.pk])
    data = form_data(editor_client.get(url))
    del data["edit_version"]
    data["title"] = "Overwritten blindly"

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert Visit.objects.get(pk=visit.pk).title == "Imran Khan visits Kabul"


def test_every_save_raises_the_version(visit, editor_client):
    url = reverse("admin:visits_visit_change", args=[visit.pk])
    before = visit.version

    editor_client.post(url, form_data(editor_client.get(url)))

    visit.refresh_from_db()
    assert visit.version == before + 1
