"""Staff's mistakes are form errors or 404s, a revert works outside a test's transaction, and
only a database outage is a 503."""

import pytest
from django.db import OperationalError, ProgrammingError
from django.test import Client, RequestFactory

from config.errors import server_error
from tests import factories
from tests.core.test_concurrent_edits import form_data
from tests.core.test_history_everywhere import CURATED, fresh

pytestmark = pytest.mark.django_db


def editor_session():
    factories.migrated_rows()  # the Editor group, gone if an earlier test emptied the tables
    client = Client()
    client.force_login(factories.UserFactory(username="reverting-editor", groups=["Editor"]))
    return client


#: A text field of each curated model, changed and then reverted.
REVERTED_FIELD = {
    "actor": "description",
    "issue": "description",
    "visit": "title",
    "sourcedocument": "title",
    "claim": "summary",
    "assertion": "statement",
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("app", "model"), CURATED)
def test_revert_to_a_version_works_as_production_runs_it(app, model):
    """No test transaction around it: the edit check's row lock needs the view's own."""
    row = fresh(model)
    field = REVERTED_FIELD[model]
    first_value = getattr(row, field)
    setattr(row, field, "A later wording")
    row.save()
    first = row.history.order_by("history_id").first()
    editor = editor_session()
    url = f"/admin/{app}/{model}/{row.pk}/history/{first.history_id}/"

    page = editor.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            is_list = isinstance(value, list)
            data[form.add_prefix(name)] = [str(v) for v in value] if is_list else value
    response = editor.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert getattr(type(row).objects.get(pk=row.pk), field) == first_value
    assert row.history.count() == 3  # the revert is in the history too


@pytest.mark.parametrize(
    "path",
    [
        "/admin/visits/visit/{pk}/history/abc/",
        "/admin/visits/visit/abc/history/1/",
        "/admin/visits/visit/abc/history/",
    ],
)
def test_a_history_address_that_names_no_version_is_a_404(editor_client, path):
    visit = factories.VisitFactory()

    assert editor_client.get(path.format(pk=visit.pk)).status_code == 404


def test_a_year_no_date_can_have_lists_nothing(editor_client):
    factories.VisitFactory()

    response = editor_client.get("/admin/visits/visit/?year=99999999999999999999")

    assert response.status_code == 200
    assert "0 visits" in response.content.decode()


def test_a_visitor_that_is_not_an_id_is_a_form_error(editor_client):
    visit = factories.VisitFactory()
    url = f"/admin/visits/visit/{visit.pk}/change/"
    data = form_data(editor_client.get(url))
    data["visitor"] = "abc"

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["visitor"]


def test_only_a_lost_database_is_a_503():
    request = RequestFactory().get("/")
    for error, status in ((OperationalError("connection refused"), 503), (ProgrammingError(), 500)):
        try:
            raise error
        except type(error):
            response = server_error(request)
        assert response.status_code == status, error
        assert ("Retry-After" in response) == (status == 503)
