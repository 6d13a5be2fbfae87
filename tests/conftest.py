import pytest

from tests import factories


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Hash test users' passwords with a fast hasher: the slow one only slows the suite."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_page_cache(request, settings):
    """Start every test with an empty page cache, and page versions that follow each write.

    On PostgreSQL the data version is raised at commit (core.dataversion), and a test that is
    not transactional never commits: its writes raise the version at once instead, as its own
    later requests would see them. Pages are rendered by the request that needs them (a
    thread rendering ahead could not see a test's uncommitted rows), except in the tests
    marked `render_ahead`.
    """
    from django.db import connection

    from core.pagecache import clear_page_cache

    settings.PAGE_CACHE_RENDER_AHEAD = request.node.get_closest_marker("render_ahead") is not None
    clear_page_cache()
    marker = request.node.get_closest_marker("django_db")
    if marker is None or connection.vendor != "postgresql":
        return
    transactional = marker.kwargs.get("transaction", False) or (marker.args and marker.args[0])
    if not transactional and "live_server" not in request.fixturenames:
        request.getfixturevalue("db")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.fixture
def editor(db):
    """Return a staff user in the Editor group."""
    return factories.UserFactory(username="editor", groups=["Editor"])


@pytest.fixture
def curator(db):
    """Return a staff user in the Curator group."""
    return factories.UserFactory(username="curator", groups=["Curator"])


@pytest.fixture
def editor_client(client, editor):
    """Return a test client logged in as an Editor."""
    client.force_login(editor)
    return client


@pytest.fixture
def curator_client(client, curator):
    """Return a test client logged in as a Curator."""
    client.force_login(curator)
    return client
