"""Filters and facets through a related row's many-to-many ("visit__issues"), exactly."""

import django_filters
import pytest
from django.http import QueryDict

from core.lists.facets import ManyFacet, count_blocks
from core.lists.filters import RelatedSlugFilter
from tests import factories
from visits.models import Issue, Participation

pytestmark = pytest.mark.django_db


class MeetingFilters(django_filters.FilterSet):
    """Participations by the issues of their visit."""

    issue = RelatedSlugFilter(field_name="visit__issues", label="Issue")

    class Meta:
        model = Participation
        fields = []


@pytest.fixture
def meetings():
    kashmir = factories.IssueFactory(slug="kashmir", name="Kashmir")
    aid = factories.IssueFactory(slug="aid", name="Aid")
    both = factories.VisitFactory(issues=[kashmir, aid])
    one = factories.VisitFactory(issues=[kashmir])
    factories.VisitFactory(issues=[])
    rows = {
        "both": [factories.ParticipationFactory(visit=both) for _ in range(2)],
        "one": [factories.ParticipationFactory(visit=one) for _ in range(3)],
    }
    factories.ParticipationFactory()  # a visit on no issue
    return rows


def chosen(query):
    filters = MeetingFilters(data=QueryDict(query), queryset=Participation.objects.all())
    assert filters.is_valid(), filters.errors
    return {row.pk for row in filters.qs}


def test_a_filter_follows_the_visits_issues_and_keeps_each_row_once(meetings):
    everyone = {row.pk for rows in meetings.values() for row in rows}
    both = {row.pk for row in meetings["both"]}

    assert chosen("issue=kashmir") == everyone
    assert chosen("issue=kashmir&issue=aid") == both  # all must hold


def test_a_facet_counts_the_visits_issues_alike_for_few_rows_and_many(meetings):
    facet = ManyFacet("issue", "Issue", relation="visit__issues")
    rows = Participation.objects.all()
    totals = {0: rows.count()}

    few = count_blocks([facet], rows)[0].values["issue"]
    many = facet.count_links(Participation, rows.values("pk"), totals)[0]
    many.pop(None, None)

    kashmir, aid = (Issue.objects.get(slug=slug).pk for slug in ("kashmir", "aid"))
    assert dict(few) == dict(many) == {kashmir: 5, aid: 2}
    assert facet.target(Participation) is Issue
