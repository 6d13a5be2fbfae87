"""CSV/JSON rows of the visits and issues lists."""

from core.lists.exports import Choice, Date, Extra, Field, Link, ListExporter, Names
from visits.filters import MEETING_DATE, MEETING_ISSUES, MEETING_NAME
from visits.models import Issue, VisitKind


class VisitExporter(ListExporter):
    """One row per visit, with the columns of the public contract."""

    name = "visits"
    columns = {
        "slug": Field("slug"),
        "title": Field("title"),
        "visitor": Field("visitor__name"),
        "origin": Field("origin__name"),
        "destination": Field("destination__name"),
        "city": Field("city"),
        "start_date": Date("start_date"),
        "end_date": Date("end_date"),
        "date_precision": Field("date_precision"),
        "kind": Choice("kind", VisitKind.choices),
        "issues": Names("issues"),
        "summary": Field("summary"),
        "url": Link("visits:detail"),
    }


class IssueExporter(ListExporter):
    """One row per issue, with its numbers of public visits and claims."""

    name = "issues"
    columns = {
        "slug": Field("slug"),
        "name": Field("name"),
        "parent": Field("parent__name", if_public="parent"),
        "description": Field("description"),
        "visits": Extra("visit_count"),
        "claims": Extra("claim_count"),
        "url": Link("visits:issue-detail"),
    }

    def extend(self, records):
        counts = Issue.objects.public_counts(getattr(self.request, "data_version", None))
        for record in records:
            record["visit_count"], record["claim_count"] = counts.get(record["pk"], (0, 0))


class MeetingExporter(ListExporter):
    """One row per part in a visit: who, in what part, on whose visit, when and where."""

    name = "meetings"
    precision = "visit__date_precision"
    columns = {
        "actor": Field(MEETING_NAME),
        "role": Choice("role"),
        "note": Field("note", label="Title or topic"),
        "leader": Field("visit__visitor__name"),
        "visit": Field("visit__title"),
        "start_date": Date(MEETING_DATE, precision=precision, label="Date"),
        "date_precision": Field(precision, in_table=False),
        "destination": Field("visit__destination__name"),
        "city": Field("visit__city"),
        "issues": Names(MEETING_ISSUES),
        "actor_url": Link("actors:detail", "actor__slug", on="actor"),
        "visit_url": Link("visits:detail", "visit__slug", on="visit"),
    }
