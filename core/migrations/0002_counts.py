from django.db import migrations, models

#: The bookkeeping of the count triggers (core.lists.buckets): tables of their own, not models,
#: so that no dump, load or flush of the knowledge base carries them (a restore starts afresh).
TABLES = {
    "core_countlog": (
        '"table" varchar(63) NOT NULL, bucket integer NOT NULL, n integer NOT NULL DEFAULT 1, '
        "at bigint NOT NULL DEFAULT 0"
    ),
    "core_countstamp": (
        '"table" varchar(63) NOT NULL, bucket integer NOT NULL, n bigint NOT NULL DEFAULT 0, '
        'at bigint NOT NULL DEFAULT 0, CONSTRAINT count_stamp_block UNIQUE ("table", bucket)'
    ),
}


def create_tables(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    key = "id bigserial PRIMARY KEY" if postgres else "id integer PRIMARY KEY AUTOINCREMENT"
    for table, columns in TABLES.items():
        schema_editor.execute(f"CREATE TABLE {table} ({key}, {columns})")
    schema_editor.execute('CREATE INDEX core_countlog_block ON core_countlog ("table", bucket)')


def drop_tables(apps, schema_editor):
    for table in TABLES:
        schema_editor.execute(f"DROP TABLE {table}")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_data_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="hidden_version",
            field=models.BigIntegerField(
                db_default=0,
                default=0,
                help_text="The version of the last change that hid something the public saw "
                "(an unpublish, a return to draft, a delete): no page older than it may be served.",
            ),
        ),
        migrations.RunPython(create_tables, drop_tables),
    ]
