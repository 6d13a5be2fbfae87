"""Give the "Curator" and "Editor" groups their permissions on assertions.

Curator: add, change and view assertions and their claims; no delete, no publish.
Editor: everything, including delete and publish.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["assertion", "assertionclaim"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("assertions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(actions, *, publish):
        codenames = [f"{action}_{model}" for model in MODELS for action in actions]
        if publish:
            codenames.append("publish_assertion")
        return Permission.objects.filter(
            content_type__app_label="assertions", codename__in=codenames
        )

    for name, actions, publish in (
        ("Curator", ["add", "change", "view"], False),
        ("Editor", ["add", "change", "delete", "view"], True),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions(actions, publish=publish))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Curator", "Editor"]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="assertions"))


class Migration(migrations.Migration):
    dependencies = [
        ("assertions", "0001_initial"),
        ("claims", "0002_curator_and_editor_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
