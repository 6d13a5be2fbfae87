"""The seed files read and checked: YAML, keys, references between files, dates, validation.

Every problem is a SeedError whose message names the file, the record and why.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError

from actors.models import Actor, ActorAlias, ActorRole
from assertions.models import Assertion, AssertionClaim, Relation
from claims.models import Claim
from core.dates import DatePrecision
from sources.models import SourceDocument
from visits.models import Issue, Participation, Visit

#: Models in the order they are loaded (and reported).
MODELS = [
    *(Actor, ActorAlias, ActorRole, Issue, Visit, Participation, SourceDocument, Claim),
    *(Assertion, AssertionClaim),
]
_MONTH = re.compile(r"^\d{4}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")
_CLAIM_REFERENCE = re.compile(r"^[-\w]+:[-\w]+$")


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


def display(path):
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def read_yaml(path, progress):
    progress(f"Loading {display(path)}")
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}
    except FileNotFoundError:
        raise SeedError(f"{display(path)}: the seed file is missing.") from None
    except yaml.YAMLError as error:
        raise SeedError(f"{display(path)}: not valid YAML: {error}") from None


def check_keys(record, allowed, required, where):
    unknown = set(record) - set(allowed)
    if unknown:
        raise SeedError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}.")
    missing = [name for name in required if record.get(name) in (None, "")]
    if missing:
        raise SeedError(f"{where}: missing {', '.join(missing)}.")


def referenced(table, slug, what, where):
    """Return the record of `table` (loaded so far, by slug) that `slug` names, or None."""
    if slug in (None, ""):
        return None
    try:
        return table[slug]
    except KeyError:
        raise SeedError(f"{where}: there is no {what} “{slug}” in the seed files.") from None


def all_referenced(table, slugs, what, where):
    """Return the records of `table` that `slugs` name, in their order."""
    return [referenced(table, slug, what, where) for slug in slugs or []]


def claim_reference(value, where):
    """Return "<source slug>:<claim key>", checked to be written that way."""
    text = str(value or "").strip()
    if not _CLAIM_REFERENCE.match(text):
        raise SeedError(
            f"{where}: “{value}” does not name a claim (write <source slug>:<claim key>)."
        )
    return text


def relation(value, by, where):
    """Return the relation of a claim to its assertion, checked against the choices."""
    if value not in Relation.values:
        choices = ", ".join(Relation.values)
        raise SeedError(f"{where}: the relation “{value}” is not one of {choices}.")
    if by and value == Relation.SUPPORTS:
        raise SeedError(f"{where}: “by” names who disputes or denies; this claim supports it.")
    return value


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


def date_span(record, where):
    start, start_precision = partial_date(record.get("start"), where)
    end, end_precision = partial_date(record.get("end"), where)
    if start_precision and end_precision and start_precision != end_precision:
        raise SeedError(f"{where}: start and end must be written with the same precision.")
    return start, end, start_precision or end_precision or DatePrecision.YEAR


def validate(obj, where):
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
