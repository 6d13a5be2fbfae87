"""A source's page: its text escaped, each public claim's quote highlighted and anchored."""

import re

import pytest

from core.highlight import Quote, highlight_body, locate
from core.text import find_normalised
from tests import factories
from tests.queries import DATA_VERSION_QUERIES, STAMP_QUERIES

pytestmark = pytest.mark.django_db

# The count; the facets' rows; page, issues; issue links; official records; names; options
SOURCE_LIST_QUERIES = 8 + STAMP_QUERIES + DATA_VERSION_QUERIES
SOURCE_DETAIL_QUERIES = 11 + DATA_VERSION_QUERIES


@pytest.fixture
def corpus():
    return factories.build_corpus()


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_each_public_quote_is_highlighted_and_anchored(client, corpus):
    page = html(client.get(corpus.source.get_absolute_url()))

    mediation = re.search(
        rf'<mark class="quote[^"]*" id="claim-{corpus.claim_mediation.pk}">', page
    )
    assert mediation
    assert page[mediation.end() :].startswith("Trump offered to mediate on Kashmir.")
    # Typographic quote marks in the text, plain ones typed around the claim's quote: found,
    # the marks (dropped from the quote on save) left outside the highlight.
    assert f'“<mark class="quote" id="claim-{corpus.claim_kashmir.pk}">We discussed Kashmir' in page
    for claim in (corpus.claim_aid, corpus.claim_kabul):
        assert f'id="claim-{claim.pk}"' in page
    # Draft claims and claims with draft parents are not highlighted or listed.
    for claim in corpus.draft_claims:
        assert f'id="claim-{claim.pk}"' not in page
        assert f'id="note-{claim.pk}"' not in page
    assert "SECRETDRAFT" not in page


def test_the_notes_follow_the_reading_order_and_link_both_ways(client, corpus):
    page = html(client.get(corpus.source.get_absolute_url()))
    notes = re.findall(r'<li id="note-(\d+)">', page)

    expected = [corpus.claim_kashmir, corpus.claim_mediation, corpus.claim_aid, corpus.claim_kabul]
    assert notes == [str(claim.pk) for claim in expected]
    assert f'<a class="quote-ref" href="#note-{corpus.claim_aid.pk}"' in page
    assert f'<a href="#claim-{corpus.claim_aid.pk}">Go to the quote</a>' in page


def test_article_text_is_escaped(client, corpus):
    page = html(client.get(corpus.source.get_absolute_url()))

    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert(" not in page


def test_a_pasted_script_inside_a_quote_stays_text(client, corpus):
    source = factories.SourceDocumentFactory(
        body="Before. <script>alert(1)</script> said <b>he</b>."
    )
    factories.ClaimFactory(source=source, quote="<script>alert(1)</script> said <b>he</b>")

    page = html(client.get(source.get_absolute_url()))

    assert "&lt;script&gt;alert(1)&lt;/script&gt; said &lt;b&gt;he&lt;/b&gt;</mark>" in page
    assert "<script>alert(1)" not in page and "<b>he</b>" not in page


def test_citations_link_only_to_web_addresses(client, corpus):
    page = html(client.get(corpus.source.get_absolute_url()))
    citations = page.split('id="citations-heading"', 1)[1]

    assert 'href="https://example.org/r"' in citations
    assert "Bad link" in citations
    assert "javascript:" not in page


def test_paragraphs_and_overlapping_quotes():
    body = "First paragraph here.\n\nSecond one, with a long quote inside it.\nAnd a line."
    quotes = [
        Quote(anchor="a", text="with a long quote"),
        Quote(anchor="b", text="long quote inside it. And a line"),
        Quote(anchor="c", text="not in the text"),
    ]

    result = str(highlight_body(body, quotes, note_url=lambda quote: f"#n{quote.number}"))

    assert result.count("<p>") == 2
    assert '<mark class="quote" id="a">with a </mark>' in result
    overlap = (
        '<mark class="quote quote-overlap" id="b">long quote</mark><a class="quote-ref" href="#n1"'
    )
    assert overlap in result
    assert "<br>" in result  # a line break inside a paragraph
    assert [quote.number for quote in quotes] == [1, 2, 3]
    assert [quote.found for quote in quotes] == [True, True, False]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("He said “yes — now”.", '"yes - now"'),
        ("Line one\n   line two", "one line two"),
        ("Soft\u00adhyphen and café", "Softhyphen and café"),
        ("Nothing here", "absent"),
    ],
)
def test_locate_agrees_with_find_normalised(body, fragment):
    assert locate(body, [fragment]) == [find_normalised(body, fragment)]


def test_sources_list_shows_publisher_date_and_issues(client, corpus):
    page = html(client.get("/sources/"))

    assert "Khan in Washington" in page and "The Diplomat" in page and "24 July 2019" in page
    assert "Covers 2 visits" in page  # the draft visit it covers is not counted
    assert "SECRETDRAFT" not in page


@pytest.mark.parametrize("extra", [2, 30])
def test_source_pages_run_the_same_queries_at_any_size(client, django_assert_num_queries, extra):
    corpus = factories.build_corpus(extra=extra)
    for _number in range(extra):
        factories.ClaimFactory(source=corpus.source, quote="Aid worth", actors=[corpus.trump])

    with django_assert_num_queries(SOURCE_LIST_QUERIES):
        html(client.get("/sources/"))
    with django_assert_num_queries(SOURCE_DETAIL_QUERIES):
        page = html(client.get(corpus.source.get_absolute_url()))
    assert page.count('<li id="note-') == 4 + extra
