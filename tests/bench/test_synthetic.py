import pytest

from actors.models import Actor
from bench.synthetic import SyntheticDataError, generate
from claims.models import Claim
from core.text import contains_normalised
from sources.models import SourceDocument
from visits.models import Visit

pytestmark = pytest.mark.django_db


def test_generates_the_requested_numbers_of_rows_with_valid_quotes():
    generate(visits=120, claims=600, sources=40, seed=7)

    assert Visit.objects.filter(slug__startswith="s7-").count() == 120
    assert SourceDocument.objects.filter(slug__startswith="s7-").count() == 40
    assert Claim.objects.count() == 600
    for claim in Claim.objects.select_related("source")[:50]:
        assert contains_normalised(claim.source.body, claim.quote)


def test_data_has_the_shapes_the_benchmarks_need():
    generate(visits=400, claims=2000, sources=100, seed=8)

    visits_per_leader = sorted(
        (actor.visits_made.count() for actor in Actor.objects.filter(kind="person")), reverse=True
    )
    assert visits_per_leader[0] >= 10 * max(visits_per_leader[len(visits_per_leader) // 2], 1)
    drafts = Claim.objects.drafts().count()
    assert 0 < drafts < Claim.objects.count() * 0.15
    assert Claim.objects.published().filter(issues__isnull=False).exists()
    assert Visit.objects.published().filter(issues__isnull=False).exists()


def test_the_same_seed_cannot_be_generated_twice():
    generate(visits=5, claims=5, sources=2, seed=9)

    with pytest.raises(SyntheticDataError, match="seed 9 is already in this database"):
        generate(visits=5, claims=5, sources=2, seed=9)


def test_new_rows_get_fresh_ids_after_a_bulk_load():
    generate(visits=5, claims=5, sources=2, seed=10)
    visit = Visit.objects.first()

    claim = Claim.objects.create(
        source=SourceDocument.objects.first(),
        quote=SourceDocument.objects.first().body.split(".")[0],
        summary="Added by hand after the bulk load.",
        visit=visit,
    )

    assert claim.pk > max(Claim.objects.exclude(pk=claim.pk).values_list("pk", flat=True))
