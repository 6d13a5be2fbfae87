"""The public site's template environment (Jinja2; the admin keeps Django's template language).

The public pages render dozens of cards, facets and links per request: Jinja2 compiles a template
to Python once, where Django's engine walks a node tree and resolves every variable again on
each render, which cost a list page more time than its SQL.
"""

from functools import lru_cache

import jinja2
from django.conf import settings
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

from config.dates import DatePrecision, format_partial_date
from config.exports import public_url
from config.listing import query_url


class SiteLoader(jinja2.FileSystemLoader):
    """templates/, less admin/: the admin's overrides there are Django templates."""

    def get_source(self, environment, template):
        if template.startswith("admin/"):
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


def url(name, *args, **kwargs):
    """Return the path of a named URL, as {% url %} does.

    A URL without arguments (the header's links, a list's own address) is reversed once per
    URL configuration and script prefix: reverse() costs some 30 µs, a dozen times a page.
    """
    if args or kwargs:
        return reverse(name, args=args, kwargs=kwargs)
    return _plain_url(name, get_urlconf(settings.ROOT_URLCONF), get_script_prefix())


@lru_cache(maxsize=256)
def _plain_url(name, urlconf, prefix):
    # `prefix` only keys the cache: reverse() reads the current script prefix itself.
    return reverse(name, urlconf=urlconf)


@jinja2.pass_context
def querystring(context, **changes):
    """Return '?…' of the request's parameters with `changes` set, as {% querystring %} does."""
    return query_url(context["request"].GET, drop=(), **changes)


def partial_date(value, precision=DatePrecision.DAY):
    """Render a date no more precisely than it is known ('July 2019', '2014')."""
    return format_partial_date(value, precision or DatePrecision.DAY)


def datetime_attr(value, precision=DatePrecision.DAY):
    """Return a <time datetime> value at a precision: '2019-07-21', '2019-07' or '2019'."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def truncatewords(value, length):
    """Return `value` cut after `length` words, with " …" if cut, as Django's filter does.

    Django's goes through a lazy Truncator, at four times the cost, on every card.
    """
    words = str(value).split()
    if len(words) <= length:
        return " ".join(words)
    text = " ".join(words[:length])
    return text if text.endswith(" …") else text + " …"


def environment(**options):
    """Return the Jinja2 environment of the public pages (see TEMPLATES in settings)."""
    options["loader"] = SiteLoader(options["loader"].searchpath)
    # A missing variable renders as nothing, in tests as in production (not as "{{ name }}").
    options["undefined"] = jinja2.Undefined
    env = jinja2.Environment(**options)
    env.globals.update(url=url, static=static, querystring=querystring)
    env.filters.update(
        datetime_attr=datetime_attr,
        partial_date=partial_date,
        # A link only if it is an http(s) address (a javascript: link is never shown).
        web_url=public_url,
        pluralize=defaultfilters.pluralize,
        truncatewords=truncatewords,
        truncatechars=defaultfilters.truncatechars,
        linebreaksbr=defaultfilters.linebreaksbr,
    )
    return env
