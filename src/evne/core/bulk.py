"""Fast inserts for imports of a whole organisation (100 000 rows and more).

On PostgreSQL rows go in with COPY, and new primary keys are taken from the table's sequence
first, so callers get their ids as with `bulk_create`. Django's `bulk_create` turns every value
into a Python-escaped array literal, which makes an initial import four times slower. Other
databases use `bulk_create`.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models

BATCH_SIZE = 2000


def insert_objects(objects: list[models.Model], fields: list[str]) -> None:
    """Insert unsaved instances of one model with the given fields, and set their keys."""
    if not objects:
        return
    model = type(objects[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        return
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objects)],
        )
        for instance, (key,) in zip(objects, cursor.fetchall(), strict=True):
            instance.pk = key
    attnames = [meta.pk.attname, *(meta.get_field(name).attname for name in fields)]
    _copy(model, attnames, ([getattr(o, name) for name in attnames] for o in objects))
    for instance in objects:
        instance._state.adding = False
        instance._state.db = connection.alias


def insert_rows(model: type[models.Model], fields: list[str], rows: list[tuple]) -> None:
    """Insert plain rows (values in the order of `fields`) when no instances are needed."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=BATCH_SIZE
        )
        return
    attnames = [model._meta.get_field(name).attname for name in fields]
    json_columns = {
        index
        for index, name in enumerate(fields)
        if isinstance(model._meta.get_field(name), models.JSONField)
    }
    if json_columns:
        rows = (
            [
                json.dumps(value, cls=DjangoJSONEncoder) if index in json_columns else value
                for index, value in enumerate(row)
            ]
            for row in rows
        )
    _copy(model, attnames, rows)


def _copy(model, attnames: list[str], rows) -> None:
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in attnames)
    statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
