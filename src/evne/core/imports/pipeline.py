"""Read → match headers → validate every row → preview → apply: the one path every import
takes (people, units, and later competences, records, requirements, course completions).

An importer validates the whole file and plans every change before anything is written; the
plan is the preview. Applying it happens in one transaction with an `ImportBatch` that keeps
the file and a change row for every object touched, so a failed import changes nothing and a
successful one can be traced afterwards.
"""

from __future__ import annotations

import datetime
import gc
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evne.core.bulk import insert_rows
from evne.core.exports import Table as ExportTable
from evne.core.freshness import data_changed
from evne.core.imports.headers import Field, match_headers, unknown_columns
from evne.core.imports.problems import ImportProblems, Problem, lazy_message
from evne.core.imports.reading import Row, Table, read_table
from evne.core.imports.values import InvalidValue
from evne.core.models import ImportBatch, ImportChange
from evne.organization.models import OrgUnit

CHANGE_BATCH_SIZE = 20_000


@dataclass
class Options:
    full_sync: bool = False
    force: bool = False
    today: datetime.date = field(default_factory=timezone.localdate)
    # Codes of the root units the file may touch; None for any (administrators, the command).
    allowed_roots: frozenset[str] | None = None


@dataclass
class Plan:
    """What applying the file would do. `counts` maps a noun to its actions and numbers, e.g.
    {"people": {"create": 3, "update": 1}}; `write` carries it out."""

    counts: dict[str, dict[str, int]]
    problems: list[Problem]
    warnings: list[Problem]
    ignored_columns: list[str]
    write: Callable[[ChangeLog], None]
    roots: set[str] = field(default_factory=set)  # codes of the organisations the file covers

    @property
    def changes_anything(self) -> bool:
        return any(number for actions in self.counts.values() for number in actions.values())


class Importer:
    """Base for an importer of one kind of file: the fields it reads, how it plans, and the
    export of the same format (so a municipality can round-trip its data)."""

    kind: str
    fields: list[Field]
    label: str  # for the upload page: "People and positions"
    description: str  # what a row is and what the import changes
    nouns: dict[str, str] = {}  # the keys of `Plan.counts` with their labels
    exportable = False  # whether `export_rows` gives the current data in this format

    def __init__(self, table: Table, columns: dict[str, int], options: Options):
        self.table = table
        self.columns = columns
        self.options = options
        self.problems: list[Problem] = []
        self.limits = [
            (columns[field.name], field.max_length, table.headers[columns[field.name]])
            for field in self.fields
            if field.max_length and field.name in columns
        ]

    def length_problems(self, row: Row) -> list[Problem]:
        """Values longer than their database column, each as a problem of its row."""
        return [
            Problem(
                row=row.number,
                column=header,
                value=row.cells[index],
                message=lazy_message(_("At most %(limit)d characters."), limit=limit),
            )
            for index, limit, header in self.limits
            if len(row.cells[index]) > limit
        ]

    def report(self, row: Row, field_name: str, message, value: str | None = None) -> None:
        """Add a problem with a row's cell: its row, column header and value (the cell's own
        unless another is given)."""
        self.problems.append(
            Problem(
                row=row.number,
                column=self.header(field_name),
                value=self.cell(row, field_name) if value is None else value,
                message=message,
            )
        )

    def parse(self, row: Row, field_name: str, parser):
        """The cell read by `parser` (from core.imports.values), or None after reporting why it
        cannot be read."""
        try:
            return parser(self.cell(row, field_name))
        except InvalidValue as error:
            self.report(row, field_name, error.message)
            return None

    def has(self, field_name: str) -> bool:
        return field_name in self.columns

    def cell(self, row: Row, field_name: str) -> str:
        index = self.columns.get(field_name)
        return row.cells[index] if index is not None else ""

    def header(self, field_name: str) -> str | None:
        index = self.columns.get(field_name)
        return self.table.headers[index] if index is not None else None

    def plan(self) -> Plan:
        raise NotImplementedError

    @classmethod
    def export_headers(cls) -> list[str]:
        """The export's columns: each field's documented name, which the import reads back."""
        return [field.aliases[0] for field in cls.fields]

    @classmethod
    def may_export(cls, visibility) -> bool:
        """Exports hold what imports write, so by default they are for those who may import."""
        return cls.exportable and visibility.may_import

    @classmethod
    def export_table(cls, visibility) -> ExportTable:
        return ExportTable(str(cls.label), cls.export_headers(), cls.export_rows(visibility))

    @classmethod
    def export_rows(cls, visibility) -> Iterable[Sequence]:
        """The rows of the export, in the order of `fields`, of what `visibility` may see."""
        raise NotImplementedError


