import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.dates import DatePrecision
from tests.factories import DRAFT, CountryFactory, VisitFactory
from visits.models import Visit

pytestmark = pytest.mark.django_db


def test_end_before_start_is_rejected_by_validation():
    visit = VisitFactory.build(
        visitor=VisitFactory().visitor,
        start_date=datetime.date(2020, 11, 19),
        end_date=datetime.date(2020, 11, 18),
    )

    with pytest.raises(ValidationError) as error:
        visit.full_clean()

    assert "cannot end before it starts" in str(error.value)


def test_end_before_start_is_rejected_by_the_database():
    visit = VisitFactory()
    visit.end_date = visit.start_date - datetime.timedelta(days=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(end_date=visit.end_date)


def test_slug_must_be_unique():
    VisitFactory(slug="imran-khan-in-kabul")
    duplicate = VisitFactory.build(
        slug="imran-khan-in-kabul", visitor=VisitFactory().visitor, origin=None, destination=None
    )

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert "slug" in error.value.message_dict


@pytest.mark.parametrize(
    ("start", "end", "precision", "shown"),
    [
        (datetime.date(2014, 1, 1), None, DatePrecision.YEAR, "2014"),
        (datetime.date(2020, 9, 1), None, DatePrecision.MONTH, "September 2020"),
        (datetime.date(2020, 11, 19), None, DatePrecision.DAY, "19 November 2020"),
        (
            datetime.date(2023, 12, 7),
            datetime.date(2023, 12, 9),
            DatePrecision.DAY,
            "7–9 December 2023",
        ),
        (
            datetime.date(2019, 7, 21),
            datetime.date(2019, 7, 23),
            DatePrecision.DAY,
            "21–23 July 2019",
        ),
        (datetime.date(2015, 11, 1), None, DatePrecision.MONTH, "November 2015"),
    ],
)
def test_dates_are_shown_no_more_precisely_than_known(start, end, precision, shown):
    visit = VisitFactory(start_date=start, end_date=end, date_precision=precision)

    assert visit.date_display == shown
    assert "1 January" not in visit.date_display or precision == DatePrecision.DAY


def test_published_hides_drafts_and_visits_whose_parents_are_drafts():
    public = VisitFactory()
    VisitFactory(publication_status=DRAFT)
    VisitFactory(visitor__publication_status=DRAFT)
    VisitFactory(destination=CountryFactory(slug="draftland", publication_status=DRAFT))
    without_destination = VisitFactory(destination=None)

    assert set(Visit.objects.published()) == {public, without_destination}
