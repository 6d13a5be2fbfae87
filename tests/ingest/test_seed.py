import datetime
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import transaction

from actors.models import Actor, ActorAlias
from claims.models import Claim, ClaimStatus
from core.text import contains_normalised
from ingest.seed.files import MODELS, SeedError
from ingest.seed.loader import SEED_DIR, seed_load
from sources.models import SourceDocument
from visits.models import Issue, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Load the real seed once for this module, inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        report = seed_load()
        yield report
        transaction.set_rollback(True)


def seed_claim_count():
    """Return how many claims the seed files define."""
    paths = sorted((SEED_DIR / "sources").glob("*.yaml"))
    return sum(len(yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]) for path in paths)


def counts():
    return {model.__name__: model._default_manager.count() for model in MODELS}


def test_the_five_articles_become_published_sources_with_their_metadata(seeded):
    sources = {source.slug: source for source in SourceDocument.objects.published()}

    assert len(sources) == 5
    brief = sources["imran-khans-visit-to-kabul-an-assessment"]
    assert brief.title == "Imran Khan’s Visit to Kabul: An Assessment"
    assert brief.authors == "Amina Khan"
    assert brief.published_date == datetime.date(2020, 12, 6)
    assert brief.kind == "brief"
    assert "ISSI" in brief.publisher
    assert [citation.label for citation in brief.citations.all()] == ["1", "2", "3", "4", "5", "6"]
    column = sources["army-chiefs-usa-visit-divergence-to-convergence"]
    assert column.title == "Army Chief’s USA visit: Divergence to Convergence"
    assert column.authors == "Qamar Bashir"
    assert column.published_date is None
    pulse = sources["imran-khans-us-visit-a-win-for-pakistan"]
    assert pulse.title == "5 Reasons Imran Khan’s US Visit Was a Win for Pakistan"
    assert pulse.publisher.startswith("The Diplomat")
    assert sources["asim-munir-first-us-washington-visit"].publisher == ("Timesglo")
    assert sources["pak-us-diplomatic-relations"].title == "Pak- US Diplomatic Relations"
    # The importer cleaned the text: no site furniture is left in a body.
    assert "Spread the love" not in column.body
    assert "Enjoying this article?" not in pulse.body


def test_headline_visits_show_their_dates_no_more_precisely_than_known(seeded):
    kabul = Visit.objects.published().get(slug="imran-khan-kabul-2020")
    washington = Visit.objects.get(slug="imran-khan-washington-2019")
    munir = Visit.objects.get(slug="asim-munir-us-2023")

    assert kabul.date_display == "19 November 2020"
    assert (kabul.visitor.slug, kabul.destination.slug, kabul.city) == (
        "imran-khan",
        "afghanistan",
        "Kabul",
    )
    assert kabul.visitor_role.title == "Prime Minister"
    assert [(p.actor.slug, p.role) for p in kabul.participations.all()] == [
        ("ashraf-ghani", "host")
    ]
    assert washington.date_display == "21–23 July 2019"
    assert washington.participations.get(role="host").actor.slug == "donald-trump"
    assert munir.date_display == "December 2023"
    assert munir.visitor_role.title == "Chief of Army Staff"
    assert {issue.slug for issue in munir.issues.all()} >= {"ttp", "refugees", "imf", "gaza"}


def test_visits_mentioned_in_passing_are_there_with_honest_dates(seeded):
    displays = dict(Visit.objects.values_list("slug", "start_date"))
    shown = {visit.slug: visit.date_display for visit in Visit.objects.all()}

    assert len(displays) >= 25
    assert shown["thomas-west-islamabad-2023"] == "7–9 December 2023"
    assert shown["elizabeth-horst-islamabad-2023"] == "9 December 2023"
    assert shown["abdullah-abdullah-islamabad-2020"] == "September 2020"
    assert shown["gulbuddin-hekmatyar-pakistan-2020"] == "October 2020"
    assert shown["muhammad-mohaqiq-pakistan-2019"] == "2019"
    assert shown["ashraf-ghani-pakistan-2014"] == "2014"
    assert shown["raheel-sharif-us-2015"] == "November 2015"
    assert shown["william-burns-pakistan-2021"] == "September 2021"
    assert shown["imran-khan-moscow-2022"] == "February 2022"
    assert shown["liaquat-ali-khan-us-1950"] == "3–5 May 1950"
    assert shown["zafrullah-khan-us-foreign-minister"] == "1947–1954"
    assert Visit.objects.get(slug="william-burns-pakistan-2021").kind == "unannounced"
    # Every visit is backed by at least one claim and one source.
    assert not Visit.objects.filter(claims=None).exists()
    assert not Visit.objects.filter(sources=None).exists()


def test_every_seed_claim_quotes_its_source_verbatim(seeded):
    claims = list(Claim.objects.select_related("source"))

    assert len(claims) == seed_claim_count() > 100
    missing = [c.external_id for c in claims if not contains_normalised(c.source.body, c.quote)]
    assert missing == []
    assert all(claim.external_id.startswith("seed:") for claim in claims)
    assert Claim.objects.published().count() == len(claims)


def test_allegations_name_who_denied_them(seeded):
    modi = Claim.objects.get(
        external_id="seed:imran-khans-us-visit-a-win-for-pakistan:modi-asked-for-mediation"
    )
    cipher = Claim.objects.get(
        external_id="seed:asim-munir-first-us-washington-visit:khan-conspiracy-claim"
    )
    arms = Claim.objects.get(
        external_id="seed:asim-munir-first-us-washington-visit:arms-to-ukraine"
    )

    assert (modi.speaker.slug, modi.status) == ("donald-trump", ClaimStatus.DENIED)
    assert [actor.slug for actor in modi.disputed_by.all()] == ["india"]
    assert modi.visit.slug == "imran-khan-washington-2019"
    assert (cipher.speaker.slug, cipher.status) == ("imran-khan", ClaimStatus.DENIED)
    assert [actor.slug for actor in cipher.disputed_by.all()] == ["united-states"]
    assert [actor.slug for actor in arms.disputed_by.all()] == ["pakistan"]


