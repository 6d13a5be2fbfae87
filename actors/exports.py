"""CSV/JSON rows of the actors list."""

from actors.models import ActorKind
from core.lists.exports import Choice, Field, Link, ListExporter, Names


class ActorExporter(ListExporter):
    """One row per actor."""

    name = "actors"
    columns = {
        "slug": Field("slug"),
        "name": Field("name"),
        "kind": Choice("kind", ActorKind.choices),
        "country": Field("country__name", if_public="country"),
        "aliases": Names("aliases"),
        "description": Field("description"),
        "url": Link("actors:detail"),
    }
