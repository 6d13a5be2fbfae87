"""Bulk writes with explicit ids: COPY on PostgreSQL, multi-row INSERTs elsewhere."""

from dataclasses import dataclass, field

from django.db import connection


@dataclass
class Counts:
    """How many rows of each kind were written, and how long it took."""

    rows: dict = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, name, number):
        self.rows[name] = self.rows.get(name, 0) + number


class BulkWriter:
    """Write rows with explicit ids: COPY on PostgreSQL, multi-row INSERT elsewhere."""

    def __init__(self, counts):
        self.postgres = connection.vendor == "postgresql"
        self.counts = counts

    def next_id(self, model):
        """Return the first free primary key of `model`."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
            return cursor.fetchone()[0] + 1

    def write(self, table, columns, rows):
        """Insert `rows` (tuples in `columns` order) into `table`; return how many."""
        rows = list(rows)
        if not rows:
            return 0
        with connection.cursor() as cursor:
            if self.postgres:
                column_list = ", ".join(columns)
                with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", rows
                )
        self.counts.add(table, len(rows))
        return len(rows)

    def reset_sequences(self, models):
        """Move PostgreSQL's id sequences past the ids written explicitly."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )
