"""The seed to the assertions' standard: grouped claims, issues tagged, every visit checklisted."""

import html
import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from assertions.models import Assertion, AssertionClaim
from claims.models import Claim, ClaimStatus
from core.text import contains_normalised
from ingest.seed.files import SeedError
from ingest.seed.loader import SEED_DIR, seed_load
from sources.models import SourceDocument
from tests.ingest.test_seed import minimal_seed
from visits.models import Visit

pytestmark = pytest.mark.django_db

MUNIR = "asim-munir-us-2023"
WASHINGTON = "imran-khan-washington-2019"
PULSE = "imran-khans-us-visit-a-win-for-pakistan"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Load the real seed with the command once for this module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def text(response):
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def cards(page):
    """Return {statement: (head, verdict)} for each assertion card on the page."""
    found = {}
    for chunk in page.split('<li class="card assertion">')[1:]:
        title = re.search(r'<h3 class="card-title"><a [^>]*>(.*?)</a>', chunk).group(1)
        head = re.search(r'<span class="claim-kind">(.*?)</span>', chunk).group(1)
        verdict = re.search(r'<p class="verdict">(.*?)</p>', chunk).group(1)
        found[title] = (head, verdict)
    return found


# --- Assertions loaded --------------------------------------------------------------------------


def test_the_seed_groups_claims_into_published_assertions(seeded):
    files = yaml.safe_load((SEED_DIR / "assertions.yaml").read_text(encoding="utf-8"))
    shown = Assertion.objects.shown()

    assert Assertion.objects.published().count() == len(files["assertions"]) >= 25
    assert shown.count() == len(files["assertions"])
    # Each assertion stands on two sources, or on a claim and a claim against it.
    for assertion in shown:
        assert assertion.sources_for >= 2 or assertion.claims_against >= 1, assertion.slug
    contested = set(shown.filter(agreement="contested").values_list("slug", flat=True))
    assert {
        "modi-asked-trump-to-mediate-on-kashmir",
        "no-agreement-was-announced-from-munirs-visit",
        "pakistan-supplied-ukraine-with-military-aid",
        "washington-conspired-to-oust-imran-khan",
        "pakistan-supported-the-taliban",
    } <= contested


def test_every_claim_the_seed_marks_denied_or_disputed_stands_in_a_contested_assertion(seeded):
    contested = Assertion.objects.shown().filter(agreement="contested")
    challenged = Claim.objects.filter(status__in=[ClaimStatus.DENIED, ClaimStatus.DISPUTED])

    assert challenged.count() >= 6
    for claim in challenged:
        assert contested.filter(claims=claim).exists(), claim.external_id
    # Whoever the claim names as denying it is who the assertion says is against it.
    for claim in challenged.exclude(disputed_by=None):
        against = AssertionClaim.objects.filter(
            assertion__claims=claim, relation__in=["disputes", "denies"]
        )
        opposers = {link.opposer for link in against}
        assert opposers & {actor.name for actor in claim.disputed_by.all()}, claim.external_id


def test_a_second_load_creates_no_assertion_and_update_restores_an_edited_one(seeded):
    assertion = Assertion.objects.get(slug="modi-asked-trump-to-mediate-on-kashmir")
    assertion.statement = "Edited by a curator"
    assertion.save()
    links = AssertionClaim.objects.count()

    report = seed_load()

    assert report.counts[Assertion]["created"] == report.counts[AssertionClaim]["created"] == 0
    assert AssertionClaim.objects.count() == links
    assertion.refresh_from_db()
    assert assertion.statement == "Edited by a curator"

    report = seed_load(update=True)

    assertion.refresh_from_db()
    assert assertion.statement == "Modi asked Trump to mediate on Kashmir"
    assert report.counts[Assertion]["updated"] == 1
    assert "Assertions: 0 created, 1 updated" in "\n".join(report.lines())


# --- Issues tagged ------------------------------------------------------------------------------

#: Words that make a claim one about aid, lenders or agreements.
AID_WORDS = re.compile(
    r"\b(aids?|assistance|pledge[sd]?|loans?|IMF|International Monetary Fund|bailout|funding|"
    r"agreements?)\b",
    re.IGNORECASE,
)
#: The issues that answer those words: U.S. aid to Pakistan, or the IMF and other lenders.
AID_ISSUES = {"aid", "imf"}
#: Claims where the word means something else, each with the issue that answers its meaning.
OTHER_SENSE = {
    "no-militias-consensus": ("counter-terrorism", "agreement: consensus among Pakistan's leaders"),
    "us-ukraine-expectations": ("russia-ukraine", "humanitarian aid for Ukraine"),
    "non-lethal-aid-to-ukraine": ("russia-ukraine", "Pakistan's assistance to Ukraine"),
    "pakistan-gaza-stance": ("gaza", "international aid to Gaza"),
    "common-ground-humanitarian-aid": ("afghanistan", "humanitarian aid inside Afghanistan"),
    "promises-it-may-not-keep": ("afghan-peace-process", "pledges to the Afghans on violence"),
    "munir-pledges-democracy": ("elections-democracy", "a pledge to uphold democracy"),
    "efforts-led-to-doha-deal": ("afghan-peace-process", "the U.S.–Taliban (Doha) agreement"),
    "doha-timeline-accelerated": ("afghan-peace-process", "the Doha agreement"),
    "biden-policy-uncertain": ("afghan-peace-process", "the Doha agreement"),
    "taliban-hope-doha-maintained": ("afghan-peace-process", "the Doha agreement"),
    "biden-review-expected": ("afghan-peace-process", "the Doha agreement"),
    "doha-agreement-february-2020": ("afghan-peace-process", "the Doha agreement"),
    "joint-intelligence-from-december-15": ("counter-terrorism", "the Pakistan–Afghan accord"),
    "right-direction": ("afghanistan", "the Pakistan–Afghan accord of the Kabul visit"),
    "security-agreements-no-stability": ("military-cooperation", "defence agreements"),
}


