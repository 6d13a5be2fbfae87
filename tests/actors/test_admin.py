"""Duplicates and merging in the admin: editors merge, curators only look."""

import datetime
import re

import pytest
from django.urls import reverse

from actors.models import Actor, ActorAlias, ActorKind, ActorRole
from claims.models import Claim
from tests import factories
from visits.models import Participation, Visit

pytestmark = pytest.mark.django_db

DUPLICATES = reverse("admin:actors_actor_duplicates")
MERGE = reverse("admin:actors_actor_merge")


def duplicate_rows(page):
    """Return the HTML of each row of the duplicates table."""
    html = page.content.decode()
    start = html.index('<table id="duplicates">')
    table = html[start : html.index("</table>", start)]
    return table.split("<tr>")[2:]


@pytest.fixture
def pakistan():
    return factories.CountryFactory(name="Pakistan", slug="pakistan")


@pytest.fixture
def zardari(pakistan):
    """Return (kept, duplicate): one man under two spellings, each with links of every kind."""
    kept = factories.ActorFactory(
        name="Asif Ali Zardari", slug="asif-ali-zardari", country=pakistan
    )
    factories.ActorAliasFactory(actor=kept, name="Asif Zardari")
    factories.VisitFactory(visitor=kept, start_date=datetime.date(2009, 5, 6), end_date=None)
    other = factories.ActorFactory(name="Asif Zadari", slug="asif-zadari", country=pakistan)
    factories.ActorAliasFactory(actor=other, name="Asif Zardari")  # the same alias on both
    factories.ActorAliasFactory(actor=other, name="President Asif Zadari")
    visit = factories.VisitFactory(visitor=other, start_date=datetime.date(2012, 5, 21))
    role = factories.ActorRoleFactory(actor=other, title="President", organisation=pakistan)
    visit.visitor_role = role
    visit.save()
    hosted = factories.VisitFactory()
    factories.ParticipationFactory(visit=hosted, actor=other)
    source = factories.SourceDocumentFactory()
    source.actors.add(other, kept)  # mentioned by both spellings
    factories.ClaimFactory(source=source, speaker=other)
    about = factories.ClaimFactory(source=source, actors=[other])
    about.disputed_by.add(other)
    factories.ActorFactory(name="PPP", kind=ActorKind.ORGANISATION, country=other)
    return kept, other


def test_the_actor_list_links_to_the_duplicates(editor_client):
    page = editor_client.get(reverse("admin:actors_actor_changelist"))

    assert DUPLICATES in page.content.decode()
    note = page.content.decode().split('id="duplicates-note">')[1].split("</p>")[0]
    assert f'<a href="{DUPLICATES}">see the possible duplicates</a>' in note


def test_the_spellings_a_curator_met_are_listed_before_pairs_alike_in_one_word(editor_client):
    algeria = factories.CountryFactory(name="Algeria", slug="algeria")
    egypt = factories.CountryFactory(name="Egypt", slug="egypt")
    pakistan = factories.CountryFactory(name="Pakistan", slug="pakistan")
    for name, country in [
        ("Abdelaziz Bouteflika", algeria),
        ("Abdelaziz Boutefilka", algeria),
        ("Abdel Fattah al-Sisi", egypt),
        ("Abdel Fattah Said Alsisi", egypt),
        ("Yousuf Gillani", pakistan),
        ("Yusuf Raza Gilani", pakistan),
    ]:
        factories.ActorFactory(name=name, country=country)
    imran = factories.ActorFactory(name="Imran Khan", country=pakistan)
    factories.ActorAliasFactory(actor=imran, name="Khan")
    factories.ActorFactory(name="Ayub Khan", country=pakistan)

    rows = duplicate_rows(editor_client.get(DUPLICATES))

    pairs = [set(re.findall(r">([^<>]+)</a>\s*<br>", row)) for row in rows]
    assert pairs[:3] == [
        {"Abdelaziz Bouteflika", "Abdelaziz Boutefilka"},
        {"Abdel Fattah al-Sisi", "Abdel Fattah Said Alsisi"},
        {"Yousuf Gillani", "Yusuf Raza Gilani"},
    ]
    # "Khan" alone makes Ayub Khan look like Imran Khan: listed, last, and said to be so.
    assert pairs[3:] == [{"Imran Khan", "Ayub Khan"}]
    assert "one word alike only" in rows[3] and "one word alike only" not in rows[2]


def test_near_duplicates_of_one_country_are_listed_with_merge_links(editor_client, pakistan):
    factories.ActorFactory(name="Yousuf Gillani", slug="yousuf-gillani", country=pakistan)
    factories.ActorFactory(name="Yusuf Raza Gilani", slug="yusuf-raza-gilani", country=pakistan)
    factories.ActorFactory(name="Benazir Bhutto", slug="benazir-bhutto", country=pakistan)
    factories.ActorFactory(name="Zulfikar Ali Bhutto", slug="zulfikar-ali-bhutto", country=pakistan)
    india = factories.CountryFactory(name="India", slug="india")
    factories.ActorFactory(name="Yusuf Gilani", slug="yusuf-gilani-india", country=india)

    page = editor_client.get(DUPLICATES)

    assert page.status_code == 200
    rows = duplicate_rows(page)
    assert len(rows) == 1
    assert "Yousuf Gillani" in rows[0] and "Yusuf Raza Gilani" in rows[0]
    assert "Pakistan" in rows[0]
    assert f"{MERGE}?keep=" in rows[0]


