"""Malformed query strings on every public list and the search page: a page or a 400, never a 500.

The property-based test generates query strings from each list's own parameters plus junk keys,
with values drawn from hostile alphabets (control characters, NUL, full-width digits, formula
signs, quotes, invalid UTF-8 bytes, 10 kB strings). Its number of examples per endpoint is
PARAMS_EXAMPLES (default 25); a long run sets it higher, e.g. PARAMS_EXAMPLES=2000.
"""

import csv
import io
import json
import os
from urllib.parse import quote, quote_from_bytes, urlsplit

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actors.filters import ActorFilterSet
from claims.filters import ClaimFilterSet
from core.lists.exports import FORMATS as DOWNLOADS
from core.lists.exports import ListExporter
from core.lists.filters import SearchFilter, ValueFilter
from sources.filters import SourceFilterSet
from tests import factories
from tests.pages.test_views import body_of
from visits.filters import IssueFilterSet, VisitFilterSet

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("PARAMS_EXAMPLES", "25"))
#: What every list answers: its page, and the downloads every exporter can write.
FORMATS = ("html", *(name for name, fmt in DOWNLOADS.items() if fmt.offered(ListExporter)))

FILTERSETS = {
    "/visits/": VisitFilterSet,
    "/actors/": ActorFilterSet,
    "/issues/": IssueFilterSet,
    "/claims/": ClaimFilterSet,
    "/sources/": SourceFilterSet,
}
LISTS = list(FILTERSETS)
#: Every parameter a list reads: its filters, and the page and format controls.
PARAMS = {
    path: [*filterset.base_filters, "page", "format"] for path, filterset in FILTERSETS.items()
}
FORM_ERROR = "Some filters could not be used"
TEN_KB = "x" * 10_240


@pytest.fixture
def corpus():
    return factories.build_corpus(extra=1)


def text_of(response):
    """Return the decoded body of a response, read once (a streamed one can be read only once)."""
    if not hasattr(response, "read_text"):
        response.read_text = body_of(response)
    return response.read_text


def parsed_export(response, fmt):
    """Return the rows of a CSV export or the records of a JSON one, checking their shape."""
    body = text_of(response)
    if fmt == "json":
        export = json.loads(body)
        records = export["results"]
        assert isinstance(records, list)
        assert export["count"] == len(records)
        return records
    rows = list(csv.reader(io.StringIO(body, newline="")))
    assert rows, "a CSV export always has its header row"
    assert {len(row) for row in rows} == {len(rows[0])}
    return rows


def json_error(response):
    """Return the parsed body of a refused export, checking it is a JSON error."""
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(text_of(response))
    assert isinstance(body["error"], str) and body["error"]
    return body


def check_list_response(client, path, query, *, redirected=False):
    """Fetch `path?query` and check it answers as the public contract says; return the response."""
    url = f"{path}?{query}"
    response = client.get(url)
    params = QueryDict(query)
    fmt = params.get("format", "").strip().lower() or "html"
    if fmt not in FORMATS:
        assert response.status_code == 400, url
        assert "Unknown format" in json_error(response)["error"]
        return response
    if fmt != "html":
        assert response.status_code in (200, 400), url
        if response.status_code == 400:
            assert "errors" in json_error(response), url
        else:
            parsed_export(response, fmt)
        return response
    if response.status_code == 302 and not redirected:
        # Blank fields of a submitted form are dropped: the cleaned URL answers for itself.
        assert any(value.strip() == "" for value in params.values()), url
        location = urlsplit(response["Location"])
        assert location.path == path
        return check_list_response(client, path, location.query, redirected=True)
    assert response.status_code in (200, 400), url
    assert response["Content-Type"].startswith("text/html")
    page = text_of(response)
    assert "Traceback" not in page
    if response.status_code == 400:
        assert FORM_ERROR in page, url
    else:
        assert 'class="result-count"' in page, url
    return response


# --- Named malformed values -------------------------------------------------------------------

BAD_YEARS = ["-1", "0", "1799", "99999", "1e9", "abc", "2020.5", "２０２０x"]


FULL_WIDTH_2020 = quote("\uff12\uff10\uff12\uff10")


@pytest.mark.parametrize("path", ["/visits/", "/claims/", "/sources/"])
def test_absurd_years_are_a_form_error_or_a_400_with_a_json_body(client, corpus, path):
    for name in [name for name in PARAMS[path] if name.startswith("year")]:
        for value in BAD_YEARS:
            for fmt in FORMATS:
                response = check_list_response(client, path, f"{name}={value}&format={fmt}")

                assert response.status_code == 400, (name, value)
                if fmt == "html":
                    page = text_of(response)
                    assert "is not a year" in page or "Enter a year between 1800 and 2200" in page
                else:
                    assert name in json_error(response)["errors"]


