"""The visit form's role picker: the chosen visitor's roles, each named by holder and dates."""

import datetime

import pytest
from django.urls import reverse

from core.dates import DatePrecision
from tests import factories
from visits.models import Visit

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = reverse("admin:autocomplete")
ROLE_PICKER = {"app_label": "visits", "model_name": "visit", "field_name": "visitor_role"}


@pytest.fixture
def roles():
    """Return {name: role}: two army chiefs and a prime minister, held over different years."""
    pakistan = factories.CountryFactory(name="Pakistan", slug="pakistan")
    munir = factories.ActorFactory(name="Asim Munir")
    bajwa = factories.ActorFactory(name="Qamar Javed Bajwa")
    sharif = factories.ActorFactory(name="Shehbaz Sharif")
    return {
        "munir": factories.ActorRoleFactory(
            actor=munir,
            title="Chief of Army Staff",
            organisation=pakistan,
            start_date=datetime.date(2022, 11, 29),
            date_precision=DatePrecision.MONTH,
        ),
        "munir-earlier": factories.ActorRoleFactory(
            actor=munir,
            title="Director General of Inter-Services Intelligence",
            start_date=datetime.date(2018, 10, 25),
            end_date=datetime.date(2019, 6, 16),
            date_precision=DatePrecision.MONTH,
        ),
        "bajwa": factories.ActorRoleFactory(
            actor=bajwa,
            title="Chief of Army Staff",
            organisation=pakistan,
            start_date=datetime.date(2016, 11, 29),
            end_date=datetime.date(2022, 11, 29),
            date_precision=DatePrecision.YEAR,
        ),
        "sharif": factories.ActorRoleFactory(
            actor=sharif, title="Prime Minister", start_date=None, end_date=None
        ),
    }


def offered(client, **params):
    """Return the (id, label) pairs the role picker offers for `params`."""
    response = client.get(AUTOCOMPLETE, {**ROLE_PICKER, **params})
    assert response.status_code == 200
    return [(int(row["id"]), row["text"]) for row in response.json()["results"]]


def test_with_a_visitor_the_picker_offers_only_their_roles_named_by_holder_and_dates(
    curator_client, roles
):
    munir = roles["munir"].actor

    results = offered(curator_client, holder=munir.pk, term="")

    assert sorted(results) == sorted(
        [
            (roles["munir"].pk, "Asim Munir — Chief of Army Staff (Pakistan), since November 2022"),
            (
                roles["munir-earlier"].pk,
                "Asim Munir — Director General of Inter-Services Intelligence, "
                "October 2018–June 2019",
            ),
        ]
    )


def test_a_search_within_the_visitors_roles_leaves_out_other_holders_of_that_title(
    curator_client, roles
):
    results = offered(curator_client, holder=roles["munir"].actor_id, term="army")

    assert [role_id for role_id, _ in results] == [roles["munir"].pk]


def test_without_a_visitor_the_picker_offers_every_role_named_by_its_holder(curator_client, roles):
    results = dict(offered(curator_client, holder=""))

    assert set(results) == {role.pk for role in roles.values()}
    assert results[roles["bajwa"].pk] == (
        "Qamar Javed Bajwa — Chief of Army Staff (Pakistan), 2016–2022"
    )
    assert results[roles["sharif"].pk] == "Shehbaz Sharif — Prime Minister"
    assert dict(offered(curator_client)) == results  # no `holder` at all: the same


def test_a_visitor_who_holds_no_role_is_offered_none(curator_client, roles):
    visitor = factories.ActorFactory(name="Ishaq Dar")

    assert offered(curator_client, holder=visitor.pk) == []
    assert offered(curator_client, holder="not-an-id") == []


def test_the_visit_form_loads_the_picker_script_and_names_the_chosen_role(curator_client, roles):
    visit = factories.VisitFactory(visitor=roles["munir"].actor, visitor_role=roles["munir"])

    page = curator_client.get(reverse("admin:visits_visit_change", args=[visit.pk]))

    html = page.content.decode()
    assert "js/visitor_role_picker.js" in html
    assert html.index("admin/js/autocomplete.js") < html.index("js/visitor_role_picker.js")
    assert "Asim Munir — Chief of Army Staff (Pakistan), since November 2022" in html


def test_without_the_script_a_role_of_another_actor_is_still_refused(editor_client, roles):
    page = editor_client.get(reverse("admin:visits_visit_add"))
    form = page.context["adminform"].form
    data = {
        "title": "Asim Munir visits Washington",
        "slug": "asim-munir-visits-washington",
        "visitor": roles["munir"].actor_id,
        "visitor_role": roles["bajwa"].pk,
        "kind": form["kind"].value() or "official",
        "start_date": "2025-06-14",
        "date_precision": "day",
        "publication_status": "draft",
    }
    for inline in page.context["inline_admin_formsets"]:
        data[f"{inline.formset.prefix}-TOTAL_FORMS"] = "0"
        data[f"{inline.formset.prefix}-INITIAL_FORMS"] = "0"

    response = editor_client.post(reverse("admin:visits_visit_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "visitor_role": ["This role belongs to another actor."]
    }
    assert "This role belongs to another actor." in response.content.decode()
    assert not Visit.objects.filter(slug="asim-munir-visits-washington").exists()
