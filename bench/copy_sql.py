"""The SQL of the claims CSV's columns, for PostgreSQL's COPY: the export's speed limit."""

from django.contrib.postgres.aggregates import StringAgg
from django.db import connection
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Coalesce

from actors.models import Actor
from claims.filters import ClaimFilterSet
from claims.models import Claim
from visits.models import Issue


def _names(model, related_name):
    """Return a subquery of the '; '-joined public names of a claim's related rows."""
    rows = (
        model.objects.published()
        .filter(**{related_name: OuterRef("pk")})
        .order_by()
        .values(related_name)
        .annotate(names=StringAgg("name", "; ", ordering="name"))
        .values("names")
    )
    return Coalesce(Subquery(rows, output_field=TextField()), Value(""), output_field=TextField())


def claims_export_sql():
    """Return one SELECT with the claims export's columns over every public claim.

    In the export's own order (the claims list's default sort), so that both produce the same
    rows in the same sequence.
    """
    sort = ClaimFilterSet.base_filters["sort"].options[ClaimFilterSet.default_sort][1]
    queryset = (
        Claim.objects.published()
        .annotate(
            actor_names=_names(Actor, "claims_about"),
            issue_names=_names(Issue, "claims"),
            disputer_names=_names(Actor, "claims_disputed"),
        )
        .order_by(*sort)
        .values_list(
            "pk",
            "summary",
            "quote",
            "kind",
            "status",
            "speaker__name",
            "actor_names",
            "issue_names",
            "visit__title",
            "source__title",
            "source__publisher",
            "source__published_date",
            "source__url",
            "pk",
            "disputer_names",
        )
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        text = cursor.mogrify(sql, params)
    return text.decode() if isinstance(text, bytes) else text