@pytest.mark.parametrize("path", ["/visits/", "/claims/", "/sources/"])
def test_a_year_in_full_width_digits_is_that_year_or_a_form_error(client, corpus, path):
    for name in [name for name in PARAMS[path] if name.startswith("year")]:
        response = check_list_response(client, path, f"{name}={FULL_WIDTH_2020}&format=json")
        if response.status_code == 200:
            same = check_list_response(client, path, f"{name}=2020&format=json")
            assert parsed_export(response, "json") == parsed_export(same, "json")
        else:
            assert name in json_error(response)["errors"]


@pytest.mark.parametrize("fmt", ["html", "csv", "json"])
def test_an_inverted_year_range_is_a_form_error_beside_the_field(client, corpus, fmt):
    response = check_list_response(client, "/visits/", f"year_from=2023&year_to=2019&format={fmt}")

    assert response.status_code == 400
    message = "“To year” (2019) is before “From year” (2023)"
    if fmt == "html":
        page = text_of(response)
        field = page.split('for="id_year_to"', 1)[1].split("</div>", 1)[0]
        assert f'<p class="field-error" id="id_year_to-error">{message}' in field
    else:
        assert message in json_error(response)["errors"]["year_to"][0]


@pytest.mark.parametrize("path", LISTS)
def test_unknown_records_and_choices_are_form_errors(client, corpus, path):
    for name, bound_filter in FILTERSETS[path].base_filters.items():
        for fmt in FORMATS:
            response = check_list_response(client, path, f"{name}=no-such-thing&format={fmt}")
            if isinstance(bound_filter, SearchFilter):
                assert response.status_code == 200
            elif isinstance(bound_filter, ValueFilter):
                # A publisher no source has: an empty result, not an error.
                assert response.status_code == 200, name
                if fmt == "html":
                    assert "<strong>0</strong> results" in text_of(response), name
                else:
                    assert len(parsed_export(response, fmt)) == (fmt == "csv"), name
            else:  # no such record, choice, sort key or year: a form error naming the field
                assert response.status_code == 400, name
                if fmt == "html":
                    assert f'href="#id_{name}"' in text_of(response), name
                else:
                    assert name in json_error(response)["errors"], name


HOSTILE_VALUES = [
    TEN_KB,
    "%00",
    "a%00b",
    "%ff%fe",
    "%C0%AF",
    "%ED%A0%80",  # an encoded UTF-16 surrogate: invalid UTF-8
    "%E2%80%AE%E2%80%8B",
    "%0D%0ASet-Cookie:%20x=1",
    "%3Cscript%3Ealert(1)%3C/script%3E",
]


@pytest.mark.parametrize("path", LISTS)
def test_long_strings_nul_bytes_and_invalid_utf8_never_crash_a_list(client, corpus, path):
    for index, value in enumerate(HOSTILE_VALUES):
        assert check_list_response(client, path, f"format={value}").status_code == 400
        export = FORMATS[1 + index % 2]  # csv and json in turn
        for name in [name for name in PARAMS[path] if name != "format"]:
            for fmt in ("html", export):
                response = check_list_response(client, path, f"{name}={value}&format={fmt}")

                if name == "page":
                    assert response.status_code == 200
                elif value in ("%00", "a%00b"):
                    assert response.status_code == 400, (name, fmt)  # NUL is refused everywhere
                elif value == TEN_KB and response.status_code == 200 and fmt == "html":
                    # Only a well-formed slug may be that long: it names nothing.
                    assert "<strong>0</strong> results" in text_of(response), name


@pytest.mark.parametrize("path", LISTS)
def test_a_blank_field_beside_a_huge_value_answers_the_page(client, corpus, path):
    # Blank fields are dropped by a redirect; this one would be too long to redirect to.
    huge = quote("é" * 10_240)

    response = check_list_response(client, path, f"q=&page=&q={huge}")

    assert response.status_code == 400
    assert "at most 200 characters" in text_of(response)


@pytest.mark.parametrize("path", LISTS)
def test_any_page_number_shows_a_page(client, corpus, path):
    for page in ["-1", "0", "1", "2", "99999999999999999999", "abc", "1.5", "%00", "%ff"]:
        response = check_list_response(client, path, f"page={page}")

        assert response.status_code == 200, page
        assert 'class="result-count"' in text_of(response)


@pytest.mark.parametrize("path", LISTS)
def test_repeated_parameters_are_read_as_documented(client, corpus, path):
    for name in PARAMS[path]:
        for fmt in FORMATS:
            query = f"{name}=2019&{name}=2020&{name}=2019&format={fmt}"
            if name == "format":
                query = "format=csv&format=json"
            check_list_response(client, path, query)
    many = "&".join(f"year=20{number:02d}" for number in range(25))
    if "year" in PARAMS[path]:
        assert check_list_response(client, path, many).status_code == 400


