"""The visit form's "sources" field: the sources covering the visit, edited from its side."""

import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.core.test_concurrent_edits import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit():
    return factories.VisitFactory(title="Imran Khan visits Kabul")


def change_url(visit):
    return reverse("admin:visits_visit_change", args=[visit.pk])


def shown_sources(content):
    """Return the titles of the sources selected in the visit form's "sources" field."""
    select = re.search(r'<select name="sources".*?</select>', content, re.S)[0]
    return sorted(
        html.unescape(t) for t in re.findall(r"<option [^>]*selected>([^<]*)</option>", select)
    )


def test_the_visit_form_lists_the_sources_covering_the_visit(editor_client, visit):
    covering = factories.SourceDocumentFactory(title="Khan in Kabul")
    covering.visits.add(visit)
    factories.SourceDocumentFactory(title="Elsewhere")

    content = editor_client.get(change_url(visit)).content.decode()

    assert shown_sources(content) == ["Khan in Kabul"]
    assert f'<input type="hidden" name="sources_shown" value="{covering.pk}"' in content
    assert "The articles, statements and datasets that cover this visit." in content


def test_the_sources_field_searches_sources(editor_client, visit):
    factories.SourceDocumentFactory(title="Khan in Kabul")
    factories.SourceDocumentFactory(title="Elsewhere")
    content = editor_client.get(change_url(visit)).content.decode()
    select = re.search(r'<select name="sources"[^>]*>', content)[0]
    params = dict(re.findall(r'data-(app-label|model-name|field-name)="([^"]+)"', select))

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": params["app-label"],
            "model_name": params["model-name"],
            "field_name": params["field-name"],
            "term": "kabul",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["Khan in Kabul"]


def test_adding_and_removing_sources_links_them_and_records_the_change(editor_client, visit):
    kept = factories.SourceDocumentFactory(title="Kept")
    dropped = factories.SourceDocumentFactory(title="Dropped")
    added = factories.SourceDocumentFactory(title="Added")
    kept.visits.add(visit)
    dropped.visits.add(visit)
    data = form_data(editor_client.get(change_url(visit)))
    data["sources"] = [str(kept.pk), str(added.pk)]

    response = editor_client.post(change_url(visit), data)

    assert response.status_code == 302
    assert sorted(visit.sources.values_list("title", flat=True)) == ["Added", "Kept"]
    added.refresh_from_db()
    assert added.version == 2
    assert added.history.first().history_change_reason == (
        "Linked visit Imran Khan visits Kabul on the visit's page"
    )
    assert dropped.history.first().history_change_reason.startswith("Unlinked visit")
    assert kept.history.count() == 1  # untouched


def test_saving_a_visit_without_touching_its_sources_keeps_them(editor_client, visit):
    covering = factories.SourceDocumentFactory(title="Khan in Kabul")
    covering.visits.add(visit)
    data = form_data(editor_client.get(change_url(visit)))
    data["summary"] = "A day-long visit."

    assert editor_client.post(change_url(visit), data).status_code == 302

    assert list(visit.sources.values_list("title", flat=True)) == ["Khan in Kabul"]
    assert covering.history.count() == 1


def test_a_source_linked_meanwhile_from_its_own_page_is_kept(editor_client, visit):
    data = form_data(editor_client.get(change_url(visit)))
    later = factories.SourceDocumentFactory(title="Linked meanwhile")
    later.visits.add(visit)
    data["summary"] = "A day-long visit."

    assert editor_client.post(change_url(visit), data).status_code == 302

    assert list(visit.sources.values_list("title", flat=True)) == ["Linked meanwhile"]


def test_a_form_without_the_field_changes_no_link(editor_client, visit):
    covering = factories.SourceDocumentFactory(title="Khan in Kabul")
    covering.visits.add(visit)
    data = form_data(editor_client.get(change_url(visit)))
    del data["sources"], data["sources_shown"]

    assert editor_client.post(change_url(visit), data).status_code == 302

    assert list(visit.sources.values_list("title", flat=True)) == ["Khan in Kabul"]


def test_a_source_form_opened_before_a_link_from_the_visit_is_refused(editor, visit):
    source = factories.SourceDocumentFactory(title="Khan in Kabul")
    source_editor, visit_editor = Client(), Client()
    source_editor.force_login(editor)
    visit_editor.force_login(factories.UserFactory(username="second", groups=["Editor"]))
    source_url = reverse("admin:sources_sourcedocument_change", args=[source.pk])
    source_form = form_data(source_editor.get(source_url))
    visit_form = form_data(visit_editor.get(change_url(visit)))
    visit_form["sources"] = [str(source.pk)]
    assert visit_editor.post(change_url(visit), visit_form).status_code == 302

    refused = source_editor.post(source_url, source_form)

    assert refused.status_code == 200
    assert "Not saved: someone else changed this source document" in refused.content.decode()
    assert list(source.visits.all()) == [visit]


def test_a_reader_without_the_right_to_change_sees_the_sources_titles(client, visit):
    factories.SourceDocumentFactory(title="Khan in Kabul").visits.add(visit)
    factories.SourceDocumentFactory(title="A brief").visits.add(visit)
    reader = factories.UserFactory(username="reader")
    reader.user_permissions.add(*Permission.objects.filter(codename="view_visit"))
    client.force_login(reader)

    content = client.get(change_url(visit)).content.decode()

    assert '<div class="readonly">A brief; Khan in Kabul</div>' in content
    assert 'name="sources"' not in content
