"""Template helpers of the public site: partial dates, safe links."""

from django import template

from config.dates import DatePrecision, format_partial_date
from config.exports import public_url

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


@register.filter
def web_url(value):
    """Return the URL if it is an http(s) link, else '' (a javascript: link is never shown)."""
    return public_url(value)
