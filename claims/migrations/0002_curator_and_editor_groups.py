"""Create the "Curator" and "Editor" groups with their permissions.

Curator: add, change and view every curated model; no delete, no publish.
Editor: everything, including delete and publish.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED = {
    "actors": ["actor", "actoralias", "actorrole"],
    "visits": ["issue", "visit", "participation"],
    "sources": ["sourcedocument", "citation"],
    "claims": ["claim"],
}
PUBLISHABLE = {"actor", "issue", "visit", "sourcedocument", "claim"}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(actions, *, publish):
        codenames = [f"{action}_{model}" for models in CURATED.values() for model in models
                     for action in actions]
        if publish:
            codenames += [f"publish_{model}" for model in PUBLISHABLE]
        found = Permission.objects.filter(
            content_type__app_label__in=CURATED, codename__in=codenames
        )
        missing = set(codenames) - set(found.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing: {sorted(missing)}")
        return found

    curator, _ = Group.objects.get_or_create(name="Curator")
    curator.permissions.set(permissions(["add", "change", "view"], publish=False))
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(permissions(["add", "change", "delete", "view"], publish=True))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Curator", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("actors", "0001_initial"),
        ("visits", "0002_brief_issues"),
        ("sources", "0001_initial"),
        ("claims", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
