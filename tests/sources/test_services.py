"""Link suggestions: the actors and issues a source's text mentions and it does not link yet."""

import pytest

from sources.services import suggest_links
from tests import factories

pytestmark = pytest.mark.django_db


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

    assert [(actor.name, count) for actor, count in suggestions["actors"]] == [
        ("Imran Khan", 3),
        ("Ashraf Ghani", 1),
        ("United States", 1),  # "US", not the "us" of "let us"
    ]
    assert suggestions["actors"][0][0].matched_names == ["Imran Khan", "PM Khan"]
    assert [(issue.name, count) for issue, count in suggestions["issues"]] == [
        ("Refugees", 3),
        ("Trade and investment", 2),
    ]


def test_suggestions_cost_a_fixed_number_of_queries(django_assert_max_num_queries):
    for number in range(30):
        actor = factories.ActorFactory(name=f"Envoy Number{number}")
        factories.ActorAliasFactory(actor=actor, name=f"Envoy {number}")
        factories.IssueFactory(name=f"Topic{number}", slug=f"topic-{number}")
    source = factories.SourceDocumentFactory(body="Envoy Number3 and Envoy 7 discussed Topic12.")

    with django_assert_max_num_queries(2):
        suggestions = suggest_links(source)

    assert [(actor.name, count) for actor, count in suggestions["actors"]] == [
        ("Envoy Number3", 1),
        ("Envoy Number7", 1),
    ]
    assert [issue.name for issue, count in suggestions["issues"]] == ["Topic12"]