def test_actors_carry_aliases_as_the_articles_write_them(seeded):
    khan = Actor.objects.get(slug="imran-khan")
    munir = Actor.objects.get(slug="asim-munir")

    assert {"PM Khan", "Prime Minister Khan", "Khan"} <= set(
        khan.aliases.values_list("name", flat=True)
    )
    assert {"COAS", "Gen. Munir", "General Syed Asim Munir"} <= set(
        munir.aliases.values_list("name", flat=True)
    )
    assert Actor.objects.get(slug="united-states").kind == "country"
    assert Actor.objects.get(slug="ispr").country.slug == "pakistan"
    assert set(Issue.objects.values_list("slug", flat=True)) >= {
        "afghanistan",
        "kashmir",
        "ttp",
        "aid",
        "cpec",
        "refugees",
        "counter-terrorism",
        "trade-and-investment",
        "imf",
        "china",
        "india",
        "russia-ukraine",
        "gaza",
        "elections-democracy",
        "military-cooperation",
    }
    assert not Issue.objects.filter(claims=None).exists()


def test_a_second_load_creates_nothing_and_keeps_a_curators_edit(seeded):
    claim = Claim.objects.get(external_id__endswith=":no-agreements-announced")
    claim.summary = "Edited by a curator."
    claim.save()
    before = counts()
    out = StringIO()

    call_command("load_seed", stdout=out)

    assert counts() == before
    assert "Claims: 0 created, " in out.getvalue()
    assert "Total: 0 created, 0 updated" in out.getvalue()
    claim.refresh_from_db()
    assert claim.summary == "Edited by a curator."


def test_update_restores_the_files_values(seeded):
    claim = Claim.objects.get(external_id__endswith=":no-agreements-announced")
    claim.summary = "Edited by a curator."
    claim.save()

    report = seed_load(update=True)

    claim.refresh_from_db()
    assert claim.summary == "No agreements from the visit were announced or reported."
    assert report.counts[Claim]["updated"] == 1
    assert report.total("created") == 0


ARTICLE = """Testland leader visits the capital

By A. Writer

The leader met the host in the capital on a rainy morning.
Both sides agreed to meet again next year.
"""


def minimal_seed(tmp_path, quote):
    """Return a seed folder with one country, one person, one visit and one article."""
    seed = tmp_path / "seed"
    (seed / "sources").mkdir(parents=True)
    (seed / "articles").mkdir()
    (seed / "articles" / "test.txt").write_text(ARTICLE, encoding="utf-8")
    (seed / "actors.yaml").write_text(
        "countries:\n  - {slug: test-land, name: Testland}\n"
        "people:\n  - slug: test-leader\n    name: Test Leader\n    aliases: [TL]\n"
        "    roles:\n      - {title: Prime Minister, organisation: test-land, start: 2018}\n",
        encoding="utf-8",
    )
    (seed / "issues.yaml").write_text(
        "issues:\n  - {slug: test-issue, name: Test issue, keywords: [testing]}\n",
        encoding="utf-8",
    )
    (seed / "visits.yaml").write_text(
        "visits:\n  - {slug: test-visit, title: Test visit, visitor: test-leader, "
        "visitor_role: Prime Minister, destination: test-land, start: 2019-07, kind: official}\n",
        encoding="utf-8",
    )
    (seed / "sources" / "test.yaml").write_text(
        "source:\n  file: articles/test.txt\n  slug: test-report\n"
        "  title: Test report\n  kind: news\n  visits: [test-visit]\n"
        "claims:\n"
        "  - {key: met, quote: The leader met the host in the capital, summary: They met., "
        "kind: outcome, visit: test-visit, issues: [test-issue]}\n"
        f"  - {{key: again, quote: '{quote}', summary: They will meet again., kind: agreement}}\n",
        encoding="utf-8",
    )
    return seed


def test_a_misspelt_quote_fails_loudly_naming_the_claim_and_writes_nothing(tmp_path):
    seed = minimal_seed(tmp_path, "Both sides agreed to meet again next yaer.")
    before = counts()

    with pytest.raises(SeedError) as error:
        seed_load(seed_dir=seed)

    message = str(error.value)
    assert "sources/test.yaml, claim “again”" in message
    assert "does not occur in the body of “Test report”" in message
    assert counts() == before
    assert not ActorAlias.objects.filter(name="TL").exists()
    assert not SourceDocument.objects.filter(slug="test-report").exists()


def test_the_command_reports_a_bad_seed_as_an_error(tmp_path):
    seed = minimal_seed(tmp_path, "No such sentence in the article.")

    with pytest.raises(CommandError, match="Nothing was loaded.*claim “again”"):
        call_command("load_seed", seed_dir=str(seed), stdout=StringIO())

    assert not SourceDocument.objects.filter(slug="test-report").exists()


def test_a_minimal_seed_with_good_quotes_loads(tmp_path):
    seed = minimal_seed(tmp_path, "Both sides agreed to meet again next year.")

    report = seed_load(seed_dir=Path(seed))

    visit = Visit.objects.get(slug="test-visit")
    assert visit.date_display == "July 2019"
    assert visit.visitor_role.title == "Prime Minister"
    assert visit.claims.get().summary == "They met."
    assert SourceDocument.objects.get(slug="test-report").authors == "A. Writer"
    assert report.counts[Claim]["created"] == 2
    assert report.counts[Actor]["created"] == 2
