"""Loading the seed knowledge base from the reviewable YAML files in sources/seed/.

Records are identified by stable keys: slugs for actors, issues, visits and sources; for claims
the external id "seed:<source slug>:<claim key>"; aliases, roles and participations by what they
join. A load creates what is missing and leaves existing records alone (a curator may have
edited them); with `update=True` it overwrites them with the files' values. Every record is
validated as the admin validates it (full_clean, so a claim's quote must occur in its source),
and the whole load is one transaction.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from actors.models import Actor, ActorAlias, ActorKind, ActorRole
from claims.models import Claim, ClaimStatus
from config.curation import PublicationStatus
from config.dates import DatePrecision
from sources.models import SourceDocument
from sources.services import ArticleImportError, DuplicateSourceError, source_import
from visits.models import Issue, Participation, Visit

SEED_DIR = Path(settings.BASE_DIR) / "sources" / "seed"
PUBLISHED = PublicationStatus.PUBLISHED
#: Models in the order they are loaded (and reported).
MODELS = [Actor, ActorAlias, ActorRole, Issue, Visit, Participation, SourceDocument, Claim]
_HISTORY_REASON = "Seed knowledge base"
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


class SeedError(Exception):
    """A seed file that cannot be loaded; the message names the file, the record and why."""


@dataclass
class SeedReport:
    """What a load did: per model, how many records were created, updated or already present."""

    counts: dict = field(default_factory=lambda: {model: Counter() for model in MODELS})

    def add(self, model, outcome):
        self.counts[model][outcome] += 1

    def total(self, outcome):
        """Return how many records of all models had this outcome."""
        return sum(counter[outcome] for counter in self.counts.values())

    def lines(self):
        """Return one line per model, then a total line."""
        lines = []
        for model, counter in self.counts.items():
            name = model._meta.verbose_name_plural.capitalize()
            parts = [f"{counter['created']} created", f"{counter['present']} already present"]
            if counter["updated"]:
                parts.insert(1, f"{counter['updated']} updated")
            lines.append(f"{name}: {', '.join(parts)}")
        lines.append(
            f"Total: {self.total('created')} created, {self.total('updated')} updated, "
            f"{self.total('present')} already present"
        )
        return lines


@dataclass
class _Load:
    """The state of one load: options, report, and the records loaded so far by key."""

    update: bool
    report: SeedReport
    progress: object
    actors: dict = field(default_factory=dict)
    issues: dict = field(default_factory=dict)
    visits: dict = field(default_factory=dict)


def seed_load(*, seed_dir=SEED_DIR, update=False, progress=None) -> SeedReport:
    """Load every seed file in `seed_dir` in one transaction and return what was done."""
    seed_dir = Path(seed_dir)
    load = _Load(update=update, report=SeedReport(), progress=progress or (lambda line: None))
    source_files = sorted((seed_dir / "sources").glob("*.yaml"))
    with transaction.atomic():
        _load_actors(load, seed_dir / "actors.yaml")
        _load_issues(load, seed_dir / "issues.yaml")
        _load_visits(load, seed_dir / "visits.yaml")
        for path in source_files:
            _load_source(load, path, seed_dir)
    return load.report


# --- Reading and checking the files -------------------------------------------------------


def _display(path):
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def _read(load, path):
    load.progress(f"Loading {_display(path)}")
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}
    except FileNotFoundError:
        raise SeedError(f"{_display(path)}: the seed file is missing.") from None
    except yaml.YAMLError as error:
        raise SeedError(f"{_display(path)}: not valid YAML: {error}") from None


def _check_keys(record, allowed, required, where):
    unknown = set(record) - set(allowed)
    if unknown:
        raise SeedError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
    missing = [name for name in required if record.get(name) in (None, "")]
    if missing:
        raise SeedError(f"{where}: missing {', '.join(missing)}.")


def _lookup(table, slug, what, where):
    if slug in (None, ""):
        return None
    try:
        return table[slug]
    except KeyError:
        raise SeedError(f"{where}: there is no {what} “{slug}” in the seed files.") from None


def _many(table, slugs, what, where):
    return [_lookup(table, slug, what, where) for slug in slugs or []]


def partial_date(value, where):
    """Return (date, precision) for 2020-11-19 (day), "2020-11" (month) or 2020 (year)."""
    if value in (None, ""):
        return None, None
    if isinstance(value, datetime.date):
        return value, DatePrecision.DAY
    text = str(value)
    if _YEAR.match(text):
        return datetime.date(int(text), 1, 1), DatePrecision.YEAR
    if _MONTH.match(text):
        year, month = map(int, text.split("-"))
        return datetime.date(year, month, 1), DatePrecision.MONTH
    raise SeedError(f"{where}: “{value}” is not a date (write 2020-11-19, 2020-11 or 2020).")


def _date_span(record, where):
    start, start_precision = partial_date(record.get("start"), where)
    end, end_precision = partial_date(record.get("end"), where)
    if start_precision and end_precision and start_precision != end_precision:
        raise SeedError(f"{where}: start and end must be written with the same precision.")
    return start, end, start_precision or end_precision or DatePrecision.YEAR


# --- Writing records ----------------------------------------------------------------------


def _validate(obj, where):
    """Run the admin's validation; raise SeedError naming the record and every reason."""
    exclude = [f.name for f in obj._meta.fields if not f.editable]
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        reasons = [
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        raise SeedError(f"{where}: {' '.join(reasons)}") from None


def _differs(obj, values, many):
    if any(getattr(obj, name) != value for name, value in values.items()):
        return True
    return any(
        {item.pk for item in getattr(obj, name).all()} != {item.pk for item in items}
        for name, items in many.items()
    )


def _save(load, model, lookup, values, where, many=None):
    """Create the record if missing, overwrite it when updating, else leave it; return it."""
    many = many or {}
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj, outcome = model(**lookup, **values), "created"
    elif load.update and _differs(obj, values, many):
        for name, value in values.items():
            setattr(obj, name, value)
        outcome = "updated"
    else:
        load.report.add(model, "present")
        return obj
    _validate(obj, where)
    obj._change_reason = _HISTORY_REASON
    obj.save()
    for name, items in many.items():
        getattr(obj, name).set(items)
    load.report.add(model, outcome)
    return obj


def _load_actors(load, path):
    data = _read(load, path)
    groups = [
        ("countries", ActorKind.COUNTRY),
        ("organisations", ActorKind.ORGANISATION),
        ("people", ActorKind.PERSON),
    ]
    for group, kind in groups:
        for record in data.get(group) or []:
            where = f"{_display(path)}, {group} “{record.get('slug', '?')}”"
            fields = ["slug", "name", "country", "description", "aliases", "roles"]
            _check_keys(record, fields, ["slug", "name"], where)
            values = {
                "name": record["name"],
                "kind": kind,
                "country": _lookup(load.actors, record.get("country"), "country", where),
                "description": " ".join((record.get("description") or "").split()),
                "publication_status": PUBLISHED,
            }
            actor = _save(load, Actor, {"slug": record["slug"]}, values, where)
            load.actors[actor.slug] = actor
            for alias in record.get("aliases") or []:
                _save(load, ActorAlias, {"actor": actor, "name": alias}, {}, f"{where}, alias")
            for role in record.get("roles") or []:
                _load_role(load, actor, role, f"{where}, role “{role.get('title', '?')}”")


def _load_role(load, actor, record, where):
    _check_keys(record, ["title", "organisation", "start", "end"], ["title"], where)
    start, end, precision = _date_span(record, where)
    organisation = _lookup(load.actors, record.get("organisation"), "actor", where)
    lookup = {"actor": actor, "title": record["title"], "organisation": organisation}
    lookup["start_date"] = start
    _save(load, ActorRole, lookup, {"end_date": end, "date_precision": precision}, where)


def _load_issues(load, path):
    load.issues.update({issue.slug: issue for issue in Issue.objects.all()})
    data = _read(load, path)
    for record in data.get("issues") or []:
        where = f"{_display(path)}, issue “{record.get('slug', '?')}”"
        allowed = ["slug", "name", "description", "keywords", "parent"]
        _check_keys(record, allowed, ["slug", "name"], where)
        values = {
            "name": record["name"],
            "description": " ".join((record.get("description") or "").split()),
            "keywords": "\n".join(record.get("keywords") or []),
            "parent": _lookup(load.issues, record.get("parent"), "issue", where),
            "publication_status": PUBLISHED,
        }
        load.issues[record["slug"]] = _save(load, Issue, {"slug": record["slug"]}, values, where)


def _visitor_role(visitor, title, start, where):
    if not title:
        return None
    roles = list(visitor.roles.filter(title=title))
    if not roles:
        raise SeedError(f"{where}: {visitor} has no role “{title}” in actors.yaml.")
    held = [
        role
        for role in roles
        if (role.start_date is None or role.start_date <= start)
        and (role.end_date is None or start <= role.end_date)
    ]
    return (held or roles)[0]


def _load_visits(load, path):
    data = _read(load, path)
    fields = ["slug", "title", "visitor", "visitor_role", "origin", "destination", "city"]
    fields += ["start", "end", "kind", "summary", "issues", "participants"]
    for record in data.get("visits") or []:
        where = f"{_display(path)}, visit “{record.get('slug', '?')}”"
        _check_keys(record, fields, ["slug", "title", "visitor", "start", "kind"], where)
        start, end, precision = _date_span(record, where)
        visitor = _lookup(load.actors, record["visitor"], "actor", where)
        values = {
            "title": record["title"],
            "visitor": visitor,
            "visitor_role": _visitor_role(visitor, record.get("visitor_role"), start, where),
            "origin": _lookup(load.actors, record.get("origin"), "country", where),
            "destination": _lookup(load.actors, record.get("destination"), "country", where),
            "city": record.get("city") or "",
            "start_date": start,
            "end_date": end,
            "date_precision": precision,
            "kind": record["kind"],
            "summary": " ".join((record.get("summary") or "").split()),
            "publication_status": PUBLISHED,
        }
        many = {"issues": _many(load.issues, record.get("issues"), "issue", where)}
        visit = _save(load, Visit, {"slug": record["slug"]}, values, where, many)
        load.visits[visit.slug] = visit
        for participant in record.get("participants") or []:
            part_where = f"{where}, participant “{participant.get('actor', '?')}”"
            _check_keys(participant, ["actor", "role", "note"], ["actor", "role"], part_where)
            lookup = {
                "visit": visit,
                "actor": _lookup(load.actors, participant["actor"], "actor", part_where),
                "role": participant["role"],
            }
            note = " ".join((participant.get("note") or "").split())
            _save(load, Participation, lookup, {"note": note}, part_where)


# --- Sources (through the article importer) and their claims ----------------------------------

_SOURCE_FIELDS = ["file", "slug", "title", "kind", "publisher", "authors", "url"]
_SOURCE_FIELDS += ["published_date", "visits", "issues", "actors"]
_CLAIM_FIELDS = ["key", "quote", "summary", "kind", "speaker", "status", "disputed_by"]
_CLAIM_FIELDS += ["status_note", "visit", "actors", "issues"]


def _load_source(load, path, seed_dir):
    data = _read(load, path)
    record = data.get("source") or {}
    where = f"{_display(path)}, source “{record.get('slug', '?')}”"
    _check_keys(record, _SOURCE_FIELDS, ["file", "slug", "title", "kind"], where)
    claims = data.get("claims") or []
    # Metadata the file leaves out stays as the importer extracted it from the text.
    values = {
        name: record[name] or "" for name in ("publisher", "authors", "url") if name in record
    }
    if "published_date" in record:
        values["published_date"] = partial_date(record["published_date"], where)[0]
    values.update(title=record["title"], kind=record["kind"], publication_status=PUBLISHED)
    many = _source_links(load, record, claims, where)
    # The external id survives a curator renaming the slug or correcting the body.
    external_id = f"seed:{record['slug']}"
    existing = SourceDocument.objects.filter(
        Q(external_id=external_id) | Q(slug=record["slug"])
    ).first()
    if existing is None:
        values.update(slug=record["slug"], external_id=external_id)
        source = _import_source(load, seed_dir / record["file"], values, where)
        if source.external_id == external_id:  # newly imported: link it as the file says
            for name, items in many.items():
                getattr(source, name).set(items)
    else:
        source = _save(load, SourceDocument, {"pk": existing.pk}, values, where, many)
    for claim in claims:
        claim_where = f"{_display(path)}, claim “{claim.get('key', '?')}”"
        _load_claim(load, source, record["slug"], claim, claim_where)


def _source_links(load, record, claims, where):
    """Return the source's visits, issues and actors: those listed and those its claims use."""
    issues = list(record.get("issues") or [])
    actors = list(record.get("actors") or [])
    for claim in claims:
        issues += claim.get("issues") or []
        actors += claim.get("actors") or []
        actors += [claim.get("speaker")] if claim.get("speaker") else []
        actors += claim.get("disputed_by") or []
    return {
        "visits": _many(load.visits, record.get("visits"), "visit", where),
        "issues": _many(load.issues, dict.fromkeys(issues), "issue", where),
        "actors": _many(load.actors, dict.fromkeys(actors), "actor", where),
    }


def _import_source(load, path, values, where):
    try:
        raw_text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SeedError(f"{where}: cannot read {_display(path)} ({error.strerror}).") from None
    try:
        source = source_import(raw_text=raw_text, filename=path.name, overrides=values)
    except DuplicateSourceError as error:
        # The same article imported earlier under another slug: its claims go there.
        load.report.add(SourceDocument, "present")
        return error.existing
    except ArticleImportError as error:
        raise SeedError(f"{where}: the article cannot be imported: {error}") from None
    load.report.add(SourceDocument, "created")
    return source


def _load_claim(load, source, source_slug, record, where):
    _check_keys(record, _CLAIM_FIELDS, ["key", "quote", "summary", "kind"], where)
    values = {
        "source": source,
        "quote": " ".join(record["quote"].split()),
        "summary": " ".join(record["summary"].split()),
        "kind": record["kind"],
        "speaker": _lookup(load.actors, record.get("speaker"), "actor", where),
        "visit": _lookup(load.visits, record.get("visit"), "visit", where),
        "status": record.get("status") or ClaimStatus.REPORTED,
        "status_note": " ".join((record.get("status_note") or "").split()),
        "publication_status": PUBLISHED,
    }
    many = {
        "actors": _many(load.actors, record.get("actors"), "actor", where),
        "issues": _many(load.issues, record.get("issues"), "issue", where),
        "disputed_by": _many(load.actors, record.get("disputed_by"), "actor", where),
    }
    external_id = f"seed:{source_slug}:{record['key']}"
    if len(external_id) > Claim._meta.get_field("external_id").max_length:
        raise SeedError(f"{where}: the key is too long for the claim's id “{external_id}”.")
    _save(load, Claim, {"external_id": external_id}, values, where, many)
