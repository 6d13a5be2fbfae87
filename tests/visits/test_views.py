"""The visits and issues pages as a reader sees them."""

import re
from collections import Counter

import pytest
from django.utils.text import slugify

from claims.models import Claim
from tests import factories
from tests.queries import DATA_VERSION_QUERIES, STAMP_QUERIES
from visits.views import CLAIMS_PER_SOURCE

pytestmark = pytest.mark.django_db

#: Queries of each page, whatever the number of rows (pinned at two sizes below).
# The count; the facets' rows; issue links; official records; actor and issue names; page,
# issues; issue and country options
VISIT_LIST_QUERIES = 10 + STAMP_QUERIES + DATA_VERSION_QUERIES
# The same, and the chosen leader read by slug (the issue is among those read for the select).
VISIT_LIST_FILTERED_QUERIES = (
    12 + STAMP_QUERIES + DATA_VERSION_QUERIES
)  # and the chosen leader and issue, by slug
# The visit; its participants; claims per source, the sources, their first claims and their
# issues, actors and disputers; claims per issue and the names of issues not on the visit;
# the sources covering it, with their issues; its assertions (and their claims, when any).
VISIT_DETAIL_QUERIES = 14 + DATA_VERSION_QUERIES
# Count, page, the public visits and claims of the issues, each counted by block (the blocks'
# stamps, the rows by block, the links by block).
ISSUE_LIST_QUERIES = STAMP_QUERIES + 2 + 2 * (STAMP_QUERIES + 2) + DATA_VERSION_QUERIES
# ... and its assertions: their count and the first of them.
ISSUE_DETAIL_QUERIES = 14 + DATA_VERSION_QUERIES


@pytest.fixture
def corpus():
    return factories.build_corpus()


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_list_shows_count_cards_and_download_links_that_keep_the_filters(client, corpus):
    page = html(client.get("/visits/?leader=imran-khan&sort=date"))

    assert "<strong>4</strong> results" in page
    assert page.index("Imran Khan visits Washington") < page.index("Imran Khan in Tashkent")
    assert 'href="?leader=imran-khan&amp;sort=date&amp;format=csv&amp;bom=1"' in page
    assert 'href="?leader=imran-khan&amp;sort=date&amp;format=json"' in page
    # Dates no more precise than known.
    assert "21–23 July 2019" in page


@pytest.mark.parametrize("path", ["/visits/", "/", "/search/?q=washington"])
def test_a_visit_card_says_from_where_to_where(client, corpus, path):
    page = html(client.get(path))

    card = re.search(
        r'<li class="card">\s*<h3 class="card-title"><a href="/visits/imran-khan-'
        r'washington-2019/">.*?</li>',
        page,
        re.S,
    )
    assert card is not None, path
    route = " ".join(re.sub(r"<[^>]+>", " ", card.group(0)).split())
    assert "Imran Khan from Pakistan → to Washington, United States" in route, route


def test_facets_count_the_current_results_and_link_to_add_or_remove_a_filter(client, corpus):
    page = html(client.get("/visits/?leader=imran-khan"))

    issue_facet = page.split('id="facet-issue"', 1)[1].split("</section>", 1)[0]
    # Imran Khan's four visits: three on Afghanistan, two on Kashmir (drafts not counted).
    assert re.search(
        r'href="\?leader=imran-khan&amp;issue=afghanistan">.*?Afghanistan</span> '
        r'<span class="count">3</span>',
        issue_facet,
    )
    assert re.search(r'Kashmir</span> <span class="count">2</span>', issue_facet)
    assert "SECRETDRAFT" not in issue_facet
    # The active leader is shown ticked, its link removes it.
    leader_facet = page.split('id="facet-leader"', 1)[1].split("</section>", 1)[0]
    assert 'class="facet-link active" href="?"' in leader_facet
    assert "Asim Munir" not in leader_facet


def test_following_a_facet_link_gives_the_count_it_showed(client, corpus):
    page = html(client.get("/visits/?issue=afghanistan"))
    link, count = re.search(
        r'href="(\?issue=afghanistan&amp;year=2020)">.*?<span class="count">(\d+)</span>', page
    ).groups()

    narrowed = html(client.get("/visits/" + link.replace("&amp;", "&")))

    assert f"<strong>{count}</strong> result" in narrowed


