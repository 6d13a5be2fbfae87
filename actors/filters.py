"""The filters of the actors list (one FilterSet for HTML, CSV and JSON)."""

from actors.models import Actor, ActorKind
from core.lists.filters import ChoiceFilter, PublicFilterSet, SearchFilter, SlugFilter, SortFilter


class ActorFilterSet(PublicFilterSet):
    """Actors by kind, country and text."""

    q = SearchFilter(label="Search", fallback_fields=("name", "description"))
    kind = ChoiceFilter(field_name="kind", choices=ActorKind.choices, label="Kind")
    country = SlugFilter(field_name="country", label="Country", options="all", facet_limit=15)
    sort = SortFilter(
        label="Sort",
        options={
            "name": ("Name A–Z", ("name", "pk")),
            "-name": ("Name Z–A", ("-name", "-pk")),
            "relevance": ("Best match", ("name", "pk")),
        },
    )
    default_sort = "name"

    class Meta:
        model = Actor
        fields = []
