"""Importing through the real admin: paste, upload, refusals, suggestions and one-step linking."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sources.models import Citation, SourceDocument, SourceKind
from tests import factories
from tests.ingest.test_cleaning import SEEDS, seed
from visits.models import Issue

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:sources_sourcedocument_add")
ARTICLE = (
    "Envoy visits Kabul\n\nBy Sara Ahmed\n\nMarch 4, 2021\n\n"
    "The envoy arrived in Kabul on Monday and met the foreign minister to discuss refugees, "
    "trade and the border.\n\nAdvertisement\n\nBoth sides agreed to meet again in April.\n"
)


def page(response):
    return response.content.decode()


def suggestion_rows(content):
    """Return the suggestion table's rows: (kind, id, name, mentions, names found, ticked, sure)."""
    section = content.split('id="link-suggestions"')[1].split("</details>")[0]
    rows = re.findall(
        r'name="(actor|issue)s" value="(\d+)" [^>]*?( checked)?>.*?<label[^>]*>([^<]+)</label>'
        r".*?<td>(\d+)</td>\s*<td>([^<]*)</td>\s*<td>(\w+ \(\d+\))",
        section,
        re.DOTALL,
    )
    return [
        (kind, int(pk), name, int(count), names, bool(ticked), sure)
        for kind, pk, ticked, name, count, names, sure in rows
    ]


def test_the_add_page_is_the_import_form_and_states_the_size_limit(editor_client, settings):
    settings.ARTICLE_MAX_BYTES = 3 * 1024 * 1024

    response = editor_client.get(ADD_URL)

    assert response.status_code == 200
    assert 'name="text"' in page(response)
    assert 'type="file" name="file"' in page(response)
    assert "at most 3.0 MB." in page(response)  # the file field's help text
    assert "Largest article: 3.0 MB." in page(response)
    assert 'value="Import article"' in page(response)


def test_pasting_an_article_imports_it_and_opens_its_change_page(editor_client, editor):
    response = editor_client.post(ADD_URL, {"text": ARTICLE}, follow=True)

    source = SourceDocument.objects.get()
    assert response.redirect_chain == [
        (reverse("admin:sources_sourcedocument_change", args=[source.pk]), 302)
    ]
    assert "Imported “Envoy visits Kabul”: 2 paragraphs, 0 citations." in page(response)
    assert (source.title, source.authors) == ("Envoy visits Kabul", "Sara Ahmed")
    assert source.published_date == datetime.date(2021, 3, 4)
    assert source.raw_text == ARTICLE
    assert source.history.get().history_user == editor


def test_uploading_a_seed_file_imports_it_with_its_citations(editor_client, editor):
    (path,) = SEEDS.glob("002_*.txt")
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/plain")

    response = editor_client.post(ADD_URL, {"file": upload})

    source = SourceDocument.objects.get()
    assert response.status_code == 302
    assert source.title == "Imran Khan's Visit to Kabul: An Assessment"
    assert source.publisher == "ISSI"
    assert source.raw_text == seed("002")
    assert source.citations.count() == 6
    assert {c.history.get().history_user for c in source.citations.all()} == {editor}


def test_metadata_filled_in_the_form_replaces_what_the_text_says(editor_client):
    form = {
        "text": ARTICLE,
        "title": "The envoy in Kabul",
        "kind": SourceKind.STATEMENT,
        "authors": "Sara Ahmed; Omar Khan",
        "url": "https://example.org/envoy",
    }

    editor_client.post(ADD_URL, form)

    source = SourceDocument.objects.get()
    assert (source.title, source.slug, source.kind) == (
        "The envoy in Kabul",
        "the-envoy-in-kabul",
        SourceKind.STATEMENT,
    )
    assert source.author_list == ["Sara Ahmed", "Omar Khan"]
    assert source.published_date == datetime.date(2021, 3, 4)  # from the text


def test_a_duplicate_is_refused_naming_and_linking_the_existing_document(editor_client):
    existing = factories.SourceDocumentFactory(title="Envoy in Kabul", body="Old text.")
    existing.body = "The envoy arrived in Kabul on Monday."
    existing.save()

    response = editor_client.post(ADD_URL, {"text": "The envoy arrived in Kabul on Monday.\n"})

    assert response.status_code == 200
    assert "already in the knowledge base as “Envoy in Kabul”" in page(response)
    change_url = reverse("admin:sources_sourcedocument_change", args=[existing.pk])
    assert f'<a href="{change_url}">Envoy in Kabul</a>' in page(response)
    assert SourceDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Paste the article&#x27;s text or choose a file to upload."),
        ({"text": "   \n\n  "}, "Paste the article&#x27;s text or choose a file to upload."),
        (
            {"text": ARTICLE, "file": ("envoy.txt", ARTICLE.encode())},
            "Paste the text or upload a file, not both.",
        ),
        ({"file": ("empty.txt", b"")}, "The submitted file is empty."),
        ({"file": ("blank.md", b"\n \n")}, "“blank.md” is empty: there is no article to import."),
        (
            {"file": ("scan.pdf", b"%PDF-1.7 Envoy")},
            "“scan.pdf” is not a text file: only .txt, .md and .html files can be imported.",
        ),
        (
            {"file": ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")},
            "“photo.txt” is not UTF-8 or UTF-16 text",
        ),
        (
            {"text": "Leave a Reply\n\nAdvertisement\n"},
            "No article text is left once site boilerplate is removed.",
        ),
    ],
)
def test_bad_input_gives_a_clear_error_and_writes_nothing(editor_client, form, message):
    data = dict(form)
    if "file" in data:
        data["file"] = SimpleUploadedFile(*data["file"])

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert message in page(response)
    assert not SourceDocument.objects.exists()
    assert not Citation.objects.exists()