def test_active_filters_show_as_removable_chips(client, corpus):
    page = html(client.get("/visits/?leader=imran-khan&issue=afghanistan&year=2020"))

    chips = re.findall(r'<a class="chip" href="([^"]+)" aria-label="Remove filter ([^"]+)"', page)
    assert chips == [
        ("?issue=afghanistan&amp;year=2020", "Leader: Imran Khan"),
        ("?leader=imran-khan&amp;year=2020", "Issue: Afghanistan"),
        ("?leader=imran-khan&amp;issue=afghanistan", "Year: 2020"),
    ]
    assert "Clear all" in page


def test_pagination_keeps_the_filters(client, corpus):
    for number in range(30):
        factories.VisitFactory(
            visitor=corpus.munir, title=f"Munir trip {number}", issues=[corpus.issues["ttp"]]
        )

    first = html(client.get("/visits/?leader=asim-munir"))
    second = html(client.get("/visits/?leader=asim-munir&page=2"))

    assert "<strong>32</strong> results" in first
    assert first.count('class="card"') == 25
    assert 'href="?leader=asim-munir&amp;page=2" rel="next"' in first
    assert second.count('class="card"') == 7
    assert html(client.get("/visits/?leader=asim-munir&page=99")).count('class="card"') == 7
    assert html(client.get("/visits/?leader=asim-munir&page=x")).count('class="card"') == 25


def test_submitting_the_form_with_empty_fields_redirects_to_a_clean_url(client, corpus):
    response = client.get("/visits/?q=&leader=imran-khan&issue=&year=&kind=")

    assert response.status_code == 302
    assert response["Location"] == "/visits/?leader=imran-khan"


def test_form_offers_a_type_ahead_for_the_leader_and_every_issue(client, corpus):
    page = html(client.get("/visits/"))
    leader = page.split('name="leader"', 1)[1].split("</datalist>", 1)[0]

    assert 'data-suggest="/actors/suggest/"' in leader
    assert 'list="id_leader-options"' in leader and '<datalist id="id_leader-options">' in leader
    assert '<option value="cpec">CPEC</option>' in page


@pytest.mark.parametrize(
    ("typed", "expected"), [("mun", "asim-munir"), ("imran", "imran-khan"), ("MUNIR", "asim-munir")]
)
def test_the_type_ahead_finds_a_leader_by_part_of_the_name(client, corpus, typed, expected):
    results = client.get("/actors/suggest/", {"q": typed}).json()["results"]

    assert results[0]["value"] == expected
    assert all("secretdraft" not in row["label"].lower() for row in results)


@pytest.mark.parametrize(("typed", "name"), [("mun", "Asim Munir"), ("Imran Khan", "Imran Khan")])
def test_a_leader_typed_without_the_type_ahead_is_matched_on_the_server(
    client, corpus, typed, name
):
    page = html(client.get("/visits/", {"leader": typed}))
    by_slug = html(client.get("/visits/", {"leader": slugify(name)}))

    assert f"Leader: {name}" in " ".join(page.split())  # the chip names the leader
    assert page.count('class="card"') == by_slug.count('class="card"') > 0


def test_the_one_best_match_is_taken_before_weaker_ones(client, corpus):
    factories.ActorFactory(name="Edmund Muskie", slug="edmund-muskie")  # "mun" mid-word

    page = html(client.get("/visits/", {"leader": "mun"}))
    suggested = client.get("/actors/suggest/", {"q": "mun"}).json()["results"]

    assert "Leader: Asim Munir" in " ".join(page.split())
    assert [row["value"] for row in suggested] == ["asim-munir", "edmund-muskie"]


