"""Read the Office of the Historian's visits and travels XML into plain records.

The data (https://history.state.gov/departmenthistory/visits and …/travels) is published as
one XML file per decade (visits) or per traveller (trips). A record that breaks the published
grammar is reported with its file and id and left out; a file that is not XML at all is
reported as a whole. Nothing here touches the database.
"""

import datetime
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.history_state_gov.kinds import kind_from_text

VISITS = "visit"
PRESIDENT_TRIPS = "president-trip"
SECRETARY_TRIPS = "secretary-trip"
COLLECTIONS = (VISITS, PRESIDENT_TRIPS, SECRETARY_TRIPS)

#: The one country every visit goes to and every trip comes from.
UNITED_STATES = ("united-states", "United States")

# A text that says only what kind of visit it was, and nothing about what happened.
_KIND_ONLY = re.compile(
    r"^(?:(?:official[\s-]+working|official|working|state|private|informal|unofficial|"
    r"unannounced)\s+(?:visit|guest)|official\s+guest)[\s.;,]*$",
    re.I,
)
_SLUG = re.compile(r"^[A-Za-z_][\w.-]*$")


PUBLISHER = "Office of the Historian, U.S. Department of State"
LICENCE = "Public domain (CC0 1.0)"
#: The `dataset` of every row this importer writes: what makes it an official record.
DATASET = "history.state.gov"
BASE_URL = "https://history.state.gov/departmenthistory"


@dataclass(frozen=True)
class Dataset:
    """How one collection is published: its name, address and travellers' role."""

    label: str
    title: str
    url: str
    traveller_title: str  # the role of every traveller of a trips collection

    def intro(self):
        """Return the first paragraph of the collection's dataset source."""
        return (
            f"{self.title}, as published by the {PUBLISHER} at {self.url}; "
            "public domain (CC0 1.0). "
            "One line per record: [record id] dates · traveller · country, city — the "
            "record's description or remarks as the Office of the Historian gives them."
        )


DATASETS = {
    VISITS: Dataset(
        "visits",
        "Visits by Foreign Leaders and Heads of State to the United States",
        f"{BASE_URL}/visits",
        "",
    ),
    PRESIDENT_TRIPS: Dataset(
        "president travels",
        "Travels Abroad of the President of the United States",
        f"{BASE_URL}/travels/president",
        "President",
    ),
    SECRETARY_TRIPS: Dataset(
        "secretary travels",
        "Travels Abroad of the Secretary of State",
        f"{BASE_URL}/travels/secretary",
        "Secretary of State",
    ),
}


class RecordError(ValueError):
    """A record that does not follow the published grammar."""


@dataclass(frozen=True)
class HsgRecord:
    """One visit or trip, as the dataset gives it."""

    collection: str
    record_id: str
    file: str
    start: datetime.date
    end: datetime.date
    traveller: str  # visits: title and name ("Prime Minister Imran Khan"); trips: the name
    who: str  # trips: the traveller's slug in the dataset; visits: empty
    country_slug: str  # visits: where the visitor came from; trips: where the trip went
    country_name: str
    city: str
    text: str  # description (visits) or remarks (trips), whitespace collapsed
    last_modified: str

    @property
    def external_id(self):
        """Return the record's identifier in this knowledge base ("hsg-visit:2991")."""
        return f"hsg-{self.collection}:{self.record_id}"

    @property
    def kind(self):
        """Return the kind of visit the text names (see kinds.py), else other."""
        return kind_from_text(self.text)

    @property
    def states_kind_only(self):
        """Return whether the text says only what kind of visit it was."""
        return bool(_KIND_ONLY.match(self.text))

    @property
    def page_url(self):
        """Return the history.state.gov page that lists this record.

        The site has no page per record: it lists visits by the visitor's country
        (…/departmenthistory/visits/pakistan) and trips by traveller
        (…/departmenthistory/travels/secretary/rubio-marco), each keyed by the record's own
        `from`/`country` id or `who` attribute.
        """
        if self.collection == VISITS:
            return f"{BASE_URL}/visits/{self.country_slug}"
        return f"{DATASETS[self.collection].url}/{self.who}"

    @property
    def page_label(self):
        """Return what the page of `page_url` lists, in words."""
        if self.collection == VISITS:
            return f"Visits to the United States by leaders of {self.country_name}"
        role = DATASETS[self.collection].traveller_title
        return f"Travels abroad of {self.traveller} as {role}"

    def date_label(self):
        """Return the dates as the dataset gives them: '2019-07-21–2019-07-23'."""
        if self.end == self.start:
            return self.start.isoformat()
        return f"{self.start.isoformat()}\u2013{self.end.isoformat()}"


def collapse(text):
    """Return text with runs of whitespace (the files' line wrapping) made single spaces."""
    return " ".join((text or "").split())


def _text(element, tag, *, required=True):
    child = element.find(tag)
    if child is None:
        if required:
            raise RecordError(f"no <{tag}>")
        return ""
    value = collapse("".join(child.itertext()))
    if required and not value:
        raise RecordError(f"empty <{tag}>")
    return value


def _date(element, tag):
    value = _text(element, tag)
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise RecordError(f"<{tag}> is not a date (YYYY-MM-DD): {value!r}") from None


def _country(element, tag):
    child = element.find(tag)
    if child is None:
        raise RecordError(f"no <{tag}>")
    slug = (child.get("id") or "").strip()
    if not _SLUG.match(slug):
        raise RecordError(f"<{tag}> has no valid id attribute: {slug!r}")
    return slug, collapse("".join(child.itertext())) or slug


