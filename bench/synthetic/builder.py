"""Builds a synthetic knowledge base: countries, people, issues, visits, sources, claims."""

import datetime
import hashlib
import random
import time

from django.db import connection, transaction
from django.db.models import Q

from actors.models import Actor, ActorKind
from bench.synthetic.bulk import BulkWriter, Counts
from bench.synthetic.words import (
    CITIES,
    COUNTRIES,
    FAMILY,
    GIVEN,
    ISSUE_NAMES,
    SENTENCES,
    TITLES,
    zipf_choice,
)
from claims.models import Claim, ClaimKind, ClaimStatus
from core import visibility
from core.dates import DatePrecision
from core.text import normalise
from sources.models import SourceDocument, SourceKind
from visits.models import Issue, Participation, ParticipationRole, Visit, VisitKind


class SyntheticBuilder:
    """Generate a synthetic knowledge base of the requested size."""

    CHUNK = 5000

    def __init__(self, *, visits, claims, sources, seed, progress=None):
        self.visit_total = visits
        self.claim_total = claims
        self.source_total = sources
        self.rng = random.Random(seed)
        self.seed = seed
        self.progress = progress or (lambda message: None)
        self.counts = Counts()
        self.writer = BulkWriter(self.counts)
        self.now = datetime.datetime.now(datetime.UTC)

    # --- helpers -------------------------------------------------------------------------------

    def _status(self):
        return "draft" if self.rng.random() < 0.05 else "published"

    def _curated(self):
        """Return the values of the CuratedModel columns for one new row."""
        return (self._status(), 1, self.now, self.now)

    CURATED_COLUMNS = ("publication_status", "version", "created_at", "updated_at")

    def _chunks(self, total):
        start = 0
        while start < total:
            yield start, min(self.CHUNK, total - start)
            start += self.CHUNK

    # --- the build -----------------------------------------------------------------------------

    def build(self):
        started = time.monotonic()
        with transaction.atomic():
            first = {model: self.writer.next_id(model) for model in (Visit, Claim)}
            self._countries_and_people()
            self._issues()
            self._visits()
            self._sources()
            self._claims()
            self.writer.reset_sequences([Actor, Issue, Visit, Participation, SourceDocument, Claim])
            for model, first_id in first.items():
                corrected = visibility.refresh(model, Q(pk__gte=first_id))
                self.progress(f"{model._meta.verbose_name_plural}: stored columns checked")
                if corrected:
                    raise RuntimeError(
                        f"{corrected} synthetic {model._meta.verbose_name_plural} had wrong "
                        "stored columns; the generator and core.visibility disagree."
                    )
        if connection.vendor == "postgresql":
            # VACUUM marks the new pages all-visible, so that lists are read from index-only
            # scans at once; it cannot run inside a transaction (a test's, for one).
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            self.progress(f"{command} …")
            with connection.cursor() as cursor:
                cursor.execute(command)
        self.counts.seconds = time.monotonic() - started
        return self.counts

    def _countries_and_people(self):
        tag = f"s{self.seed}"
        first = self.writer.next_id(Actor)
        rows, self.countries = [], []
        self.public_actor = {}
        for offset, name in enumerate(COUNTRIES):
            actor_id = first + offset
            slug = f"{tag}-{name.lower().replace(' ', '-')}"
            rows.append(
                (
                    actor_id,
                    f"{name} ({tag})",
                    slug,
                    ActorKind.COUNTRY,
                    None,
                    "",
                    f"{name.lower()} {tag}",
                    "published",
                    1,
                    self.now,
                    self.now,
                )
            )
            self.countries.append((actor_id, name))
            self.public_actor[actor_id] = True
        people_total = max(50, self.visit_total // 20)
        self.people = []
        next_id = first + len(COUNTRIES)
        for number in range(people_total):
            name = f"{self.rng.choice(GIVEN)} {self.rng.choice(FAMILY)} {number}"
            country_id, country = self.countries[self.rng.randrange(len(self.countries))]
            status = "published" if number < 20 else self._status()
            self.public_actor[next_id] = status == "published"
            rows.append(
                (
                    next_id,
                    name,
                    f"{tag}-person-{number}",
                    ActorKind.PERSON,
                    country_id,
                    f"A synthetic {self.rng.choice(TITLES).lower()} of {country}.",
                    " ".join(sorted(name.lower().split())),
                    status,
                    1,
                    self.now,
                    self.now,
                )
            )
            self.people.append((next_id, name, country_id))
            next_id += 1
        self.writer.write(
            Actor._meta.db_table,
            (
                "id",
                "name",
                "slug",
                "kind",
                "country_id",
                "description",
                "fingerprint",
                *self.CURATED_COLUMNS,
            ),
            rows,
        )
        self.pick_leader = zipf_choice(self.rng, self.people)
        self.pick_country = zipf_choice(self.rng, self.countries, exponent=0.8)
        self.progress(f"actors: {len(rows)}")

    def _issues(self):
        tag = f"s{self.seed}"
        existing = list(Issue.objects.values_list("id", "name"))
        first = self.writer.next_id(Issue)
        rows = []
        for offset, name in enumerate(ISSUE_NAMES):
            rows.append(
                (
                    first + offset,
                    f"{name} ({tag})",
                    f"{tag}-issue-{offset}",
                    "",
                    name.lower(),
                    *self._curated()[:1],
                    1,
                    self.now,
                    self.now,
                )
            )
        self.writer.write(
            Issue._meta.db_table,
            ("id", "name", "slug", "description", "keywords", *self.CURATED_COLUMNS),
            rows,
        )
        self.issues = existing + [(row[0], row[1]) for row in rows]
        self.pick_issue = zipf_choice(self.rng, self.issues, exponent=0.9)
        self.progress(f"issues: {len(rows)}")

    def _visits(self):
        tag = f"s{self.seed}"
        first = self.writer.next_id(Visit)
        participation_id = self.writer.next_id(Participation)
        kinds = [choice.value for choice in VisitKind]
        self.visits = []
        visit_columns = (
            "id",
            "title",
            "slug",
            "visitor_id",
            "origin_id",
            "destination_id",
            "city",
            "start_date",
            "end_date",
            "date_precision",
            "kind",
            "summary",
            "import_checksum",
            "external_modified",
            "dataset",
            "is_public",
            *self.CURATED_COLUMNS,
        )
        self.visit_public = {}
        for start, size in self._chunks(self.visit_total):
            visits, issue_links, participations = [], [], []
            for number in range(start, start + size):
                visit_id = first + number
                leader_id, leader, origin_id = self.pick_leader()
                destination_id, destination = self.pick_country()
                if destination_id == origin_id:
                    destination_id, destination = self.countries[0]
                day = datetime.date(1950, 1, 1) + datetime.timedelta(
                    days=int(self.rng.triangular(0, 27_700, 27_000))
                )
                precision = self.rng.choices(
                    [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR], [90, 8, 2]
                )[0]
                end = day + datetime.timedelta(days=self.rng.choice([0, 0, 1, 2, 3, 6]))
                city = CITIES.get(destination, f"{destination} capital")
                curated = self._curated()
                public = curated[0] == "published" and self.public_actor[leader_id]
                self.visit_public[visit_id] = public
                visits.append(
                    (
                        visit_id,
                        f"{leader} visits {destination}",
                        f"{tag}-visit-{number}",
                        leader_id,
                        origin_id,
                        destination_id,
                        city,
                        day,
                        end if precision == DatePrecision.DAY else None,
                        precision,
                        self.rng.choice(kinds),
                        f"{leader} travelled to {city} for talks.",
                        "",
                        "",
                        "",
                        public,
                        *curated,
                    )
                )
                for issue_id, _ in {self.pick_issue() for _ in range(self.rng.randint(0, 3))}:
                    issue_links.append((visit_id, issue_id))
                for _ in range(self.rng.randint(0, 2)):
                    host_id = self.pick_leader()[0]
                    if host_id != leader_id:
                        participations.append(
                            (participation_id, visit_id, host_id, ParticipationRole.HOST, "")
                        )
                        participation_id += 1
                self.visits.append((visit_id, leader, destination, city))
            self.writer.write(Visit._meta.db_table, visit_columns, visits)
            self.writer.write(
                Visit.issues.through._meta.db_table, ("visit_id", "issue_id"), issue_links
            )
            self.writer.write(
                Participation._meta.db_table,
                ("id", "visit_id", "actor_id", "role", "note"),
                _unique(participations, key=lambda row: row[1:4]),
            )
            self.progress(f"visits: {start + size:,}/{self.visit_total:,}")
        self.pick_visit = zipf_choice(self.rng, self.visits, exponent=0.7)

    def _sentence(self):
        _, leader, destination, city = self.pick_visit()
        return self.rng.choice(SENTENCES).format(
            a=leader,
            b=self.rng.choice(self.people)[1],
            city=city,
            country=destination,
            issue=self.pick_issue()[1].split(" (")[0].lower(),
            amount=self.rng.randint(1, 90),
        )

    def _sources(self):
        tag = f"s{self.seed}"
        first = self.writer.next_id(SourceDocument)
        kinds = [choice.value for choice in SourceKind if choice != SourceKind.DATASET]
        publishers = [
            "Dawn",
            "The Express Tribune",
            "The Diplomat",
            "ISSI",
            "Al Jazeera",
            "Reuters",
            "The News",
            "Foreign Policy",
            "Stimson Center",
            "Geo News",
        ]
        self.sources = []
        self.source_meta = {}  # id -> (published, date)
        columns = (
            "id",
            "title",
            "slug",
            "kind",
            "publisher",
            "authors",
            "url",
            "published_date",
            "language",
            "licence",
            "raw_text",
            "body",
            "checksum",
            "dataset",
            *self.CURATED_COLUMNS,
        )
        for start, size in self._chunks(self.source_total):
            rows, visit_links = [], []
            for number in range(start, start + size):
                source_id = first + number
                sentences = [self._sentence() for _ in range(self.rng.randint(12, 40))]
                paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
                body = f"Synthetic article {tag}-{number}.\n\n" + "\n\n".join(paragraphs)
                checksum = hashlib.sha256(normalise(body).encode()).hexdigest()
                day = datetime.date(1990, 1, 1) + datetime.timedelta(
                    days=self.rng.randrange(13_000)
                )
                curated = self._curated()
                self.source_meta[source_id] = (curated[0] == "published", day)
                rows.append(
                    (
                        source_id,
                        f"{sentences[0][:120]}",
                        f"{tag}-source-{number}",
                        self.rng.choice(kinds),
                        self.rng.choice(publishers),
                        f"{self.rng.choice(GIVEN)} {self.rng.choice(FAMILY)}",
                        f"https://example.org/{tag}/{number}",
                        day,
                        "en",
                        "",
                        "",
                        body,
                        checksum,
                        "",
                        *curated,
                    )
                )
                visit_links.append((source_id, self.pick_visit()[0]))
                self.sources.append((source_id, sentences))
            self.writer.write(SourceDocument._meta.db_table, columns, rows)
            self.writer.write(
                SourceDocument.visits.through._meta.db_table,
                ("sourcedocument_id", "visit_id"),
                visit_links,
            )
            self.progress(f"sources: {start + size:,}/{self.source_total:,}")

    def _claims(self):
        first = self.writer.next_id(Claim)
        statuses = [choice.value for choice in ClaimStatus]
        kinds = [choice.value for choice in ClaimKind]
        pick_source = zipf_choice(self.rng, self.sources, exponent=0.6)
        columns = (
            "id",
            "source_id",
            "quote",
            "summary",
            "kind",
            "speaker_id",
            "visit_id",
            "status",
            "status_note",
            "import_checksum",
            "external_modified",
            "dataset",
            "is_public",
            "source_date",
            *self.CURATED_COLUMNS,
        )
        for start, size in self._chunks(self.claim_total):
            rows, issue_links, actor_links, disputed = [], [], [], []
            for number in range(start, start + size):
                claim_id = first + number
                source_id, sentences = pick_source()
                quote = self.rng.choice(sentences)
                status = self.rng.choices(statuses, [70, 10, 8, 7, 5])[0]
                visit_id = self.pick_visit()[0] if self.rng.random() < 0.8 else None
                speaker_id = self.pick_leader()[0] if self.rng.random() < 0.4 else None
                curated = self._curated()
                source_public, source_date = self.source_meta[source_id]
                public = (
                    curated[0] == "published"
                    and source_public
                    and (visit_id is None or self.visit_public[visit_id])
                    and (speaker_id is None or self.public_actor[speaker_id])
                )
                rows.append(
                    (
                        claim_id,
                        source_id,
                        quote,
                        f"Claim {number}: {quote[:80]}",
                        self.rng.choice(kinds),
                        speaker_id,
                        visit_id,
                        status,
                        "",
                        "",
                        "",
                        "",
                        public,
                        source_date,
                        *curated,
                    )
                )
                for issue_id, _ in {self.pick_issue() for _ in range(self.rng.randint(1, 2))}:
                    issue_links.append((claim_id, issue_id))
                actor_links.append((claim_id, self.pick_leader()[0]))
                if status in (ClaimStatus.DISPUTED, ClaimStatus.DENIED):
                    disputed.append((claim_id, self.pick_country()[0]))
            self.writer.write(Claim._meta.db_table, columns, rows)
            self.writer.write(
                Claim.issues.through._meta.db_table, ("claim_id", "issue_id"), issue_links
            )
            self.writer.write(
                Claim.actors.through._meta.db_table, ("claim_id", "actor_id"), actor_links
            )
            self.writer.write(
                Claim.disputed_by.through._meta.db_table, ("claim_id", "actor_id"), disputed
            )
            self.progress(f"claims: {start + size:,}/{self.claim_total:,}")


def _unique(rows, key):
    seen, result = set(), []
    for row in rows:
        if key(row) not in seen:
            seen.add(key(row))
            result.append(row)
    return result
