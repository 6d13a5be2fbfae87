"""The API's views: each public list and record, read through the lists' own FilterSets.

A list answers with the rows its HTML twin shows for the same parameters, in the same order,
a page at a time by cursor (see pagination). The API never ranks by relevance: a search is in
the list's default order (newest first, or by name), so that its pages stay stable.
"""

from django.urls import reverse
from django.utils.module_loading import import_string
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response
from rest_framework.views import APIView

from actors.models import Actor
from api import schema, serializers
from api.pagination import KeysetPagination
from claims.models import Claim
from sources.models import SourceDocument
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
    """A public list's twin: filtered like its HTML list (`list_view`), paged by cursor.

    Its rows are the list view's `api_serializer` (a dotted path), or else the columns of the
    list's downloads, as its JSON download gives them.
    """

    list_view = None
    filter_backends = [PublicFilterBackend]
    pagination_class = KeysetPagination

    @classmethod
    def twin_of(cls, site_list):
        """Return the API view of the list `site_list` (a core.lists.site.SiteList)."""
        view = site_list.view
        if view.api_serializer:
            serializer = import_string(view.api_serializer)
        else:
            serializer = serializers.columns_serializer(view.exporter_class)
        twin = type(
            f"{view.__name__}Twin",
            (cls,),
            {
                "list_view": view,
                "filterset_class": view.filterset_class,
                "serializer_class": serializer,
            },
        )
        return described(twin, site_list)

    def get_queryset(self):
        view = self.list_view()
        queryset = view.get_queryset()
        # A serializer of columns reads its own values, a page at a time.
        return view.prepare(queryset) if self.list_view.api_serializer else queryset

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


def described(view, site_list):
    """Describe the list API `view`, twin of `site_list`: what it lists, its rows, its errors."""
    return extend_schema_view(
        get=extend_schema(
            operation_id=f"{site_list.route.strip('/')}_list",
            description=f"Every public row of the list {site_list.title}, filtered as "
            f"/{site_list.route} is, by the same parameters, in the same order, a page at a "
            "time: follow `next`.",
            responses={
                200: view.serializer_class,
                400: schema.FIELD_ERRORS,
                429: schema.TOO_MANY,
            },
        )
    )(view)


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


@record("visit", "visits")
class VisitDetail(PublicDetailView):
    model = Visit
    serializer_class = serializers.VisitSerializer


@record("actor", "actors")
class ActorDetail(PublicDetailView):
    model = Actor
    serializer_class = serializers.ActorSerializer


@record("issue", "issues")
class IssueDetail(PublicDetailView):
    model = Issue
    serializer_class = serializers.IssueSerializer

    def get_queryset(self):
        # Issues have no list read of their own: their parent is the only related row.
        return Issue.objects.published().select_related("parent")


@record("claim", "claims")
class ClaimDetail(PublicDetailView):
    model = Claim
    lookup_field = "pk"
    serializer_class = serializers.ClaimSerializer


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

    #: [(key, URL name)] of the API's lists, in the site's order (see api.urls).
    lists = ()

    @extend_schema(
        operation_id="root",
        description="The lists of the API, its schema and its documentation.",
        responses={200: OpenApiTypes.OBJECT, 429: schema.TOO_MANY},
    )
    def get(self, request):
        links = [*self.lists, ("schema", "api:schema"), ("docs", "api:docs")]
        return Response({key: request.build_absolute_uri(reverse(name)) for key, name in links})
