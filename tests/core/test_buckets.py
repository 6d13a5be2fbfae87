"""Which blocks of a counted list each write touches, as triggers record it (core.lists.buckets)."""

import contextlib
import importlib
import threading
import time

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import connection

from claims.models import Claim
from core.lists import buckets
from core.lists.facets import ManyFacet, RecordFacet
from core.lists.views import FilteredListView
from tests import factories
from visits.models import Visit

pytestmark = pytest.mark.django_db

BLOCK = buckets.BUCKET_ROWS


def list_views():
    """Return every public list view class."""
    for config in apps.get_app_configs():
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(f"{config.name}.views")
    found, pending = [], [FilteredListView]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.filterset_class is not None:
                found.append(subclass)
    return found


def facet_paths(facet, model):
    """Return the paths a facet counts by (what its model names for a computed value)."""
    declared = getattr(model, "counted_paths", {})
    if isinstance(facet, RecordFacet):
        return declared.get("record", ())
    path = facet.relation if isinstance(facet, ManyFacet) else facet.path
    try:
        model._meta.get_field(path.split("__")[0])
    except FieldDoesNotExist:
        return declared[path]
    return (path,)


@pytest.mark.parametrize("view", list_views(), ids=lambda view: view.__name__)
def test_every_facet_reads_only_what_the_triggers_watch(view):
    model = view.model
    installed = set(buckets.all_edges())
    for facet in view.filterset_class.make_facets():
        for path in facet_paths(facet, model):
            assert set(buckets.edges_for(model, path)) <= installed, (view.__name__, path)


def test_a_filter_on_something_computed_must_name_what_it_reads():
    from assertions.filters import AssertionFilterSet
    from assertions.models import Assertion

    declared = Assertion.counted_paths
    try:
        del Assertion.counted_paths
        with pytest.raises(ImproperlyConfigured, match="agreement reads no field of Assertion"):
            buckets.filter_paths(AssertionFilterSet)
    finally:
        Assertion.counted_paths = declared


def test_paths_reach_at_most_one_table_beyond_a_parent():
    with pytest.raises(ImproperlyConfigured):
        buckets.edges_for(Claim, "visit__visitor__country")


def changes(table):
    """Return {block: number of changes} of `table` as the stamps say."""
    return {block: stamp[0] for block, stamp in buckets.stamps(table).items()}


def test_a_write_marks_the_blocks_of_the_rows_it_moves():
    corpus = factories.build_corpus()
    before = changes("claims_claim")
    far = factories.ClaimFactory(id=3 * BLOCK + 5, visit=corpus.kabul)
    after = changes("claims_claim")
    assert after.get(3, 0) > before.get(3, 0)
    assert {block for block in after if after[block] != before.get(block)} <= {3}

    # A visit's new visitor moves its claims (the leader facet): their blocks, not others.
    before = changes("claims_claim")
    Visit.objects.filter(pk=corpus.kabul.pk).update(visitor=corpus.munir)
    after = changes("claims_claim")
    moved = {claim.pk // BLOCK for claim in Claim.objects.filter(visit=corpus.kabul)}
    assert {block for block in after if after[block] != before.get(block)} == moved
    assert far.pk // BLOCK in moved

    # An edit of the visit that moves no claim marks none.
    before = changes("claims_claim")
    Visit.objects.filter(pk=corpus.kabul.pk).update(summary="Edited.")
    assert changes("claims_claim") == before


def test_folding_the_log_keeps_every_stamp():
    corpus = factories.build_corpus(extra=5)
    factories.ClaimFactory(id=2 * BLOCK + 1, visit=corpus.kabul)
    stamps = {table: buckets.stamps(table) for table in buckets.counted_tables()}

    assert buckets.compact(at_least=1) > 0

    assert {table: buckets.stamps(table) for table in buckets.counted_tables()} == stamps
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {buckets.LOG_TABLE}")
        assert cursor.fetchone()[0] == 0


def test_a_run_of_commits_is_counted_ahead_a_few_times_at_the_latest_version(monkeypatch):
    from core.lists import tally

    counted = []
    done = threading.Event()

    def warm(version):
        counted.append(version)
        time.sleep(0.05)  # a count takes a while: commits go on meanwhile
        if version == 100:
            done.set()

    monkeypatch.setattr(tally, "warm", warm)
    warmer = tally.Warmer()
    for version in range(1, 101):
        warmer(version=version)
        time.sleep(0.001)
    assert done.wait(5)

    assert counted[-1] == 100
    assert len(counted) <= 10
    assert counted == sorted(counted)


def test_a_parents_links_move_the_rows_below_it():
    """A list of participations faceted by their visit's issues ("visit__issues"): a visit's
    issue added or removed moves its participations' blocks, and no others."""
    from visits.models import Participation

    kashmir = factories.IssueFactory(slug="kashmir", name="Kashmir")
    visit, other = factories.VisitFactory(), factories.VisitFactory()
    near = factories.ParticipationFactory(visit=visit)
    far = factories.ParticipationFactory(id=4 * BLOCK + 2, visit=visit)
    factories.ParticipationFactory(id=6 * BLOCK + 1, visit=other)
    table = Participation._meta.db_table
    edges = buckets.edges_for(Participation, "visit__issues")
    assert [(edge.source, edge.source_key) for edge in edges] == [
        (Visit.issues.through._meta.db_table, "visit_id")
    ]
    try:
        buckets.install(edges=[*buckets.all_edges(), *edges])
        moved = {near.pk // BLOCK, far.pk // BLOCK}

        for change in (lambda: visit.issues.add(kashmir), lambda: visit.issues.remove(kashmir)):
            before = changes(table)
            change()
            after = changes(table)
            assert {block for block in after if after[block] != before.get(block)} == moved
    finally:
        buckets.install()
