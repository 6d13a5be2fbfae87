"""The seed and the Office of the Historian's data together make no duplicate actors: the
spellings a curator found standing apart resolve to one actor each (both databases, in CI)."""

import re
import unicodedata

import pytest
from django.core.management import call_command
from django.db.models import Q

from actors.models import Actor
from actors.services import find_duplicate_pairs
from ingest.seed.loader import seed_load

pytestmark = pytest.mark.django_db

#: Spellings of one person each that stood as separate actors on the first page of /actors/.
ONE_PERSON = [
    ["Abdelaziz Bouteflika", "Abdelaziz Boutefilka"],
    ["Abdel Fattah el-Sisi", "Abdel Fattah al-Sisi", "Abdel Fattah Said Alsisi"],
    ["Abdelfattah Said Elsisi", "Abdel Fattah el-Sisi"],
    ["Yusuf Raza Gilani", "Yousuf Gillani"],
    ["Asif Ali Zardari", "Asif Zardari", "Asif Zadari"],
    ["Abdelmalek Sellal", "Abdelmalik Sellal"],
]


def normalised(name):
    """Return a name casefolded, without accents or punctuation: "Al-Sīsī" is "al sisi"."""
    letters = unicodedata.normalize("NFKD", name)
    letters = "".join(char for char in letters if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", letters.casefold().replace("'", "")).split())


def test_the_first_actors_page_shows_each_person_once(client):
    seed_load()
    call_command("import_history_state_gov", verbosity=0)

    page = client.get("/actors/").content.decode()

    slugs = list(dict.fromkeys(re.findall(r'<a href="/actors/([^/"?]+)/"', page)))
    actors = list(Actor.objects.filter(slug__in=slugs).prefetch_related("aliases"))
    assert len(actors) >= 20
    # No actor on the page is named by what another one on it is named or also called.
    spellings = {
        actor.pk: {normalised(actor.name)} | {normalised(a.name) for a in actor.aliases.all()}
        for actor in actors
    }
    for actor in actors:
        others = [
            other.name
            for other in actors
            if other.pk != actor.pk and normalised(actor.name) in spellings[other.pk]
        ]
        assert others == [], actor.name
    # Nor are two of them alike enough to be listed as possible duplicates.
    pairs = {
        (pair.first.pk, pair.second.pk)
        for pair in find_duplicate_pairs(threshold=0.9)
        if pair.first.slug in slugs and pair.second.slug in slugs
    }
    assert pairs == set()

    for names in ONE_PERSON:
        found = Actor.objects.filter(Q(name__in=names) | Q(aliases__name__in=names)).distinct()
        assert len(found) == 1, names
        (actor,) = found
        known = {actor.name, *actor.aliases.values_list("name", flat=True)}
        assert set(names) <= known, names  # the merged-away spellings are kept as aliases
