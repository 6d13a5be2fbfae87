"""manage.py import_articles: progress per file, a summary, and failure without stopping."""

import io

import pytest
from django.core.management import CommandError, call_command

from core.status import PublicationStatus
from sources.models import SourceDocument, SourceKind
from tests.ingest.test_cleaning import SEEDS

pytestmark = pytest.mark.django_db


def run(*args):
    """Run the command; return (stdout, stderr, error or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_the_seed_folder_imports_all_five_articles_as_drafts():
    out, err, error = run(str(SEEDS))

    assert error is None, err
    assert out.count(" imported “") == 5
    assert "[3/5]" in out and "(14 paragraphs, 6 citations)" in out
    assert out.strip().endswith("5 imported, 0 skipped, 0 failed.")
    assert SourceDocument.objects.count() == 5
    assert set(SourceDocument.objects.values_list("publication_status", flat=True)) == {
        PublicationStatus.DRAFT
    }


def test_a_failing_file_is_reported_the_others_imported_and_the_exit_is_an_error(tmp_path):
    (good,) = SEEDS.glob("000_*.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    wrong = tmp_path / "scan.pdf"
    wrong.write_bytes(b"%PDF-1.7")
    (other,) = SEEDS.glob("004_*.txt")

    out, err, error = run(str(empty), str(good), str(wrong), str(other))

    assert f"[1/4] {empty}: failed. “empty.txt” is empty" in err
    assert f"[3/4] {wrong}: failed. “scan.pdf” is not a text file" in err
    assert out.count(" imported “") == 2
    assert str(error) == f"2 imported, 0 skipped, 2 failed. Failed: {empty}, {wrong}"
    assert SourceDocument.objects.count() == 2


def test_a_duplicate_is_refused_naming_the_existing_document_unless_skipped():
    (path,) = SEEDS.glob("001_*.txt")
    run(str(path))

    out, err, error = run(str(path))
    skipped_out, _, skipped_error = run(str(path), "--skip-duplicates")

    assert "refused. This article is already in the knowledge base as “Army Chief’s USA " in err
    assert "(slug “army-chiefs-usa-visit-divergence-to-convergence”)" in err
    assert str(error).startswith("0 imported, 0 skipped, 1 failed.")
    assert skipped_error is None
    assert "skipped. This article is already in the knowledge base" in skipped_out
    assert SourceDocument.objects.count() == 1


def test_options_set_the_kind_publisher_and_status_of_every_file():
    (path,) = SEEDS.glob("004_*.txt")

    run(str(path), "--kind", "analysis", "--publisher", "Daily Times", "--publish")

    source = SourceDocument.objects.get()
    assert (source.kind, source.publisher) == (SourceKind.ANALYSIS, "Daily Times")
    assert source.is_published


def test_a_folder_without_articles_is_a_failure(tmp_path):
    out, err, error = run(str(tmp_path))

    assert "no .txt, .md or .html file in this folder" in err
    assert error is not None
