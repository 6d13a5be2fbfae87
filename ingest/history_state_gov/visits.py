"""Visits from Office of the Historian records: made, updated, or linked to curated ones."""

import hashlib
import json
import re
from collections import defaultdict

from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actors.names import split_people
from core.dates import DatePrecision
from core.status import PublicationStatus
from core.text import fingerprint
from ingest.history_state_gov.records import DATASET, DATASETS, VISITS
from visits.models import Participation, ParticipationRole, Visit

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
BOOKKEEPING = ["import_checksum", "external_modified", "version", "updated_at"]
#: What the record itself says, kept on its visit as provenance. Curators do not edit these
#: fields, so the importer keeps them in step with the record even on a visit a curator
#: edited (and outside the import checksum, which guards the curated fields).
RECORD_FIELDS = ["record_visitor", "record_title", "record_text", "record_url", "record_page"]
#: Titles some records misspell or run into the name ("Prime Minster …", "Prime
#: MinisterHaidar …"), which the list of known titles does not take: kept as written.
_STATED_TITLE = re.compile(r"^(?:Prime\s+Mini?st\w*?(?:-Prince)?|Sheikh)(?=\s|[A-Z])")


def checksum(values):
    """Return the SHA-256 of a dict of plain values."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


def record_values(record):
    """Return what a record itself says: the traveller and title as written, its text, its page."""
    if record.collection == VISITS:
        people = split_people(record.traveller)
        title = people[0][0] if people else ""
        if not title and (stated := _STATED_TITLE.match(record.traveller)):
            title = stated.group(0)
    else:  # a trip's <role>: every traveller of the collection holds the one office
        title = DATASETS[record.collection].traveller_title
    return {
        "record_visitor": record.traveller[:255],
        "record_title": title[:200],
        "record_text": record.text,
        "record_url": record.page_url[:500],
        "record_page": record.page_label[:255],
    }


def visit_title(record):
    """Return the title the importer gives a record's visit: "Imran Khan visits Canada"."""
    place = "the United States" if record.collection == VISITS else record.country_name
    return f"{split_people(record.traveller)[0][1]} visits {place}"[:255]


def set_record_values(visit, record):
    """Give `visit` what its record says; return whether anything changed."""
    changed = False
    for name, value in record_values(record).items():
        if getattr(visit, name) != value:
            setattr(visit, name, value)
            changed = True
    return changed


class VisitWriter:
    """Turns records and their resolved travellers into visits, in bulk and with history."""

    def __init__(self, *, resolver, roles, united_states, change_reason, user=None):
        self.resolver, self.roles, self.us = resolver, roles, united_states
        self.change_reason, self.user = change_reason, user
        self.country_slugs = {a.pk: slug for slug, a in resolver.countries.items()}
        self._slugs = set(Visit.objects.values_list("slug", flat=True))
        self._curated = defaultdict(list)  # (visitor, origin, destination, start) -> [pk]
        curated = Visit.objects.filter(external_id__isnull=True, date_precision=DatePrecision.DAY)
        for pk, *key in curated.values_list(
            "pk", "visitor_id", "origin_id", "destination_id", "start_date"
        ):
            self._curated[tuple(key)].append(pk)

    def values_of(self, record, people):
        """Return the field values a record gives its visit."""
        role, visitor, _ = people[0]
        country = self.resolver.countries[record.country_slug]
        if record.collection == VISITS:
            origin, destination = country, self.us
        else:
            origin, destination = self.us, country
        return {
            "title": visit_title(record),
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

    def checksum(self, visit, visitor_spelling):
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

    def edited(self, visit):
        """Return whether a curator changed what the importer last wrote on `visit`."""
        return all(
            self.checksum(visit, spelling) != visit.import_checksum
            for spelling in self.resolver.spellings_of(visit.visitor_id)
        )

    def new(self, record, people):
        """Return an unsaved visit for a record; `people` is [(role, actor, title)]."""
        values = self.values_of(record, people)
        visit = Visit(
            external_id=record.external_id,
            dataset=DATASET,
            slug=self._slug(record),
            **values,
            **record_values(record),
        )
        visit.import_checksum = self.checksum(visit, self._spelling(record))
        visit.external_modified = record.last_modified
        return visit

    def update(self, visit, record, people):
        """Return `visit` with the record's values (saved by save())."""
        for name, value in self.values_of(record, people).items():
            setattr(visit, name, value)
        set_record_values(visit, record)
        visit.import_checksum = self.checksum(visit, self._spelling(record))
        visit.external_modified = record.last_modified
        visit.version += 1
        visit.updated_at = timezone.now()
        return visit

    def _spelling(self, record):
        return fingerprint(split_people(record.traveller)[0][1])

    def _slug(self, record):
        name = split_people(record.traveller)[0][1]
        base = slugify(f"{name} {record.country_slug} {record.start.isoformat()}")[:240]
        slug, counter = base, 2
        while slug in self._slugs:
            slug, counter = f"{base}-{counter}", counter + 1
        self._slugs.add(slug)
        return slug

    def curated_match(self, record, people):
        """Return the pk of the one curated visit this record describes, if there is one.

        A visit a curator entered (the seed's "Imran Khan visits Washington") with the same
        visitor, countries and first day is that record: it is linked, not duplicated.
        """
        visitor = people[0][1]
        country = self.resolver.countries[record.country_slug]
        ends = (country, self.us) if record.collection == VISITS else (self.us, country)
        key = (visitor.pk, ends[0].pk, ends[1].pk, record.start)
        candidates = self._curated.get(key, [])
        if len(candidates) != 1:
            return None
        del self._curated[key]
        return candidates[0]

    def link(self, linked):
        """Give curated visits their record's id; their values stay the curator's."""
        if not linked:
            return []
        visits = Visit.objects.in_bulk(list(linked))
        for pk, record in linked.items():
            visit = visits[pk]
            visit.external_id = record.external_id
            visit.external_modified = record.last_modified
            set_record_values(visit, record)
            # No import checksum: every later change of the record is left to a curator.
            visit.import_checksum = ""
            visit.version += 1
            visit.updated_at = timezone.now()
        bulk_update_with_history(
            list(visits.values()),
            Visit,
            BOOKKEEPING + RECORD_FIELDS + ["external_id"],
            default_user=self.user,
            default_change_reason=f"{self.change_reason} (linked to its record)",
        )
        return list(visits.values())

    def save(self, created, updated, people):
        """Save new and updated visits, and the fellow travellers of new ones, with history."""
        options = {"default_user": self.user, "default_change_reason": self.change_reason}
        if created:
            bulk_create_with_history(created, Visit, batch_size=500, **options)
        if updated:
            bulk_update_with_history(
                updated,
                Visit,
                VISIT_FIELDS + RECORD_FIELDS + BOOKKEEPING,
                batch_size=500,
                **options,
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

    def refresh_records(self, pairs):
        """Bring the record fields of existing visits in step with their records.

        `pairs` is [(visit, record)] of visits the import otherwise leaves alone (unchanged,
        or edited by a curator). Only the record fields are written, without a new version:
        nothing a curator entered changes. Return how many visits changed.
        """
        changed = [visit for visit, record in pairs if set_record_values(visit, record)]
        if changed:
            bulk_update_with_history(
                changed,
                Visit,
                RECORD_FIELDS,
                batch_size=500,
                default_user=self.user,
                default_change_reason=f"{self.change_reason} (the record's own words)",
            )
        return len(changed)
