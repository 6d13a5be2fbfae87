"""The filters of the visits and issues lists (one FilterSet per list: HTML, CSV and JSON)."""

from django import forms

from core.lists.filters import (
    ChoiceFilter,
    MatchedSlugFilter,
    PublicFilterSet,
    RecordFilter,
    RelatedSlugFilter,
    SearchFilter,
    SlugFilter,
    SortFilter,
    YearBoundFilter,
    YearFilter,
)
from visits.models import Issue, Participation, Visit, VisitKind

# The columns of the PostgreSQL search vector, so that both databases find the same visits.
VISIT_SEARCH_FIELDS = ("title", "city", "summary")
#: Where a typed name is matched to actors.
SUGGEST_ACTORS = "actors:suggest"


class VisitFilterForm(forms.Form):
    """The visits' filter form: a year range must not end before it starts."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_from"), cleaned.get("year_to")
        if start is not None and end is not None and end < start:
            self.add_error(
                "year_to",
                forms.ValidationError(
                    "“To year” (%(end)s) is before “From year” (%(start)s): swap them, or "
                    "give one year alone.",
                    code="inverted_range",
                    params={"start": start, "end": end},
                ),
            )
        return cleaned


class VisitFilterSet(PublicFilterSet):
    """Visits by leader, year or years, issue, origin, destination, kind and text."""

    q = SearchFilter(label="Search", fallback_fields=VISIT_SEARCH_FIELDS)
    leader = MatchedSlugFilter(field_name="visitor", label="Leader", suggest=SUGGEST_ACTORS)
    issue = RelatedSlugFilter(field_name="issues", label="Issue", options="all")
    year = YearFilter(field_name="start_date", label="Year")
    year_from = YearBoundFilter(field_name="start_date", lookup_expr="gte", label="From year")
    year_to = YearBoundFilter(field_name="start_date", lookup_expr="lte", label="To year")
    origin = SlugFilter(field_name="origin", label="From (country)", options="all", facet=False)
    destination = SlugFilter(field_name="destination", label="To (country)", options="all")
    kind = ChoiceFilter(field_name="kind", choices=VisitKind.choices, label="Kind of visit")
    record = RecordFilter()
    sort = SortFilter(
        label="Sort",
        options={
            "-date": ("Newest first", ("-start_date", "-pk")),
            "date": ("Oldest first", ("start_date", "pk")),
            "title": ("Title A–Z", ("title", "pk")),
            "relevance": ("Best match", ("-start_date", "-pk")),
        },
    )
    default_sort = "-date"

    class Meta:
        model = Visit
        fields = []
        form = VisitFilterForm


class IssueFilterSet(PublicFilterSet):
    """Issues by text (there are few; the list shows them all)."""

    q = SearchFilter(label="Search", fallback_fields=("name", "description", "keywords"))
    sort = SortFilter(
        label="Sort",
        options={
            "name": ("Name A–Z", ("name", "pk")),
            "-name": ("Name Z–A", ("-name", "-pk")),
        },
    )
    default_sort = "name"

    class Meta:
        model = Issue
        fields = []


#: The paths of the meetings list that its filters, its orders and its columns share.
MEETING_DATE, MEETING_ISSUES, MEETING_NAME = "visit__start_date", "visit__issues", "actor__name"


class MeetingFilterSet(PublicFilterSet):
    """Who met whom: each part in a visit (host, person met, delegation member), by the person,
    the visiting leader, the part, the year and the visit's issues."""

    actor = MatchedSlugFilter(field_name="actor", label="Met or hosted", suggest=SUGGEST_ACTORS)
    leader = MatchedSlugFilter(field_name="visit__visitor", label="Leader", suggest=SUGGEST_ACTORS)
    role = ChoiceFilter(field_name="role", label="Part")
    year = YearFilter(field_name=MEETING_DATE, label="Year")
    issue = RelatedSlugFilter(field_name=MEETING_ISSUES, label="Issue", options="all")
    sort = SortFilter(
        label="Sort",
        options={
            "-date": ("Newest first", (f"-{MEETING_DATE}", "-pk")),
            "date": ("Oldest first", (MEETING_DATE, "pk")),
            "name": ("Name A–Z", (MEETING_NAME, "pk")),
        },
    )
    default_sort = "-date"

    class Meta:
        model = Participation
        fields = []
