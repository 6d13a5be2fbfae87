import pytest

from tests import factories


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Hash test users' passwords with a fast hasher: the slow one only slows the suite."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