def test_a_name_that_fits_several_actors_asks_for_more(client, corpus):
    response = client.get("/visits/", {"leader": "as"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "“as” fits several: Ashraf Ghani, Asim Munir. Type more of the name." in page


def test_the_type_ahead_never_offers_a_draft(client, corpus):
    typed = corpus.draft_actor.name[:6]
    results = client.get("/actors/suggest/", {"q": typed}).json()["results"]

    assert corpus.draft_actor.slug not in [row["value"] for row in results]


def test_visit_page_answers_when_where_who_and_whom_they_met(client, corpus):
    page = html(client.get(corpus.washington.get_absolute_url()))

    assert "21–23 July 2019" in page
    assert "Washington" in page and "United States" in page
    assert ">Imran Khan</a>, Prime Minister (Pakistan)" in page
    assert ">Donald Trump</a>" in page  # the host
    assert "SECRETDRAFT" not in page  # a draft participant, a draft issue


def test_visit_page_shows_dates_only_as_precisely_as_known(client, corpus):
    page = html(client.get(corpus.munir_us.get_absolute_url()))
    other = html(client.get(corpus.munir_kabul.get_absolute_url()))

    assert '<time datetime="2023-12">December 2023</time>' in page
    assert "1 December" not in page
    assert '<time datetime="2020">2020</time>' in other


def test_visit_page_shows_each_claim_once_by_source_with_status_and_who_denied(client, corpus):
    page = html(client.get(corpus.washington.get_absolute_url()))
    claims = page.split('id="claims-heading"', 1)[1]
    groups = re.findall(r'<h3 id="source-\d+"><a [^>]+>([^<]+)', claims)

    # One group per source; every public claim of the visit once, under its source.
    assert groups == [corpus.source.title]
    public = Claim.objects.published().filter(visit=corpus.washington)
    assert claims.count('class="card claim"') == public.count()
    for claim in public:
        assert claims.count(f'#claim-{claim.pk}"') == 1
    assert '<span class="badge status-denied">Denied</span>' in claims
    assert "Denied by <a" in claims and ">India</a>" in claims
    assert f'href="{corpus.source.get_absolute_url()}#claim-{corpus.claim_mediation.pk}"' in page
    # Each issue says how many of the visit's claims are about it, linking to them.
    kashmir = Claim.objects.published().filter(visit=corpus.washington, issues__slug="kashmir")
    link = f'href="/claims/?visit={corpus.washington.slug}&amp;issue=kashmir"'
    assert re.search(re.escape(link) + rf"[^>]*>{kashmir.count()} claims?</a>", page)
    assert 'href="#claims-heading"' in page  # the page's outline
    assert "SECRETDRAFT" not in page


def test_visit_page_shows_the_first_claims_of_a_source_and_links_to_the_rest(client, corpus):
    for _number in range(CLAIMS_PER_SOURCE + 5):
        factories.ClaimFactory(source=corpus.source, visit=corpus.washington, quote="Aid worth")
    total = Claim.objects.published().filter(visit=corpus.washington).count()

    page = html(client.get(corpus.washington.get_absolute_url()))

    assert page.count('class="card claim"') == CLAIMS_PER_SOURCE
    more = f'href="/claims/?visit={corpus.washington.slug}&amp;source={corpus.source.slug}"'
    assert f"{more}>All {total} claims of this source about this visit</a>" in page


@pytest.mark.parametrize("extra", [2, 30])
def test_visit_list_runs_the_same_queries_at_any_size(client, django_assert_num_queries, extra):
    factories.build_corpus(extra=extra)

    with django_assert_num_queries(VISIT_LIST_QUERIES):
        client.get("/visits/")
    with django_assert_num_queries(VISIT_LIST_FILTERED_QUERIES):
        client.get("/visits/?leader=imran-khan&issue=aid&year=2019")


@pytest.mark.parametrize("extra", [2, 30])
def test_visit_page_runs_the_same_queries_at_any_size(client, django_assert_num_queries, extra):
    corpus = factories.build_corpus(extra=extra)
    for _number in range(extra):
        factories.ClaimFactory(
            source=corpus.source,
            visit=corpus.washington,
            quote="Aid worth",
            issues=[corpus.issues["aid"]],
            actors=[corpus.trump],
        )

    with django_assert_num_queries(VISIT_DETAIL_QUERIES):
        response = client.get(corpus.washington.get_absolute_url())
    # Each claim once, at most CLAIMS_PER_SOURCE of the one source.
    shown = Claim.objects.published().filter(visit=corpus.washington).count()
    assert response.content.decode().count('class="card claim"') == min(shown, CLAIMS_PER_SOURCE)


def test_issue_list_counts_public_visits_and_claims(client, corpus):
    page = html(client.get("/issues/"))

    afghanistan = page.split(">Afghanistan</a></h3>", 1)[1].split("</li>", 1)[0]
    assert ">5 visits</a>" in afghanistan  # drafts and visits with draft parents left out
    assert ">2 claims</a>" in afghanistan
    assert "SECRETDRAFT" not in page


def test_issue_page_shows_visits_and_claims_over_time(client, corpus):
    page = html(client.get(corpus.issues["kashmir"].get_absolute_url()))

    # Visits in 2019 and 2020: a chart whose bars link to the visits they count.
    assert "Visits on Kashmir per year" in page
    assert 'href="/visits/?issue=kashmir&amp;year=2019"' in page
    # Its claims are all of 2019: one year is no chart.
    assert "Claims on Kashmir per year" not in page
    assert "Imran Khan visits Washington" in page and "Imran Khan at Davos" in page
    assert "Trump offered to mediate." in page
    assert 'href="/visits/?issue=kashmir"' in page
    assert "SECRETDRAFT" not in page


@pytest.mark.parametrize("extra", [2, 30])
def test_issue_pages_run_the_same_queries_at_any_size(client, django_assert_num_queries, extra):
    corpus = factories.build_corpus(extra=extra)

    with django_assert_num_queries(ISSUE_LIST_QUERIES):
        client.get("/issues/")
    with django_assert_num_queries(ISSUE_DETAIL_QUERIES):
        client.get(corpus.issues["aid"].get_absolute_url())


def test_the_issue_list_counts_are_the_totals_of_the_lists_they_link(client, corpus):
    for _number in range(6):
        factories.ClaimFactory(
            source=corpus.source, quote="Aid worth", issues=[corpus.issues["aid"]]
        )

    page = html(client.get("/issues/"))

    for slug in ("aid", "kashmir", "afghanistan"):
        for noun in ("visits", "claims"):
            link = re.search(rf'href="/{noun}/\?issue={slug}">([\d,]+) \w+</a>', page)
            listed = html(client.get(f"/{noun}/", {"issue": slug}))
            total = re.search(r"<strong>([\d,]+)</strong> results?", listed).group(1)
            assert link.group(1) == total, (slug, noun)


def test_the_seed_munir_visit_page_shows_no_claim_twice(client, db):
    from ingest.seed.loader import seed_load

    seed_load()
    visit = "asim-munir-us-2023"
    claims = Claim.objects.published().filter(visit__slug=visit)
    per_source = Counter(claims.values_list("source_id", flat=True))
    assert sum(per_source.values()) > CLAIMS_PER_SOURCE  # the visit of the issue: 60 claims

    # The seed's assertions show their claims in full; the others by source, a few each.
    asserted = set(claims.filter(assertions__visit__slug=visit).values_list("pk", flat=True))
    ungrouped = Counter(claims.exclude(pk__in=asserted).values_list("source_id", flat=True))
    assert asserted

    page = html(client.get(f"/visits/{visit}/"))

    shown = re.findall(r'href="/sources/[^"#]+#claim-(\d+)"', page)
    assert len(shown) == len(set(shown))
    assert {int(pk) for pk in shown} >= asserted
    assert len(shown) == len(asserted) + sum(min(n, CLAIMS_PER_SOURCE) for n in ungrouped.values())
    assert f'<span class="count-pill">{claims.count()}</span>' in page


@pytest.mark.parametrize(
    ("page", "note", "shown"),
    [
        ("0", "Pages start at 1: this is page 1.", 1),
        ("-1", "Pages start at 1: this is page 1.", 1),
        ("abc", "“abc” is not a page number: this is page 1.", 1),
        ("999999", "There are only 2 pages: this is the last.", 2),
    ],
)
def test_a_page_out_of_range_is_the_nearest_one_with_a_note(client, page, note, shown):
    factories.build_corpus(extra=30)  # more than one page of visits

    body = html(client.get("/visits/", {"page": page}))

    assert f'<p class="page-note" role="alert">{note}</p>' in body
    assert f"· page {shown} of 2" in body
    assert body.count('class="card"') + body.count('class="card ') > 0


def test_pages_link_the_first_and_the_last_and_say_how_many_there_are(client):
    factories.build_corpus(extra=60)  # three pages of visits

    first = html(client.get("/visits/"))
    middle = html(client.get("/visits/", {"page": 2}))
    last = html(client.get("/visits/", {"page": 3}))

    assert "· page 1 of 3" in first and "· page 2 of 3" in middle
    assert 'rel="first"' not in first and 'href="?page=3" rel="last"' in first
    assert 'href="?page=1" rel="first"' in middle and 'href="?page=3" rel="last"' in middle
    assert 'rel="last"' not in last and 'rel="next"' not in last
