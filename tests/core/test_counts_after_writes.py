"""Counts kept block by block stay exact through every kind of write.

Each list, filtered or not, is shown once before the writes, so that its counts are kept; then
after each write the page (counted again only in the blocks the write touched) must show
exactly what a fresh count of the same data shows: the same total, the same facet counts, the
same numbers per issue and on the overview. Rows are spread over several blocks of ids.
"""

import re
import uuid
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client, override_settings

from actors.services import actor_merge
from claims.models import Claim, ClaimStatus
from core.lists import buckets
from core.status import PublicationStatus
from ingest.articles.services import source_import
from sources.models import SourceDocument, SourceKind
from tests import factories
from tests.ingest.test_history_state_gov import Dataset, visit_xml
from visits.models import Participation, Visit, VisitKind

pytestmark = pytest.mark.django_db

BLOCK = buckets.BUCKET_ROWS

PAGES = [
    "/",
    "/visits/",
    "/visits/?record=article",
    "/visits/?record=official",
    "/visits/?issue=kashmir",
    "/visits/?leader=imran-khan",
    "/claims/",
    "/claims/?status=reported",
    "/claims/?issue=kashmir",
    "/claims/?leader=imran-khan",
    "/claims/?record=article&issue=aid",
    "/sources/",
    "/sources/?record=article",
    "/actors/",
    "/actors/?kind=person",
    "/issues/",
    "/assertions/",
    "/meetings/",
    "/meetings/?issue=kashmir",
    "/meetings/?leader=imran-khan&role=host",
    "/search/?q=kashmir",
]


