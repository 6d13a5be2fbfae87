"""Importing articles (pasted, uploaded or from files) as source documents."""

import codecs
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.template.defaultfilters import filesizeformat

from core.text import unique_slug
from ingest.articles.cleaning import ParsedArticle, parse_article
from sources.models import Citation, SourceDocument, body_checksum

#: File types the importer reads.
ARTICLE_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm")
#: Fields the importer never takes from overrides: the database and the importer own them.
_NOT_OVERRIDABLE = {"id", "checksum", "search_vector", "version", "created_at", "updated_at"}
_MAX_CONTROL_SHARE = 0.01
#: The most lines an article may have: more is a list or a dump, not an article (and reading
#: each line takes time, however short it is).
ARTICLE_MAX_LINES = 100_000


class ArticleImportError(ValueError):
    """An article that cannot be imported; str(error) is the message for the user."""


class DuplicateSourceError(ArticleImportError):
    """The article's cleaned body is already in the knowledge base."""

    def __init__(self, existing):
        self.existing = existing
        super().__init__(
            f"This article is already in the knowledge base as “{existing.title}” "
            f"(slug “{existing.slug}”). Nothing was imported."
        )


def _size(size):
    return filesizeformat(size).replace("\xa0", " ")


def size_limit_text():
    """Return the article size limit as people read it ("2.0 MB")."""
    return _size(settings.ARTICLE_MAX_BYTES)


def check_size(size, what):
    """Raise ArticleImportError when `size` bytes exceed the article size limit."""
    if size > settings.ARTICLE_MAX_BYTES:
        raise ArticleImportError(
            f"{what} is {_size(size)}; the limit is {size_limit_text()} "
            f"({settings.ARTICLE_MAX_BYTES:,} bytes). Import a shorter text."
        )


def check_extension(filename):
    """Raise ArticleImportError unless the file name ends with a readable article type."""
    if filename and not filename.lower().endswith(ARTICLE_EXTENSIONS):
        raise ArticleImportError(
            f"“{Path(filename).name}” is not a text file: only .txt, .md and .html files "
            "can be imported."
        )


def decode_article_bytes(data: bytes, *, filename: str = "") -> str:
    """Return the text of an uploaded article (UTF-8, with or without BOM, or UTF-16 with BOM)."""
    name = f"“{Path(filename).name}”" if filename else "The text"
    check_extension(filename)
    check_size(len(data), name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"  # also reads plain UTF-8
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ArticleImportError(
            f"{name} is not UTF-8 or UTF-16 text (undecodable byte at position "
            f"{error.start}). Save it as UTF-8 and import it again."
        ) from None
    _check_text(text, name)
    return text


def _check_text(text, name):
    if not text.strip():
        raise ArticleImportError(f"{name} is empty: there is no article to import.")
    lines = text.count("\n") + 1
    if lines > ARTICLE_MAX_LINES:
        raise ArticleImportError(
            f"{name} has {lines:,} lines; an article has at most {ARTICLE_MAX_LINES:,}. "
            "Nothing was imported."
        )
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in "\n\r\t\f"
    )
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(text):
        raise ArticleImportError(
            f"{name} does not look like text (it contains binary data). "
            "Import the article as a .txt, .md or .html file."
        )


def _apply_overrides(source, overrides):
    """Set the given fields on the unsaved source; return the many-to-many values to add."""
    fields = {field.name: field for field in SourceDocument._meta.get_fields()}
    many = {}
    for name, value in (overrides or {}).items():
        field = fields.get(name)
        if field is None or name in _NOT_OVERRIDABLE or field.auto_created:
            raise ArticleImportError(f"“{name}” is not a field of a source document.")
        if value is None:
            continue
        if isinstance(field, models.ManyToManyField):
            many[name] = list(value)
        elif name == "authors" and not isinstance(value, str):
            source.authors = "; ".join(str(author).strip() for author in value if author)
        else:
            setattr(source, field.attname, value)
    return many


def _validation_message(error):
    messages = []
    for field, errors in error.message_dict.items():
        label = "" if field == "__all__" else f"{field.replace('_', ' ').capitalize()}: "
        messages.extend(f"{label}{message}" for message in errors)
    return " ".join(messages)


def _new_source(parsed: ParsedArticle, raw_text, overrides):
    source = SourceDocument(
        title=parsed.title[:300],
        publisher=parsed.publisher[:200],
        authors="; ".join(parsed.authors)[:300],
        published_date=parsed.published_date,
        raw_text=raw_text,
        body=parsed.body,
    )
    many = _apply_overrides(source, overrides)
    if not (overrides or {}).get("slug"):
        source.slug = unique_slug(SourceDocument, source.title, max_length=300)
    return source, many


@transaction.atomic
def source_import(
    *, raw_text: str, filename: str = "", overrides: dict | None = None
) -> SourceDocument:
    """Return a new source document made from an article's text, with its citations."""
    check_size(len((raw_text or "").encode("utf-8")), "The text")
    _check_text(raw_text or "", "The text")
    parsed = parse_article(raw_text, filename=filename)
    # What is kept is held to the limit too: short lines become paragraphs, which take more.
    check_size(len(parsed.body.encode("utf-8")), "The article's cleaned text")
    if not parsed.body.strip():
        raise ArticleImportError(
            "No article text is left once site boilerplate is removed. Nothing was imported."
        )
    source, many = _new_source(parsed, raw_text, overrides)
    existing = source.duplicate_of()
    if existing is not None:
        raise DuplicateSourceError(existing)
    source.checksum = body_checksum(source.body)
    try:
        source.full_clean(exclude=["search_vector"])
    except ValidationError as error:
        raise ArticleImportError(_validation_message(error)) from None
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        # Another import of the same text finished first.
        existing = SourceDocument.objects.filter(checksum=body_checksum(source.body)).first()
        if existing is None:
            raise
        raise DuplicateSourceError(existing) from None
    for name, values in many.items():
        getattr(source, name).add(*values)
    for citation in _citations(source, parsed):
        citation.save()  # one by one, so that each note has its history row
    return source


def _citations(source, parsed):
    citations = []
    notes = [note for note in parsed.citations if note.text.strip()]
    for position, parsed_citation in enumerate(notes, start=1):
        citation = Citation(
            source=source,
            label=parsed_citation.label,
            text=parsed_citation.text,
            url=parsed_citation.url[:1000],
            position=position,
        )
        try:
            citation.full_clean(exclude=["source"])
        except ValidationError:
            citation.url = ""  # the note is kept; an address the browser cannot follow is not
        citations.append(citation)
    return citations


def source_import_file(path, *, overrides: dict | None = None) -> SourceDocument:
    """Return a new source document imported from a file on disk."""
    path = Path(path)
    check_extension(path.name)
    try:
        size = path.stat().st_size
        check_size(size, f"“{path.name}”")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleImportError(f"There is no file “{path}”.") from None
    except IsADirectoryError:
        raise ArticleImportError(f"“{path}” is a folder, not a file.") from None
    except OSError as error:
        raise ArticleImportError(f"“{path}” cannot be read: {error.strerror}.") from None
    text = decode_article_bytes(data, filename=path.name)
    return source_import(raw_text=text, filename=path.name, overrides=overrides)