def test_a_curator_sees_the_duplicates_but_cannot_merge(curator_client, zardari):
    kept, other = zardari

    page = curator_client.get(DUPLICATES)
    confirm = curator_client.get(MERGE, {"keep": kept.pk, "other": other.pk})
    merge = curator_client.post(MERGE, {"keep": kept.pk, "other": other.pk})

    assert page.status_code == 200
    assert "Asif Zadari" in page.content.decode()
    assert f"{MERGE}?keep=" not in page.content.decode()
    assert confirm.status_code == 403
    assert merge.status_code == 403
    assert Actor.objects.filter(pk=other.pk).exists()


def test_the_confirmation_page_says_what_will_move(editor_client, zardari):
    kept, other = zardari

    page = editor_client.get(MERGE, {"keep": kept.pk, "other": other.pk})

    text = page.content.decode()
    assert page.status_code == 200
    assert "1 visits (visitor)" in text
    assert "1 participations (actor)" in text
    assert "1 claims (speaker)" in text
    assert "1 claims (actors)" in text
    assert "1 claims (disputed by)" in text
    assert "2 actor aliases (actor)" in text
    assert "1 actor roles (actor)" in text
    assert "1 source documents (actors)" in text
    assert "1 actors (country)" in text


def test_an_editor_merges_and_nothing_is_lost(editor_client, editor, zardari):
    kept, other = zardari
    other_pk = other.pk

    response = editor_client.post(MERGE, {"keep": kept.pk, "other": other.pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:actors_actor_change", args=[kept.pk])
    assert not Actor.objects.filter(pk=other_pk).exists()
    assert kept.visits_made.count() == 2
    visit = kept.visits_made.get(start_date=datetime.date(2012, 5, 21))
    assert visit.visitor_role.actor == kept
    assert list(kept.roles.values_list("title", flat=True)) == ["President"]
    assert kept.participations.count() == 1
    assert kept.claims_made.count() == 1
    assert kept.claims_about.count() == 1
    assert kept.claims_disputed.count() == 1
    assert kept.mentioned_in.count() == 1
    assert list(kept.nationals.values_list("name", flat=True)) == ["PPP"]
    assert sorted(kept.aliases.values_list("name", flat=True)) == [
        "Asif Zadari",
        "Asif Zardari",
        "President Asif Zadari",
    ]
    # Recorded in history, with the editor who merged.
    assert visit.history.latest().history_user == editor
    assert "Merged “Asif Zadari”" in visit.history.latest().history_change_reason
    deleted = Actor.history.filter(id=other_pk).latest()
    assert (deleted.history_type, deleted.history_user) == ("-", editor)
    claim = Claim.objects.get(speaker=kept)
    assert claim.history.latest().history_user == editor
    page = editor_client.get(response["Location"])
    assert "Merged “Asif Zadari”" in page.content.decode()


def test_merging_two_countries_moves_their_nationals_visits_and_positions(editor_client):
    korea = factories.CountryFactory(name="Korea, South", slug="korea")
    south = factories.CountryFactory(name="South Korea", slug="korea-south")
    moon = factories.ActorFactory(name="Moon Jae-in", country=korea)
    visit = factories.VisitFactory(visitor=moon, origin=korea)
    trip = factories.VisitFactory(destination=korea)
    role = factories.ActorRoleFactory(actor=moon, organisation=korea)

    editor_client.post(MERGE, {"keep": south.pk, "other": korea.pk})

    moon.refresh_from_db()
    assert moon.country == south
    assert Visit.objects.get(pk=visit.pk).origin == south
    assert Visit.objects.get(pk=trip.pk).destination == south
    assert ActorRole.objects.get(pk=role.pk).organisation == south
    assert list(ActorAlias.objects.filter(actor=south).values_list("name", flat=True)) == [
        "Korea, South"
    ]


def test_a_participation_both_spellings_had_is_kept_once(editor_client, pakistan):
    kept = factories.ActorFactory(name="Yusuf Raza Gilani", country=pakistan)
    other = factories.ActorFactory(name="Yousuf Gillani", country=pakistan)
    visit = factories.VisitFactory()
    factories.ParticipationFactory(visit=visit, actor=kept, note="")
    factories.ParticipationFactory(visit=visit, actor=other, note="Prime Minister")

    editor_client.post(MERGE, {"keep": kept.pk, "other": other.pk})

    participations = Participation.objects.filter(visit=visit)
    assert [(p.actor, p.note) for p in participations] == [(kept, "Prime Minister")]


def test_the_merge_action_on_two_selected_actors_opens_the_confirmation(editor_client, zardari):
    kept, other = zardari
    changelist = reverse("admin:actors_actor_changelist")

    response = editor_client.post(
        changelist, {"action": "merge_two", "_selected_action": [kept.pk, other.pk]}
    )
    refused = editor_client.post(
        changelist, {"action": "merge_two", "_selected_action": [kept.pk]}, follow=True
    )

    assert response.status_code == 302
    assert response["Location"] == f"{MERGE}?keep={kept.pk}&other={other.pk}"
    assert "Select exactly two actors to merge." in refused.content.decode()


def test_merging_an_actor_into_itself_is_refused(editor_client, zardari):
    kept, _ = zardari

    response = editor_client.post(MERGE, {"keep": kept.pk, "other": kept.pk}, follow=True)

    assert "cannot be merged into itself" in response.content.decode()
    assert Actor.objects.filter(pk=kept.pk).exists()
