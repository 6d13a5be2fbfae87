"""Aggregates behind the charts: a fixed few GROUP BY queries, whatever the number of rows.

Written against relation names rather than models, so any app's page can chart its querysets
without importing the apps above it.
"""

from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractYear

from core.models import public_q

NO_ISSUE = "No issue recorded"


def per_year(queryset, date_field, label):
    """Return (year, label, count) rows: one aggregate query."""
    rows = (
        queryset.order_by()
        .exclude(**{f"{date_field}__isnull": True})
        .annotate(chart_year=ExtractYear(date_field))
        .values("chart_year")
        .annotate(n=Count("pk"))
    )
    return [(row["chart_year"], label, row["n"]) for row in rows]


def year_totals(queryset, date_field):
    """Return {year: number of rows}: one aggregate query."""
    return {year: count for year, _label, count in per_year(queryset, date_field, "")}


def per_year_by_choice(queryset, date_field, choice_field):
    """Return (year, choice label, count) rows: one aggregate query."""
    labels = dict(queryset.model._meta.get_field(choice_field).choices)
    rows = (
        queryset.order_by()
        .exclude(**{f"{date_field}__isnull": True})
        .annotate(chart_year=ExtractYear(date_field))
        .values("chart_year", choice_field)
        .annotate(n=Count("pk"))
    )
    return [
        (row["chart_year"], labels.get(row[choice_field], row[choice_field]), row["n"])
        for row in rows
    ]


def per_year_by_relation(queryset, date_field, relation="issues", none_label=NO_ISSUE):
    """Return (year, related name, count) rows, plus rows linked to no public related row.

    Two aggregate queries; a row linked to two related rows counts once under each.
    """
    field = queryset.model._meta.get_field(relation)
    through = field.remote_field.through
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    public_target = public_q(field.related_model, prefix=f"{target}__")
    rows = (
        through.objects.filter(**{f"{owner}_id__in": queryset.order_by().values("pk")})
        .filter(public_target)
        .annotate(chart_year=ExtractYear(f"{owner}__{date_field}"))
        .values("chart_year", f"{target}__name")
        .annotate(n=Count(f"{owner}_id"))
        .order_by()
    )
    result = [(row["chart_year"], row[f"{target}__name"], row["n"]) for row in rows]
    linked = through.objects.filter(public_target, **{f"{owner}_id": OuterRef("pk")})
    result += per_year(queryset.filter(~Exists(linked)), date_field, none_label)
    return result


def latest_rows(queryset, fields, date_field="start_date", limit=300):
    """Return the latest `limit` rows as dicts of `fields`, oldest first (one query)."""
    rows = queryset.order_by(f"-{date_field}", "-pk").values(*fields)[:limit]
    return list(reversed(rows))


def list_link(path, **params):
    """Return a function (year, series label) → the list `path` filtered by the year and series.

    `params` are the list's fixed filters; `series` maps a series label to (parameter, value)
    (a label it does not know, such as "Other issues", links to the year alone).
    """
    series = params.pop("series", {})

    def link(year, label):
        query = {**params, "year": year}
        if label in series:
            name, value = series[label]
            query[name] = value
        return f"{path}?{urlencode(query)}"

    return link
