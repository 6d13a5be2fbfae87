import pytest

from tests import factories


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
