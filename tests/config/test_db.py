"""Id-list queries compiled once (config.db.rows_for_ids, objects_for_ids) give the rows the
queryset gives."""

import pytest
from django.db import connection
from django.db.models import Avg, Count
from django.db.models.functions import Upper

from config.db import fixed_rows, objects_for_ids, plain_rows, rows_for_ids
from tests import factories
from visits.models import Visit

pytestmark = pytest.mark.django_db


def titles_by_id(ids):
    return Visit.objects.filter(pk__any_of=ids).order_by("pk").values_list("pk", "title")


def test_one_statement_serves_every_list_of_ids():
    visits = [factories.VisitFactory(title=f"Visit {number}") for number in range(4)]
    ids = [visit.pk for visit in visits]

    first = rows_for_ids(("test titles",), titles_by_id, ids[:2])
    again = rows_for_ids(("test titles",), titles_by_id, ids[1:])

    assert first == [(pk, f"Visit {number}") for number, pk in enumerate(ids[:2])]
    assert again == [(pk, f"Visit {number + 1}") for number, pk in enumerate(ids[1:])]
    assert rows_for_ids(("test titles",), titles_by_id, []) == []


def test_a_query_with_parameters_of_its_own_keeps_them():
    visits = [factories.VisitFactory(title=title) for title in ("Kabul talks", "Delhi summit")]

    def kabul_titles(ids):
        return (
            Visit.objects.filter(pk__any_of=ids, title__startswith="Kabul")
            .annotate(loud=Upper("title"))
            .values_list("pk", "loud")
        )

    rows = rows_for_ids(("test kabul",), kabul_titles, [visit.pk for visit in visits])

    assert rows == [(visits[0].pk, "KABUL TALKS")]


def test_aggregates_are_converted_as_the_queryset_converts_them():
    visits = [
        factories.VisitFactory(title=title) for title in ("Kabul talks", "Kabul talks", "Doha")
    ]
    ids = [visit.pk for visit in visits]
    built = []

    def per_title(ids):
        built.append(ids)
        return (
            Visit.objects.filter(pk__any_of=ids)
            .values("title")
            .annotate(n=Count("pk"), mean=Avg("pk"))
            .order_by("title")
            .values_list("title", "n", "mean")
        )

    rows = rows_for_ids(("test per title",), per_title, ids)
    again = rows_for_ids(("test per title",), per_title, ids[:2])
    builds = len(built)

    assert rows == list(per_title(ids))
    assert rows == [("Doha", 1, float(ids[2])), ("Kabul talks", 2, (ids[0] + ids[1]) / 2)]
    assert again == [("Kabul talks", 2, (ids[0] + ids[1]) / 2)]
    # An average is a float, as Django gives it, not the database's numeric (a Decimal).
    assert all(type(mean) is float for _title, _n, mean in rows + again)
    # Compiled once on PostgreSQL, then run as it is; built on each call elsewhere.
    assert builds == (1 if connection.vendor == "postgresql" else 2)


def test_objects_come_as_the_queryset_gives_them(django_assert_num_queries):
    visitor = factories.ActorFactory(name="Imran Khan")
    trade = factories.IssueFactory(name="Trade")
    visits = [
        factories.VisitFactory(title=title, visitor=visitor) for title in ("Kabul talks", "Doha")
    ]
    visits[0].issues.add(trade)
    built = []

    def visits_of(ids):
        built.append(ids)
        return (
            Visit.objects.filter(pk__any_of=ids)
            .select_related("visitor")
            .defer("summary")
            .annotate(loud=Upper("title"))
            .with_links(shown_issues="issues")
            .order_by("pk")
        )

    def shown(rows):
        return [
            (
                row.pk,
                row.title,
                row.loud,
                row.visitor.name,
                [issue.name for issue in row.shown_issues],
            )
            for row in rows
        ]

    with django_assert_num_queries(2):  # the rows, then their issues
        rows = objects_for_ids(("test visits",), visits_of, [visit.pk for visit in visits])
    again = objects_for_ids(("test visits",), visits_of, [visits[1].pk])
    builds = len(built)

    assert shown(rows) == shown(visits_of([visit.pk for visit in visits]))
    assert shown(rows) == [
        (visits[0].pk, "Kabul talks", "KABUL TALKS", "Imran Khan", ["Trade"]),
        (visits[1].pk, "Doha", "DOHA", "Imran Khan", []),
    ]
    assert shown(again) == [(visits[1].pk, "Doha", "DOHA", "Imran Khan", [])]
    assert all(row.get_deferred_fields() == {"summary"} for row in rows + again)
    assert objects_for_ids(("test visits",), visits_of, []) == []
    # Compiled once on PostgreSQL, then run as it is; built on each call elsewhere.
    assert builds == (1 if connection.vendor == "postgresql" else 2)


def test_objects_with_prefetches_are_read_by_their_queryset(django_assert_num_queries):
    visits = [factories.VisitFactory(title=title) for title in ("Kabul talks", "Doha")]
    for visit, name in zip(visits, ("Trade", "Security"), strict=True):
        visit.issues.add(factories.IssueFactory(name=name))

    def prefetching(ids):
        return Visit.objects.filter(pk__any_of=ids).prefetch_related("issues").order_by("pk")

    for _ in range(2):
        with django_assert_num_queries(2):  # the rows, then the issues of them all
            rows = objects_for_ids(("test prefetching",), prefetching, [v.pk for v in visits])
            names = [[issue.name for issue in row.issues.all()] for row in rows]
        assert names == [["Trade"], ["Security"]]


def test_a_fixed_query_is_run_afresh_each_time():
    def titles():
        return Visit.objects.order_by("title").values_list("title")

    factories.VisitFactory(title="Kabul talks")
    assert fixed_rows(("test fixed",), titles) == [("Kabul talks",)]
    factories.VisitFactory(title="Delhi summit")
    assert fixed_rows(("test fixed",), titles) == [("Delhi summit",), ("Kabul talks",)]


def test_rows_of_other_shapes_come_as_the_queryset_gives_them():
    factories.VisitFactory(title="Kabul talks")

    def flat_titles():
        return Visit.objects.values_list("title", flat=True)

    assert fixed_rows(("test flat",), flat_titles) == ["Kabul talks"]


def test_plain_rows_are_the_rows_the_queryset_gives():
    for title in ("Kabul talks", "Delhi summit", "Doha round"):
        factories.VisitFactory(title=title)
    visits = Visit.objects.order_by("title")

    rows = plain_rows(visits.values_list("pk", "title")[:2])

    assert rows == list(visits.values_list("pk", "title")[:2])
    assert [title for _pk, title in rows] == ["Delhi summit", "Doha round"]
    assert plain_rows(visits.values_list("title", flat=True)) == [
        "Delhi summit",
        "Doha round",
        "Kabul talks",
    ]
    assert plain_rows(visits.none().values_list("pk", "title")) == []
    assert plain_rows(visits.filter(pk__any_of=[]).values_list("pk")) == []
