"""Import the Office of the Historian's visits and travels: visits, actors, roles, claims.

Each collection (visits to the U.S.; travels of the President; of the Secretary of State) is
one SourceDocument of kind dataset. Its body is the collection as this knowledge base holds
it, one line per record ("[hsg-visit:2933] 2019-07-21–2019-07-23 · Prime Minister Imran Khan
· Pakistan — Official Working Visit."), so that each record's description or remarks, kept
verbatim as a confirmed claim on its visit, quotes the body like any other claim.

Re-imports are incremental: a record whose last-modified time is unchanged is left alone; a
changed one updates its visit and claim (leaving history rows) unless a curator has edited
them since the import, which the stored import checksum reveals: then the curator's version
is kept and the conflict reported. Everything runs in one transaction.
"""

import hashlib
import json
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actors.resolution import ActorResolver, RoleBook, split_people
from claims.models import Claim, ClaimKind, ClaimStatus
from config.curation import PublicationStatus
from config.dates import DatePrecision
from config.text import fingerprint, normalise
from sources.models import SourceDocument, SourceKind
from visits.history_state_gov import (
    DATASETS,
    LICENCE,
    PUBLISHER,
    UNITED_STATES,
    VISITS,
    CollectionStats,
    ImportResult,
    Problem,
    collection_files,
    dataset_body,
    read_collection,
)
from visits.models import Participation, ParticipationRole, Visit

DATA_DIR = Path(settings.BASE_DIR) / "data" / "history-state-gov"
CHANGE_REASON = "Imported from the Office of the Historian's data"
VISIT_FIELDS = [
    "title",
    "visitor",
    "visitor_role",
    "origin",
    "destination",
    "city",
    "start_date",
    "end_date",
    "date_precision",
    "kind",
    "publication_status",
]
CLAIM_FIELDS = ["quote", "summary", "kind", "status", "speaker", "publication_status"]
BOOKKEEPING = ["import_checksum", "external_modified", "version", "updated_at"]


