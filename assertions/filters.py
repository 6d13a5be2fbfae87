"""The filters of the assertions list (one FilterSet for HTML, CSV and JSON)."""

from assertions.models import Agreement, Assertion
from core.lists.filters import (
    ChoiceFilter,
    MatchedSlugFilter,
    PublicFilterSet,
    RelatedSlugFilter,
    SlugFilter,
    SortFilter,
    YearFilter,
)


class AssertionFilterSet(PublicFilterSet):
    """Assertions by agreement, issue, visit, leader and year of the visit."""

    agreement = ChoiceFilter(
        field_name="agreement", choices=Agreement.choices, label="Agreement of the sources"
    )
    issue = RelatedSlugFilter(field_name="issues", label="Issue", options="all")
    visit = SlugFilter(field_name="visit", label="Visit", facet=False, in_form=False)
    leader = MatchedSlugFilter(
        field_name="visit__visitor", label="Leader (of the visit)", suggest="actors:suggest"
    )
    year = YearFilter(field_name="visit__start_date", label="Year (of the visit)")
    sort = SortFilter(
        label="Sort",
        options={
            "-sources": ("Most sources first", ("-claim_count", "statement", "pk")),
            "-date": ("Newest visit first", ("-visit__start_date", "statement", "pk")),
            "statement": ("A to Z", ("statement", "pk")),
        },
    )
    default_sort = "-sources"

    class Meta:
        model = Assertion
        fields = []
