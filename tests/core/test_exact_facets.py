"""Every number a list shows is right: each facet value's count is the total of the list its
link opens, for every facet of every list, on the seed knowledge base and the Office of the
Historian's data (both databases, in CI)."""

import html
import re

import pytest
from django.core.management import call_command

from ingest.seed.loader import seed_load

pytestmark = pytest.mark.django_db

#: Each list, and a few filtered views of it (whose facets count a subset).
LISTS = [
    "/visits/",
    "/visits/?record=article",
    "/visits/?record=official&year_from=1990",
    "/visits/?issue=afghanistan",
    "/claims/",
    "/claims/?status=reported",
    "/claims/?record=article&issue=aid",
    "/sources/",
    "/sources/?record=article",
    "/actors/",
    "/actors/?kind=person",
    "/issues/",
]

FACET = re.compile(
    r'<a class="facet-link( active)?" href="([^"]+)"[^>]*>.*?'
    r'<span class="facet-name">([^<]*)</span> <span class="count">([\d,]+)</span>',
    re.S,
)
TOTAL = re.compile(r"<strong>([\d,]+)</strong> results?")


def total(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    found = TOTAL.search(response.content.decode())
    return int(found.group(1).replace(",", "")) if found else 0


def test_every_facet_count_is_the_total_of_the_list_it_links(client):
    seed_load()
    call_command("import_history_state_gov", verbosity=0)

    checked = 0
    for path in LISTS:
        page = client.get(path).content.decode()
        base = path.split("?", 1)[0]
        for active, href, label, count in FACET.findall(page):
            if active:
                continue  # an active value's link removes it: it leads back to a wider list
            link = base + html.unescape(href)
            assert total(client, link) == int(count.replace(",", "")), (path, label, link)
            checked += 1
    # Every list with facets gave some: visits, claims and sources by issue, year, record...
    assert checked > 100

    # The record facet splits the lists into official records and rows from articles.
    for path in ("/visits/", "/claims/", "/sources/"):
        whole = total(client, path)
        official = total(client, f"{path}?record=official")
        article = total(client, f"{path}?record=article")
        assert official > 0 and article > 0, path
        assert official + article == whole, path
        assert total(client, f"{path}?record=official&record=article") == whole