def test_an_upload_over_the_size_limit_is_refused_stating_the_limit(editor_client, settings):
    settings.ARTICLE_MAX_BYTES = 1000
    upload = SimpleUploadedFile("long.txt", b"Envoy visits Kabul. " * 60)

    response = editor_client.post(ADD_URL, {"file": upload})
    pasted = editor_client.post(ADD_URL, {"text": "Envoy visits Kabul. " * 60})

    assert "“long.txt” is 1.2 KB; the limit is 1000 bytes (1,000 bytes)." in page(response)
    assert "The pasted text is 1.2 KB; the limit is 1000 bytes" in page(pasted)
    assert not SourceDocument.objects.exists()


def test_a_curator_imports_too_but_an_anonymous_visitor_cannot(curator_client, client):
    assert curator_client.post(ADD_URL, {"text": ARTICLE}).status_code == 302
    curator_client.logout()

    response = client.post(ADD_URL, {"text": ARTICLE.replace("April", "May")})

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert SourceDocument.objects.count() == 1


def test_an_import_from_a_related_field_popup_answers_the_popup(editor_client):
    response = editor_client.post(ADD_URL + "?_popup=1", {"text": ARTICLE, "_popup": "1"})

    source = SourceDocument.objects.get()
    assert response.status_code == 200
    assert "admin/popup_response.html" in [t.name for t in response.templates]
    assert f"&quot;value&quot;: &quot;{source.pk}&quot;" in page(response)


@pytest.fixture
def mentioned():
    """Return a source whose body mentions two actors (one by alias) and an issue."""
    khan = factories.ActorFactory(name="Imran Khan")
    factories.ActorAliasFactory(actor=khan, name="PM Khan")
    ghani = factories.ActorFactory(name="Ashraf Ghani")
    refugees = factories.IssueFactory(name="Refugees", slug="refugees", keywords="refugee")
    source = factories.SourceDocumentFactory(
        body="Imran Khan met Ashraf Ghani. PM Khan spoke of refugees; every refugee matters."
    )
    return {"source": source, "khan": khan, "ghani": ghani, "refugees": refugees}


def test_the_change_page_suggests_mentioned_actors_and_issues_with_counts(editor_client, mentioned):
    url = reverse("admin:sources_sourcedocument_change", args=[mentioned["source"].pk])

    content = page(editor_client.get(url))

    assert "2 actors and 2 issues the body mentions, not linked yet" in content
    # Afghanistan is one of the five issues every database starts with; its keywords name Ghani.
    khan, ghani, refugees = mentioned["khan"], mentioned["ghani"], mentioned["refugees"]
    afghanistan = Issue.objects.get(slug="afghanistan")
    assert suggestion_rows(content) == [
        ("actor", khan.pk, "Imran Khan", 2, "Imran Khan, PM Khan", True, "strong (100)"),
        ("actor", ghani.pk, "Ashraf Ghani", 1, "Ashraf Ghani", True, "strong (100)"),
        ("issue", refugees.pk, "Refugees", 2, "Refugees, refugee", True, "strong (100)"),
        ("issue", afghanistan.pk, "Afghanistan", 1, "Ashraf Ghani", True, "strong (90)"),
    ]


def test_weak_suggestions_are_listed_unticked_below_the_threshold_the_page_states(editor_client):
    imran = factories.ActorFactory(name="Imran Khan")
    factories.ActorAliasFactory(actor=imran, name="Khan")
    pakistan = factories.CountryFactory(name="Pakistan", slug="pakistan")
    source = factories.SourceDocumentFactory(
        body="Amir Khan Muttaqi flew to Pakistan. Later, Khan said the talks had gone well."
    )
    url = reverse("admin:sources_sourcedocument_change", args=[source.pk])

    content = page(editor_client.get(url))

    # One "Khan" stands alone; the other is Muttaqi's.
    assert suggestion_rows(content) == [
        ("actor", pakistan.pk, "Pakistan", 1, "Pakistan", True, "strong (100)"),
        ("actor", imran.pk, "Imran Khan", 1, "Khan", False, "weak (40)"),
    ]
    words = " ".join(content.split())
    assert "Only suggestions of confidence 60 or more (strong) are ticked;" in words
    assert "40 one word of a person&#x27;s name" in words


def test_ticked_suggestions_are_linked_in_one_step(editor_client, mentioned):
    source = mentioned["source"]
    url = reverse("admin:sources_sourcedocument_link_suggestions", args=[source.pk])
    ticked = {"actors": [mentioned["khan"].pk], "issues": [mentioned["refugees"].pk]}

    response = editor_client.post(url, ticked, follow=True)

    assert list(source.actors.all()) == [mentioned["khan"]]
    assert list(source.issues.all()) == [mentioned["refugees"]]
    assert "Linked 1 actor (Imran Khan) and 1 issue (Refugees)" in page(response)
    # Linked now, so no longer suggested.
    assert [row[2] for row in suggestion_rows(page(response))] == ["Ashraf Ghani", "Afghanistan"]


def test_linking_needs_change_permission_and_a_post(client, editor_client, mentioned):
    source = mentioned["source"]
    url = reverse("admin:sources_sourcedocument_link_suggestions", args=[source.pk])
    viewer = factories.UserFactory(username="viewer")  # staff, no permissions
    client.force_login(viewer)

    assert editor_client.get(url).status_code == 405
    assert client.post(url, {"actors": [mentioned["khan"].pk]}).status_code == 403
    assert not source.actors.exists()