IMPORTERS: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    IMPORTERS[importer.kind] = importer
    return importer


def plan_import(
    kind: str,
    data: bytes,
    filename: str,
    *,
    options: Options | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
) -> Plan:
    """The preview: read and validate the whole file, plan every change, write nothing.

    Raises ImportProblems when the file cannot be read as a table or its headers do not
    match; problems in rows come back in the plan, all of them.
    """
    with collection_paused():
        return _plan(kind, data, filename, options, mapping, sheet)


def _plan(kind, data, filename, options, mapping, sheet) -> Plan:
    importer_class = IMPORTERS[kind]
    table = read_table(data, filename, sheet)
    if not table.rows:
        # An export with no rows is a failed export, not an organisation with nobody in it.
        raise ImportProblems(
            [Problem(message=_("The file has a header but no rows: there is nothing to import."))]
        )
    columns = match_headers(table.headers, importer_class.fields, mapping)
    plan = importer_class(table, columns, options or Options()).plan()
    plan.ignored_columns = unknown_columns(table.headers, columns)
    return plan


def apply_import(
    kind: str,
    data: bytes,
    filename: str,
    *,
    user=None,
    options: Options | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
) -> ImportBatch:
    """Validate and apply the file in one transaction, all or nothing."""
    options = options or Options()
    plan = plan_import(kind, data, filename, options=options, mapping=mapping, sheet=sheet)
    if plan.problems:
        raise ImportProblems(plan.problems)
    batch = ImportBatch(
        kind=kind,
        created_by=user,
        filename=filename[:255],
        full_sync=options.full_sync,
        forced=options.force,
        counts=plan.counts,
        warnings=[warning.format() for warning in plan.warnings],
    )
    if plan.changes_anything:
        batch.file.save(filename, ContentFile(data), save=False)
    try:
        with transaction.atomic(), collection_paused():
            batch.save()
            log = ChangeLog(batch)
            plan.write(log)
            log.flush()
            batch.roots.set(OrgUnit.objects.filter(code__in=plan.roots, parent=None))
            if plan.changes_anything:
                data_changed()  # bulk writes bypass the models' signals
    except BaseException:
        if batch.file:
            batch.file.delete(save=False)
        raise
    return batch


@contextmanager
def collection_paused():
    """Pause the cyclic garbage collector: a plan holds hundreds of thousands of small objects
    and no reference cycles, and the collector would walk them again and again (a second of a
    100 000-row import). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class ChangeLog:
    """Collects the change rows of one batch and writes them in bulk."""

    FIELDS = ["batch_id", "content_type_id", "object_pk", "object_repr", "action", "row", "changes"]

    def __init__(self, batch: ImportBatch):
        self.batch = batch
        self.pending: list[tuple] = []
        self.content_types: dict[type, int] = {}

    def record(self, action: str, obj, changes: dict, row: int | None = None) -> None:
        self.add(type(obj), obj.pk, str(obj), action, changes, row)

    def add(self, model, pk, text: str, action: str, changes: dict, row: int | None) -> None:
        """Record a change of an object known by its model, key and text (no instance needed)."""
        content_type = self.content_types.get(model)
        if content_type is None:
            content_type = ContentType.objects.get_for_model(model).pk
            self.content_types[model] = content_type
        self.pending.append(
            (self.batch.pk, content_type, str(pk), text[:255], action, row, changes)
        )
        if len(self.pending) >= CHANGE_BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        insert_rows(ImportChange, self.FIELDS, self.pending)
        self.pending = []
