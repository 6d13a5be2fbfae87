"""Loading the seed knowledge base from the reviewable YAML files in data/seed/.

Records are identified by stable keys: slugs for actors, issues, visits, sources and
assertions; for claims the external id "seed:<source slug>:<claim key>"; aliases, roles,
participations and an assertion's claims by what they join. A load creates what is missing
and leaves existing records alone (a curator may have edited them); with `update=True` it
overwrites them with the files' values. Every record is validated as the admin validates it
(full_clean, so a claim's quote must occur in its source), and the whole load is one
transaction. Assertions (data/seed/assertions.yaml, optional) come last: they name the claims
they group as "<source slug>:<claim key>".
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from actors.models import Actor, ActorAlias, ActorKind, ActorRole
from assertions.models import Assertion, AssertionClaim
from claims.models import Claim, ClaimStatus
from core.status import PublicationStatus
from ingest.articles.services import ArticleImportError, DuplicateSourceError, source_import
from ingest.seed.files import (
    SeedError,
    SeedReport,
    all_referenced,
    check_keys,
    claim_reference,
    date_span,
    display,
    partial_date,
    read_yaml,
    referenced,
    relation,
    validate,
)
from sources.models import SourceDocument
from visits.models import Issue, Participation, Visit

SEED_DIR = Path(settings.BASE_DIR) / "data" / "seed"
PUBLISHED = PublicationStatus.PUBLISHED
_HISTORY_REASON = "Seed knowledge base"


@dataclass
class _Load:
    """The state of one load: options, report, and the records loaded so far by key."""

    update: bool
    report: SeedReport
    progress: object
    actors: dict = field(default_factory=dict)
    issues: dict = field(default_factory=dict)
    visits: dict = field(default_factory=dict)
    claims: dict = field(default_factory=dict)  # by "<source slug>:<claim key>"


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
        if (seed_dir / "assertions.yaml").exists():  # optional: a seed may have none
            _load_assertions(load, seed_dir / "assertions.yaml")
    return load.report


# --- Writing records ----------------------------------------------------------------------


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
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj, outcome = model(**lookup, **values), "created"
    elif load.update and _differs(obj, values, many):
        for name, value in values.items():
            setattr(obj, name, value)
        outcome = "updated"
    else:
        load.report.add(model, "present")
        return obj
    validate(obj, where)
    obj._change_reason = _HISTORY_REASON
    obj.save()
    for name, items in many.items():
        getattr(obj, name).set(items)
    load.report.add(model, outcome)
    return obj


def _load_actors(load, path):
    data = read_yaml(progress=load.progress, path=path)
    groups = [
        ("countries", ActorKind.COUNTRY),
        ("organisations", ActorKind.ORGANISATION),
        ("people", ActorKind.PERSON),
    ]
    for group, kind in groups:
        for record in data.get(group) or []:
            where = f"{display(path)}, {group} “{record.get('slug', '?')}”"
            fields = ["slug", "name", "country", "description", "aliases", "roles"]
            check_keys(record, fields, ["slug", "name"], where)
            values = {
                "name": record["name"],
                "kind": kind,
                "country": referenced(load.actors, record.get("country"), "country", where),
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
    check_keys(record, ["title", "organisation", "start", "end"], ["title"], where)
    start, end, precision = date_span(record, where)
    organisation = referenced(load.actors, record.get("organisation"), "actor", where)
    lookup = {"actor": actor, "title": record["title"], "organisation": organisation}
    lookup["start_date"] = start
    _save(load, ActorRole, lookup, {"end_date": end, "date_precision": precision}, where)


def _load_issues(load, path):
    load.issues.update({issue.slug: issue for issue in Issue.objects.all()})
    data = read_yaml(progress=load.progress, path=path)
    for record in data.get("issues") or []:
        where = f"{display(path)}, issue “{record.get('slug', '?')}”"
        allowed = ["slug", "name", "description", "keywords", "parent"]
        check_keys(record, allowed, ["slug", "name"], where)
        values = {
            "name": record["name"],
            "description": " ".join((record.get("description") or "").split()),
            "keywords": "\n".join(record.get("keywords") or []),
            "parent": referenced(load.issues, record.get("parent"), "issue", where),
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
    data = read_yaml(progress=load.progress, path=path)
    fields = ["slug", "title", "visitor", "visitor_role", "origin", "destination", "city"]
    fields += ["start", "end", "kind", "summary", "issues", "participants"]
    for record in data.get("visits") or []:
        where = f"{display(path)}, visit “{record.get('slug', '?')}”"
        check_keys(record, fields, ["slug", "title", "visitor", "start", "kind"], where)
        start, end, precision = date_span(record, where)
        visitor = referenced(load.actors, record["visitor"], "actor", where)
        values = {
            "title": record["title"],
            "visitor": visitor,
            "visitor_role": _visitor_role(visitor, record.get("visitor_role"), start, where),
            "origin": referenced(load.actors, record.get("origin"), "country", where),
            "destination": referenced(load.actors, record.get("destination"), "country", where),
            "city": record.get("city") or "",
            "start_date": start,
            "end_date": end,
            "date_precision": precision,
            "kind": record["kind"],
            "summary": " ".join((record.get("summary") or "").split()),
            "publication_status": PUBLISHED,
        }
        many = {"issues": all_referenced(load.issues, record.get("issues"), "issue", where)}
        visit = _save(load, Visit, {"slug": record["slug"]}, values, where, many)
        load.visits[visit.slug] = visit
        for participant in record.get("participants") or []:
            part_where = f"{where}, participant “{participant.get('actor', '?')}”"
            check_keys(participant, ["actor", "role", "note"], ["actor", "role"], part_where)
            lookup = {
                "visit": visit,
                "actor": referenced(load.actors, participant["actor"], "actor", part_where),
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
    data = read_yaml(progress=load.progress, path=path)
    record = data.get("source") or {}
    where = f"{display(path)}, source “{record.get('slug', '?')}”"
    check_keys(record, _SOURCE_FIELDS, ["file", "slug", "title", "kind"], where)
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
        claim_where = f"{display(path)}, claim “{claim.get('key', '?')}”"
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
        "visits": all_referenced(load.visits, record.get("visits"), "visit", where),
        "issues": all_referenced(load.issues, dict.fromkeys(issues), "issue", where),
        "actors": all_referenced(load.actors, dict.fromkeys(actors), "actor", where),
    }


def _import_source(load, path, values, where):
    try:
        raw_text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SeedError(f"{where}: cannot read {display(path)} ({error.strerror}).") from None
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
    check_keys(record, _CLAIM_FIELDS, ["key", "quote", "summary", "kind"], where)
    values = {
        "source": source,
        "quote": " ".join(record["quote"].split()),
        "summary": " ".join(record["summary"].split()),
        "kind": record["kind"],
        "speaker": referenced(load.actors, record.get("speaker"), "actor", where),
        "visit": referenced(load.visits, record.get("visit"), "visit", where),
        "status": record.get("status") or ClaimStatus.REPORTED,
        "status_note": " ".join((record.get("status_note") or "").split()),
        "publication_status": PUBLISHED,
    }
    many = {
        "actors": all_referenced(load.actors, record.get("actors"), "actor", where),
        "issues": all_referenced(load.issues, record.get("issues"), "issue", where),
        "disputed_by": all_referenced(load.actors, record.get("disputed_by"), "actor", where),
    }
    external_id = f"seed:{source_slug}:{record['key']}"
    if len(external_id) > Claim._meta.get_field("external_id").max_length:
        raise SeedError(f"{where}: the key is too long for the claim's id “{external_id}”.")
    claim = _save(load, Claim, {"external_id": external_id}, values, where, many)
    load.claims[f"{source_slug}:{record['key']}"] = claim


# --- Assertions: the sources' claims grouped, for and against -------------------------------


def _load_assertions(load, path):
    data = read_yaml(progress=load.progress, path=path)
    fields = ["slug", "statement", "visit", "issues", "note", "claims"]
    for record in data.get("assertions") or []:
        where = f"{display(path)}, assertion “{record.get('slug', '?')}”"
        check_keys(record, fields, ["slug", "statement", "claims"], where)
        values = {
            "statement": " ".join(record["statement"].split()),
            "visit": referenced(load.visits, record.get("visit"), "visit", where),
            "note": " ".join((record.get("note") or "").split()),
            "publication_status": PUBLISHED,
        }
        many = {"issues": all_referenced(load.issues, record.get("issues"), "issue", where)}
        links = [_assertion_link(load, link, where) for link in record["claims"]]
        claims = [claim for claim, _ in links]
        if len(set(claims)) != len(claims):
            raise SeedError(f"{where}: a claim is listed twice.")
        assertion = _save(load, Assertion, {"slug": record["slug"]}, values, where, many)
        for claim, (link_values, link_where) in links:
            lookup = {"assertion": assertion, "claim": claim}
            _save(load, AssertionClaim, lookup, link_values, link_where)


def _assertion_link(load, record, where):
    """Return (claim, (values, where)) for one of an assertion's claims, checked."""
    where = f"{where}, claim “{record.get('claim', '?')}”"
    check_keys(record, ["claim", "relation", "by"], ["claim", "relation"], where)
    reference = claim_reference(record["claim"], where)
    if reference not in load.claims:
        raise SeedError(f"{where}: there is no claim “{reference}” in the seed's sources.")
    values = {
        "relation": relation(record["relation"], record.get("by"), where),
        "by": referenced(load.actors, record.get("by"), "actor", where),
    }
    return load.claims[reference], (values, where)
