"""The page cache: anonymous pages served again until the data changes, ETags, staff kept apart."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from core import dataversion, search
from core.status import PublicationStatus
from tests import factories
from tests.core.test_concurrent_edits import form_data
from tests.queries import DATA_VERSION_QUERIES
from visits.models import Visit

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/visits/",
    "/visits/?leader=imran-khan&issue=kashmir",
    "/visits/imran-khan-washington-2019/",
    "/actors/",
    "/actors/imran-khan/",
    "/issues/",
    "/issues/kashmir/",
    "/claims/",
    "/sources/",
    "/search/?q=khan",
    "/visits/?format=csv",
    "/claims/?format=json",
]


@pytest.fixture
def corpus():
    return factories.build_corpus()


@pytest.fixture
def anonymous():
    """Return a client of its own: signing in another client never signs this one in."""
    return Client()


def content(response):
    """Return the body of `response`, streamed or not, as text."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def fetch(client, path):
    """Return (response, body) of a GET that must answer 200."""
    response = client.get(path)
    body = content(response)
    assert response.status_code == 200, (path, response.status_code, body[:500])
    return response, body


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_a_repeated_request_is_answered_from_the_cache_with_one_query(
    anonymous, corpus, django_assert_num_queries, path
):
    first, first_body = fetch(anonymous, path)

    with django_assert_num_queries(DATA_VERSION_QUERIES):
        second, second_body = fetch(anonymous, path)

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second_body == first_body
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]


def test_an_export_keeps_its_file_name_when_served_again(anonymous, corpus):
    fetch(anonymous, "/visits/?format=csv")

    again, _ = fetch(anonymous, "/visits/?format=csv")

    assert again["X-Page-Cache"] == "hit"
    assert again["Content-Type"].startswith("text/csv")
    assert "attachment" in again["Content-Disposition"]


def test_pages_of_other_query_strings_and_hosts_are_kept_apart(anonymous, corpus, settings):
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.org"]
    _, kashmir = fetch(anonymous, "/visits/?issue=kashmir")
    _, aid = fetch(anonymous, "/visits/?issue=aid")
    _, csv_here = fetch(anonymous, "/visits/?format=csv")
    _, csv_there = content_of(anonymous.get("/visits/?format=csv", HTTP_HOST="mirror.example.org"))

    assert "Imran Khan at Davos" in kashmir and "Imran Khan at Davos" not in aid
    assert "http://testserver/visits/" in csv_here
    assert "http://mirror.example.org/visits/" in csv_there
    assert "http://testserver/" not in csv_there


def content_of(response):
    return response, content(response)


@pytest.fixture
def later(monkeypatch):
    """Return a function that sets the site's clock `seconds` after the data's last change
    (Last-Modified waits for the second of the last change to be over)."""
    now = [time.time()]
    monkeypatch.setattr(dataversion.time, "time", lambda: now[0])

    def move(seconds):
        now[0] = dataversion.current().changed_at.timestamp() + seconds

    return move


