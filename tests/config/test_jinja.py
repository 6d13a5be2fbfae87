"""The public pages' template helpers agree with the Django filters they stand in for."""

from django.template import defaultfilters
from hypothesis import given
from hypothesis import strategies as st

from config.jinja import truncatewords

#: Words, runs of mixed whitespace and the ellipsis itself.
TEXT = st.lists(
    st.one_of(
        st.text(alphabet="abcXYZ’é-…", min_size=1, max_size=8),
        st.sampled_from([" ", "  ", "\n", "\t", " \u00a0 ", " …"]),
    ),
    max_size=40,
).map("".join)


@given(text=TEXT, length=st.integers(min_value=1, max_value=30))
def test_truncatewords_cuts_as_django_does(text, length):
    assert truncatewords(text, length) == defaultfilters.truncatewords(text, length)


def test_truncatewords_marks_a_cut():
    assert truncatewords("one two  three\nfour", 2) == "one two …"
    assert truncatewords("one two", 2) == "one two"
    assert truncatewords("one … two", 2) == "one …" == defaultfilters.truncatewords("one … two", 2)
