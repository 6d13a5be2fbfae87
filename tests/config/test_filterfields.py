"""The filter widgets and links write their markup directly, exactly as Django's and the
standard library's helpers would."""

from urllib.parse import urlencode

from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from config.filterfields import DirectSelect, DirectTextInput, RepeatableSelect, escape, html_attrs
from config.listing import query_url

TEXT = st.text(alphabet="ab<>&\"' é", max_size=8)
VALUES = st.one_of(
    TEXT,
    TEXT.map(mark_safe),
    st.booleans(),
    st.none(),
    st.integers(min_value=-5, max_value=2200),
)


@given(value=VALUES)
def test_escape_is_djangos_conditional_escape(value):
    assert escape(value) == conditional_escape(value)


@given(attrs=st.dictionaries(st.text(alphabet='abc-<"', min_size=1, max_size=5), VALUES))
def test_attributes_are_written_as_flatatt_writes_them(attrs):
    assert html_attrs(attrs) == flatatt(attrs)


def test_a_select_marks_the_chosen_option_and_escapes_every_label():
    select = DirectSelect(attrs={"id": "id_country"})
    select.choices = [("", "Any"), ("pakistan", "Pakistan"), ("x<y", "A & B")]

    html = select.render("country", "x<y")

    assert html == (
        '<select id="id_country" name="country">\n'
        '<option value="">Any</option>\n'
        '<option value="pakistan">Pakistan</option>\n'
        '<option value="x&lt;y" selected>A &amp; B</option>\n'
        "</select>"
    )
    assert 'value="pakistan">' in select.render("country", "nowhere")
    assert "selected" not in select.render("country", "nowhere")


def test_options_given_as_lists_render_too():
    select = DirectSelect()
    select.choices = [["", "Any"], ["1", "One"]]

    assert '<option value="1" selected>One</option>' in select.render("n", "1")


def test_a_repeated_parameter_keeps_its_other_values_as_hidden_inputs():
    select = RepeatableSelect()
    select.choices = [("", "Any"), ("kashmir", "Kashmir"), ("aid", "Aid")]

    html = select.render("issue", ["aid", "kashmir", 'x"y'])

    assert '<option value="aid" selected>Aid</option>' in html
    assert html.endswith(
        '</select><input type="hidden" name="issue" value="kashmir">'
        '<input type="hidden" name="issue" value="x&quot;y">'
    )


def test_a_text_input_escapes_its_value():
    html = DirectTextInput(attrs={"placeholder": "Kabul & Doha"}).render("q", '"talks"')

    assert html == (
        '<input type="text" name="q" value="&quot;talks&quot;" placeholder="Kabul &amp; Doha">'
    )


@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(["q", "issue", "page", "sort", "a b", "é"]),
            st.text(alphabet="az09 -_.~+&=?/%é\u00a0“", max_size=6),
        ),
        max_size=8,
    ),
    change=st.one_of(st.none(), st.text(alphabet="ab &é", max_size=4)),
)
def test_query_urls_encode_as_urlencode_does(pairs, change):
    params = QueryDict(mutable=True)
    for name, value in pairs:
        params.appendlist(name, value)
    lists = {name: values for name, values in params.lists() if name != "page"}
    if change is not None:
        lists["issue"] = [change]
    else:
        lists.pop("issue", None)
    expected = urlencode([(name, value) for name, values in lists.items() for value in values])

    assert query_url(params, issue=change) == f"?{expected}"