def test_the_current_etag_answers_304_without_rendering(
    anonymous, corpus, django_assert_num_queries, later
):
    later(2)
    first, _ = fetch(anonymous, "/visits/")

    with django_assert_num_queries(DATA_VERSION_QUERIES):
        revalidated = anonymous.get("/visits/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert revalidated.status_code == 304
    assert revalidated.content == b""
    assert revalidated["ETag"] == first["ETag"]
    assert revalidated["Last-Modified"] == first["Last-Modified"]


def test_an_old_etag_gets_the_changed_page(anonymous, corpus):
    first, _ = fetch(anonymous, "/visits/")
    Visit.objects.filter(pk=corpus.kabul.pk).update(title="Imran Khan's day in Kabul")

    changed = anonymous.get("/visits/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "Imran Khan&#x27;s day in Kabul" in content(changed)


def test_if_modified_since_the_last_change_answers_304(anonymous, corpus, later):
    later(2)
    first, _ = fetch(anonymous, "/actors/")

    revalidated = anonymous.get("/actors/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert revalidated.status_code == 304


def test_two_changes_within_a_second_never_answer_304_for_the_second(anonymous, corpus, later):
    Visit.objects.filter(pk=corpus.kabul.pk).update(title="First change")
    later(0)
    first, _ = fetch(anonymous, "/visits/")
    # The second of the change is not over: a date would also name what changes in it next.
    assert "Last-Modified" not in first
    Visit.objects.filter(pk=corpus.kabul.pk).update(title="Second change")
    later(0)
    second, body = fetch(anonymous, "/visits/")
    assert "Last-Modified" not in second
    assert "Second change" in body

    later(2)  # that second is over: the page carries it, and it holds both changes
    dated, body = fetch(anonymous, "/visits/")
    assert "Second change" in body
    revalidated = anonymous.get("/visits/", HTTP_IF_MODIFIED_SINCE=dated["Last-Modified"])
    assert revalidated.status_code == 304

    time.sleep(1.1)  # the database's clock: a later change falls in a later second
    Visit.objects.filter(pk=corpus.kabul.pk).update(title="Third change")
    later(2)
    changed = anonymous.get("/visits/", HTTP_IF_MODIFIED_SINCE=dated["Last-Modified"])
    assert changed.status_code == 200
    assert "Third change" in content(changed)


def test_public_pages_may_be_kept_by_browsers_and_proxies_if_revalidated(anonymous, corpus):
    response, _ = fetch(anonymous, "/issues/kashmir/")

    control = {word.strip() for word in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "must-revalidate"} <= control
    assert "Cookie" in response["Vary"]
    assert response["ETag"].startswith('W/"') or response["ETag"].startswith('"')


def test_signed_in_staff_get_a_fresh_page_that_nobody_keeps(editor_client, anonymous, corpus):
    fetch(anonymous, "/visits/")

    response, _ = fetch(editor_client, "/visits/")

    assert "X-Page-Cache" not in response
    assert "ETag" not in response
    control = {word.strip() for word in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= control
    assert editor_client.get("/visits/", HTTP_IF_NONE_MATCH="*").status_code == 200


def test_a_page_rendered_for_staff_is_never_given_to_anyone_else(editor_client, anonymous, corpus):
    fetch(editor_client, "/visits/")

    response, body = fetch(anonymous, "/visits/")

    assert response["X-Page-Cache"] == "miss"
    assert factories.DRAFT_MARKER not in body


def test_bad_filters_and_missing_pages_are_not_kept(anonymous, corpus):
    for path, status in [("/visits/?year=abc", 400), ("/visits/no-such-visit/", 404)]:
        assert anonymous.get(path).status_code == status
        again = anonymous.get(path)
        assert again.status_code == status
        assert again.get("X-Page-Cache") != "hit"


def test_the_health_check_always_asks_the_database(anonymous, corpus):
    anonymous.get("/healthz")

    assert "X-Page-Cache" not in anonymous.get("/healthz")


def test_an_export_larger_than_the_bound_streams_whole_and_is_not_kept(anonymous, corpus, settings):
    settings.PAGE_CACHE_MAX_BYTES = 300
    first, body = fetch(anonymous, "/visits/?format=csv")
    second, again = fetch(anonymous, "/visits/?format=csv")

    assert len(body.encode()) > 300
    assert body.count("\n") == Visit.objects.published().count() + 1
    assert second["X-Page-Cache"] == "miss"
    assert again == body


def test_the_cache_can_be_turned_off(corpus, settings):
    settings.PAGE_CACHE = False
    client = Client()

    fetch(client, "/visits/")
    response, _ = fetch(client, "/visits/")

    assert "X-Page-Cache" not in response
    assert "ETag" not in response


# --- Every kind of write makes the next anonymous page fresh ----------------------------------
#
# Each write returns {path: (text now shown, text no longer shown)} and a function doing it.


def admin_edit_of_a_visit_title(editor_client, corpus, tmp_path):
    def write():
        url = reverse("admin:visits_visit_change", args=[corpus.kabul.pk])
        form = form_data(editor_client.get(url))
        form["title"] = "Imran Khan meets Ashraf Ghani in Kabul"
        response = editor_client.post(url, form)
        assert response.status_code == 302, content(response)[:2000]

    return write, {
        "/visits/": ("Imran Khan meets Ashraf Ghani in Kabul", "Imran Khan visits Kabul"),
        f"/visits/{corpus.kabul.slug}/": ("Imran Khan meets Ashraf Ghani", None),
        "/search/?q=kabul": ("Imran Khan meets Ashraf Ghani in Kabul", None),
        "/visits/?format=csv": ("Imran Khan meets Ashraf Ghani in Kabul", None),
        "/actors/imran-khan/": ("Imran Khan meets Ashraf Ghani in Kabul", None),
    }


def admin_publish_of_a_draft_visit(editor_client, corpus, tmp_path):
    draft = corpus.draft_visit

    def write():
        changelist = reverse("admin:visits_visit_changelist")
        editor_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
        assert Visit.objects.get(pk=draft.pk).publication_status == PublicationStatus.PUBLISHED

    return write, {
        "/visits/": (draft.title, None),
        "/visits/?format=json": (draft.title, None),
        "/search/?q=visit": (draft.title, None),
    }


def admin_unpublish_of_several_visits(editor_client, corpus, tmp_path):
    chosen = [corpus.kabul.pk, corpus.davos.pk]

    def write():
        changelist = reverse("admin:visits_visit_changelist")
        editor_client.post(changelist, {"action": "unpublish", "_selected_action": chosen})
        assert not Visit.objects.published().filter(pk__in=chosen).exists()

    return write, {
        "/visits/": (None, "Imran Khan at Davos"),
        "/visits/?format=csv": (None, "Imran Khan visits Kabul"),
        "/issues/cpec/": (None, "Imran Khan at Davos"),
        "/search/?q=davos": (None, "Imran Khan at Davos"),
    }


def admin_delete_of_a_visit(editor_client, corpus, tmp_path):
    def write():
        url = reverse("admin:visits_visit_delete", args=[corpus.davos.pk])
        response = editor_client.post(url, {"post": "yes"})
        assert response.status_code == 302, content(response)[:2000]

    return write, {
        "/visits/": (None, "Imran Khan at Davos"),
        "/actors/imran-khan/": (None, "Imran Khan at Davos"),
        "/visits/?format=json": (None, "Imran Khan at Davos"),
    }


def import_of_a_published_article(editor_client, corpus, tmp_path):
    def write():
        article = tmp_path / "kabul-talks.txt"
        article.write_text(
            "Kabul talks resume after a pause\n\nBy Staff Reporter\n\n"
            "Delegations from Pakistan and Afghanistan met in Kabul on Monday to resume talks "
            "on border trade and refugees, officials said.\n",
            encoding="utf-8",
        )
        call_command("import_articles", str(article), "--publish", verbosity=0)

    return write, {
        "/sources/": ("Kabul talks resume after a pause", None),
        "/sources/?format=csv": ("Kabul talks resume after a pause", None),
        "/search/?q=delegations": ("Kabul talks resume after a pause", None),
    }


def admin_merge_of_two_actors(editor_client, corpus, tmp_path):
    other = factories.ActorFactory(name="Imran Ahmed Khan Niazi", slug="imran-niazi")
    factories.VisitFactory(title="Niazi in Beijing", slug="niazi-beijing", visitor=other)

    def write():
        merge = reverse("admin:actors_actor_merge")
        response = editor_client.post(merge, {"keep": corpus.imran.pk, "other": other.pk})
        assert response.status_code == 302, content(response)[:2000]

    return write, {
        "/actors/imran-khan/": ("Niazi in Beijing", None),
        "/actors/": ("written: Imran Ahmed Khan Niazi", 'href="/actors/imran-niazi/"'),
        "/visits/?format=csv": ("Imran Khan", "Imran Ahmed Khan Niazi"),
    }


WRITES = [
    admin_edit_of_a_visit_title,
    admin_publish_of_a_draft_visit,
    admin_unpublish_of_several_visits,
    admin_delete_of_a_visit,
    import_of_a_published_article,
    admin_merge_of_two_actors,
]


@pytest.mark.parametrize("make_write", WRITES, ids=[write.__name__ for write in WRITES])
def test_each_kind_of_write_changes_the_next_anonymous_page(
    make_write, editor_client, anonymous, corpus, tmp_path
):
    write, expected = make_write(editor_client, corpus, tmp_path)
    for path in expected:
        fetch(anonymous, path)
        assert fetch(anonymous, path)[0]["X-Page-Cache"] == "hit", path

    write()

    for path, (shown, gone) in expected.items():
        response, body = fetch(anonymous, path)
        assert response["X-Page-Cache"] == "miss", path
        if shown:
            assert shown in body or shown.replace("'", "&#x27;") in body, (path, shown)
        if gone:
            assert gone not in body, (path, gone)


# --- Across processes and transactions (PostgreSQL: the version is raised at commit) -----------

postgres_only = pytest.mark.skipif(
    not search.is_postgres(), reason="another process cannot open SQLite's in-memory test database"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_write_committed_by_another_process_changes_the_next_page(anonymous):
    corpus = factories.build_corpus()
    fetch(anonymous, "/visits/")
    assert fetch(anonymous, "/visits/")[0]["X-Page-Cache"] == "hit"
    code = (
        "from visits.models import Visit; "
        f"Visit.objects.filter(pk={corpus.kabul.pk}).update(title='Edited elsewhere')"
    )

    subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url(connection.settings_dict)},
        check=True,
    )

    response, body = fetch(anonymous, "/visits/")
    assert response["X-Page-Cache"] == "miss"
    assert "Edited elsewhere" in body


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_version_changes_when_the_data_is_committed_and_not_before():
    import psycopg

    corpus = factories.build_corpus()
    before = dataversion.current()
    with psycopg.connect(database_url(connection.settings_dict)) as other:
        with transaction.atomic():
            Visit.objects.filter(pk=corpus.kabul.pk).update(title="Not yet committed")
            seen_meanwhile = other.execute("SELECT version FROM core_dataversion").fetchone()[0]
        seen_after = other.execute("SELECT version FROM core_dataversion").fetchone()[0]

    assert seen_meanwhile == before[0]
    assert seen_after > before[0]
    assert dataversion.current()[0] == seen_after


def database_url(settings_dict):
    """Return a postgres:// URL of the test database, for another process or connection."""
    user = settings_dict["USER"] or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def test_every_public_table_raises_the_version_and_others_do_not():
    tables = dataversion.public_tables()

    assert {"visits_visit", "claims_claim", "claims_claim_issues", "actors_actor"} <= set(tables)
    assert "auth_user" not in tables and "django_session" not in tables
    before = dataversion.current()[0]
    factories.UserFactory(username="not-public")
    assert dataversion.current()[0] == before
    factories.IssueFactory(slug="new-issue", name="New issue")
    assert dataversion.current()[0] > before


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_listening_process_hears_of_each_commit_without_asking():
    listener = dataversion.Listener("default")
    try:
        assert listener.current() is None  # not listening yet: requests ask the database
        wait_until(lambda: listener.current() is not None)
        heard_first = listener.current()

        with transaction.atomic():
            factories.IssueFactory(slug="border-trade", name="Border trade")
            assert listener.current() == heard_first  # nothing is announced before the commit

        wait_until(lambda: listener.current() != heard_first)
        assert listener.current()[0] == dataversion.current()[0] > heard_first[0]
    finally:
        listener.stop()
    assert listener.current() is None


def wait_until(condition, seconds=5):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
