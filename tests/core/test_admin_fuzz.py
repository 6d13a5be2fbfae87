"""Staff cannot make the admin fail: hostile query strings on every changelist and hostile
values in the main change forms, as a curator and as an editor, answer with a page, a form
error, a redirect or a 404 — never a 500.

Property-based (hypothesis). ADMIN_FUZZ_EXAMPLES sets the examples per test (default 15);
a long run sets it higher.
"""

import os
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.core.test_concurrent_edits import form_data

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("ADMIN_FUZZ_EXAMPLES", "10"))
APPS = ("core", "actors", "visits", "sources", "claims", "assertions")


def registered_models():
    """Return every model of the knowledge base's apps that the admin shows."""
    return [
        model
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if admin.site.is_registered(model)
    ]


MODELS = registered_models()

#: Values a staff member (or a forged request) might send: junk, huge numbers, dates that are
#: not, controls, quotes, long strings.
HOSTILE = st.one_of(
    st.sampled_from(
        [
            "",
            "abc",
            "-1",
            "0",
            "99999999999999999999",
            "1e309",
            "2020-13-45",
            "٣",
            "\x00",
            "'; DROP TABLE x; --",
            "<script>",
            "x" * 5000,
            "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
            "None",
            "[]",
            "true",
        ]
    ),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def changelist_params(model):
    """Return the names a changelist reads: its filters, search, order, page, and junk."""
    model_admin = admin.site.get_model_admin(model)
    names = ["q", "o", "p", "all", "e", "_changelist_filters", "junk"]
    for entry in model_admin.list_filter:
        if isinstance(entry, str):
            names += [entry, f"{entry}__exact", f"{entry}__id__exact", f"{entry}__isnull"]
        elif isinstance(entry, tuple):
            names += [entry[0], f"{entry[0]}__exact"]
        else:
            names.append(getattr(entry, "parameter_name", "") or "year")
    return names


def staff(role):
    """Return a client signed in as a member of `role` (one user per role, made once)."""
    from django.contrib.auth import get_user_model

    username = f"fuzz-{role.lower()}"
    user = get_user_model().objects.filter(username=username).first()
    client = Client()
    client.force_login(user or factories.UserFactory(username=username, groups=[role]))
    return client


@pytest.fixture
def corpus():
    corpus = factories.build_corpus()
    corpus.kabul_claim = corpus.kabul.claims.order_by("pk").first()  # before any example moves it
    return corpus


@pytest.mark.parametrize("role", ["Curator", "Editor"])
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_changelist_query_string_is_a_500(corpus, role, model, data):
    client = staff(role)
    names = changelist_params(model)
    params = data.draw(
        st.dictionaries(st.sampled_from(names), HOSTILE, max_size=4), label="query string"
    )
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = client.get(f"{url}?{urlencode(params)}")

    assert response.status_code in (200, 302, 400, 403, 404), (url, params)


#: The change forms curators work in all day, with the record each one edits.
FORMS = {
    "visits.Visit": lambda corpus: corpus.kabul,
    "claims.Claim": lambda corpus: corpus.kabul_claim,
    "sources.SourceDocument": lambda corpus: corpus.source,
    "actors.Actor": lambda corpus: corpus.imran,
    "visits.Issue": lambda corpus: corpus.issues["kashmir"],
}


@pytest.mark.parametrize("role", ["Curator", "Editor"])
@pytest.mark.parametrize("label", list(FORMS))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_change_form_post_is_a_500(corpus, role, label, data):
    client = staff(role)
    record = FORMS[label](corpus)
    model = record._meta.model
    url = reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.pk]
    )
    page = client.get(url)
    assert page.status_code == 200
    fields = form_data(page)
    names = sorted(fields)
    # Fields by position: the form's fields may change as earlier examples save.
    picks = data.draw(
        st.lists(st.tuples(st.integers(0, 999), HOSTILE), min_size=1, max_size=3), label="fields"
    )
    changed = {names[index % len(names)]: value for index, value in picks}

    response = client.post(url, {**fields, **changed})

    assert response.status_code in (200, 302, 403), (url, changed)
