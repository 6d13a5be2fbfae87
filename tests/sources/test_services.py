"""Link suggestions: the actors and issues a source's text mentions and it does not link yet."""

import pytest

from actors.models import ActorKind
from sources.services import CONFIDENCE_THRESHOLD, suggest_links
from tests import factories

pytestmark = pytest.mark.django_db


def found(suggestions):
    """Return (name, mentions, confidence, ticked in advance) of each suggestion, in order."""
    return [(s.obj.name, s.mentions, s.confidence, s.strong) for s in suggestions]


def test_suggestions_count_names_aliases_and_keywords_and_skip_what_is_linked():
    khan = factories.ActorFactory(name="Imran Khan")
    factories.ActorAliasFactory(actor=khan, name="PM Khan")
    factories.ActorFactory(name="Ashraf Ghani")
    factories.ActorFactory(name="Asim Munir")  # not mentioned
    pakistan = factories.CountryFactory(name="Pakistan", slug="pakistan")
    us = factories.CountryFactory(name="United States", slug="united-states")
    factories.ActorAliasFactory(actor=us, name="US")
    factories.IssueFactory(name="Refugees", slug="refugees", keywords="refugee\nexodus")
    factories.IssueFactory(name="Trade and investment", slug="trade", keywords="trade")
    afghanistan = factories.IssueFactory(name="Afghanistan", slug="afghanistan")
    factories.IssueFactory(name="Kashmir", slug="kashmir")  # not mentioned
    source = factories.SourceDocumentFactory(
        body="Imran Khan met Ashraf Ghani in Kabul. PM Khan’s visit to Afghanistan focused on "
        "refugees and trade.\n\nPakistan and Afghanistan discussed the refugee exodus; "
        "imran khan spoke of trade. The US welcomed it; let us hope it lasts."
    )
    source.actors.add(pakistan)  # mentioned, already linked
    source.issues.add(afghanistan)  # mentioned twice, already linked

    suggestions = suggest_links(source)

    assert found(suggestions["actors"]) == [
        ("Imran Khan", 3, 100, True),
        ("Ashraf Ghani", 1, 100, True),
        ("United States", 1, 80, True),  # "US", not the "us" of "let us"
    ]
    assert suggestions["actors"][0].names == ["Imran Khan", "PM Khan"]
    assert found(suggestions["issues"]) == [
        ("Refugees", 3, 100, True),
        ("Trade and investment", 2, 50, False),  # a single keyword: listed, not ticked
    ]


def test_a_surname_inside_another_persons_name_suggests_nobody():
    imran = factories.ActorFactory(name="Imran Khan")
    factories.ActorAliasFactory(actor=imran, name="Khan")
    source = factories.SourceDocumentFactory(
        body="Taliban Foreign Minister Amir Khan Muttaqi received the delegation in Kabul. "
        "Amir Khan Muttaqi said the border would stay open."
    )

    assert suggest_links(source)["actors"] == []


def test_the_longest_known_name_takes_its_words():
    imran = factories.ActorFactory(name="Imran Khan")
    factories.ActorAliasFactory(actor=imran, name="Khan")
    muttaqi = factories.ActorFactory(name="Amir Khan Muttaqi")
    factories.ActorAliasFactory(actor=muttaqi, name="Muttaqi")
    china = factories.CountryFactory(name="China", slug="china")
    factories.ActorAliasFactory(actor=china, name="Peoples' Republic of China")
    taiwan = factories.CountryFactory(name="China, Republic of", slug="china-republic")
    factories.ActorAliasFactory(actor=taiwan, name="Republic of China")
    source = factories.SourceDocumentFactory(
        body="Amir Khan Muttaqi thanked the People's Republic of China. Muttaqi left for Doha."
    )

    suggestions = suggest_links(source)

    assert found(suggestions["actors"]) == [
        ("Amir Khan Muttaqi", 2, 100, True),
        ("China", 1, 90, True),
    ]
    assert suggestions["actors"][0].names == ["Amir Khan Muttaqi", "Muttaqi"]


