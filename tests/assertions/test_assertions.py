"""Assertions: claims of several sources grouped, for and against, with a verdict and agreement."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from assertions.models import Assertion, AssertionClaim, Relation
from core.status import PublicationStatus
from tests import factories
from tests.core.test_concurrent_edits import form_data

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def world():
    """The Kashmir mediation offer of Imran Khan's 2019 visit, in three sources."""
    corpus = factories.build_corpus()
    dawn = factories.SourceDocumentFactory(
        title="Trump offers to mediate",
        publisher="Dawn",
        published_date=datetime.date(2019, 7, 23),
        body="President Trump offered to mediate between Pakistan and India on Kashmir.",
    )
    mea = factories.SourceDocumentFactory(
        title="Statement of the spokesperson",
        publisher="Ministry of External Affairs",
        published_date=datetime.date(2019, 7, 22),
        body="No such request has been made by the Prime Minister to the US President.",
    )
    dawn_claim = factories.ClaimFactory(
        source=dawn,
        visit=corpus.washington,
        quote="President Trump offered to mediate between Pakistan and India on Kashmir.",
        summary="Trump offered to mediate between Pakistan and India on Kashmir.",
    )
    denial = factories.ClaimFactory(
        source=mea,
        visit=corpus.washington,
        speaker=corpus.india,
        kind="denial",
        quote="No such request has been made by the Prime Minister to the US President.",
        summary="India denies that Modi asked Trump to mediate.",
    )
    assertion = Assertion.objects.create(
        statement="Trump offered to mediate on Kashmir",
        slug="trump-offered-to-mediate-on-kashmir",
        visit=corpus.washington,
        publication_status=PublicationStatus.PUBLISHED,
    )
    assertion.issues.add(corpus.issues["kashmir"])
    for claim, relation in (
        (corpus.claim_mediation, Relation.SUPPORTS),
        (dawn_claim, Relation.SUPPORTS),
        (denial, Relation.DENIES),
    ):
        AssertionClaim.objects.create(assertion=assertion, claim=claim, relation=relation)
    corpus.dawn_claim, corpus.denial, corpus.assertion = dawn_claim, denial, assertion
    return corpus


def test_the_assertion_page_shows_every_source_side_by_side_with_the_verdict(client, world):
    page = html(client.get(world.assertion.get_absolute_url()))

    assert "<h1>Trump offered to mediate on Kashmir</h1>" in page
    assert '<p class="lede verdict">Reported by 2 sources; denied by India.</p>' in page
    stating = page.split('id="side-for"')[1].split('id="side-against"')[0]
    against = page.split('id="side-against"')[1]
    for claim in (world.claim_mediation, world.dawn_claim):
        assert f"{claim.source.get_absolute_url()}#claim-{claim.pk}" in stating
    assert '(Dawn, <time datetime="2019-07-23">23 July 2019</time>)' in stating
    assert '(The Diplomat, <time datetime="2019-07-24">24 July 2019</time>)' in stating
    assert 'Denies</span> <span class="claim-kind">by India</span>' in against
    assert "No such request has been made" in against
    assert '(Ministry of External Affairs, <time datetime="2019-07-22">' in against


def test_who_denies_is_the_named_actor_else_the_speaker_else_the_source(client, world):
    link = world.assertion.links.get(claim=world.denial)
    link.by = world.trump
    link.save()
    world.denial.speaker = None
    world.denial.save()

    named = html(client.get(world.assertion.get_absolute_url()))
    link.by = None
    link.save()
    Client().get("/")  # a new data version: the page is rendered again
    unnamed = html(Client().get(world.assertion.get_absolute_url()))

    assert "Reported by 2 sources; denied by Donald Trump." in named
    assert "Reported by 2 sources; denied by Ministry of External Affairs." in unnamed


def test_a_draft_actor_denying_it_is_not_named(client, world):
    link = world.assertion.links.get(claim=world.denial)
    link.by = world.draft_actor
    link.save()

    page = html(client.get(world.assertion.get_absolute_url()))

    assert "Reported by 2 sources; denied by India." in page
    assert factories.DRAFT_MARKER not in page


def test_drafts_count_for_nothing_and_a_draft_assertion_is_not_found(client, world):
    world.dawn_claim.publication_status = DRAFT
    world.dawn_claim.save()

    page = html(client.get(world.assertion.get_absolute_url()))

    assert "Reported by 1 source; denied by India." in page
    assert world.dawn_claim.quote not in page
    world.assertion.publication_status = DRAFT
    world.assertion.save()
    assert Client().get(world.assertion.get_absolute_url()).status_code == 404


