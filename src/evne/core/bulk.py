"""Fast inserts for imports of a whole organisation (100 000 rows and more).

On PostgreSQL rows go in with COPY: Django's `bulk_create` turns every value into a
Python-escaped array literal and builds a model instance per row, which made an initial import
four times slower. Other databases use `bulk_create`. Keys are handed out before the insert, so
callers can link rows to each other (a position to its person) without reading them back.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

BATCH_SIZE = 2000


def allocate_keys(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for `model`, to be used in the current transaction."""
    if not count:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return [key for (key,) in cursor.fetchall()]
        # SQLite: transactions take the write lock at BEGIN (transaction_mode IMMEDIATE), so
        # nobody else can insert until this transaction ends.
        assert connection.in_atomic_block, "allocate keys inside the inserting transaction"
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)}")  # noqa: S608
        start = (cursor.fetchone()[0] or 0) + 1
        return list(range(start, start + count))


def insert_rows(model: type[models.Model], fields: list[str], rows: list[tuple]) -> None:
    """Insert rows of values in the order of `fields` (attribute names such as "person_id")."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=BATCH_SIZE
        )
        return
    meta = model._meta
    json_columns = [
        index
        for index, name in enumerate(fields)
        if isinstance(meta.get_field(name), models.JSONField)
    ]
    if json_columns:
        rows = (_with_json(row, json_columns) for row in rows)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _with_json(row: tuple, json_columns: list[int]) -> list:
    row = list(row)
    for index in json_columns:
        value = row[index]
        row[index] = json.dumps(value, cls=DjangoJSONEncoder) if value else "{}"
    return row
