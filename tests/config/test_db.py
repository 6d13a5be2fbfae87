"""Id-list queries compiled once (config.db.rows_for_ids) give the rows the queryset gives."""

import pytest
from django.db import connection
from django.db.models import Avg, Count
from django.db.models.functions import Upper

from config.db import fixed_rows, plain_rows, rows_for_ids
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
    visits = [factories.VisitFactory(title=title) for title in ("Kabul talks", "Kabul talks", "Doha")]
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
