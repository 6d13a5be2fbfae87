"""CSV/JSON rows of the actors list."""

from actors.models import ActorKind
from core.lists.exports import ListExporter, url_maker
from core.status import PublicationStatus

KINDS = dict(ActorKind.choices)


class ActorExporter(ListExporter):
    """One row per actor."""

    name = "actors"
    columns = ("slug", "name", "kind", "country", "aliases", "description", "url")

    many = {"alias_names": "aliases"}

    def __init__(self, request):
        super().__init__(request)
        self.url = url_maker(request, "actors:detail", "slug")

    fields = ("slug", "name", "kind", "country__name", "country__publication_status", "description")

    def row(self, actor):
        country_public = actor["country__publication_status"] == PublicationStatus.PUBLISHED
        return [
            actor["slug"],
            actor["name"],
            KINDS.get(actor["kind"], actor["kind"]),
            actor["country__name"] if country_public else "",
            actor["alias_names"],
            actor["description"],
            self.url(actor["slug"]),
        ]
