"""CSV/JSON rows of the actors list."""

from config.exports import ListExporter, url_maker


class ActorExporter(ListExporter):
    """One row per actor."""

    name = "actors"
    columns = ("slug", "name", "kind", "country", "aliases", "description", "url")

    many = {"alias_names": "aliases"}

    def __init__(self, request):
        super().__init__(request)
        self.url = url_maker(request, "actors:detail", "slug")

    def prepare(self, queryset):
        return queryset.select_related("country")

    def row(self, actor):
        country = actor.country if actor.country_id and actor.country.is_published else None
        return [
            actor.slug,
            actor.name,
            actor.get_kind_display(),
            country.name if country else "",
            actor.alias_names,
            actor.description,
            self.url(actor.slug),
        ]
