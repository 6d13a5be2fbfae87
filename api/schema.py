"""The OpenAPI description of the lists' filters, read from the FilterSets themselves.

drf-spectacular documents django-filter's own filter classes; the public lists use their own
(repeatable slugs, choices and years, a search, a sort), described here: each parameter with
its type, its allowed values and whether it may be repeated.
"""

from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.plumbing import build_parameter_type
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from core.lists import filters
from core.lists.fields import MAX_VALUES, MAX_YEAR, MIN_YEAR

YEAR = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}
SLUG = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"}


def filter_schema(filter_field):
    """Return (schema, description) of one public filter."""
    label = str(filter_field.label or "")
    if isinstance(filter_field, filters.SortFilter):
        keys = [key for key in filter_field.options if key != "relevance"]
        orders = "; ".join(f"`{key}`: {filter_field.options[key][0]}" for key in keys)
        return {"type": "string", "enum": keys}, f"The order of the results. {orders}."
    if isinstance(filter_field, filters.SearchFilter):
        return {"type": "string", "maxLength": 200}, (
            'Words to find. "Quoted phrase", `or` between alternatives, `-word` to exclude.'
        )
    if isinstance(filter_field, filters.YearBoundFilter):
        return dict(YEAR), f"{label}: from the start (or to the end) of this year."
    if isinstance(filter_field, filters.ChoiceFilter):
        item = {"type": "string", "enum": [value for value, _label in filter_field.choices]}
        meaning = "; ".join(f"`{value}`: {name}" for value, name in filter_field.choices)
        return item, f"{label} ({meaning})."
    if isinstance(filter_field, filters.YearFilter):
        return dict(YEAR), f"{label}."
    if isinstance(filter_field, filters.SlugFilter):
        how = (
            "Repeat to require every one."
            if isinstance(filter_field, filters.RelatedSlugFilter)
            else "Repeat for any of several."
        )
        return dict(SLUG), f"{label}, by slug (as in the record's URL). {how}"
    return {"type": "string", "maxLength": 200}, f"{label}."


class PublicFilterExtension(OpenApiFilterExtension):
    target_class = "api.views.PublicFilterBackend"

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        filterset_class = auto_schema.view.filterset_class
        parameters = []
        for name, filter_field in filterset_class.base_filters.items():
            schema, description = filter_schema(filter_field)
            repeatable = isinstance(filter_field, filters.ListFilter)
            if repeatable:
                schema = {"type": "array", "items": schema, "maxItems": MAX_VALUES}
                description += f" At most {MAX_VALUES} values."
            parameters.append(
                build_parameter_type(
                    name=name,
                    schema=schema,
                    location=OpenApiParameter.QUERY,
                    description=description,
                    explode=True if repeatable else None,
                    style="form" if repeatable else None,
                )
            )
        return parameters


FIELD_ERRORS = OpenApiResponse(
    response={
        "type": "object",
        "description": "Each parameter that could not be used, with what was wrong with it.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    description="A parameter could not be used: nothing was read.",
)
DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
TOO_MANY = OpenApiResponse(
    response=DETAIL,
    description="Over the rate allowed per client: the Retry-After header says when to retry.",
)
NOT_FOUND = OpenApiResponse(response=DETAIL, description="No public record has this key.")