@pytest.mark.parametrize("path", LISTS)
def test_a_blank_format_after_an_unknown_one_leads_to_a_400(client, corpus, path):
    # The blank value is dropped by a redirect; the format left is then refused.
    response = check_list_response(client, path, "format=xml&format=")

    assert response.status_code == 400
    assert "Unknown format “xml”" in json_error(response)["error"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("fmt", ["xml", "xlsx", "CSV%00", "%ff", "html5", TEN_KB])
def test_unknown_formats_are_a_400_with_a_json_body(client, corpus, path, fmt):
    response = check_list_response(client, path, f"format={fmt}")

    assert response.status_code == 400
    assert len(json_error(response)["error"]) < 200  # the echo of a long value is cut short


@pytest.mark.parametrize(
    "query",
    [
        "q=" + TEN_KB,
        "q=%00",
        "q=%ff%fe",
        "q=a&q=b",
        "q=-1",
        "q=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%90",
        "q=%22unbalanced",
        "q=OR%20OR%20-",
        "q=%3A*%20%26%20!%20(",
        "q=%02mark%03",
        "unknown=1",
        "q=",
    ],
)
def test_malformed_searches_answer_the_search_page(client, corpus, query):
    response = client.get(f"/search/?{query}")

    assert response.status_code == 200
    assert 'action="/search/"' in text_of(response)


# --- Generated query strings ------------------------------------------------------------------

#: Values that mean something to some list: real slugs, choices, years, sort keys.
MEANINGFUL = [
    "imran-khan",
    "pakistan",
    "kashmir",
    "afghanistan",
    "khan-in-washington",
    "imran-khan-washington-2019",
    "secretdraft-person",
    "official",
    "denied",
    "news",
    "person",
    "country",
    "2019",
    "2020",
    "relevance",
    "-date",
    "title",
    "name",
    "csv",
    "json",
    "html",
    "The Diplomat",
]
HOSTILE_CHARS = list("<>\"'&;%#?=+-@/\\`|$*(){}[]:!~^ \t\r\n\x00\x01\x02\x03\x7f") + [
    "\u00a0",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
    "\uff12",
    "\uff10",
    "\ufffd",
    "\U0001f600",
]

text_values = st.one_of(
    st.sampled_from(MEANINGFUL),
    st.text(alphabet=st.sampled_from(HOSTILE_CHARS), max_size=12),
    st.text(max_size=16),
    st.text(alphabet="0123456789-+.eE \uff10\uff12", max_size=12),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.builds(
        lambda base, count: base * count,
        st.sampled_from(["x", "é", "\x00", "2"]),
        st.sampled_from([201, 1000, 10_240]),
    ),
)
encoded_text = text_values.map(lambda value: quote(value, safe=""))
#: Raw bytes, percent-encoded: most are not valid UTF-8.
encoded_bytes = st.binary(min_size=1, max_size=12).map(
    lambda value: quote_from_bytes(value, safe="")
)
encoded_values = st.one_of(encoded_text, encoded_text, encoded_bytes)


def encoded_keys(path):
    """Return a strategy of parameter names: the list's own, mostly, and junk."""
    junk = st.one_of(st.text(max_size=8).map(lambda key: quote(key, safe="")), encoded_bytes)
    return st.one_of(st.sampled_from(PARAMS[path]), st.sampled_from(PARAMS[path]), junk)


def query_strings(path):
    """Return a strategy of raw query strings for `path`, with a format chosen most of the time."""
    pair = st.tuples(encoded_keys(path), encoded_values).map(lambda kv: f"{kv[0]}={kv[1]}")
    oddity = st.sampled_from(["", "&", "&&", "=", "novalue", "=orphan", ";", "%", "%zz"])
    parts = st.lists(st.one_of(pair, pair, pair, oddity), max_size=6)
    formats = st.sampled_from(["", "&format=csv", "&format=json", "&format=html"])
    return st.tuples(parts, formats).map(lambda item: "&".join(item[0]) + item[1])


PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("path", LISTS)
def test_generated_query_strings_never_crash_a_list(client, corpus, path):
    @PROPERTY_SETTINGS
    @given(query=query_strings(path))
    def check(query):
        check_list_response(client, path, query)

    check()


def test_generated_query_strings_never_crash_the_search_page(client, corpus):
    keys = st.one_of(st.just("q"), st.just("q"), encoded_keys("/issues/"))
    pairs = st.lists(st.tuples(keys, encoded_values).map(lambda kv: f"{kv[0]}={kv[1]}"), max_size=4)

    @PROPERTY_SETTINGS
    @given(parts=pairs)
    def check(parts):
        response = client.get(f"/search/?{'&'.join(parts)}")
        assert response.status_code == 200
        assert 'action="/search/"' in text_of(response)

    check()