def checksum(values):
    """Return the SHA-256 of a dict of plain values."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


class HistoryStateGovImport:
    """One run of the import; `progress` receives a line of text now and then."""

    chunk_size = 500

    def __init__(self, visits_dir=None, travels_dir=None, *, progress=None, user=None):
        self.visits_dir = Path(visits_dir or DATA_DIR / "visits")
        self.travels_dir = Path(travels_dir or DATA_DIR / "travels")
        self.progress = progress or (lambda line: None)
        self.user = user
        self.result = ImportResult()

    def run(self):
        """Import every collection; return an ImportResult."""
        started = time.monotonic()
        files = collection_files(self.visits_dir, self.travels_dir)
        parsed = {}
        for collection, paths in files.items():
            base = self.visits_dir if collection == VISITS else self.travels_dir
            parsed[collection] = read_collection(paths, collection, base=base.parent)
        with transaction.atomic():
            self.resolver = ActorResolver(change_reason=CHANGE_REASON, user=self.user)
            self.roles = RoleBook(change_reason=CHANGE_REASON, user=self.user)
            self._load_countries(parsed)
            for collection, (records, problems) in parsed.items():
                self._import_collection(collection, records, problems)
            self.resolver.flush()
            self.result.totals["actors created"] += self.resolver.created_actors
            self.result.totals["aliases created"] += self.resolver.created_aliases
            self.result.totals["roles created"] += self.roles.created
            self.result.totals["roles extended"] += self.roles.extended
        self.result.seconds = time.monotonic() - started
        return self.result

    def _load_countries(self, parsed):
        """Find or make every country first, named as its latest record names it."""
        latest = {}
        for records, _ in parsed.values():
            for record in records:
                latest[record.country_slug] = max(
                    latest.get(record.country_slug, (record.start, record.country_name)),
                    (record.start, record.country_name),
                )
        self.us = self.resolver.country(*UNITED_STATES)
        for slug, (_, name) in sorted(latest.items()):
            self.resolver.country(slug, name)
        for records, _ in parsed.values():
            for record in records:
                self.resolver.country(record.country_slug, record.country_name)
        self.resolver.flush()
        self.country_slugs = {a.pk: slug for slug, a in self.resolver.countries.items()}
        self._who = {}  # trips: the dataset's traveller slug -> actor

    # --- one collection --------------------------------------------------------------------

    def _import_collection(self, collection, records, problems):
        dataset = DATASETS[collection]
        stats = CollectionStats(dataset.label)
        self.result.collections.append(stats)
        record_problems = [problem for problem in problems if problem.record_id]
        stats.records = len(records) + len(record_problems)
        stats.counts["reported"] = len(record_problems)
        self.result.problems += problems
        prefix = f"hsg-{collection}:"
        visits = {v.external_id: v for v in Visit.objects.filter(external_id__startswith=prefix)}
        claims = {c.external_id: c for c in Claim.objects.filter(external_id__startswith=prefix)}
        plans = [self._plan(record, visits.get(record.external_id), claims) for record in records]
        source = self._save_source(collection, dataset, plans)
        self._normalised_body = normalise(source.body)
        self._slugs = set(Visit.objects.values_list("slug", flat=True))
        started, last_report, done = time.monotonic(), 0.0, 0
        for start in range(0, len(plans), self.chunk_size):
            chunk = plans[start : start + self.chunk_size]
            self._write_chunk(chunk, dataset, source, stats)
            done += len(chunk)
            now = time.monotonic()
            if now - last_report >= 0.5 or done == len(plans):
                rate = done / max(now - started, 1e-6)
                self.progress(
                    f"{dataset.label}: {done:,}/{len(plans):,} records ({rate:,.0f}/s) "
                    f"— {stats.line()}"
                )
                last_report = now

    def _plan(self, record, visit, claims):
        """Return what to do with a record: its visit's and its claim's action."""
        if visit is None:
            visit_action = "create"
        elif visit.external_modified == record.last_modified:
            visit_action = "unchanged"
        elif self._visit_edited(visit):
            visit_action = "conflict"
        else:
            visit_action = "update"
        claim = claims.get(record.external_id)
        if not record.text:
            claim_action = "none"
        elif claim is None:
            claim_action = "create" if visit_action != "unchanged" else "none"
        elif claim.external_modified == record.last_modified:
            claim_action = "unchanged"
        elif claim.import_checksum != checksum(self._claim_values(claim)):
            claim_action = "conflict"
        else:
            claim_action = "update"
        return record, visit, visit_action, claim, claim_action

    def _save_source(self, collection, dataset, plans):
        """Create or refresh the collection's dataset source; its body lists every record."""
        external_id = f"hsg-dataset:{collection}"
        source = SourceDocument.objects.filter(external_id=external_id).first()
        conflicts = {plan[0].external_id for plan in plans if plan[4] == "conflict"}
        records = [plan[0] for plan in plans]
        body = dataset_body(dataset, records, source.body if source else "", keep=conflicts)
        if source is None:
            source = SourceDocument(
                title=dataset.title,
                slug=f"hsg-{slugify(dataset.label)}",
                kind=SourceKind.DATASET,
                publisher=PUBLISHER,
                url=dataset.url,
                licence=LICENCE,
                language="en",
                body=body,
                external_id=external_id,
                publication_status=PublicationStatus.PUBLISHED,
            )
            self.result.totals["sources created"] += 1
        elif source.body != body:
            source.body = body
            self.result.totals["sources updated"] += 1
        else:
            return source
        source._history_user, source._change_reason = self.user, CHANGE_REASON
        source.save()
        return source

    # --- writing ---------------------------------------------------------------------------

    def _write_chunk(self, chunk, dataset, source, stats):
        work = []
        for plan in chunk:
            record, visit, visit_action, claim, claim_action = plan
            if visit_action == "conflict":
                self.result.conflicts.append(
                    f"{record.external_id} ({record.file}): the visit “{visit.title}” was edited "
                    "by a curator since it was imported; their version is kept."
                )
            if visit_action in ("create", "update") or claim_action in ("create", "update"):
                work.append(plan)
            key = {"create": "created", "update": "updated", "conflict": "conflicts"}
            stats.counts[key.get(visit_action, "unchanged")] += 1
            if claim_action == "conflict":
                self.result.totals["claim conflicts"] += 1
                self.result.conflicts.append(
                    f"{record.external_id} ({record.file}): its claim was edited by a curator "
                    "since it was imported; their version is kept."
                )
        people = {}
        for record, _, visit_action, _, _ in work:
            if visit_action in ("create", "update"):
                people[record.external_id] = self._resolve_people(record, dataset)
        self.resolver.flush()
        for record, *_ in work:
            if record.external_id in people:
                people[record.external_id] = [
                    (self._role(actor, title, record), actor, title)
                    for actor, title in people[record.external_id]
                ]
        self.roles.flush()
        created, updated = [], []
        for record, visit, visit_action, _, _ in work:
            if visit_action == "create":
                created.append(self._new_visit(record, people[record.external_id]))
            elif visit_action == "update":
                updated.append(self._update_visit(visit, record, people[record.external_id]))
        self._save_visits(created, updated, source, people)
        visit_of = {visit.external_id: visit for visit in created + updated}
        self._save_claims(work, visit_of, source)

    def _resolve_people(self, record, dataset):
        """Return [(actor, title)] of a record's travellers, the visitor first."""
        if record.collection == VISITS:
            origin = self.resolver.countries[record.country_slug]
            return [
                (self.resolver.person(name, origin), title)
                for title, name in split_people(record.traveller)
            ]
        avoid = frozenset(id(actor) for who, actor in self._who.items() if who != record.who)
        actor = self._who.get(record.who) or self.resolver.person(
            record.traveller, self.us, avoid=avoid
        )
        self._who[record.who] = actor
        return [(actor, dataset.traveller_title)]

    def _role(self, actor, title, record):
        if not title:
            return None
        country = self.resolver.countries[record.country_slug]
        organisation = country if record.collection == VISITS else self.us
        return self.roles.role_for(actor, title, organisation, record.start, record.end)

    def _visit_values(self, record, people):
        role, visitor, _ = people[0]
        country = self.resolver.countries[record.country_slug]
        if record.collection == VISITS:
            origin, destination, place = country, self.us, "the United States"
        else:
            origin, destination, place = self.us, country, record.country_name
        return {
            "title": f"{split_people(record.traveller)[0][1]} visits {place}"[:255],
            "visitor": visitor,
            "visitor_role": role,
            "origin": origin,
            "destination": destination,
            "city": record.city[:120],
            "start_date": record.start,
            "end_date": record.end,
            "date_precision": DatePrecision.DAY,
            "kind": record.kind,
            "publication_status": PublicationStatus.PUBLISHED,
        }

    def _visit_checksum(self, visit, visitor_spelling):
        """Return the checksum of what the importer writes on a visit.

        The visitor counts by spelling, not by row, so merging the visitor into another actor
        (who then carries the spelling as an alias) is not mistaken for an edit.
        """
        return checksum(
            {
                "title": visit.title,
                "visitor": visitor_spelling,
                "role": self.roles.title_of(visit.visitor_role_id).casefold(),
                "origin": self.country_slugs.get(visit.origin_id, ""),
                "destination": self.country_slugs.get(visit.destination_id, ""),
                "city": visit.city,
                "start": visit.start_date,
                "end": visit.end_date,
                "precision": visit.date_precision,
                "kind": visit.kind,
                "publication_status": visit.publication_status,
            }
        )

    def _visit_edited(self, visit):
        """Return whether a curator changed what the importer last wrote on `visit`."""
        return all(
            self._visit_checksum(visit, spelling) != visit.import_checksum
            for spelling in self.resolver.spellings_of(visit.visitor_id)
        )

    def _new_visit(self, record, people):
        values = self._visit_values(record, people)
        visit = Visit(external_id=record.external_id, slug=self._visit_slug(record), **values)
        visit.import_checksum = self._visit_checksum(visit, self._spelling(record))
        visit.external_modified = record.last_modified
        return visit

    def _update_visit(self, visit, record, people):
        for name, value in self._visit_values(record, people).items():
            setattr(visit, name, value)
        visit.import_checksum = self._visit_checksum(visit, self._spelling(record))
        visit.external_modified = record.last_modified
        visit.version += 1
        visit.updated_at = timezone.now()
        return visit

    def _spelling(self, record):
        return fingerprint(split_people(record.traveller)[0][1])

    def _visit_slug(self, record):
        name = split_people(record.traveller)[0][1]
        base = slugify(f"{name} {record.country_slug} {record.start.isoformat()}")[:240]
        slug, counter = base, 2
        while slug in self._slugs:
            slug, counter = f"{base}-{counter}", counter + 1
        self._slugs.add(slug)
        return slug

    def _save_visits(self, created, updated, source, people):
        options = {"default_user": self.user, "default_change_reason": CHANGE_REASON}
        if created:
            bulk_create_with_history(created, Visit, batch_size=500, **options)
            SourceDocument.visits.through.objects.bulk_create(
                [
                    SourceDocument.visits.through(sourcedocument_id=source.pk, visit_id=visit.pk)
                    for visit in created
                ],
                ignore_conflicts=True,
            )
        if updated:
            bulk_update_with_history(
                updated, Visit, VISIT_FIELDS + BOOKKEEPING, batch_size=500, **options
            )
        # Fellow travellers named in the record ("… and Prime Minister X") take part.
        existing = set(
            Participation.objects.filter(visit__in=updated).values_list("visit_id", "actor_id")
        )
        participations = [
            Participation(
                visit=visit, actor=actor, role=ParticipationRole.DELEGATION, note=title[:255]
            )
            for visit in created + updated
            for _, actor, title in people[visit.external_id][1:]
            if (visit.pk, actor.pk) not in existing and actor.pk != visit.visitor_id
        ]
        if participations:
            bulk_create_with_history(participations, Participation, batch_size=500, **options)

    def _claim_values(self, claim):
        return {
            "quote": claim.quote,
            "summary": claim.summary,
            "kind": claim.kind,
            "status": claim.status,
            "speaker": claim.speaker_id,
            "visit": claim.visit_id,
            "publication_status": claim.publication_status,
        }

    def _save_claims(self, work, visit_of, source):
        created, updated = [], []
        for record, visit, _, claim, claim_action in work:
            if claim_action not in ("create", "update"):
                continue
            if normalise(record.text) not in self._normalised_body:
                message = "its text is not in the dataset source's body; claim left out"
                self.result.problems.append(Problem(record.file, record.record_id, message))
                continue
            if claim is None:
                claim = Claim(source=source, external_id=record.external_id)
                created.append(claim)
            else:
                claim.version += 1
                claim.updated_at = timezone.now()
                updated.append(claim)
            claim.visit = visit_of.get(record.external_id) or visit
            claim.quote = claim.summary = record.text
            claim.kind = ClaimKind.BACKGROUND if record.states_kind_only else ClaimKind.OUTCOME
            claim.status = ClaimStatus.CONFIRMED
            claim.speaker = None
            claim.publication_status = PublicationStatus.PUBLISHED
            claim.external_modified = record.last_modified
            claim.import_checksum = checksum(self._claim_values(claim))
        options = {"default_user": self.user, "default_change_reason": CHANGE_REASON}
        if created:
            bulk_create_with_history(created, Claim, batch_size=500, **options)
            Claim.actors.through.objects.bulk_create(
                [Claim.actors.through(claim_id=c.pk, actor_id=c.visit.visitor_id) for c in created],
                ignore_conflicts=True,
            )
        if updated:
            fields = [*CLAIM_FIELDS, "visit", *BOOKKEEPING]
            bulk_update_with_history(updated, Claim, fields, batch_size=500, **options)
        self.result.totals["claims created"] += len(created)
        self.result.totals["claims updated"] += len(updated)