def agreement_world(world):
    """Three more assertions: uncontested (2 sources), single-source, and one with a dispute."""
    kabul_source = factories.SourceDocumentFactory(title="Kabul report", body="Khan met Ghani.")
    made = []
    for slug, claims in (
        ("two-sources", [(world.claim_aid, "supports"), (world.dawn_claim, "supports")]),
        ("one-source", [(world.claim_kabul, "supports")]),
        (
            "disputed",
            [
                (world.claim_kashmir, "supports"),
                (factories.ClaimFactory(source=kabul_source, quote="Khan met Ghani."), "disputes"),
            ],
        ),
    ):
        assertion = Assertion.objects.create(
            statement=slug.replace("-", " "), slug=slug, publication_status="published"
        )
        for claim, relation in claims:
            AssertionClaim.objects.create(assertion=assertion, claim=claim, relation=relation)
        made.append(assertion)
    return made


def facet_counts(page, param):
    """Return {value: count} of the facet `param` as the list page shows it."""
    found = re.findall(
        rf'href="\?{param}=([\w-]+)"[^>]*>.*?<span class="count">([\d,]+)<', page, re.S
    )
    return {value: int(count.replace(",", "")) for value, count in found}


def result_count(page):
    return int(
        re.search(r'class="result-count"[^>]*>\s*<strong>([\d,]+)</strong>', page)[1].replace(
            ",", ""
        )
    )


def test_the_agreement_filter_and_facet_agree_with_the_lists_they_open(client, world):
    agreement_world(world)

    page = html(client.get("/assertions/"))
    counts = facet_counts(page, "agreement")

    assert result_count(page) == 4
    assert counts == {"contested": 2, "uncontested": 1, "single-source": 1}
    for value, count in counts.items():
        filtered = html(client.get(f"/assertions/?agreement={value}"))
        assert result_count(filtered) == count, value
    contested = html(client.get("/assertions/?agreement=contested"))
    assert "Trump offered to mediate on Kashmir" in contested and "disputed" in contested
    assert "two sources" not in contested


def test_the_assertions_export_carries_the_agreement(client, world):
    agreement_world(world)

    response = client.get("/assertions/?agreement=uncontested&format=csv")
    body = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )

    lines = body.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("id,statement,agreement,sources_for")
    assert len(lines) == 2 and "two sources,Uncontested,2,0,2" in lines[1]


def test_the_visit_page_shows_its_assertions_with_counts_and_each_claim_once(client, world):
    page = html(client.get(world.washington.get_absolute_url()))

    section = page.split('id="assertions-heading"')[1].split('id="claims-heading"')[0]
    assert "Trump offered to mediate on Kashmir" in section
    assert "Reported by 2 sources; denied by India." in section
    assert "2 sources for · 1 against" in section
    assert 'class="badge agreement-contested"' in section
    public = world.washington.claims.published()
    for claim in public:
        assert page.count(f'#claim-{claim.pk}"') == 1, claim
    assert "3 of these claims are shown under the assertions above" in page


def test_issue_and_actor_pages_list_their_assertions(client, world):
    issue_page = html(client.get(world.issues["kashmir"].get_absolute_url()))
    actor_page = html(client.get(world.imran.get_absolute_url()))

    for page, link in ((issue_page, "?issue=kashmir"), (actor_page, "?leader=imran-khan")):
        section = page.split('id="assertions-heading"')[1].split("</section>")[0]
        assert "Trump offered to mediate on Kashmir" in section
        assert "Reported by 2 sources; denied by India." in section
        assert f'href="/assertions/{link}"' in section


def test_similar_claims_of_other_sources_are_offered_not_added(editor_client, world):
    other = factories.SourceDocumentFactory(
        title="Another paper", body="Trump offered to mediate on Kashmir, he said."
    )
    alike = factories.ClaimFactory(
        source=other,
        visit=world.washington,
        quote="Trump offered to mediate on Kashmir",
        summary="Trump offered to mediate on Kashmir.",
    )
    unlike = factories.ClaimFactory(
        source=other, visit=world.washington, quote="he said", summary="Weather was fine."
    )
    url = reverse("admin:assertions_assertion_change", args=[world.assertion.pk])

    page = html(editor_client.get(url))

    candidates = page.split('id="assertion-candidates"')[1].split("</details>")[0]
    assert f'value="{alike.pk}" id="candidate-{alike.pk}">' in candidates  # not ticked
    assert f'value="{unlike.pk}"' not in candidates
    assert not world.assertion.links.filter(claim=alike).exists()

    editor_client.post(
        reverse("admin:assertions_assertion_add_candidates", args=[world.assertion.pk]),
        {"claims": [alike.pk, unlike.pk]},
    )

    assert set(world.assertion.links.values_list("claim", flat=True)) == {
        world.claim_mediation.pk,
        world.dawn_claim.pk,
        world.denial.pk,
        alike.pk,
    }


def test_a_claim_about_another_visit_cannot_join_a_visits_assertion(editor_client, world):
    url = reverse("admin:assertions_assertion_change", args=[world.assertion.pk])
    data = form_data(editor_client.get(url))
    data.update({"links-3-claim": world.claim_kabul.pk, "links-3-relation": "supports"})
    data["links-TOTAL_FORMS"] = "4"

    page = html(editor_client.post(url, data))

    assert "This claim is about another visit (“Imran Khan visits Kabul”)" in page
    assert not world.assertion.links.filter(claim=world.claim_kabul).exists()
