"""The view behind every public list: one FilterSet serving the HTML page, the CSV and the JSON."""

import re
from dataclasses import dataclass
from urllib.parse import quote_plus

from django.http import HttpResponseRedirect
from django.utils.http import MAX_URL_REDIRECT_LENGTH
from django.views.generic import TemplateView

from config import paging, search
from config.db import plain_rows, plain_statement
from config.exports import error_response, export_response
from config.facets import compute_facets, facet_columns
from config.paging import BoundedPaginator, bounded_count

FORMATS = ("html", "csv", "json")
#: Parameters that are not filters: they never show as chips or facets.
CONTROL_PARAMS = ("page", "format", "sort")
#: Results the facets count exactly; past it they count the first this many, and say so.
FACET_LIMIT = 500


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
    order; a list page builds dozens of these, so the QueryDict is read, never deep-copied.
    """
    lists = {name: values for name, values in params.lists() if name not in drop}
    for name, value in changes.items():
        if value is None:
            lists.pop(name, None)
        elif isinstance(value, list | tuple):
            lists[name] = [str(item) for item in value]
        else:
            lists[name] = [str(value)]
    encoded = "&".join(
        f"{_quote(name)}={_quote(value)}" for name, values in lists.items() for value in values
    )
    return f"?{encoded}" if encoded else "?"


#: What quote_plus leaves as it is.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*")


def _quote(text):
    """Return quote_plus(text) as urlencode writes it, at once for a plain slug or number."""
    text = str(text)
    return text if _UNQUOTED.fullmatch(text) else quote_plus(text)


def names_by_pk(rows):
    """Return {pk: (slug, name)} of (pk, slug, name) rows, as facets name their values."""
    return {pk: (slug, name) for pk, slug, name in rows}


def labels_by_pk(rows):
    """Return {pk: name} of (pk, slug, name) rows."""
    return {pk: name for pk, _slug, name in rows}


def slugs_known(rows):
    """Return {slug: (pk, name)} of (pk, slug, name) rows, as slug filters look them up."""
    return {slug: (pk, name) for pk, slug, name in rows}


def select_options(rows):
    """Return the options of a select ("Any" first) of (pk, slug, name) rows."""
    return [("", "Any"), *((slug, name) for _pk, slug, name in rows)]


def _values(params, name):
    return [value.strip() for value in params.getlist(name) if value.strip()]


class FilteredListView(TemplateView):
    """A filtered, faceted, sorted, paginated list that also answers ?format=csv and json."""

    model = None
    filterset_class = None
    exporter_class = None
    paginate_by = 25
    #: Form fields shown in the filter form; other parameters travel as hidden inputs.
    form_fields: tuple[str, ...] = ("q",)
    #: Select fields whose options are the top values of the facet of the same name.
    facet_choice_fields: tuple[str, ...] = ()
    #: The model field whose excerpt is shown for a search, around the matching words.
    headline_field = ""
    #: Title of the page and the noun of its rows ("visits").
    title = ""
    #: Results the facets count exactly (None: FACET_LIMIT); past it, the first this many.
    facet_limit = None

    def get_base_queryset(self):
        """Return every public row the list may show."""
        return self.model.objects.published()

    def get_facets(self):
        """Return fresh Facet objects for this list (their values are filled per request)."""
        return []

    def prepare(self, queryset):
        """Return `queryset` with what each shown or exported row needs, in a fixed few queries.

        The same for every request: the query that reads a page's rows is compiled once."""
        return queryset.for_list()

    def decorate(self, objects):
        """Add per-page extras to the shown rows (one query for the page, never per row)."""
        return objects

    def known_targets(self):
        """Return {filter name: {slug: (pk, name)} of every public row it can name}, for slug
        filters whose rows the page reads anyway (their slugs then need no look-up)."""
        return {}

    def facet_names(self):
        """Return {facet parameter: {pk: (slug, name)} of every public row it can show}, for
        facets whose related rows the page reads anyway (see compute_facets)."""
        return {}

    # --- Request handling ---------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format", "").strip().lower() or "html"
        if fmt not in FORMATS:
            return error_response(
                f"Unknown format “{fmt[:20]}”: use format=csv or format=json (or leave it out)."
            )
        if fmt == "html" and any(value.strip() == "" for value in request.GET.values()):
            # A submitted form sends empty fields; keep shareable URLs short and clean.
            clean_url = request.path + self._clean_query(request.GET)
            # Django refuses to redirect to a huge URL: such a request is answered as it is.
            if len(clean_url) <= MAX_URL_REDIRECT_LENGTH:
                return HttpResponseRedirect(clean_url)
        self.filterset = self.filterset_class(
            request.GET, queryset=self.get_base_queryset(), request=request
        )
        if fmt == "html":
            for name, known in self.known_targets().items():
                self.filterset.filters[name].known = known
        valid = self.filterset.is_valid()
        if fmt != "html":
            if not valid:
                return error_response("Invalid filter parameters.", self.filterset.errors)
            filtered = self.filterset.qs
            rank = self.filterset.can_rank and self.can_rank(bounded_count(filtered))
            rows = self.filterset.ordered(filtered, rank=rank)
            return export_response(self.exporter_class(request), rows, fmt)
        context = self.get_context_data(valid=valid, **kwargs)
        return self.render_to_response(context, status=200 if valid else 400)

    @staticmethod
    def _clean_query(params):
        params = params.copy()
        for name in list(params):
            kept = [value for value in params.getlist(name) if value.strip()]
            if kept:
                params.setlist(name, kept)
            else:
                del params[name]
        return query_url(params, drop=())

    def get_context_data(self, *, valid, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        filterset = self.filterset
        filtered = filterset.qs if valid else self.get_base_queryset().none()
        facets = self.get_facets() if valid else []
        counted, columns, records, facet_note = self.sample(filtered, facets)
        rank = self.can_rank(counted)
        ordered = filterset.ordered(filtered, rank=rank)
        # The facets' rows are the first results in the order shown (unless ranked by
        # relevance): the pages among them need not look their ids up again.
        ranked = filterset.ranked(rank=rank)
        known = None if ranked or not records else [record[0] for record in records]
        paginator = BoundedPaginator(
            ordered,
            self.paginate_by,
            prepare=self.prepare,
            counted=counted,
            known_ids=known,
            known_all=counted[1] and counted[0] == len(records),
            rows_key=(type(self), "page rows"),
        )
        page = paginator.get_page(params.get("page"))
        objects = list(page.object_list)
        query = filterset.search_text if valid else ""
        if query and self.headline_field:
            search.attach_headlines(objects, query, self.headline_field)
        self.decorate(objects)

        if facets:
            compute_facets(
                facets,
                filtered.model,
                columns,
                records,
                lambda param: _values(params, param),
                self._facet_url,
                names=self.facet_names(),
            )
        chips = self.get_chips() if valid else []
        self.fill_form(filterset.form, facets, chips)

        visible = [name for name in self.form_fields if name in filterset.form.fields]
        context.update(
            title=self.title,
            filter=filterset,
            form=filterset.form,
            visible_fields=[filterset.form[name] for name in visible],
            hidden_params=[
                (name, value)
                for name in params
                if name not in visible and name not in ("page", "format")
                for value in _values(params, name)
            ],
            object_list=objects,
            page_obj=page,
            paginator=paginator,
            page_range=paginator.page_links(page),
            result_count=paginator.count,
            result_count_label=paginator.count_label,
            result_count_exact=paginator.exact,
            facets=[facet for facet in facets if facet.values],
            facet_note=facet_note,
            chips=chips,
            clear_url=self.request.path,
            sort_links=self.get_sort_links(),
            export_links=[
                (label, query_url(params, format=fmt))
                for fmt, label in (("csv", "CSV"), ("json", "JSON"))
            ],
            search_text=query,
            sort_note=(
                "Too many matches to rank by relevance: shown in the default order."
                if filterset.sort_key == "relevance"
                and filterset.can_rank
                and not self.can_rank(counted)
                else ""
            ),
        )
        return context

    @staticmethod
    def can_rank(counted):
        """Return whether results this many (bounded_count's answer) may be ranked one by one."""
        count, exact = counted
        return exact and count <= search.RANK_LIMIT

    def sample(self, filtered, facets):
        """Return (counted, columns, records, note): the count and the rows the facets count.

        One read of the first rows in the order shown (relevance aside) gives both: up to
        `paging.COUNT_LIMIT` results their exact count, beyond it the planner's estimate; up to
        `facet_limit` results the facets count them all, beyond it the first `facet_limit`, and
        say so: counting a million rows seven ways on every page would cost seconds.
        `records` are tuples of (pk, *columns); a list without facets reads its ids alone, which
        then spare its pages a look-up of their own.
        """
        sort = self.filterset.filters.get("sort")
        if sort is None:
            return bounded_count(filtered), [], [], ""
        count_limit = paging.COUNT_LIMIT
        limit = self.facet_limit or FACET_LIMIT
        key = self.filterset.sort_key
        if key == "relevance" or key not in sort.options:
            key = self.filterset.default_sort
        label, ordering = sort.options[key]
        columns = facet_columns(facets, filtered.model)
        rows = filtered.order_by(*ordering).values_list("pk", *columns)
        first = rows[: max(count_limit, limit) + 1]
        statement = plain_statement(first)
        records = plain_rows(first, statement)
        if len(records) <= count_limit:
            counted = (len(records), True)
        else:
            estimate = paging.estimated_count(filtered, limited=statement)
            counted = (max(estimate or 0, count_limit + 1), False)
        if len(records) <= limit or not facets:
            return counted, columns, records, ""
        shown = paging.count_label(*counted, count_limit)
        note = f"Counts among the first {limit:,} of {shown} results ({label.lower()})."
        return counted, columns, records[:limit], note

    def _facet_url(self, param, value, active):
        params = self.request.GET
        current = _values(params, param)
        values = [item for item in current if item != value] if active else [*current, value]
        return query_url(params, **{param: values or None})

    def get_chips(self):
        """Return the active filters as chips, each naming its value and linking to its removal."""
        params = self.request.GET
        chips = []
        model = self.filterset.queryset.model
        for name, bound_filter in self.filterset.filters.items():
            if name in CONTROL_PARAMS:
                continue
            values = _values(params, name)
            if not values:
                continue
            labels = (
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
        """Fill the options of selects that list a facet's top values (and the chosen ones)."""
        by_param = {facet.param: facet for facet in facets}
        for name in self.facet_choice_fields:
            if name not in form.fields:
                continue
            facet = by_param.get(name)
            options = (
                [(item.value, f"{item.label} ({item.count})") for item in facet.values]
                if facet
                else []
            )
            known = {value for value, _label in options}
            options += [
                (chip.value, chip.value_label)
                for chip in chips
                if chip.param == name and chip.value not in known
            ]
            form.fields[name].widget.choices = [("", "Any"), *options]

    def get_sort_links(self):
        """Return (label, url, active) for each order the list offers."""
        sort_filter = self.filterset.filters.get("sort")
        if sort_filter is None:
            return []
        current = self.filterset.sort_key if self.filterset.is_valid() else ""
        links = []
        for key, (label, _ordering) in sort_filter.options.items():
            if key == "relevance" and not self.filterset.can_rank:
                continue
            links.append((label, query_url(self.request.GET, sort=key), key == current))
        return links
