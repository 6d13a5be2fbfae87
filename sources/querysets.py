"""Reads for source pages that go beyond the model's QuerySet."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from config.curation import public_q
from sources.models import SourceDocument
from visits.models import Visit


def visit_count():
    """Return an annotation counting the public visits a source covers (a subquery per row)."""
    through = SourceDocument.visits.through
    links = (
        through.objects.filter(public_q(Visit, prefix="visit__"), sourcedocument_id=OuterRef("pk"))
        .order_by()
        .values("sourcedocument_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(links, output_field=IntegerField()), Value(0))
