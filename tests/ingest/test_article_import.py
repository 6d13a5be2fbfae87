"""The article import service: what it stores and what it refuses."""

import codecs
import datetime
import time

import pytest

from core.status import PublicationStatus
from ingest.articles.services import (
    ArticleImportError,
    DuplicateSourceError,
    decode_article_bytes,
    source_import,
    source_import_file,
)
from sources.models import Citation, SourceDocument, SourceKind
from tests import factories
from tests.ingest.test_cleaning import SEEDS, seed

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Envoy visits Kabul\n\nBy Sara Ahmed\n\nMarch 4, 2021\n\n"
    "The envoy arrived in Kabul on Monday and met the foreign minister to discuss refugees, "
    "trade and the border.\n\nAdvertisement\n\nBoth sides agreed to meet again in April.\n"
)


def nothing_written():
    return not SourceDocument.objects.exists() and not Citation.objects.exists()


def test_seed_002_is_stored_with_its_metadata_citations_and_untouched_raw_text():
    (path,) = SEEDS.glob("002_*.txt")

    source = source_import_file(path)

    source.refresh_from_db()
    assert source.title == "Imran Khan's Visit to Kabul: An Assessment"
    assert source.slug == "imran-khans-visit-to-kabul-an-assessment"
    assert (source.authors, source.publisher) == ("Amina Khan", "ISSI")
    assert source.published_date == datetime.date(2020, 12, 6)
    assert source.raw_text == seed("002")
    assert source.body.startswith("On November 19, 2020 Pakistan’s Prime Minister Imran Khan")
    assert source.publication_status == PublicationStatus.DRAFT
    assert list(source.citations.values_list("position", "label")) == [
        (1, "1"),
        (2, "2"),
        (3, "3"),
        (4, "4"),
        (5, "5"),
        (6, "6"),
    ]
    assert (
        source.citations.get(label="6").url == "https://www.bbc.com/news/world-us-canada-54980141"
    )


def test_overrides_replace_what_the_text_says():
    source = source_import(
        raw_text=ARTICLE,
        overrides={
            "title": "The envoy in Kabul",
            "kind": SourceKind.STATEMENT,
            "authors": ["Sara Ahmed", "Omar Khan"],
            "url": "https://example.org/envoy",
            "published_date": "2021-03-05",
            "publication_status": PublicationStatus.PUBLISHED,
        },
    )

    source.refresh_from_db()
    assert (source.title, source.slug) == ("The envoy in Kabul", "the-envoy-in-kabul")
    assert source.kind == SourceKind.STATEMENT
    assert source.authors == "Sara Ahmed; Omar Khan"
    assert source.url == "https://example.org/envoy"
    assert source.published_date == datetime.date(2021, 3, 5)
    assert source.is_published


def test_without_overrides_the_text_gives_title_author_date_and_a_unique_slug():
    factories.SourceDocumentFactory(title="Envoy visits Kabul", slug="envoy-visits-kabul")

    source = source_import(raw_text=ARTICLE)

    assert (source.title, source.slug) == ("Envoy visits Kabul", "envoy-visits-kabul-2")
    assert (source.authors, source.published_date) == ("Sara Ahmed", datetime.date(2021, 3, 4))
    assert "Advertisement" not in source.body


def test_an_invalid_override_is_a_clear_error_and_writes_nothing():
    with pytest.raises(ArticleImportError, match="Url: Enter a valid URL"):
        source_import(raw_text=ARTICLE, overrides={"url": "ftp://example.org/a"})
    with pytest.raises(ArticleImportError, match="“colour” is not a field"):
        source_import(raw_text=ARTICLE, overrides={"colour": "red"})

    assert nothing_written()