def shown(client, path):
    """Return the numbers `path` shows: its main content, without the parts no count is in."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", main)


@contextmanager
def fresh_caches():
    """Count everything afresh: empty caches of their own, no page cache."""
    tag = uuid.uuid4().hex
    caches = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": tag + alias}
        for alias in ("default", "pages")
    }
    with override_settings(CACHES=caches, PAGE_CACHE=False, PAGE_CACHE_ALIASES=["pages"]):
        yield Client()


def assert_counts_exact(client, pages=PAGES):
    with fresh_caches() as fresh:
        expected = {path: shown(fresh, path) for path in pages}
    for path in pages:
        assert shown(client, path) == expected[path], path


@pytest.fixture
def world():
    """The test corpus, with visits, sources and claims in three blocks of ids each."""
    corpus = factories.build_corpus(extra=3)
    kashmir, aid = corpus.issues["kashmir"], corpus.issues["aid"]
    for block in (1, 2):
        visit = factories.VisitFactory(
            id=block * BLOCK + 7,
            visitor=corpus.imran,
            title=f"Khan in block {block}",
            issues=[kashmir],
        )
        factories.ParticipationFactory(
            id=block * BLOCK + 5, visit=visit, actor=corpus.trump, role="met_with"
        )
        source = factories.SourceDocumentFactory(id=block * BLOCK + 3)
        for number in range(3):
            factories.ClaimFactory(
                id=block * BLOCK + 11 + number,
                source=source,
                visit=visit,
                speaker=corpus.trump,
                issues=[kashmir, aid] if number else [kashmir],
                actors=[corpus.imran],
                status=ClaimStatus.REPORTED if number else ClaimStatus.DISPUTED,
            )
    corpus.far_claim = Claim.objects.get(pk=2 * BLOCK + 12)
    corpus.far_visit = Visit.objects.get(pk=BLOCK + 7)
    corpus.far_source = SourceDocument.objects.get(pk=2 * BLOCK + 3)
    return corpus


@pytest.fixture
def reader(world):
    """A visitor who has seen every page once: every count is kept from here on."""
    client = Client()
    for path in PAGES:
        shown(client, path)
    return client


def test_the_corpus_spans_several_blocks(world):
    assert {claim.pk // BLOCK for claim in Claim.objects.all()} >= {0, 1, 2}


def test_adding_rows(world, reader):
    factories.ClaimFactory(
        id=3 * BLOCK + 1,
        source=world.far_source,
        visit=world.far_visit,
        issues=[world.issues["ttp"]],
    )
    factories.VisitFactory(id=4 * BLOCK, visitor=world.munir, kind=VisitKind.STATE)
    assert_counts_exact(reader)


def test_editing_a_row_and_its_links(world, reader):
    claim = world.far_claim
    claim.status = ClaimStatus.DENIED
    claim.kind = "denial"
    claim.save()
    claim.issues.remove(world.issues["aid"])
    world.far_visit.issues.add(world.issues["cpec"])
    assert_counts_exact(reader)


def test_a_parent_changing_what_its_rows_are_counted_under(world, reader):
    # A visit's new visitor moves its claims in the leader facet of the claims list.
    visit = world.far_visit
    visit.visitor = world.munir
    visit.save()
    assert_counts_exact(reader)


def test_unpublishing_and_publishing_again(world, reader):
    source = world.far_source
    source.publication_status = PublicationStatus.DRAFT
    source.save()  # its claims are hidden with it
    assert_counts_exact(reader)
    source.publication_status = PublicationStatus.PUBLISHED
    source.save()
    assert_counts_exact(reader)


def test_a_meeting_changing_and_its_visit_or_person_hidden(world, reader):
    part = Participation.objects.get(pk=2 * BLOCK + 5)
    part.role = "host"
    part.save()
    factories.ParticipationFactory(id=3 * BLOCK + 5, visit=world.far_visit, actor=world.ghani)
    assert_counts_exact(reader)
    world.ghani.publication_status = PublicationStatus.DRAFT
    world.ghani.save()
    world.far_visit.publication_status = PublicationStatus.DRAFT
    world.far_visit.save()
    assert_counts_exact(reader)
    Participation.objects.filter(pk=2 * BLOCK + 5).delete()
    assert_counts_exact(reader)


def test_deleting_rows(world, reader):
    world.far_claim.delete()
    Claim.objects.filter(visit_id=BLOCK + 7).delete()
    Visit.objects.filter(pk=BLOCK + 7).delete()
    assert_counts_exact(reader)


def test_bulk_actions(world, reader):
    Claim.objects.filter(pk__gte=BLOCK).update(status=ClaimStatus.CONFIRMED)
    visits = list(Visit.objects.filter(pk__gte=BLOCK))
    for visit in visits:
        visit.kind = VisitKind.STATE
    Visit.objects.bulk_update(visits, ["kind"])
    Claim.objects.filter(pk=BLOCK + 11).update(publication_status=PublicationStatus.DRAFT)
    assert_counts_exact(reader)


def test_a_source_covering_a_visit_moves_it_from_the_official_records(world, reader, tmp_path):
    dataset = Dataset(tmp_path)
    dataset.write_visits("2019.xml", visit_xml("2933", "Prime Minister Imran Khan"))
    dataset.run()  # an import: an official record
    assert_counts_exact(reader)
    official = Visit.objects.get(external_id__startswith="hsg-")
    world.far_source.visits.add(official)
    assert_counts_exact(reader)


def test_importing_an_article(world, reader):
    source = source_import(
        raw_text="Khan and Kashmir\n\nPrime Minister Imran Khan spoke of Kashmir in Islamabad.",
        overrides={"kind": SourceKind.ANALYSIS},
    )
    source.publication_status = PublicationStatus.PUBLISHED
    source.save()
    source.issues.add(world.issues["kashmir"])
    assert_counts_exact(reader)


def test_merging_actors(world, reader):
    twin = factories.ActorFactory(name="Imran Khan Niazi", slug="imran-khan-niazi")
    factories.VisitFactory(id=5 * BLOCK + 1, visitor=twin, title="The twin's visit")
    factories.ClaimFactory(id=5 * BLOCK + 2, source=world.far_source, speaker=twin)
    shown(reader, "/claims/")  # counted with the twin
    actor_merge(keep=world.imran, other=twin)
    assert_counts_exact(reader)


def test_raw_sql(world, reader):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE claims_claim SET status = %s WHERE id = %s",
            [ClaimStatus.UNVERIFIED, world.far_claim.pk],
        )
    assert_counts_exact(reader)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads in a snapshot: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_counts_are_read_in_one_snapshot_as_another_connection_commits():
    """Outside a test's transaction, as in production: the stamps and the blocks are read in
    one REPEATABLE READ snapshot while other connections commit."""
    import threading

    corpus = factories.build_corpus(extra=3)
    reader = Client()
    for path in PAGES:
        shown(reader, path)

    def curator():
        try:
            for number in range(5):
                factories.ClaimFactory(
                    id=6 * BLOCK + number, visit=corpus.kabul, issues=[corpus.issues["aid"]]
                )
                Claim.objects.filter(pk=6 * BLOCK + number).update(status=ClaimStatus.DENIED)
        finally:
            connection.close()

    writer = threading.Thread(target=curator)
    writer.start()
    while writer.is_alive():
        shown(reader, "/claims/")
    writer.join()
    assert_counts_exact(reader)