def parse_record(element, collection, file):
    """Return the HsgRecord of one <visit> or <trip> element, or raise RecordError."""
    record_id = _text(element, "id")
    if not record_id.isdigit():
        raise RecordError(f"<id> is not a number: {record_id!r}")
    start, end = _date(element, "start-date"), _date(element, "end-date")
    if end < start:
        raise RecordError(f"end-date {end} is before start-date {start}")
    if collection == VISITS:
        traveller, who = _text(element, "visitor"), ""
        country_slug, country_name = _country(element, "from")
        city, text = "", _text(element, "description", required=False)
    else:
        traveller, who = _text(element, "name"), (element.get("who") or "").strip()
        if not _SLUG.match(who):
            raise RecordError(f"<trip> has no valid who attribute: {who!r}")
        country_slug, country_name = _country(element, "country")
        city, text = (
            _text(element, "locale", required=False),
            _text(element, "remarks", required=False),
        )
    return HsgRecord(
        collection=collection,
        record_id=record_id,
        file=file,
        start=start,
        end=end,
        traveller=traveller,
        who=who,
        country_slug=country_slug,
        country_name=country_name,
        city=city,
        text=text,
        last_modified=_text(element, "last-modified-datetime", required=False),
    )


@dataclass(frozen=True)
class Problem:
    """A record or file left out, and why."""

    file: str
    record_id: str
    message: str

    def __str__(self):
        where = f"{self.file}: record {self.record_id}" if self.record_id else self.file
        return f"{where}: {self.message}"


def collection_files(visits_dir, travels_dir):
    """Return {collection: [xml files]} under the dataset's folders (sorted, for stable runs)."""
    visits_dir, travels_dir = Path(visits_dir), Path(travels_dir)
    # Accept both the repository's root folder and its data/ folder.
    visits_data = visits_dir / "data" if (visits_dir / "data").is_dir() else visits_dir
    return {
        VISITS: sorted(visits_data.glob("*.xml")),
        PRESIDENT_TRIPS: sorted((travels_dir / "president-travels").glob("*.xml")),
        SECRETARY_TRIPS: sorted((travels_dir / "secretary-travels").glob("*.xml")),
    }


def read_collection(paths, collection, *, base=None):
    """Return (records, problems) of a collection's files; duplicates of an id are problems."""
    tag = "visit" if collection == VISITS else "trip"
    records, problems, seen = [], [], {}
    for path in paths:
        name = str(path.relative_to(base)) if base else path.name
        try:
            root = ET.parse(path).getroot()
        except (ET.ParseError, OSError) as error:
            problems.append(Problem(name, "", f"file left out, not readable as XML: {error}"))
            continue
        for position, element in enumerate(root, start=1):
            if not isinstance(element.tag, str):
                continue  # comments and processing instructions
            record_id = collapse(element.findtext("id") or "") or f"(element {position})"
            if element.tag != tag:
                problems.append(Problem(name, record_id, f"unexpected <{element.tag}> element"))
                continue
            try:
                record = parse_record(element, collection, name)
            except RecordError as error:
                problems.append(Problem(name, record_id, str(error)))
                continue
            if record.record_id in seen:
                message = f"id already used in {seen[record.record_id]}; left out"
                problems.append(Problem(name, record.record_id, message))
                continue
            seen[record.record_id] = name
            records.append(record)
    records.sort(key=lambda record: (record.start, int(record.record_id)))
    return records, problems


def body_line(record):
    """Return the line of a dataset source's body that stands for one record."""
    place = record.country_name + (f", {record.city}" if record.city else "")
    line = f"[{record.external_id}] {record.date_label()} · {record.traveller} · {place}"
    return f"{line} — {record.text}" if record.text else line


def dataset_body(dataset, records, old_body="", *, keep=frozenset()):
    """Return the body of a collection's dataset source: an introduction, a line per record.

    A line of `old_body` stays for a record not among `records` (left out this time) and for
    the ids in `keep` (claims a curator edited), so that every claim still quotes the body.
    """
    lines = {}
    for line in old_body.splitlines():
        if line.startswith("[hsg-") and "]" in line:
            lines[line[1 : line.index("]")]] = line
    for record in records:
        if record.external_id not in keep or record.external_id not in lines:
            lines[record.external_id] = body_line(record)
    ordered = sorted(lines, key=lambda key: int(key.rsplit(":", 1)[1]))
    return dataset.intro() + "\n\n" + "\n".join(lines[key] for key in ordered)


@dataclass
class CollectionStats:
    """What an import did with one collection's records (visits and their claims)."""

    label: str
    records: int = 0
    counts: Counter = field(default_factory=Counter)

    def line(self):
        c = self.counts
        return (
            f"created {c['created']:,}, linked {c['linked']:,}, updated {c['updated']:,}, "
            f"unchanged {c['unchanged']:,}, conflicts {c['conflicts']:,}, "
            f"reported {c['reported']:,}"
        )


@dataclass
class ImportResult:
    """What one run of the import did, for its summary."""

    collections: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # records and files left out
    conflicts: list = field(default_factory=list)  # curators' edits kept
    totals: Counter = field(default_factory=Counter)  # actors, aliases, roles, sources, claims
    seconds: float = 0.0

    @property
    def created(self):
        """Return how many rows of any kind the import created."""
        return sum(stats.counts["created"] for stats in self.collections) + sum(
            n for key, n in self.totals.items() if key.endswith("created")
        )

    @property
    def updated(self):
        """Return how many rows of any kind the import changed."""
        changed = sum(
            stats.counts["updated"] + stats.counts["linked"] for stats in self.collections
        )
        return changed + sum(
            n for key, n in self.totals.items() if key.endswith(("updated", "extended"))
        )
