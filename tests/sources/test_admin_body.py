"""A source's admin page shows its body by numbered paragraphs, each a way into a new claim."""

import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claims.models import Claim
from sources.models import SourceKind
from sources.passages import STRETCH_SIZE
from tests import factories

pytestmark = pytest.mark.django_db

BODY = (
    "Islamabad and Washington have a long history.\n\n"
    "Prime Minister Imran Khan met President Trump in Washington,\n"
    "where both spoke of Kashmir and the TTP.\n\n"
    "The visit ended on Wednesday."
)


def page(response):
    return response.content.decode()


def change_url(source):
    return reverse("admin:sources_sourcedocument_change", args=[source.pk])


def panel(content):
    """Return the body panel of a source's or a claim's admin page."""
    return content.split('id="source-body"')[1].split("</details>")[0]


def paragraph_links(content):
    """Return {number: href} of the "New claim from paragraph N" links on a source's page."""
    links = re.findall(
        r'<a href="([^"]+)"[^>]*>New claim from (?:paragraph|line) (\d+)</a>', content
    )
    return {int(number): html.unescape(href) for href, number in links}


def quote_field(content):
    """Return the text of the claim form's quote field."""
    return html.unescape(
        re.search(r'<textarea name="quote"[^>]*>\n?(.*?)</textarea>', content, re.S)[1]
    )


def selected(content, name):
    """Return the labels of the options selected in the claim form's field `name`."""
    select = re.search(rf'<select name="{name}".*?</select>', content, re.S)[0]
    return sorted(
        html.unescape(label)
        for label in re.findall(r"<option [^>]*selected>([^<]*)</option>", select)
    )


@pytest.fixture
def source():
    khan = factories.ActorFactory(name="Imran Khan")
    factories.ActorAliasFactory(actor=khan, name="PM Khan")
    factories.ActorFactory(name="Donald Trump").aliases.create(name="President Trump")
    factories.ActorFactory(name="Joe Biden")
    factories.IssueFactory(name="Kashmir", slug="kashmir")
    factories.IssueFactory(name="TTP", slug="ttp", keywords="Tehrik-i-Taliban Pakistan")
    factories.IssueFactory(name="Aid", slug="aid")
    source = factories.SourceDocumentFactory(title="Khan in Washington", body=BODY)
    source.visits.add(
        factories.VisitFactory(title="Imran Khan visits the United States", visitor=khan)
    )
    return source


def test_the_change_page_shows_the_body_by_numbered_paragraphs(editor_client, source):
    content = page(editor_client.get(change_url(source)))

    numbered = re.findall(
        r'<li id="paragraph-(\d+)" value="(\d+)">\s*<p class="source-paragraph"[^>]*>([^<]*)</p>',
        content,
    )
    assert [(int(a), int(b), html.unescape(text)) for a, b, text in numbered] == [
        (1, 1, "Islamabad and Washington have a long history."),
        (
            2,
            2,
            "Prime Minister Imran Khan met President Trump in Washington,\n"
            "where both spoke of Kashmir and the TTP.",
        ),
        (3, 3, "The visit ended on Wednesday."),
    ]
    assert sorted(paragraph_links(content)) == [1, 2, 3]
    assert "New claim from selection" in content
    assert "js/claim_from_selection.js" in content


def test_a_paragraph_link_opens_the_claim_form_filled_from_that_paragraph(editor_client, source):
    link = paragraph_links(page(editor_client.get(change_url(source))))[2]

    content = page(editor_client.get(link))

    assert link.startswith(reverse("admin:claims_claim_add"))
    assert quote_field(content) == (
        "Prime Minister Imran Khan met President Trump in Washington, where both spoke of "
        "Kashmir and the TTP."
    )
    assert selected(content, "source") == ["Khan in Washington"]
    assert selected(content, "actors") == ["Donald Trump", "Imran Khan"]
    assert selected(content, "issues") == ["Kashmir", "TTP"]
    assert selected(content, "visit") == ["Imran Khan visits the United States"]


def test_the_filled_in_claim_saves_as_it_is_shown(editor_client, source):
    link = paragraph_links(page(editor_client.get(change_url(source))))[2]
    form = editor_client.get(link).context["adminform"].form
    data = {
        "source": source.pk,
        "quote": form.initial["quote"],
        "summary": "Khan and Trump spoke of Kashmir.",
        "kind": "statement",
        "status": "reported",
        "actors": form.initial["actors"],
        "issues": form.initial["issues"],
        "visit": form.initial["visit"],
        "publication_status": "draft",
    }

    response = editor_client.post(link, data)

    assert response.status_code == 302
    claim = Claim.objects.get()
    assert sorted(claim.actors.values_list("name", flat=True)) == ["Donald Trump", "Imran Khan"]
    assert claim.visit == source.visits.get()


def test_a_selected_passage_is_the_quote_with_its_whitespace_and_marks_tidied(
    editor_client, source
):
    url = reverse("admin:claims_claim_add")

    content = page(
        editor_client.get(
            url, {"source": source.pk, "quote": "“ met President Trump in\n  Washington ”"}
        )
    )

    assert quote_field(content) == "met President Trump in Washington"
    assert selected(content, "actors") == ["Donald Trump"]
    assert selected(content, "issues") == []


