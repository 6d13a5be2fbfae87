"""What the API says of each record: its own fields, and its related records as links.

Every related record appears as its slug (or id), its name and two URLs: its page on the site
(`url`) and its record in the API (`api_url`). A claim carries its source's title, publisher,
date and link; a visit its visitor, countries and issues; so that a list needs no second
request per row. A related record that is not public (a draft country, a draft issue) is left
out, as on the site's pages.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actors.models import ActorKind
from claims.models import ClaimKind, ClaimStatus
from core.dates import DatePrecision
from core.lists.exports import Date, Extra, Link, Names
from core.text import web_url
from sources.models import SourceKind
from visits.models import VisitKind


@extend_schema_field(OpenApiTypes.URI)
class PageURLField(serializers.Field):
    """The absolute URL of the record's page on the site."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value.get_absolute_url())


def api_url(view_name, lookup="slug"):
    """The absolute URL of the record in the API."""
    return serializers.HyperlinkedIdentityField(
        view_name=f"api:{view_name}", lookup_field=lookup, lookup_url_kwarg=lookup
    )


class PublicOnlyMixin:
    """A related record shown only when it is published (else null, as the pages leave it out)."""

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        return value if value is not None and value.is_published else None


class ActorLinkSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = PageURLField()
    api_url = api_url("actor-detail")


class PublicActorLinkSerializer(PublicOnlyMixin, ActorLinkSerializer):
    pass


class IssueLinkSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    url = PageURLField()
    api_url = api_url("issue-detail")


class PublicIssueLinkSerializer(PublicOnlyMixin, IssueLinkSerializer):
    pass


class VisitLinkSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    start_date = serializers.DateField()
    url = PageURLField()
    api_url = api_url("visit-detail")


@extend_schema_field(OpenApiTypes.STR)
class LabelField(serializers.Field):
    """The reader's label of a choice (e.g. "State visit" for the value "state")."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return self.labels.get(value, value)


@extend_schema_field(OpenApiTypes.URI)
class WebURLField(serializers.Field):
    """A link to the web (http or https), or null."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return web_url(value) or None


class SourceLinkSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    publisher = serializers.CharField(help_text="Empty when the source does not say.")
    authors = serializers.ListField(child=serializers.CharField(), source="author_list")
    published_date = serializers.DateField(allow_null=True, help_text="Null when not stated.")
    original_url = WebURLField(source="url", help_text="Where the source was published.")
    url = PageURLField()
    api_url = api_url("source-detail")


class CiteLinksSerializer(serializers.Serializer):
    """The record's citation in three formats (for reference managers)."""

    bibtex = serializers.SerializerMethodField()
    ris = serializers.SerializerMethodField()
    csl_json = serializers.SerializerMethodField()

    def __init__(self, view_name, lookup="slug", **kwargs):
        self.view_name, self.lookup = view_name, lookup
        super().__init__(source="*", read_only=True, **kwargs)

    def link(self, record, extension) -> str:
        path = reverse(
            self.view_name, kwargs={self.lookup: getattr(record, self.lookup), "ext": extension}
        )
        return self.context["request"].build_absolute_uri(path)

    def get_bibtex(self, record) -> str:
        return self.link(record, "bib")

    def get_ris(self, record) -> str:
        return self.link(record, "ris")

    def get_csl_json(self, record) -> str:
        return self.link(record, "json")


class ActorSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ActorKind.choices)
    kind_label = LabelField(ActorKind.choices, source="kind")
    country = PublicActorLinkSerializer(allow_null=True)
    description = serializers.CharField()
    aliases = serializers.SerializerMethodField()
    url = PageURLField()
    api_url = api_url("actor-detail")

    def get_aliases(self, actor) -> list[str]:
        return [alias.name for alias in actor.shown_aliases]


class IssueSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    parent = PublicIssueLinkSerializer(allow_null=True)
    url = PageURLField()
    api_url = api_url("issue-detail")
    visits_api_url = serializers.SerializerMethodField(help_text="The issue's visits.")
    claims_api_url = serializers.SerializerMethodField(help_text="The claims about it.")

    def filtered(self, view_name, issue):
        path = f"{reverse(view_name)}?issue={issue.slug}"
        return self.context["request"].build_absolute_uri(path)

    def get_visits_api_url(self, issue) -> str:
        return self.filtered("api:visit-list", issue)

    def get_claims_api_url(self, issue) -> str:
        return self.filtered("api:claim-list", issue)


class VisitSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    visitor = ActorLinkSerializer()
    origin = PublicActorLinkSerializer(allow_null=True, help_text="The visitor's country.")
    destination = PublicActorLinkSerializer(allow_null=True, help_text="The country visited.")
    city = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    date_precision = serializers.ChoiceField(
        choices=DatePrecision.choices,
        help_text="How precisely the dates are known: a date of precision “year” is 1 January.",
    )
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    kind_label = LabelField(VisitKind.choices, source="kind")
    summary = serializers.CharField()
    issues = IssueLinkSerializer(many=True, source="shown_issues")
    url = PageURLField()
    api_url = api_url("visit-detail")


class SourceSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=SourceKind.choices)
    kind_label = LabelField(SourceKind.choices, source="kind")
    publisher = serializers.CharField(help_text="Empty when the source does not say.")
    authors = serializers.ListField(child=serializers.CharField(), source="author_list")
    published_date = serializers.DateField(allow_null=True, help_text="Null when not stated.")
    language = serializers.CharField()
    licence = serializers.CharField()
    original_url = WebURLField(source="url", help_text="Where the source was published.")
    issues = IssueLinkSerializer(many=True, source="shown_issues")
    url = PageURLField()
    api_url = api_url("source-detail")
    cite = CiteLinksSerializer("sources:cite")


class SourceDetailSerializer(SourceSerializer):
    body = serializers.CharField(help_text="The text of the source, as cleaned on import.")


class TextQuoteSelectorSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="“TextQuoteSelector”.")
    exact = serializers.CharField(help_text="The quote, normalised.")
    prefix = serializers.CharField(help_text="Up to 32 characters of the text before it.")
    suffix = serializers.CharField(help_text="Up to 32 characters of the text after it.")


class TextPositionSelectorSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="“TextPositionSelector”.")
    start = serializers.IntegerField(help_text="Where the quote begins.")
    end = serializers.IntegerField(help_text="Where it ends (exclusive).")


class SelectorSerializer(serializers.Serializer):
    """Positions count characters of the source's body normalised: typographic quotes and
    dashes made plain, each run of whitespace one space, none at either end."""

    orphaned = serializers.BooleanField(
        help_text="True when the source's text changed and the quote no longer appears in it."
    )
    quote = TextQuoteSelectorSerializer()
    position = TextPositionSelectorSerializer(
        allow_null=True, help_text="Null when the quote is orphaned or not yet placed."
    )


class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    summary = serializers.CharField()
    quote = serializers.CharField(help_text="The source's own words.")
    kind = serializers.ChoiceField(choices=ClaimKind.choices)
    kind_label = LabelField(ClaimKind.choices, source="kind")
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    status_label = LabelField(ClaimStatus.choices, source="status")
    status_note = serializers.CharField()
    disputed_by = ActorLinkSerializer(many=True, source="shown_disputers")
    speaker = ActorLinkSerializer(allow_null=True)
    actors = ActorLinkSerializer(many=True, source="shown_actors")
    issues = IssueLinkSerializer(many=True, source="shown_issues")
    visit = VisitLinkSerializer(allow_null=True)
    source = SourceLinkSerializer()
    source_date = serializers.DateField(allow_null=True, help_text="The source's date.")
    selector = SelectorSerializer(
        help_text="Where the quote sits in the source's text (W3C Web Annotation selectors)."
    )
    url = PageURLField()
    api_url = api_url("claim-detail", lookup="pk")
    cite = CiteLinksSerializer("claims:cite", lookup="pk")


class ColumnRowsSerializer(serializers.ListSerializer):
    """A page of rows as the list's downloads give them: its columns, read for the page at once."""

    def to_representation(self, data):
        rows = list(data)
        if not rows:
            return []
        exporter = self.child.exporter_class(self.context["request"], type(rows[0]))
        return exporter.rows_of(rows)


def schema_field_of(column):
    """Return the serializer field describing a column of a download in the schema."""
    if isinstance(column, Names):
        return serializers.ListField(child=serializers.CharField(), read_only=True)
    if isinstance(column, Link):
        return serializers.URLField(read_only=True, help_text="Its page on the site.")
    if isinstance(column, Date):
        return serializers.CharField(read_only=True, help_text="YYYY-MM-DD, or empty.")
    if isinstance(column, Extra):
        return serializers.IntegerField(read_only=True)
    return serializers.CharField(read_only=True)


def columns_serializer(exporter_class):
    """Return a serializer of the rows of `exporter_class` (one field per column), for a list
    whose API rows are its download's rows."""
    fields = {name: schema_field_of(column) for name, column in exporter_class.columns.items()}
    meta = type("Meta", (), {"list_serializer_class": ColumnRowsSerializer})
    name = exporter_class.__name__.removesuffix("Exporter") + "Row"
    return type(
        name, (serializers.Serializer,), {**fields, "Meta": meta, "exporter_class": exporter_class}
    )
