"""Template filters of the public pages: dates shown as precisely as known, safe web links."""

from django import template

from core.dates import DatePrecision, format_partial_date
from core.lists.site import site_lists
from core.text import strip_quote_marks, web_url

register = template.Library()


@register.filter
def partial_date(value, precision=DatePrecision.DAY):
    """Render a date no more precisely than it is known ('July 2019', '2014')."""
    return format_partial_date(value, precision or DatePrecision.DAY)


@register.filter
def datetime_attr(value, precision=DatePrecision.DAY):
    """Return a <time datetime> value at a precision: '2019-07-21', '2019-07' or '2019'."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


# A link only if it is an http(s) address (a javascript: link is never shown).
register.filter("web_url", web_url)

# A quote shown inside the page's own marks, without any typed around it (saved before they
# were stripped on save).
register.filter("without_quote_marks", strip_quote_marks)


@register.inclusion_tag("_site_nav.html", takes_context=True)
def site_nav(context):
    """The main menu: every list the site routes, the current one marked."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return {"items": [(item, item.covers(match)) for item in site_lists()]}
