"""The filters of the claims list (one FilterSet for HTML, CSV and JSON)."""

from claims.models import Claim, ClaimKind, ClaimStatus
from core.lists.filters import (
    ChoiceFilter,
    MatchedRelatedSlugFilter,
    MatchedSlugFilter,
    PublicFilterSet,
    RecordFilter,
    RelatedSlugFilter,
    SearchFilter,
    SlugFilter,
    SortFilter,
    YearFilter,
)


class ClaimFilterSet(PublicFilterSet):
    """Claims by issue, leader, actor, speaker, visit, source, status, kind, year and text."""

    q = SearchFilter(label="Search", fallback_fields=("quote", "summary", "status_note"))
    issue = RelatedSlugFilter(field_name="issues", label="Issue", options="all")
    status = ChoiceFilter(field_name="status", choices=ClaimStatus.choices, label="Status")
    kind = ChoiceFilter(field_name="kind", choices=ClaimKind.choices, label="Kind of claim")
    record = RecordFilter()
    # A claim is dated by its source: the year the source was published.
    year = YearFilter(field_name="source_date", label="Year (of the source)")
    speaker = MatchedSlugFilter(field_name="speaker", label="Speaker", suggest="actors:suggest")
    actor = MatchedRelatedSlugFilter(field_name="actors", label="About", suggest="actors:suggest")
    leader = MatchedSlugFilter(
        field_name="visit__visitor", label="Leader (of the visit)", suggest="actors:suggest"
    )
    visit = SlugFilter(field_name="visit", label="Visit", facet=False, in_form=False)
    source = SlugFilter(field_name="source", label="Source", facet=False, in_form=False)
    sort = SortFilter(
        label="Sort",
        options={
            "-date": ("Newest source first", ("-source_date", "-pk")),
            "date": ("Oldest source first", ("source_date", "pk")),
            "relevance": ("Best match", ("-source_date", "-pk")),
        },
    )
    default_sort = "-date"

    class Meta:
        model = Claim
        fields = []