def test_actors_issues_or_visit_given_by_the_link_are_kept_as_given(editor_client, source):
    biden = factories.ActorFactory(name="Joe Biden", slug="biden")
    url = reverse("admin:claims_claim_add")

    content = page(
        editor_client.get(url, {"source": source.pk, "paragraph": 2, "actors": biden.pk})
    )

    assert selected(content, "actors") == ["Joe Biden"]
    assert selected(content, "issues") == []


def test_among_several_visits_the_one_the_passage_names_is_suggested(editor_client, source):
    kabul = factories.VisitFactory(
        title="Imran Khan visits Kabul",
        visitor=source.visits.get().visitor,
        destination=factories.CountryFactory(name="Afghanistan", slug="afghanistan"),
        city="Kabul",
    )
    source.visits.add(kabul)
    url = reverse("admin:claims_claim_add")

    named_kabul = page(
        editor_client.get(url, {"source": source.pk, "quote": "In Kabul, Imran Khan met"})
    )
    named_neither = page(editor_client.get(url, {"source": source.pk, "quote": "The visit ended"}))

    assert selected(named_kabul, "visit") == ["Imran Khan visits Kabul"]
    assert selected(named_neither, "visit") == []


def dataset(lines):
    records = "\n".join(
        f"[hsg-visit:{n}] 1 January 1950 · Traveller {n} · Country {n} — record {n}."
        for n in range(1, lines + 1)
    )
    return factories.SourceDocumentFactory(
        title="Visits by foreign leaders",
        kind=SourceKind.DATASET,
        body=f"Visits by foreign leaders, one line per record.\n\n{records}",
    )


def test_a_dataset_shows_a_bounded_stretch_of_its_record_lines(editor_client):
    source = dataset(STRETCH_SIZE + 300)

    first = panel(page(editor_client.get(change_url(source))))
    later = panel(
        page(editor_client.get(change_url(source), {"paragraphs_from": STRETCH_SIZE + 1}))
    )

    assert f"Showing lines 1–{STRETCH_SIZE} of {STRETCH_SIZE + 301}." in first
    assert sorted(paragraph_links(first)) == list(range(1, STRETCH_SIZE + 1))
    assert f'href="?paragraphs_from={STRETCH_SIZE + 1}#source-body">Next lines</a>' in first
    # Line 1 is the introduction, so line N is record N - 1.
    assert f"[hsg-visit:{STRETCH_SIZE - 1}] " in first
    assert f"[hsg-visit:{STRETCH_SIZE}] " not in first
    assert f"Showing lines {STRETCH_SIZE + 1}–{2 * STRETCH_SIZE} of" in later
    assert f"[hsg-visit:{STRETCH_SIZE}] " in later
    assert f"[hsg-visit:{STRETCH_SIZE - 1}] " not in later


def test_a_record_line_suggests_the_visit_it_names(editor_client):
    source = dataset(3)
    visits = [
        factories.VisitFactory(title=f"Record visit {n}", external_id=f"hsg-visit:{n}")
        for n in (1, 2, 3)
    ]
    source.visits.add(*visits)
    link = paragraph_links(page(editor_client.get(change_url(source))))[3]

    content = page(editor_client.get(link))

    assert (
        quote_field(content) == "[hsg-visit:2] 1 January 1950 · Traveller 2 · Country 2 — record 2."
    )
    assert selected(content, "visit") == ["Record visit 2"]


def test_the_claim_form_shows_the_source_text_beside_the_quote(editor_client, source):
    claim = factories.ClaimFactory(source=source, quote="The visit ended on Wednesday.")
    add = page(editor_client.get(reverse("admin:claims_claim_add"), {"source": source.pk}))
    change = page(editor_client.get(reverse("admin:claims_claim_change", args=[claim.pk])))
    blank = page(editor_client.get(reverse("admin:claims_claim_add")))

    for content in (add, change):
        assert "Text of “Khan in Washington”" in content
        assert '<li id="paragraph-3" value="3">' in content
        assert "Use selection as quote" in content
        assert "New claim from paragraph" not in content
    assert 'id="source-body"' not in blank


def test_a_curator_without_the_right_to_add_claims_sees_no_claim_links(client, source):
    viewer = factories.UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_sourcedocument"))
    client.force_login(viewer)

    content = page(client.get(change_url(source)))

    assert "Khan in Washington" in content
    assert "New claim from" not in content


def test_a_passage_suggests_actors_by_the_rules_of_the_link_suggestions(editor_client, source):
    muttaqi = factories.ActorFactory(name="Amir Khan Muttaqi")
    khan = source.visits.get().visitor
    factories.ActorAliasFactory(actor=khan, name="Khan")
    url = reverse("admin:claims_claim_add")

    inside = page(
        editor_client.get(url, {"source": source.pk, "quote": "Amir Khan Muttaqi met Trump"})
    )
    alone = page(editor_client.get(url, {"source": source.pk, "quote": "Khan said so"}))

    # "Khan" inside another man's name is nobody's mention; alone, it is too weak to tick.
    assert selected(inside, "actors") == [muttaqi.name]
    assert selected(alone, "actors") == []
