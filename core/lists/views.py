"""The view behind every public list: one FilterSet serving the HTML page, the CSV and the JSON.

A list is django-filter's FilterView whose exact total and facets are counted over the whole
result once per filter set and data version (see tally and facets), read a page at a time by a
deferred join (see paging), with the active filters as removable chips; ?format=csv|json
answers with every matching row, streamed (see exports).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.http import MAX_URL_REDIRECT_LENGTH
from django.utils.text import slugify
from django_filters.views import FilterView

from core import search
from core.lists.downloads import bounded, refused_lately, take_slot
from core.lists.exports import error_response, formats_of
from core.lists.fields import Named
from core.lists.paging import ListPaginator
from core.lists.tally import digest, tally, total

#: Parameters of a page and a download of the list, not of its rows: never a hidden filter
#: input, never carried to the API's twin.
PAGE_PARAMS = ("page", "format", "bom")
#: Parameters that are not filters: they never show as chips or facets.
CONTROL_PARAMS = (*PAGE_PARAMS, "sort")
#: The longest download file name built from the filters (without its extension).
FILENAME_LIMIT = 80


@dataclass
class Chip:
    """An active filter value, with the link that removes it."""

    param: str
    label: str
    value: str
    value_label: str
    remove_url: str


def query_url(params, *, drop=("page",), **changes):
    """Return '?…' for `params` (a QueryDict) without `drop`, with `changes` set ('?' if none).

    A change set to None removes the parameter; a list sets every value. Parameters keep their
    order.
    """
    lists = {name: values for name, values in params.lists() if name not in drop}
    for name, value in changes.items():
        if value is None:
            lists.pop(name, None)
        elif isinstance(value, list | tuple):
            lists[name] = [str(item) for item in value]
        else:
            lists[name] = [str(value)]
    return "?" + urlencode([(name, value) for name, values in lists.items() for value in values])


def _values(params, name):
    return [value.strip() for value in params.getlist(name) if value.strip()]


class FilteredListView(FilterView):
    """A filtered, faceted, sorted, paginated list that also answers ?format=csv and json."""

    @classmethod
    def tally_name(cls):
        """Return the name this list's counts are kept under."""
        return f"{cls.__module__}.{cls.__qualname__}"

    @classmethod
    def warm(cls, version, **kwargs):
        """Count this list's whole result at data `version`, as its first page would.

        Returns the unfiltered FilterSet (valid: no parameters), for what a list adds.
        """
        view = cls()
        filterset = cls.filterset_class(data=QueryDict(), queryset=view.get_queryset())
        filterset.is_valid()
        tally(cls.tally_name(), {}, filterset.qs, cls.filterset_class.make_facets(), version)
        return filterset

    model = None
    filterset_class = None
    exporter_class = None
    paginate_by = 25
    paginator_class = ListPaginator
    #: The model field whose excerpt is shown for a search, around the matching words.
    headline_field = ""
    #: Title of the page and the noun of its rows ("visits").
    title = ""
    #: A sentence under the title: what the list holds and how to use it.
    intro = ""
    #: The URL name of the list's twin in the API ("api:visit-list"), linked from the page; the
    #: API routes it at the list's own path (api.urls). "" for none.
    api_view_name = ""
    #: The twin's serializer of a row (a dotted path); "" for the columns of the downloads.
    api_serializer = ""

    def get_queryset(self):
        """Return every public row the list may show."""
        return self.model.objects.published()

    def prepare(self, queryset):
        """Return `queryset` with what each shown row needs, in a fixed few queries."""
        return queryset.for_list()

    def decorate(self, objects):
        """Add per-page extras to the shown rows (one query for the page, never per row)."""
        return objects

    def get_filterset_kwargs(self, filterset_class):
        # Bound even without parameters, so that an empty query string means the defaults.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format", "").strip().lower() or "html"
        formats = formats_of(self.exporter_class)
        if fmt != "html" and fmt not in formats:
            known = " or ".join(f"format={name}" for name in formats)
            return error_response(f"Unknown format “{fmt[:20]}”: use {known} (or leave it out).")
        if fmt == "html" and any(value.strip() == "" for value in request.GET.values()):
            # A submitted form sends empty fields; keep shareable URLs short and clean.
            clean_url = request.path + self.clean_query(request.GET)
            # Django refuses to redirect to a huge URL: such a request is answered as it is.
            if len(clean_url) <= MAX_URL_REDIRECT_LENGTH:
                return HttpResponseRedirect(clean_url)
        if fmt != "html" and (refusal := refused_lately(request)) is not None:
            return refusal  # asked again at once: the same answer, nothing counted
        self.filterset = self.get_filterset(self.get_filterset_class())
        valid = self.filterset.is_valid()
        if fmt != "html":
            if not valid:
                return error_response("Invalid filter parameters.", self.filterset.errors)
            bom = request.GET.get("bom", "0").strip()
            if bom not in ("0", "1"):
                return error_response(
                    "Invalid parameters.", {"bom": ["Give bom=1 for a byte order mark, or 0."]}
                )
            filtered = self.filterset.qs
            # The total: to tell a large download, to rank a search, and for the JSON's count.
            rows_total = self.tally(filtered).count if fmt == "json" else self.row_count(filtered)
            release, refusal = take_slot(request, rows_total)
            if refusal is not None:
                return refusal
            rows = self.filterset.ordered(filtered, rank=self.can_rank(rows_total))
            meta = {}
            if fmt == "json":
                # Read before the rows: a program learns how many rows follow, and from where.
                api = self.get_api_link()
                meta = {
                    "count": rows_total,
                    "filters": self.active_filters(),
                    "api": request.build_absolute_uri(api) if api else None,
                }
            response = formats[fmt].response(
                self.exporter_class(request, self.model),
                rows,
                filename=self.export_filename(),
                bom=bom == "1",
                meta=meta,
            )
            return bounded(response, release)
        filtered = self.filterset.qs if valid else self.filterset.queryset.none()
        self.facets = self.filterset_class.make_facets() if valid else []
        self.counted = self.tally(filtered) if valid else None
        total = self.counted.count if valid else 0
        self.object_list = self.filterset.ordered(filtered, rank=self.can_rank(total))
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context, status=200 if valid else 400)

    def tally(self, filtered):
        """Return the exact Tally (total, facet counts) of the `filtered` rows.

        Kept per filter set and data version; the facets are always counted with the total, so
        that a download, which needs only the total, reuses a page's tally and the reverse.
        """
        # The page cache has read the version this page is rendered at (anonymous requests).
        version = getattr(self.request, "data_version", None)
        return tally(
            self.tally_name(),
            self.counted_filters(),
            filtered,
            self.filterset_class.make_facets(),
            version,
        )

    def row_count(self, filtered):
        """Return the exact number of the `filtered` rows (kept like the tally, without facets)."""
        version = getattr(self.request, "data_version", None)
        key = f"rows:{self.tally_name()}:{digest(self.counted_filters())}"
        return total(key, filtered, version)

    def counted_filters(self):
        """Return {parameter: [values]} of the filters in force as the rows are chosen by them:
        a record named by its slug (or a typed name) as its id, so that a slug given to
        another record later never reads counts kept for the first."""
        cleaned = self.filterset.form.cleaned_data
        filters = {}
        for name in self.active_filters():
            value = cleaned.get(name)
            values = value if isinstance(value, list | tuple) else [value]
            filters[name] = [f"#{item.pk}" if isinstance(item, Named) else item for item in values]
        return filters

    def active_filters(self):
        """Return {parameter: [values]} of the filters in force, as given (control ones aside)."""
        params = self.request.GET
        filters = {}
        for name in self.filterset.filters:
            values = _values(params, name)
            if values and name not in CONTROL_PARAMS:
                filters[name] = values
        return filters

    def export_filename(self):
        """Return a download's file name from its list and filters: "visits-leader-asim-munir-2023".

        A year, or a year bound, reads as the number alone; other filters as the parameter and
        its value. Letters, digits and hyphens only, at most FILENAME_LIMIT characters.
        """
        parts = [self.exporter_class.name]
        for name, values in self.active_filters().items():
            for value in values:
                parts.append(value if name.startswith("year") else f"{name}-{value}")
        name = slugify("-".join(parts))[:FILENAME_LIMIT].strip("-")
        return name or self.exporter_class.name

    def get_api_link(self):
        """Return the API's twin of this list with the same filters ('' if there is none).

        The API pages by cursor and never ranks by relevance: the page number and a relevance
        order stay behind.
        """
        if not self.api_view_name:
            return ""
        params = self.request.GET.copy()
        if params.get("sort") == "relevance":
            del params["sort"]
        query = query_url(params, drop=PAGE_PARAMS)
        return reverse(self.api_view_name) + (query if query != "?" else "")

    @staticmethod
    def clean_query(params):
        """Return '?…' of `params` without their empty values."""
        params = params.copy()
        for name in list(params):
            kept = [value for value in params.getlist(name) if value.strip()]
            if kept:
                params.setlist(name, kept)
            else:
                del params[name]
        return query_url(params, drop=())

    def get_paginator(self, queryset, per_page, **kwargs):
        count = self.counted.count if self.counted else 0
        return self.paginator_class(queryset, per_page, prepare=self.prepare, count=count, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        """Return the page asked for, or the nearest one with a note saying so (`page_note`).

        Never a 404 for a page number, and never an invented page: the total is exact, so
        past the end is the last page.
        """
        paginator = self.get_paginator(queryset, page_size)
        raw = (self.request.GET.get(self.page_kwarg) or "1").strip()
        self.page_note = ""
        try:
            number = int(raw)
        except ValueError:
            number = 1
            self.page_note = f"“{raw[:20]}” is not a page number: this is page 1."
        if number < 1:
            number = 1
            self.page_note = "Pages start at 1: this is page 1."
        last = paginator.num_pages
        if number > last:
            pages = "only 1 page" if last == 1 else f"only {last:,} pages"
            self.page_note = f"There {'is' if last == 1 else 'are'} {pages}: this is the last."
            number = last
        page = paginator.page(number)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        filterset = self.filterset
        valid = filterset.is_valid()
        objects = list(context["object_list"])
        query = filterset.search_text if valid else ""
        if query and self.headline_field:
            search.attach_headlines(objects, query, self.headline_field)
        self.decorate(objects)
        self.shown = objects
        if self.counted:
            for facet in self.facets:
                rows = self.counted.facets.get(facet.param, [])
                facet.fill(rows, _values(params, facet.param), self.facet_url)
        chips = self.get_chips() if valid else []
        self.fill_form(filterset.form, self.facets, chips)
        paginator, page = context["paginator"], context["page_obj"]
        visible = [name for name in filterset.form_params() if name in filterset.form.fields]
        context.update(
            title=self.title,
            intro=self.intro,
            form=filterset.form,
            visible_fields=[filterset.form[name] for name in visible],
            hidden_params=[
                (name, value)
                for name in params
                if name not in visible and name not in PAGE_PARAMS
                for value in _values(params, name)
            ],
            object_list=objects,
            page_range=paginator.page_links(page),
            result_count=paginator.count,
            result_count_label=f"{paginator.count:,}",
            page_number_label=f"{page.number:,}",
            page_count_label=f"{paginator.num_pages:,}",
            facets=[facet for facet in self.facets if facet.values],
            chips=chips,
            clear_url=self.request.path,
            sort_links=self.get_sort_links(),
            # The page's CSV link asks for a byte order mark, so that Excel opens it as UTF-8;
            # a program building its own URL gets plain UTF-8 (its first column name intact).
            export_formats=list(formats_of(self.exporter_class).values()),
            api_link=self.get_api_link(),
            search_text=query,
            page_note=getattr(self, "page_note", ""),
            sort_note=(
                "Too many matches to rank by relevance: shown in the default order."
                if filterset.sort_key == "relevance"
                and filterset.can_rank
                and not self.can_rank(paginator.count)
                else ""
            ),
        )
        return context

    def table(self):
        """Return the shown rows as a table of the downloads' columns (see list_table.html)."""
        # A column named as a filter is headed by the filter's label.
        labels = {name: str(item.label) for name, item in self.filterset.filters.items()}
        return self.exporter_class(self.request, self.model).table_of(self.shown, labels)

    def get_template_names(self):
        # A list with no template of its own shows its rows as a table.
        return [*super().get_template_names(), "list_table.html"]

    @staticmethod
    def can_rank(count):
        """Return whether `count` results may be ranked by relevance one by one."""
        return count <= search.RANK_LIMIT

    def facet_url(self, param, value, active):
        """Return the link of a facet value: this list with the value added, or removed."""
        params = self.request.GET
        current = _values(params, param)
        values = [item for item in current if item != value] if active else [*current, value]
        return query_url(params, **{param: values or None})

    def get_chips(self):
        """Return the active filters as chips, each naming its value and linking to its removal."""
        params = self.request.GET
        chips = []
        model = self.filterset.queryset.model
        cleaned = self.filterset.form.cleaned_data
        for name, bound_filter in self.filterset.filters.items():
            if name in CONTROL_PARAMS:
                continue
            values = _values(params, name)
            if not values:
                continue
            # A record's name as read with its slug (or matched to the name typed).
            given = cleaned.get(name)
            named = {
                item.given: item.label
                for item in (given if isinstance(given, list) else ())
                if isinstance(item, Named)
            }
            labels = named or (
                bound_filter.value_labels(model, values)
                if hasattr(bound_filter, "value_labels")
                else {}
            )
            for value in values:
                remaining = [item for item in values if item != value]
                chips.append(
                    Chip(
                        param=name,
                        label=bound_filter.label or name,
                        value=value,
                        value_label=str(labels.get(value, value)),
                        remove_url=query_url(params, **{name: remaining or None}),
                    )
                )
        return chips

    def fill_form(self, form, facets, chips):
        """Fill the options of the selects of the filters that offer them (see ListFilter)."""
        by_param = {facet.param: facet for facet in facets}
        model = self.filterset.queryset.model
        read_rows = {}  # the origin and destination selects offer the same countries

        def read(rows):
            key = str(rows.query)
            if key not in read_rows:
                read_rows[key] = list(rows)
            return read_rows[key]

        for name, bound_filter in self.filterset.filters.items():
            if name not in form.fields or not hasattr(bound_filter, "select_options"):
                continue
            chosen = [(chip.value, chip.value_label) for chip in chips if chip.param == name]
            options = bound_filter.select_options(model, by_param.get(name), chosen, read)
            if options is not None:
                form.fields[name].widget.choices = options

    def get_sort_links(self):
        """Return (sort key, label, active) for each order the list offers."""
        sort_filter = self.filterset.filters.get("sort")
        if sort_filter is None:
            return []
        current = self.filterset.sort_key if self.filterset.is_valid() else ""
        return [
            (key, label, key == current)
            for key, (label, _ordering) in sort_filter.options.items()
            if key != "relevance" or self.filterset.can_rank
        ]