def test_a_lone_surname_is_suggested_weak_and_not_ticked():
    imran = factories.ActorFactory(name="Imran Khan")
    factories.ActorAliasFactory(actor=imran, name="Khan")
    source = factories.SourceDocumentFactory(
        body="The talks went well, and Khan's party welcomed them. Khan spoke of trade."
    )

    (suggestion,) = suggest_links(source)["actors"]

    assert (suggestion.obj, suggestion.mentions, suggestion.names) == (imran, 2, ["Khan"])
    assert suggestion.confidence < CONFIDENCE_THRESHOLD
    assert not suggestion.strong
    assert suggestion.reason == "one word of a person's name"


def test_aliases_are_found_and_rated_by_how_much_they_say():
    zardari = factories.ActorFactory(name="Asif Ali Zardari")
    factories.ActorAliasFactory(actor=zardari, name="President Asif Zadari")
    sharif = factories.ActorFactory(name="Shehbaz Sharif")
    factories.ActorAliasFactory(actor=sharif, name="PM Shehbaz")
    taliban = factories.ActorFactory(name="Tehreek-e-Taliban Pakistan", kind=ActorKind.ORGANISATION)
    factories.ActorAliasFactory(actor=taliban, name="TTP")
    pakistan = factories.CountryFactory(name="Pakistan", slug="pakistan")
    factories.ActorAliasFactory(actor=pakistan, name="Islamabad")
    source = factories.SourceDocumentFactory(
        body="President Asif Zadari and PM Shehbaz told Islamabad's envoys that the TTP "
        "(not the ttp of a typo) had to be stopped."
    )

    suggestions = suggest_links(source)

    assert [(s.obj.name, s.names, s.confidence, s.strong) for s in suggestions["actors"]] == [
        ("Asif Ali Zardari", ["President Asif Zadari"], 90, True),
        ("Tehreek-e-Taliban Pakistan", ["TTP"], 80, True),
        ("Pakistan", ["Islamabad"], 70, True),
        ("Shehbaz Sharif", ["PM Shehbaz"], 60, True),
    ]
    assert suggestions["actors"][1].mentions == 1  # capitals only: "ttp" is not the TTP


def test_nothing_below_the_threshold_is_ticked():
    for name in ("Abdullah", "Rahman"):  # persons the data names by one word
        factories.ActorFactory(name=name)
    shared = factories.ActorFactory(name="Sardar Ahmad Sharif")
    factories.ActorAliasFactory(actor=shared, name="Sharif")
    other = factories.ActorFactory(name="Nawaz Sharif Junior")
    factories.ActorAliasFactory(actor=other, name="Sharif")
    factories.IssueFactory(name="Energy", slug="energy-policy", keywords="power")
    source = factories.SourceDocumentFactory(
        body="Abdullah and Rahman met; the power cut lasted a day. Sharif said little."
    )

    suggestions = suggest_links(source)

    everything = suggestions["actors"] + suggestions["issues"]
    assert sorted(s.obj.name for s in everything) == [
        "Abdullah",
        "Energy",
        "Nawaz Sharif Junior",
        "Rahman",
        "Sardar Ahmad Sharif",
    ]
    assert all(s.confidence < CONFIDENCE_THRESHOLD and not s.strong for s in everything)


def test_suggestions_cost_a_fixed_number_of_queries(django_assert_max_num_queries):
    for number in range(30):
        actor = factories.ActorFactory(name=f"Delegate Number{number}")
        factories.ActorAliasFactory(actor=actor, name=f"Delegate {number}")
        factories.IssueFactory(name=f"Topic{number}", slug=f"topic-{number}")
    source = factories.SourceDocumentFactory(
        body="Delegate Number3 and Delegate 7 discussed Topic12."
    )

    with django_assert_max_num_queries(2):
        suggestions = suggest_links(source)

    assert found(suggestions["actors"]) == [
        ("Delegate Number3", 1, 100, True),
        ("Delegate Number7", 1, 90, True),
    ]
    assert [s.obj.name for s in suggestions["issues"]] == ["Topic12"]