def test_every_seed_claim_about_aid_lenders_or_agreements_carries_the_issue(seeded):
    claims = Claim.objects.filter(external_id__startswith="seed:").prefetch_related("issues")
    matched, untagged = set(), []
    for claim in claims:
        if not AID_WORDS.search(f"{claim.quote} {claim.summary}"):
            continue
        key = claim.external_id.rsplit(":", 1)[1]
        matched.add(key)
        issues = {issue.slug for issue in claim.issues.all()}
        wanted = {OTHER_SENSE[key][0]} if key in OTHER_SENSE else AID_ISSUES
        if not issues & wanted:
            untagged.append((key, sorted(issues)))

    assert untagged == []
    assert set(OTHER_SENSE) <= matched  # every exception still names a matching claim
    assert len(matched - set(OTHER_SENSE)) >= 30
    no_agreements = Claim.objects.get(external_id__endswith=":no-agreements-announced")
    assert "aid" in {issue.slug for issue in no_agreements.issues.all()}


# --- Per-article checklists of visits -----------------------------------------------------------


def checklists():
    """Return [(article number, checklist)] for data/seed/checklists/*.yaml."""
    paths = sorted((SEED_DIR / "checklists").glob("*.yaml"))
    return [(path.stem, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in paths]


def test_every_article_has_a_checklist_naming_its_source():
    listed = {number: checklist["source"] for number, checklist in checklists()}
    sources = {}
    for path in sorted((SEED_DIR / "sources").glob("*.yaml")):
        sources[path.name[:3]] = yaml.safe_load(path.read_text(encoding="utf-8"))["source"]["slug"]

    assert listed == sources
    assert len(listed) == 5


def test_each_checklisted_visit_is_stated_in_its_article_and_linked_to_its_source(seeded):
    for number, checklist in checklists():
        source = SourceDocument.objects.get(slug=checklist["source"])
        linked = set(source.visits.values_list("slug", flat=True))
        listed = set()
        for entry in checklist["visits"]:
            sentence = " ".join(entry["sentence"].split())
            assert contains_normalised(source.body, sentence), (number, sentence)
            assert Visit.objects.published().filter(slug=entry["visit"]).exists(), entry
            listed.add(entry["visit"])
        for entry in checklist.get("not_visits") or []:
            assert contains_normalised(source.body, " ".join(entry["sentence"].split()))
            assert entry["why"].strip(), entry
        # Every visit the source covers is on its checklist, and the other way round.
        assert listed == linked, (number, listed ^ linked)


def test_no_two_seed_visits_share_a_visitor_and_a_start():
    visits = yaml.safe_load((SEED_DIR / "visits.yaml").read_text(encoding="utf-8"))["visits"]
    starts = [(visit["visitor"], str(visit["start"])) for visit in visits]
    repeated = {start for start in starts if starts.count(start) > 1}

    # Kurilla's two Rawalpindi meetings share the only bound the article gives.
    assert repeated == {("michael-kurilla", "2022-11")}


# --- The pages a reader sees ------------------------------------------------------------------


def test_munirs_visit_page_shows_its_assertions_with_their_agreement(seeded):
    visit = Visit.objects.get(slug=MUNIR)

    page = text(Client().get(visit.get_absolute_url()))

    section = page.split('id="assertions-heading"')[1].split('id="claims-heading"')[0]
    shown = cards(section)
    assert set(shown) == set(visit.assertions.values_list("statement", flat=True))
    assert len(shown) >= 8
    assert shown["No agreement was announced from Munir's visit"] == (
        "1 source for · 2 against",
        "Reported by 1 source; disputed by Timesglo.",
    )
    assert shown["Pakistan sought U.S. aid and support against the TTP during Munir's visit"] == (
        "2 sources for",
        "Reported by 2 sources.",
    )
    # The claims against stand under their assertion, quoted and marked so.
    agreements = section.split("No agreement was announced from Munir's visit")[1]
    agreements = agreements.split('<li class="card assertion">')[0]
    assert agreements.count('<span class="badge relation-disputes">Disputes</span>') == 2
    assert "<q>Not any that surfaced on media or anywhere else</q>" in agreements


def test_an_assertion_about_a_visit_groups_its_claims_about_that_visit_each_once(seeded):
    for visit in Visit.objects.exclude(assertions=None):
        links = AssertionClaim.objects.filter(assertion__visit=visit).select_related("claim")
        claims = [link.claim for link in links]
        assert {claim.visit_id for claim in claims} == {visit.pk}, visit.slug
        assert len({claim.pk for claim in claims}) == len(claims), visit.slug
    munir = Visit.objects.get(slug=MUNIR)
    washington = Visit.objects.get(slug=WASHINGTON)
    assert munir.assertions.count() >= 8
    assert washington.assertions.count() >= 4


def test_the_kashmir_mediation_assertion_shows_the_claim_and_indias_denial_side_by_side(seeded):
    assertion = Assertion.objects.get(slug="modi-asked-trump-to-mediate-on-kashmir")
    claim = Claim.objects.get(external_id=f"seed:{PULSE}:modi-asked-for-mediation")
    denial = Claim.objects.get(external_id=f"seed:{PULSE}:india-denies-mediation-request")

    page = text(Client().get(assertion.get_absolute_url()))

    assert assertion.visit.slug == WASHINGTON
    verdict = "Reported by 1 source; disputed by The Diplomat (The Pulse); denied by India."
    assert f'<p class="lede verdict">{verdict}</p>' in page
    assert "<dt>Sources</dt><dd>1 source for, 2 claims against</dd>" in page
    stating = page.split('id="side-for"')[1].split('id="side-against"')[0]
    against = page.split('id="side-against"')[1]
    assert f"#claim-{claim.pk}" in stating
    assert "allegedly asked for U.S. mediation to resolve the issue of Kashmir" in stating
    assert f"#claim-{denial.pk}" in against
    assert "was denied by India within hours" in against
    assert "by India" in against
    # The offer itself is stated by two sources and denied by no one.
    offer = text(Client().get("/assertions/trump-offered-to-mediate-on-kashmir/"))
    assert '<p class="lede verdict">Reported by 2 sources.</p>' in offer


def test_the_agreement_filter_totals_match_the_facet_counts(seeded):
    client = Client()
    page = text(client.get("/assertions/"))
    facet = page.split('id="facet-agreement"')[1].split("</section>")[0]
    counts = dict(
        re.findall(r'<span class="facet-name">(.*?)</span> <span class="count">(\d+)</span>', facet)
    )
    total = int(
        re.search(r'<p class="result-count" role="status">\s*<strong>(\d+)</strong>', page)[1]
    )

    assert (
        {"Contested", "Uncontested"} <= set(counts) <= {"Contested", "Uncontested", "Single source"}
    )
    assert sum(int(count) for count in counts.values()) == total == Assertion.objects.count()
    for value, label in (("contested", "Contested"), ("uncontested", "Uncontested")):
        filtered = text(client.get(f"/assertions/?agreement={value}"))
        shown = re.search(
            r'<p class="result-count" role="status">\s*<strong>(\d+)</strong>', filtered
        )
        assert int(shown[1]) == int(counts[label]) > 0
    aid = text(client.get("/assertions/?issue=aid&agreement=contested"))
    assert "No agreement was announced from Munir's visit" in aid


# --- Mistakes in the assertions file ------------------------------------------------------------


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ("[{claim: test-report:nope, relation: supports}]", "there is no claim “test-report:nope”"),
        ("[{claim: met, relation: supports}]", "“met” does not name a claim"),
        ("[{claim: test-report:met, relation: agrees}]", "the relation “agrees” is not one of"),
        ("[{claim: test-report:met, relation: supports, by: test-land}]", "“by” names who"),
    ],
)
def test_a_bad_assertion_fails_loudly_naming_it_and_writes_nothing(tmp_path, claims, message):
    seed = minimal_seed(tmp_path, "Both sides agreed to meet again next year.")
    (seed / "assertions.yaml").write_text(
        "assertions:\n  - slug: they-met\n    statement: They met\n    visit: test-visit\n"
        f"    claims: {claims}\n",
        encoding="utf-8",
    )

    with pytest.raises(SeedError) as error:
        seed_load(seed_dir=Path(seed))

    assert "assertions.yaml, assertion “they-met”" in str(error.value)
    assert message in str(error.value)
    assert not Visit.objects.filter(slug="test-visit").exists()


def test_a_good_assertion_loads_with_its_claims(tmp_path):
    seed = minimal_seed(tmp_path, "Both sides agreed to meet again next year.")
    (seed / "assertions.yaml").write_text(
        "assertions:\n  - slug: they-met\n    statement: They met\n    visit: test-visit\n"
        "    issues: [test-issue]\n"
        "    claims:\n      - {claim: test-report:met, relation: supports}\n"
        "      - {claim: test-report:again, relation: disputes, by: test-leader}\n",
        encoding="utf-8",
    )

    report = seed_load(seed_dir=Path(seed))

    assertion = Assertion.objects.with_agreement().with_public_links().get(slug="they-met")
    assert (assertion.sources_for, assertion.claims_against, assertion.agreement) == (
        1,
        1,
        "contested",
    )
    assert assertion.verdict == "Reported by 1 source; disputed by Test Leader."
    assert report.counts[AssertionClaim]["created"] == 2
