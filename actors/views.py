"""Public pages of actors: people, organisations and countries.

An actor's page shows visits and claims, which live in apps above this one; they are reached
through the reverse relations (actor.visits_made, actor.claims_made …) rather than imported.
"""

from functools import cached_property

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.views.generic import DetailView

from actors.exports import ActorExporter
from actors.filters import ActorFilterSet
from actors.models import Actor, ActorKind, ActorRole
from config import chartdata
from config.charts import stacked_bar_chart, timeline_chart
from config.curation import public_q
from config.db import fixed_rows, rows_for_ids
from config.facets import ChoiceFacet, RelationFacet
from config.listing import (
    FilteredListView,
    labels_by_pk,
    names_by_pk,
    select_options,
    slugs_known,
)

DETAIL_ROWS = 20
#: Participation roles that make an actor the one visited (rather than a travelling member).
RECEIVING_ROLES = ("host", "met_with")


def public_countries():
    """Return (pk, slug, name) of every public country, by name (some two hundred rows)."""
    return fixed_rows(
        "public countries",
        lambda: Actor.objects.published().countries().values_list("pk", "slug", "name"),
    )


class ActorListView(FilteredListView):
    """Actors: filter by kind, country and text; facets; CSV and JSON."""

    model = Actor
    filterset_class = ActorFilterSet
    exporter_class = ActorExporter
    template_name = "actors/actor_list.html"
    title = "Actors"
    paginate_by = 25
    form_fields = ("q", "kind", "country")
    headline_field = "description"

    def get_facets(self):
        return [
            ChoiceFacet("kind", "Kind", path="kind", choices=tuple(ActorKind.choices)),
            RelationFacet("country", "Country", path="country", limit=15),
        ]

    @cached_property
    def public_countries(self):
        return public_countries()

    def known_targets(self):
        # An actor's country is a country (the field admits no other actor).
        return {"country": slugs_known(self.public_countries)}

    def facet_names(self):
        # An actor's country is a country (the field admits no other actor).
        return {"country": names_by_pk(self.public_countries)}

    def fill_form(self, form, facets, chips):
        super().fill_form(form, facets, chips)
        form.fields["country"].widget.choices = select_options(self.public_countries)

    def decorate(self, objects):
        """Give each shown actor `visit_count` (one query for the page) and `country_name`."""
        if not objects:
            return objects
        # The name of a public country, from the countries the select reads anyway.
        countries = labels_by_pk(self.public_countries)
        for actor in objects:
            actor.country_name = countries.get(actor.country_id, "")
        visits = objects[0].visits_made.model.objects.published()
        counts = dict(
            rows_for_ids(
                "visits made",
                lambda ids: (
                    visits.filter(visitor__any_of=ids)
                    .order_by()
                    .values("visitor_id")
                    .annotate(n=Count("pk"))
                    .values_list("visitor_id", "n")
                ),
                [actor.pk for actor in objects],
            )
        )
        for actor in objects:
            actor.visit_count = counts.get(actor.pk, 0)
        return objects


def visits_received(actor):
    """Return public visits the actor hosted or was met on; for a country, visits to it."""
    Visit = actor.visits_made.model
    through = Visit.participants.through
    received = Exists(
        through.objects.filter(visit_id=OuterRef("pk"), actor=actor, role__in=RECEIVING_ROLES)
    )
    condition = received | Q(destination=actor) if actor.kind == ActorKind.COUNTRY else received
    return Visit.objects.published().filter(condition)


class ActorDetailView(DetailView):
    """An actor: roles over time, visits made and received, claims by and about them."""

    template_name = "actors/actor_detail.html"

    def get_queryset(self):
        return Actor.objects.published().select_related("country")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = self.object
        made = actor.visits_made.published()
        received = visits_received(actor)
        claims_by = actor.claims_made.published()
        claims_about = actor.claims_about.published()
        roles = (
            ActorRole.objects.filter(actor=actor)
            .filter(Q(organisation__isnull=True) | public_q(Actor, prefix="organisation__"))
            .select_related("organisation")
            .order_by("-start_date", "title")
        )
        newest = ("-start_date", "-pk")
        context.update(
            country=actor.country if actor.country_id and actor.country.is_published else None,
            aliases=list(actor.aliases.values_list("name", flat=True)),
            roles=list(roles),
            made_count=made.count(),
            visits_made=list(made.for_list().order_by(*newest)[:DETAIL_ROWS]),
            received_count=received.count(),
            visits_received=list(received.for_list().order_by(*newest)[:DETAIL_ROWS]),
            claims_by_count=claims_by.count(),
            claims_by=list(claims_by.for_list().order_by("-source_date", "-pk")[:10]),
            claims_about_count=claims_about.count(),
            claims_about=list(claims_about.for_list().order_by("-source_date", "-pk")[:10]),
            visits_chart=self.visits_chart(actor, made, received),
            timeline=self.timeline(actor, made, received),
        )
        return context

    def visits_chart(self, actor, made, received):
        """Return the visits-per-year-by-issue chart of the visits made (or else received)."""
        visits, verb = (made, "made") if actor.kind == ActorKind.PERSON else (received, "received")
        return stacked_bar_chart(
            chartdata.per_year_by_relation(visits, "start_date"),
            distinct=chartdata.year_totals(visits, "start_date"),
            chart_id="actor-visits",
            title=f"Visits {verb} by {actor.name} per year, by issue",
            muted=(chartdata.NO_ISSUE,),
            note="Each bar counts the visits of a year; its colours share them among their issues.",
        )

    def timeline(self, actor, made, received):
        """Return the SVG timeline of visits made and received (the latest few hundred)."""
        fields = ("slug", "title", "start_date", "destination__name", "city")
        points = []
        for kind, visits in (("made", made), ("received", received)):
            for row in chartdata.latest_rows(visits, fields):
                where = row["city"] or row["destination__name"] or ""
                points.append(
                    {
                        "date": row["start_date"],
                        "url": reverse("visits:detail", kwargs={"slug": row["slug"]}),
                        "label": f"{row['title']} ({kind}{', ' + where if where else ''}, "
                        f"{row['start_date'].year})",
                        "kind": kind,
                    }
                )
        return timeline_chart(
            points,
            chart_id="actor-timeline",
            title=f"Visits of {actor.name}",
            legend=(("made", "Visits made"), ("received", "Visits received")),
        )
