"""Name the dataset of the rows the Office of the Historian importer wrote.

A migration of its own: on PostgreSQL the update fires the count triggers, whose pending events
would stop the previous migration's index from being built in the same transaction.
"""

from django.db import migrations


def name_the_dataset(apps, schema_editor):
    """Rows the Office of the Historian importer wrote (ids "hsg-…") name their dataset."""
    rows = apps.get_model("visits", "Visit").objects.filter(external_id__startswith="hsg-")
    rows.update(dataset="history.state.gov")


class Migration(migrations.Migration):
    dependencies = [("visits", "0007_dataset")]

    operations = [migrations.RunPython(name_the_dataset, migrations.RunPython.noop)]