def test_a_duplicate_is_refused_naming_the_existing_document():
    first = source_import(raw_text=ARTICLE)
    # The same article scraped again: other boilerplate, other line breaks, same cleaned body.
    again = ARTICLE.replace("\n\nBoth", "\n\nCredit: AFP\n\n\nBoth").replace("\n", "\r\n")
    again += "\r\nLeave a Reply\r\n\r\nYour email address will not be published.\r\n"

    with pytest.raises(DuplicateSourceError) as refused:
        source_import(raw_text=again, overrides={"title": "Another title"})

    assert refused.value.existing == first
    assert str(refused.value) == (
        "This article is already in the knowledge base as “Envoy visits Kabul” "
        "(slug “envoy-visits-kabul”). Nothing was imported."
    )
    assert SourceDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "“empty.txt” is empty: there is no article to import."),
        ("blank.txt", b" \n\t\r\n  \n", "“blank.txt” is empty: there is no article to import."),
        (
            "latin1.txt",
            "Café talks in Islamabad".encode("latin-1"),
            "“latin1.txt” is not UTF-8 or UTF-16 text (undecodable byte at position 3). "
            "Save it as UTF-8 and import it again.",
        ),
        (
            "photo.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
            "“photo.txt” is not UTF-8 or UTF-16 text",
        ),
        (
            "nul.txt",
            b"Envoy\x00visits\x00Kabul\x01\x02\x03",
            "“nul.txt” does not look like text (it contains binary data).",
        ),
        (
            "article.pdf",
            b"%PDF-1.7 Envoy visits Kabul",
            "“article.pdf” is not a text file: only .txt, .md and .html files can be imported.",
        ),
        (
            "furniture.txt",
            b"Leave a Reply\n\nAdvertisement\n\nSubscribe to Newsletter\n",
            "No article text is left once site boilerplate is removed. Nothing was imported.",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_error_and_writes_nothing(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)

    with pytest.raises(ArticleImportError) as refused:
        source_import_file(path)

    assert str(refused.value).startswith(message)
    assert nothing_written()


def test_a_file_over_the_size_limit_is_refused_stating_the_limit(tmp_path, settings):
    settings.ARTICLE_MAX_BYTES = 1000
    path = tmp_path / "long.txt"
    path.write_text("Envoy visits Kabul. " * 60, encoding="utf-8")

    with pytest.raises(ArticleImportError) as refused:
        source_import_file(path)
    with pytest.raises(ArticleImportError, match="the limit is 1000 bytes"):
        source_import(raw_text="Envoy visits Kabul. " * 60)

    assert str(refused.value) == (
        "“long.txt” is 1.2 KB; the limit is 1000 bytes (1,000 bytes). Import a shorter text."
    )
    assert nothing_written()


def test_a_text_of_a_million_tiny_lines_is_refused_at_once(settings):
    text = ".\n" * (1024 * 1024)  # 2 MiB: within the limit, and no article

    started = time.perf_counter()
    with pytest.raises(ArticleImportError, match="has 1,048,577 lines; an article has at most"):
        source_import(raw_text=text)

    assert time.perf_counter() - started < 2  # refused before any line is read
    assert nothing_written()


def test_what_is_stored_is_held_to_the_limit_too(settings):
    settings.ARTICLE_MAX_BYTES = 1000
    # Under 1000 bytes as given; each short line becomes a paragraph, which takes more to keep.
    text = "Envoy visits Kabul\n\n" + "\n".join(["Aid."] * 190)
    assert len(text.encode()) <= 1000

    with pytest.raises(ArticleImportError, match="The article's cleaned text is .* the limit"):
        source_import(raw_text=text)
    assert nothing_written()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ArticleImportError, match="There is no file"):
        source_import_file(tmp_path / "missing.txt")


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE.encode("utf-8"),
        codecs.BOM_UTF8 + ARTICLE.encode("utf-8"),
        ARTICLE.encode("utf-16"),  # with its byte-order mark
        codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
    ],
)
def test_utf8_and_utf16_files_are_decoded(data):
    assert decode_article_bytes(data, filename="envoy.txt") == ARTICLE
