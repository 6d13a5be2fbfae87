"""The Office of the Historian's claims quote their own record's line of the dataset source."""

import pytest

from claims.models import Claim
from sources.models import SourceDocument
from tests.ingest.test_history_state_gov import Dataset, visit_xml

pytestmark = pytest.mark.django_db

# Both records say the same words: each claim must quote its own line.
SAME = "Official Working Visit."


@pytest.fixture
def dataset(tmp_path):
    return Dataset(tmp_path)


def line_of(source, claim):
    """Return the normalised line of the dataset's body in which `claim` is anchored."""
    text = source.normalised_body
    return text[text.rindex("[", 0, claim.quote_start) : claim.quote_end]


def test_each_records_claim_is_anchored_on_its_own_line_through_a_reimport(dataset):
    dataset.write_visits(
        "2010.xml",
        visit_xml("2933", "Prime Minister Imran Khan", description=SAME),
        visit_xml("2811", "Prime Minister Nawaz Sharif", start="2015-10-22", description=SAME),
    )
    dataset.run()
    source = SourceDocument.objects.get(external_id="hsg-dataset:visit")
    for record_id in ("2933", "2811"):
        claim = Claim.objects.get(external_id=f"hsg-visit:{record_id}")
        assert line_of(source, claim).startswith(f"[hsg-visit:{record_id}]")
        assert line_of(source, claim).endswith(SAME) and not claim.is_orphaned

    # A record added before both shifts the body; one record's words change.
    dataset.write_visits(
        "2010.xml",
        visit_xml("17", "Prime Minister Liaquat Ali Khan", start="1950-05-03"),
        visit_xml("2933", "Prime Minister Imran Khan", description=SAME),
        visit_xml(
            "2811",
            "Prime Minister Nawaz Sharif",
            start="2015-10-22",
            description="State Visit.",
            modified="2022-01-01T10:00:00-05:00",
        ),
    )
    dataset.run()

    source.refresh_from_db()
    imran = Claim.objects.get(external_id="hsg-visit:2933")
    sharif = Claim.objects.get(external_id="hsg-visit:2811")
    assert line_of(source, imran).startswith("[hsg-visit:2933]")
    assert line_of(source, sharif).startswith("[hsg-visit:2811]")
    assert line_of(source, sharif).endswith("State Visit.")
    assert not Claim.objects.filter(is_orphaned=True).exists()
