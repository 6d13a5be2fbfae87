"""The API's views: each public list and record, read through the lists' own FilterSets.

A list answers with the rows its HTML twin shows for the same parameters, in the same order,
a page at a time by cursor (see pagination). The API never ranks by relevance: a search is in
the list's default order (newest first, or by name), so that its pages stay stable.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response
from rest_framework.views import APIView

from actors.filters import ActorFilterSet
from actors.models import Actor
from api import schema, serializers
from api.pagination import KeysetPagination
from claims.filters import ClaimFilterSet
from claims.models import Claim
from sources.filters import SourceFilterSet
from sources.models import SourceDocument
from visits.filters import IssueFilterSet, VisitFilterSet
from visits.models import Issue, Visit


class PublicFilterBackend(BaseFilterBackend):
    """The list's FilterSet over the public rows; a bad value is a 400 naming the parameter."""

    def filter_queryset(self, request, queryset, view):
        # A typo in a program's parameter would otherwise answer everything, silently.
        known = {*view.filterset_class.base_filters, *view.paginator.query_params}
        unknown = {
            name: [f"Unknown parameter: this list takes {', '.join(sorted(known))}."]
            for name in request.query_params
            if name not in known
        }
        if unknown:
            raise ValidationError(unknown)
        # A form sends its empty fields and the site drops them; a program means what it sends.
        empty = {
            name: ["Give a value, or leave the parameter out."]
            for name, values in request.query_params.lists()
            if name in view.filterset_class.base_filters and any(not v.strip() for v in values)
        }
        if empty:
            raise ValidationError(empty)
        filterset = view.filterset_class(
            data=request.query_params, queryset=queryset, request=request
        )
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        if filterset.form.cleaned_data.get("sort") == "relevance":
            raise ValidationError(
                {
                    "sort": [
                        "The API does not rank by relevance; leave `sort` out, or choose "
                        "another order."
                    ]
                }
            )
        view.filterset = filterset
        return filterset.ordered(filterset.qs, rank=False)


class PublicListView(generics.ListAPIView):
    """A public list: filtered like its HTML twin, paged by cursor."""

    model = None
    filterset_class = None
    filter_backends = [PublicFilterBackend]
    pagination_class = KeysetPagination

    def get_queryset(self):
        return self.model.objects.published().for_list()

    def get_ordering(self):
        """Return (sort key, (column, primary key)) of the order in force."""
        filterset = self.filterset
        key = filterset.sort_key
        if key == "relevance":
            key = filterset.default_sort
        _label, ordering = filterset.filters["sort"].options[key]
        return key, ordering


class PublicDetailView(generics.RetrieveAPIView):
    model = None
    lookup_field = "slug"

    def get_queryset(self):
        return self.model.objects.published().for_list()


def described(noun, html_path, extra=""):
    """Describe a list view in the schema: what it lists, its rows and its errors."""

    def decorate(view):
        return extend_schema_view(
            get=extend_schema(
                operation_id=f"{html_path.strip('/')}_list",
                description=f"Every public {noun}, filtered as {html_path} is, by the same "
                f"parameters, in the same order, a page at a time: follow `next`. {extra}".strip(),
                responses={
                    200: view.serializer_class,
                    400: schema.FIELD_ERRORS,
                    429: schema.TOO_MANY,
                },
            )
        )(view)

    return decorate


def record(noun, plural):
    """Describe a detail view in the schema."""

    def decorate(view):
        return extend_schema_view(
            get=extend_schema(
                operation_id=f"{plural}_retrieve",
                description=f"One public {noun}.",
                responses={200: view.serializer_class, 404: schema.NOT_FOUND, 429: schema.TOO_MANY},
            )
        )(view)

    return decorate


@described("visit", "/visits/")
class VisitList(PublicListView):
    model = Visit
    filterset_class = VisitFilterSet
    serializer_class = serializers.VisitSerializer


@record("visit", "visits")
class VisitDetail(PublicDetailView):
    model = Visit
    serializer_class = serializers.VisitSerializer


@described("actor (person, organisation or country)", "/actors/")
class ActorList(PublicListView):
    model = Actor
    filterset_class = ActorFilterSet
    serializer_class = serializers.ActorSerializer


@record("actor", "actors")
class ActorDetail(PublicDetailView):
    model = Actor
    serializer_class = serializers.ActorSerializer


class IssueQuerysetMixin:
    def get_queryset(self):
        # Issues have no list read of their own: their parent is the only related row.
        return Issue.objects.published().select_related("parent")


@described("issue", "/issues/")
class IssueList(IssueQuerysetMixin, PublicListView):
    model = Issue
    filterset_class = IssueFilterSet
    serializer_class = serializers.IssueSerializer


@record("issue", "issues")
class IssueDetail(IssueQuerysetMixin, PublicDetailView):
    model = Issue
    serializer_class = serializers.IssueSerializer


@described(
    "claim",
    "/claims/",
    "Each claim carries its source's title, publisher, date and link.",
)
class ClaimList(PublicListView):
    model = Claim
    filterset_class = ClaimFilterSet
    serializer_class = serializers.ClaimSerializer


@record("claim", "claims")
class ClaimDetail(PublicDetailView):
    model = Claim
    lookup_field = "pk"
    serializer_class = serializers.ClaimSerializer


@described("source", "/sources/")
class SourceList(PublicListView):
    model = SourceDocument
    filterset_class = SourceFilterSet
    serializer_class = serializers.SourceSerializer


@record("source, with its text", "sources")
class SourceDetail(PublicDetailView):
    model = SourceDocument
    serializer_class = serializers.SourceDetailSerializer

    def get_queryset(self):
        # The detail shows the body: only the raw text stays unread.
        queryset = SourceDocument.objects.published().for_list()
        return queryset.defer(None).defer("raw_text", "search_vector")


class Root(APIView):
    """/api/v1/: where everything is."""

    @extend_schema(
        operation_id="root",
        description="The lists of the API, its schema and its documentation.",
        responses={200: OpenApiTypes.OBJECT, 429: schema.TOO_MANY},
    )
    def get(self, request):
        def link(name):
            return request.build_absolute_uri(reverse(f"api:{name}"))

        return Response(
            {
                "visits": link("visit-list"),
                "actors": link("actor-list"),
                "issues": link("issue-list"),
                "claims": link("claim-list"),
                "sources": link("source-list"),
                "schema": link("schema"),
                "docs": link("docs"),
            }
        )
