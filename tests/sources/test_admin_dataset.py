"""A dataset source's change page: fast, no suggestions, its links counted and kept on save."""

import pytest
from django.urls import reverse

from sources.models import SourceKind
from tests import factories
from tests.core.test_concurrent_edits import form_data

pytestmark = pytest.mark.django_db


def dataset_source(records):
    """Return a dataset source of `records` lines, each naming a linked visit and its visitor."""
    visits = [factories.VisitFactory(title=f"Record {n} visit") for n in range(records)]
    lines = "\n".join(
        f"[hsg-visit:{n}] 1950-01-0{n % 9 + 1} · Prime Minister {visit.visitor.name} · visit."
        for n, visit in enumerate(visits)
    )
    source = factories.SourceDocumentFactory(
        title="Visits by Foreign Leaders",
        kind=SourceKind.DATASET,
        body=f"Visits by foreign leaders, one line per record.\n\n{lines}",
    )
    source.visits.add(*visits)
    source.actors.add(*[visit.visitor for visit in visits[:3]])
    source.issues.add(factories.IssueFactory(name="Refugees", slug="refugees"))
    return source


@pytest.mark.parametrize("records", [5, 60])
def test_a_dataset_page_counts_its_links_and_suggests_nothing(
    editor_client, django_assert_max_num_queries, records
):
    source = dataset_source(records)
    url = reverse("admin:sources_sourcedocument_change", args=[source.pk])

    with django_assert_max_num_queries(14):
        response = editor_client.get(url)

    content = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "Suggested links:</strong> none for a dataset." in content
    assert ' name="actors"' not in content  # neither a suggestion nor a picker of actors
    assert ' name="visits"' not in content
    assert " checked>" not in content
    visits = reverse("admin:visits_visit_changelist") + f"?sources__id__exact={source.pk}"
    actors = reverse("admin:actors_actor_changelist") + f"?mentioned_in__id__exact={source.pk}"
    issues = reverse("admin:visits_issue_changelist") + f"?sources__id__exact={source.pk}"
    assert f'{records} — <a href="{visits}">see them in the visits list</a>' in content
    assert f'3 — <a href="{actors}">see them in the actors list</a>' in content
    assert f'1 — <a href="{issues}">see them in the issues list</a>' in content
    # Each link opens the list of just those rows.
    listed = editor_client.get(visits).content.decode()
    assert f"{records} visits" in listed or f"{records} results" in listed
    assert editor_client.get(actors).status_code == 200
    assert editor_client.get(issues).status_code == 200


def test_saving_a_dataset_source_keeps_its_links(editor_client):
    source = dataset_source(30)
    visits, actors = set(source.visits.all()), set(source.actors.all())
    issues = set(source.issues.all())
    url = reverse("admin:sources_sourcedocument_change", args=[source.pk])
    data = form_data(editor_client.get(url))
    data["title"] = "Visits by Foreign Leaders and Heads of State"

    response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    source.refresh_from_db()
    assert source.title == "Visits by Foreign Leaders and Heads of State"
    assert set(source.visits.all()) == visits
    assert set(source.actors.all()) == actors
    assert set(source.issues.all()) == issues


def test_an_article_page_still_edits_its_links(editor_client):
    source = factories.SourceDocumentFactory(body="Imran Khan met Ashraf Ghani in Kabul.")
    url = reverse("admin:sources_sourcedocument_change", args=[source.pk])

    content = editor_client.get(url).content.decode()

    assert ' name="visits"' in content and ' name="actors"' in content
    assert "none for a dataset" not in content
