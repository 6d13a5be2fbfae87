"""The site's lists, as its URLconf routes them: one declaration of where each list lives.

A list is a FilteredListView routed in an app's URLconf. What is built around the lists (the
API's twins, the main menu, the search page's links) reads them from the URL patterns, so a
new list is routed once and appears everywhere it should.
"""

from dataclasses import dataclass
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class SiteList:
    """A routed list: its view, its full route ("visits/") and its URL name ("visits:list")."""

    view: type
    route: str
    url_name: str

    @property
    def title(self):
        return self.view.title

    @property
    def url(self):
        return reverse(self.url_name)

    def covers(self, match):
        """Return whether the page `match` (a ResolverMatch) belongs to this list: the list
        itself, or a record of it ("visits:detail" for "visits:list", "visits:issue-detail"
        for "visits:issue-list")."""
        if match is None or not match.url_name:
            return False
        namespace, _, name = self.url_name.rpartition(":")
        if match.namespace != namespace:
            return False
        return match.url_name.rpartition("-")[0] == name.rpartition("-")[0]


def lists_in(patterns, prefix="", namespace=""):
    """Yield a SiteList for each list view routed in `patterns`, in their order."""
    from core.lists.views import FilteredListView

    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, (namespace, pattern.namespace)))
            yield from lists_in(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            view = getattr(pattern.callback, "view_class", None)
            if isinstance(view, type) and issubclass(view, FilteredListView):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield SiteList(view, route, name)


@cache
def _lists(resolver):
    return tuple(lists_in(resolver.url_patterns))


def site_lists():
    """Return the SiteList of every list the site routes, in the URLconf's order."""
    return _lists(get_resolver())


def site_list(view):
    """Return the SiteList of the list view class `view`."""
    for item in site_lists():
        if item.view is view:
            return item
    raise LookupError(f"{view.__name__} is not routed")
