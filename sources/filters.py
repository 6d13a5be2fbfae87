"""The filters of the sources list (one FilterSet for HTML, CSV and JSON)."""

from core.lists.filters import (
    ChoiceFilter,
    PublicFilterSet,
    RecordFilter,
    RelatedSlugFilter,
    SearchFilter,
    SortFilter,
    ValueFilter,
    YearFilter,
)
from sources.models import SourceDocument, SourceKind


class SourceFilterSet(PublicFilterSet):
    """Sources by kind, publisher, year of publication, issue, visit covered and text."""

    q = SearchFilter(label="Search", fallback_fields=("title", "publisher", "authors", "body"))
    kind = ChoiceFilter(field_name="kind", choices=SourceKind.choices, label="Kind")
    record = RecordFilter()
    publisher = ValueFilter(field_name="publisher", label="Publisher", options="facet")
    year = YearFilter(field_name="published_date", label="Year published")
    issue = RelatedSlugFilter(field_name="issues", label="Issue", options="all")
    visit = RelatedSlugFilter(field_name="visits", label="Visit", facet=False, in_form=False)
    sort = SortFilter(
        label="Sort",
        options={
            "-date": ("Newest first", ("-published_date", "-pk")),
            "date": ("Oldest first", ("published_date", "pk")),
            "title": ("Title A–Z", ("title", "pk")),
            "relevance": ("Best match", ("-published_date", "-pk")),
        },
    )
    default_sort = "-date"

    class Meta:
        model = SourceDocument
        fields = []
