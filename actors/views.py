"""Public pages of actors: people, organisations and countries.

An actor's page shows visits and claims, which live in apps above this one; they are reached
through the reverse relations (actor.visits_made, actor.claims_made …) rather than imported.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.http import JsonResponse
from django.urls import reverse
from django.views.generic import DetailView

from actors.exports import ActorExporter
from actors.filters import ActorFilterSet
from actors.models import Actor, ActorKind, ActorRole
from core import chartdata
from core.charts import stacked_bar_chart, timeline_chart
from core.lists.views import FilteredListView
from core.models import public_q
from core.preview import PreviewMixin

DETAIL_ROWS = 20
#: A country's people up to this many are matched by their ids (see visits_made).
NATIONALS_INLINE = 1000
#: Participation roles that make an actor the one visited (rather than a travelling member).
RECEIVING_ROLES = ("host", "met_with")


class ActorListView(FilteredListView):
    """Actors: filter by kind, country and text; facets; CSV and JSON."""

    model = Actor
    filterset_class = ActorFilterSet
    api_view_name = "api:actor-list"
    api_serializer = "api.serializers.ActorSerializer"
    exporter_class = ActorExporter
    title = "Actors"
    headline_field = "description"

    def decorate(self, objects):
        """Give each shown actor `visit_count` (one query for the page) and `country_name`."""
        for actor in objects:
            country = actor.country
            actor.country_name = country.name if country and country.is_published else ""
        if not objects:
            return objects
        visits = objects[0].visits_made.model.objects.published()
        counts = dict(
            visits.filter(visitor__in=[actor.pk for actor in objects])
            .order_by()
            .values("visitor_id")
            .annotate(n=Count("pk"))
            .values_list("visitor_id", "n")
        )
        for actor in objects:
            actor.visit_count = counts.get(actor.pk, 0)
        return objects


def visits_made(actor):
    """Return public visits the actor made; for a country, the visits of its people.

    A country's people are the actors whose country it is: their visits count as the
    country's, as do visits whose origin it is (a delegation named after the country, a
    visitor not yet in the knowledge base as a person of that country). The people are read
    first, as ids: the database then combines three index scans (visitor, origin, the people)
    where a subquery would have it test every visit. A country with more people than
    NATIONALS_INLINE is matched by the subquery instead.
    """
    Visit = actor.visits_made.model
    made = Q(visitor=actor)
    if actor.kind == ActorKind.COUNTRY:
        people = Actor.objects.filter(country=actor).order_by().values_list("pk", flat=True)
        nationals = list(people[: NATIONALS_INLINE + 1])
        if len(nationals) > NATIONALS_INLINE:
            nationals = people
        made |= Q(origin=actor) | Q(visitor__in=nationals)
    return Visit.objects.published().filter(made)


def visits_received(actor):
    """Return public visits the actor hosted or was met on; for a country, visits to it."""
    Visit = actor.visits_made.model
    through = Visit.participants.through
    received = Exists(
        through.objects.filter(visit_id=OuterRef("pk"), actor=actor, role__in=RECEIVING_ROLES)
    )
    condition = received | Q(destination=actor) if actor.kind == ActorKind.COUNTRY else received
    return Visit.objects.published().filter(condition)


class ActorDetailView(PreviewMixin, DetailView):
    """An actor: roles over time, visits made and received, claims by and about them."""

    def get_queryset(self):
        return self.viewable(Actor.objects).select_related("country")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actor = self.object
        made = visits_made(actor)
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
        # Assertions sit above actors: reached through the visits' reverse relation.
        assertions = made.model._meta.get_field("assertions").related_model.objects.shown()
        assertions = assertions.filter(visit__visitor=actor)
        context.update(
            assertion_count=assertions.count(),
            assertions=list(
                assertions.for_list().order_by("-claim_count", "statement", "pk")[:DETAIL_ROWS]
            ),
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
        person = actor.kind == ActorKind.PERSON
        visits, verb = (made, "made") if person else (received, "received")
        issue_model = visits.model._meta.get_field("issues").related_model
        issues = issue_model.objects.published().values_list("name", "slug")
        link = chartdata.list_link(
            reverse("visits:list"),
            **{"leader" if person else "destination": actor.slug},
            series={name: ("issue", slug) for name, slug in issues},
        )
        return stacked_bar_chart(
            chartdata.per_year_by_relation(visits, "start_date"),
            distinct=chartdata.year_totals(visits, "start_date"),
            chart_id="actor-visits",
            title=f"Visits {verb} by {actor.name} per year, by issue",
            muted=(chartdata.NO_ISSUE,),
            note="Each bar counts the visits of a year; its colours share them among their issues.",
            link=link,
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


#: Names a type-ahead offers at once, and the fewest characters it looks them up for.
SUGGESTIONS, SUGGEST_MIN_CHARS = 10, 2


def suggest(request):
    """Return the public actors whose name or alias contains ?q= (JSON), best first.

    The type-ahead of the leader, speaker and actor filters (static/js/suggest.js): each
    suggestion's value is the slug the filter takes, its label the name and the country.
    """
    text = request.GET.get("q", "").strip()[:100]
    if len(text) < SUGGEST_MIN_CHARS:
        return JsonResponse({"results": []})
    actors = Actor.objects.published().matching(text).select_related("country")
    results = []
    for actor in actors[:SUGGESTIONS]:
        country = actor.country
        place = country.name if country and country.is_published and country != actor else ""
        label = f"{actor.name} ({place})" if place else actor.name
        results.append({"value": actor.slug, "label": label})
    return JsonResponse({"results": results})
