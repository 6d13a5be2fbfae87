"""What changed upstream in a record whose visit a curator edited, for the curator's review.

A re-import keeps a curator's version of a visit. So that the curator can still take in what
the Office of the Historian changed since, the import compares the record as it is now with
the record as last imported (the visit's history row the importer wrote then) and names the
fields that differ, and the fields the curator changed.
"""

from ingest.history_state_gov.records import VISITS
from ingest.history_state_gov.visits import record_values
from visits.models import Visit

#: The fields a curator may change on an imported visit, as a curator would name them.
CURATED_FIELDS = {
    "title": "title",
    "visitor_id": "visitor",
    "visitor_role_id": "visitor's role",
    "origin_id": "origin",
    "destination_id": "destination",
    "city": "city",
    "start_date": "start date",
    "end_date": "end date",
    "date_precision": "date precision",
    "kind": "kind",
    "publication_status": "publication status",
}


class UpstreamReview:
    """Finds, for visits a curator edited, what their records changed since the last import."""

    def __init__(self, *, change_reason, country_slugs):
        self.imported = change_reason
        self.linked = f"{change_reason} (linked to its record)"
        self.country_slugs = country_slugs  # country actor pk -> the dataset's slug

    def changes(self, pairs):
        """Return {visit pk: (fields changed upstream, fields the curator changed)}.

        `pairs` is [(visit, record)] of visits whose record changed while a curator's version
        is kept. A visit the importer never wrote (a curator entered it, then it was linked
        to its record) compares the record's own words only.
        """
        visits = {visit.pk: (visit, record) for visit, record in pairs}
        last_import = {}
        rows = Visit.history.filter(
            id__in=list(visits), history_change_reason__in=[self.imported, self.linked]
        ).order_by("id", "history_date", "history_id")
        for row in rows.values("id", "history_change_reason", "record_url", *self._columns()):
            last_import[row["id"]] = row
        return {
            pk: (
                self._upstream(record, last_import.get(pk)),
                self._curated(visit, last_import.get(pk)),
            )
            for pk, (visit, record) in visits.items()
        }

    def _columns(self):
        names = [name.removesuffix("_id") for name in CURATED_FIELDS]
        return [*names, "record_visitor", "record_title", "record_text"]

    def _upstream(self, record, row):
        if row is None:
            return []
        now = record_values(record)
        text = "description" if record.collection == VISITS else "remarks"
        changed = []
        if row["record_url"]:  # rows before the record's words were kept have none
            changed += [
                label
                for label, field in (
                    ("visitor", "record_visitor"),
                    ("title at the time", "record_title"),
                    (text, "record_text"),
                )
                if row[field] != now[field]
            ]
        if row["history_change_reason"] == self.imported:
            country = row["origin"] if record.collection == VISITS else row["destination"]
            changed += [
                label
                for label, before, after in (
                    ("start date", row["start_date"], record.start),
                    ("end date", row["end_date"], record.end),
                    ("country", self.country_slugs.get(country), record.country_slug),
                    ("city", row["city"], record.city[:120]),
                    ("kind", row["kind"], record.kind),
                )
                if before != after
            ]
        return changed

    def _curated(self, visit, row):
        if row is None or row["history_change_reason"] != self.imported:
            return []
        return [
            label
            for field, label in CURATED_FIELDS.items()
            if getattr(visit, field) != row[field.removesuffix("_id")]
        ]
