"""The public pages' template helpers agree with the Django filters they stand in for."""

from django.template import defaultfilters
from django.test import override_settings
from django.urls import path, reverse, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from config.jinja import truncatewords, url


def _nothing(request):  # pragma: no cover - never requested
    raise AssertionError


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


def test_url_follows_the_script_prefix():
    try:
        set_script_prefix("/kb/")
        assert url("visits:list") == "/kb/visits/" == reverse("visits:list")
    finally:
        set_script_prefix("/")
    assert url("visits:list") == "/visits/" == reverse("visits:list")


#: Another URL configuration, whose home page lives elsewhere.
urlpatterns = [path("elsewhere/", _nothing, name="home")]


def test_url_follows_the_url_configuration():
    assert url("home") == "/"
    with override_settings(ROOT_URLCONF=__name__):
        assert url("home") == "/elsewhere/"
    assert url("home") == "/"


def test_url_with_arguments_reverses_each_time():
    assert url("actors:detail", slug="imran-khan") == "/actors/imran-khan/"
    assert url("actors:detail", "imran-khan") == "/actors/imran-khan/"
