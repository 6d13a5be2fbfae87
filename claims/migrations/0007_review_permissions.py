"""Give the groups their permissions on changes waiting for review (core.PendingChange).

Curator: view (their own, as the admin shows them). Editor: view, and approve or reject.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Curator": ["view_pendingchange"],
    "Editor": ["view_pendingchange", "review_pendingchange"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("core")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="core", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    pending = Permission.objects.filter(
        content_type__app_label="core", codename__endswith="pendingchange"
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.remove(*pending)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_quote_anchors"),
        ("core", "0003_pending_changes"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
