"""The filter widgets keep every value of a repeated parameter; filter links keep the rest."""

from urllib.parse import urlencode

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from core.lists.fields import RepeatableSelect
from core.lists.views import query_url


def test_a_repeated_parameter_keeps_its_other_values_as_hidden_inputs():
    select = RepeatableSelect()
    select.choices = [("", "Any"), ("kashmir", "Kashmir"), ("aid", "Aid")]

    html = select.render("issue", ["aid", "kashmir", 'x"y'])

    assert '<option value="aid" selected>Aid</option>' in html
    assert html.endswith(
        '</select><input type="hidden" name="issue" value="kashmir">'
        '<input type="hidden" name="issue" value="x&quot;y">'
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
