import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_creates_a_staff_curator_who_can_log_in(client, monkeypatch, django_user_model):
    monkeypatch.setenv("NEW_PASSWORD", "a-sound-passphrase-42")

    call_command("create_curator", "amina", "--password-from-env", "NEW_PASSWORD")

    user = django_user_model.objects.get(username="amina")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Curator"]
    assert client.login(username="amina", password="a-sound-passphrase-42")
    assert client.get("/admin/").status_code == 200


def test_editor_flag_puts_the_account_in_the_editor_group(monkeypatch, django_user_model):
    monkeypatch.setenv("NEW_PASSWORD", "a-sound-passphrase-42")

    call_command("create_curator", "najam", "--editor", "--password-from-env", "NEW_PASSWORD")

    user = django_user_model.objects.get(username="najam")
    assert user.has_perm("claims.publish_claim")


def test_a_weak_password_is_refused_and_nothing_is_written(monkeypatch, django_user_model):
    monkeypatch.setenv("NEW_PASSWORD", "123")

    with pytest.raises(CommandError, match="too short"):
        call_command("create_curator", "weak", "--password-from-env", "NEW_PASSWORD")

    assert not django_user_model.objects.filter(username="weak").exists()
