"""Readers while curators write: the page before stands in while a page is rendered, unless the
write hid something, which is gone from the very next request."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from claims.models import Claim
from core import dataversion, search
from core.pagecache import PageStore
from core.status import PublicationStatus
from tests import factories
from tests.pages.test_page_cache import database_url, fetch
from visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return factories.build_corpus()


@pytest.fixture
def rendering_elsewhere(monkeypatch, settings):
    """Return a function after which another process holds the right to render every page
    (its lock is never free here)."""
    settings.PAGE_CACHE_WAIT_SECONDS = 0.2
    return lambda: monkeypatch.setattr(PageStore, "lock", lambda self, name: False)


def test_an_edit_lets_the_page_before_stand_in_while_another_process_renders(
    corpus, monkeypatch, rendering_elsewhere
):
    anonymous = Client()
    before, body = fetch(anonymous, "/visits/")
    Visit.objects.filter(pk=corpus.kabul.pk).update(title="Khan in Kabul, again")
    rendering_elsewhere()

    stale, stale_body = fetch(anonymous, "/visits/")

    assert stale["X-Page-Cache"] == "stale"
    assert stale_body == body
    assert stale["ETag"] == before["ETag"]  # the browser asks again, and gets the new page
    monkeypatch.undo()
    fresh, fresh_body = fetch(anonymous, "/visits/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Khan in Kabul, again" in fresh_body


def unpublish(corpus):
    Visit.objects.filter(pk=corpus.kabul.pk).update(publication_status=PublicationStatus.DRAFT)


def delete(corpus):
    Claim.objects.filter(visit=corpus.kabul).delete()
    Visit.objects.filter(pk=corpus.kabul.pk).delete()


def unpublish_the_visitor(corpus):
    corpus.imran.publication_status = PublicationStatus.DRAFT
    corpus.imran.save()


@pytest.mark.parametrize("hide", [unpublish, delete, unpublish_the_visitor])
def test_a_write_that_hides_a_record_shows_on_the_very_next_request(
    corpus, rendering_elsewhere, hide
):
    anonymous = Client()
    paths = ["/visits/", "/visits/?leader=imran-khan", "/visits/?format=csv", "/search/?q=kabul"]
    for path in paths:
        assert "Imran Khan visits Kabul" in fetch(anonymous, path)[1], path
    version = dataversion.current()
    rendering_elsewhere()

    hide(corpus)

    state = dataversion.current()
    assert state.version >= state.hidden > version.version  # no page from before may be served
    for path in paths:
        response = anonymous.get(path)
        assert response.get("X-Page-Cache") != "stale", path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Imran Khan visits Kabul" not in body, path


def test_edits_and_new_links_hide_nothing(corpus):
    before = dataversion.current()
    Visit.objects.filter(pk=corpus.kabul.pk).update(title="Khan in Kabul, again")
    corpus.kabul.issues.remove(corpus.issues["afghanistan"])
    factories.VisitFactory(visitor=corpus.imran, title="A new visit")

    after = dataversion.current()
    assert after.version > before.version
    assert after.hidden == before.hidden


def test_without_a_page_from_before_readers_wait_for_it_then_render_it_themselves(
    corpus, rendering_elsewhere
):
    rendering_elsewhere()
    response, body = fetch(Client(), "/claims/")

    assert response["X-Page-Cache"] == "miss"
    assert "Khan flew to Kabul in 2020." in body


# --- Across processes (PostgreSQL: the version and what it hid are announced at commit) ------

postgres_only = pytest.mark.skipif(
    not search.is_postgres(), reason="another process cannot open SQLite's in-memory test database"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_unpublish_committed_by_another_process_is_never_served_from_before(
    rendering_elsewhere,
):
    corpus = factories.build_corpus()
    anonymous = Client()
    for path in ("/visits/", "/claims/?format=csv"):
        assert "Kabul" in fetch(anonymous, path)[1]
    rendering_elsewhere()
    code = (
        f"from visits.models import Visit; v = Visit.objects.get(pk={corpus.kabul.pk}); "
        "v.publication_status = 'draft'; v.save()"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url(connection.settings_dict)},
        check=True,
    )

    state = dataversion.current()
    assert state.hidden == state.version
    visits = fetch(anonymous, "/visits/")
    assert visits[0]["X-Page-Cache"] == "miss"
    assert "Imran Khan visits Kabul" not in visits[1]
    assert "Khan flew to Kabul in 2020." not in fetch(anonymous, "/claims/?format=csv")[1]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_listening_process_hears_what_a_commit_hid():
    corpus = factories.build_corpus()
    listener = dataversion.Listener("default")
    try:
        from tests.pages.test_page_cache import wait_until

        wait_until(lambda: listener.current() is not None)
        heard = listener.current()
        Visit.objects.filter(pk=corpus.kabul.pk).update(title="An edit")
        wait_until(lambda: listener.current() != heard)
        edited = listener.current()
        assert edited.hidden == heard.hidden
        Visit.objects.filter(pk=corpus.kabul.pk).update(publication_status="draft")
        wait_until(lambda: listener.current() != edited)
        assert listener.current().hidden == listener.current().version > edited.version
    finally:
        listener.stop()


@postgres_only
@pytest.mark.render_ahead
@pytest.mark.django_db(transaction=True)
def test_readers_get_the_page_before_at_once_and_the_new_one_rendered_in_the_background():
    corpus = factories.build_corpus()
    anonymous = Client()
    before = fetch(anonymous, "/visits/")
    assert before[0]["X-Page-Cache"] == "miss"
    Visit.objects.filter(pk=corpus.kabul.pk).update(title="Khan in Kabul, edited")
    time.sleep(settings.PAGE_CACHE_REFRESH_SECONDS)

    stale, stale_body = fetch(anonymous, "/visits/")  # served at once: the page before
    assert stale["X-Page-Cache"] == "stale"
    assert stale_body == before[1]

    from tests.pages.test_page_cache import wait_until

    wait_until(lambda: "Khan in Kabul, edited" in fetch(anonymous, "/visits/")[1])
    assert fetch(anonymous, "/visits/")[0]["X-Page-Cache"] == "hit"

    Visit.objects.filter(pk=corpus.kabul.pk).update(publication_status="draft")
    hidden = fetch(anonymous, "/visits/")  # hidden: never the page before, rendered here
    assert hidden[0]["X-Page-Cache"] == "miss"
    assert "Khan in Kabul, edited" not in hidden[1]
