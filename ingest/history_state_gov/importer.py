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

import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actors.names import split_people
from actors.resolution import ActorResolver, RoleBook
from claims.models import Claim, ClaimKind, ClaimStatus
from core import anchors
from core.status import PublicationStatus
from core.text import normalise
from ingest.history_state_gov.records import (
    DATASET,
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
from ingest.history_state_gov.review import UpstreamReview
from ingest.history_state_gov.spellings import KNOWN_SPELLINGS
from ingest.history_state_gov.visits import BOOKKEEPING, VisitWriter, checksum
from sources.models import SourceDocument, SourceKind
from visits.models import Visit

DATA_DIR = Path(settings.BASE_DIR) / "data" / "history-state-gov"
CHANGE_REASON = "Imported from the Office of the Historian's data"
CLAIM_FIELDS = ["quote", "summary", "kind", "status", "speaker", "publication_status"]


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
            self.resolver = ActorResolver(
                change_reason=CHANGE_REASON, user=self.user, known_spellings=KNOWN_SPELLINGS
            )
            self.roles = RoleBook(change_reason=CHANGE_REASON, user=self.user)
            self._load_countries(parsed)
            self.visits = VisitWriter(
                resolver=self.resolver,
                roles=self.roles,
                united_states=self.us,
                change_reason=CHANGE_REASON,
                user=self.user,
            )
            self.review = UpstreamReview(
                change_reason=CHANGE_REASON, country_slugs=self.visits.country_slugs
            )
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
        self._upstream = self.review.changes(
            [(plan[1], plan[0]) for plan in plans if plan[2] == "conflict"]
        )
        # Visits left as they are still show what their record says now.
        self.result.totals["record details updated"] += self.visits.refresh_records(
            [(plan[1], plan[0]) for plan in plans if plan[2] in ("unchanged", "conflict")]
        )
        source = self._save_source(collection, dataset, plans)
        self._normalised_body = normalise(source.body)
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
            # The record is as it was, but this importer may read its kind better than the
            # one that imported it: a visit no curator has touched takes the new reading.
            reread = visit.kind != record.kind and visit.import_checksum
            visit_action = "update" if reread and not self.visits.edited(visit) else "unchanged"
        elif self.visits.edited(visit):
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
                dataset=DATASET,
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
                self.result.conflicts.append(self._conflict(record, visit))
            if visit_action in ("create", "update") or claim_action in ("create", "update"):
                work.append(plan)
            if visit_action != "create":  # created or linked: counted once decided
                key = {"update": "updated", "conflict": "conflicts"}
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
        created, updated, linked = [], [], {}
        for record, visit, visit_action, _, _ in work:
            if visit_action == "create":
                curated = self.visits.curated_match(record, people[record.external_id])
                if curated is not None:
                    linked[curated] = record
                else:
                    created.append(self.visits.new(record, people[record.external_id]))
            elif visit_action == "update":
                updated.append(self.visits.update(visit, record, people[record.external_id]))
        self.visits.save(created, updated, people)
        linked = self.visits.link(linked)
        self._link_source(source, created + linked)
        stats.counts["created"] += len(created)
        stats.counts["linked"] += len(linked)
        visit_of = {visit.external_id: visit for visit in created + updated + linked}
        self._save_claims(work, visit_of, source)

    def _conflict(self, record, visit):
        """Return the line that tells a curator what changed upstream in a visit they edited."""
        upstream, curated = self._upstream.get(visit.pk, ([], []))
        changed = ", ".join(upstream) or "only its last-modified time"
        how = "was edited by a curator since it was imported"
        if curated:
            how += f" ({', '.join(curated)})"
        if not visit.import_checksum:
            how = "was entered by a curator"
        return (
            f"{record.external_id} ({record.file}): changed upstream: {changed}; the visit "
            f"“{visit.title}” {how}, so their version is kept — please review."
        )

    def _link_source(self, source, visits):
        """Record that the dataset source covers these visits."""
        through = SourceDocument.visits.through
        through.objects.bulk_create(
            [through(sourcedocument_id=source.pk, visit_id=visit.pk) for visit in visits],
            ignore_conflicts=True,
        )

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

    def _anchor(self, record):
        """Return the anchor of a record's text on the record's own line of the body."""
        text, exact = self._normalised_body, normalise(record.text)
        line = text.find(f"[{record.external_id}]")
        at = text.find(exact, line) if line >= 0 else -1
        return anchors.place(text, exact, near=at if at >= 0 else None)

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
                claim = Claim(source=source, external_id=record.external_id, dataset=DATASET)
                created.append(claim)
            else:
                claim.version += 1
                claim.updated_at = timezone.now()
                updated.append(claim)
            claim.visit = visit_of.get(record.external_id) or visit
            claim.quote = claim.summary = record.text
            claim.set_anchor(self._anchor(record))
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
            fields = [*CLAIM_FIELDS, "visit", *Claim.anchor_fields, *BOOKKEEPING]
            bulk_update_with_history(updated, Claim, fields, batch_size=500, **options)
        self.result.totals["claims created"] += len(created)
        self.result.totals["claims updated"] += len(updated)
