"""`evne import records`: what people have, one row per competence record, from HR or from an
earlier system. Imported records are verified (source "import").

A record is identified by person, competence and date obtained: the same values change
nothing, a changed level, expiry or credits update it, and a date obtained newer than the
person's current record is a renewal: a new record that the current one is marked as renewed by
(it stays in the history). The export writes the current verified records in the same format,
so exporting and importing again changes nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evne.competence import recording
from evne.competence.models import (
    Competence,
    CompetenceRecord,
    RecordSource,
    RecordStatus,
    ScaleLevel,
)
from evne.competence.models.records import add_months
from evne.core import bulk
from evne.core.bulk import allocate_keys, insert_rows
from evne.core.imports.headers import Field
from evne.core.imports.lookup import CodeIndex
from evne.core.imports.pipeline import Importer, Plan, register
from evne.core.imports.problems import lazy_message
from evne.core.imports.scope import PeopleScope
from evne.core.imports.values import parse_date, parse_decimal, parse_whole_number
from evne.organization.models import Person

FIELDS = [
    Field("employee_number", ("Ansattnr", "Ansattnummer", "Employee number"), True, max_length=30),
    Field(
        "competence",
        ("Kompetansekode", "Kompetanse", "Competence code", "Competence"),
        True,
        max_length=200,
    ),
    Field("level", ("Nivå", "Level")),
    Field("obtained_on", ("Oppnådd", "Oppnådd dato", "Obtained", "Date obtained"), True),
    Field("expires_on", ("Utløper", "Utløpsdato", "Expires", "Expiry date")),
    Field("credits", ("Studiepoeng", "Credits")),
]

INSERT_FIELDS = [
    "id",
    "person_id",
    "competence_id",
    "level",
    "obtained_on",
    "expires_on",
    "credits",
    "source",
    "status",
    "evidence",
    "evidence_reference",
    "note",
    "created_at",
    "created_by_id",
    "decided_at",
    "decided_by_id",
    "rejection_reason",
    "superseded_by_id",
]
MAX_CREDITS = Decimal("9999.9")  # what the column holds: five digits, one decimal

# Made once: a lazy message per row would cost seconds on a large file.
MISSING_NUMBER = _("The employee number is missing.")
UNKNOWN_EMPLOYEE = _("No one in Evne has this employee number.")
MISSING_COMPETENCE = _("The competence is missing.")
UNKNOWN_COMPETENCE = _("No competence has this code or name. Use the code from the catalog.")
AMBIGUOUS_COMPETENCE = _("Several competences are called this (%(codes)s). Use the code.")
MISSING_OBTAINED = _("The date obtained is missing.")
ONE_DECIMAL = _("Write credits with at most one decimal, such as 7,5.")
UNKNOWN_LEVEL_NAME = _("Write the level as a number, such as 2, or by its name.")
TWICE = _("This record (employee, competence and date obtained) is also on row %(row)d.")


@dataclass
class Row:
    """A valid row of the file, ready to be matched."""

    number: int
    employee_number: str
    person_id: int
    competence: Competence
    level: int | None
    obtained_on: datetime.date
    expires_on: datetime.date | None
    credits: Decimal | None


@dataclass
class Existing:
    """A record Evne has, as far as the import compares it."""

    id: int
    person_id: int
    competence_id: int
    obtained_on: datetime.date
    level: int | None
    expires_on: datetime.date | None
    credits: Decimal | None
    status: str
    superseded_by_id: int | None


@dataclass
class Update:
    record_id: int
    row: int | None
    text: str
    changes: dict = field(default_factory=dict)


@dataclass
class Link:
    """A record in a renewal chain: a new one (by its index among the new rows) or one Evne
    has."""

    obtained_on: datetime.date
    row: int
    new_index: int | None = None
    record: Existing | None = None

    @property
    def target(self) -> tuple[str, int]:
        if self.new_index is not None:
            return ("new", self.new_index)
        return ("old", self.record.id)


@register
class RecordsImporter(PeopleScope, Importer):
    kind = "records"
    fields = FIELDS
    label = _("Competence records")
    description = _(
        "One row per record: employee number, competence code, level, date obtained, expiry "
        "and credits. Imported records are verified; a newer date obtained renews a record."
    )
    nouns = {"records": _("Competence records")}
    exportable = True

    def plan(self) -> Plan:
        self.people = dict(Person.objects.values_list("employee_number", "id"))
        self.competences = CodeIndex(
            Competence.objects.select_related("scale"),
            unknown=UNKNOWN_COMPETENCE,
            ambiguous=AMBIGUOUS_COMPETENCE,
        )
        self.levels = self._levels()
        rows = self._read_rows()
        roots = self.check_scope(rows)
        existing = self._existing(rows)
        new, updates = self._match(rows, existing)
        self.renewed_by = self._renew(new, updates, existing)

        def write(log):
            self._write(log, new, updates)

        counts = {"records": {"create": len(new), "update": len(updates)}}
        problems = sorted(self.problems, key=lambda problem: problem.row or 0)
        return Plan(counts, problems, [], [], write, roots)

    # Reading

    def _read_rows(self) -> list[Row]:
        rows: list[Row] = []
        seen: dict[tuple, int] = {}
        today = self.options.today
        for line in self.table.rows:
            problems_before = len(self.problems)
            self.problems.extend(self.length_problems(line))
            number = self.cell(line, "employee_number")
            person_id = self.people.get(number)
            if not number:
                self.report(line, "employee_number", MISSING_NUMBER)
            elif person_id is None:
                self.report(line, "employee_number", UNKNOWN_EMPLOYEE)
            competence = self._competence(line)
            level = self._level(line, competence) if competence else None
            obtained = self.parse(line, "obtained_on", parse_date)
            if obtained is None and not self.cell(line, "obtained_on"):
                self.report(line, "obtained_on", MISSING_OBTAINED)
            if obtained and obtained > today:
                self.report(line, "obtained_on", recording.OBTAINED_IN_FUTURE)
            expires = self.parse(line, "expires_on", parse_date)
            if obtained and expires and expires < obtained:
                self.report(line, "expires_on", recording.EXPIRES_BEFORE_OBTAINED)
            credits = self._credits(line)
            if len(self.problems) > problems_before:
                continue
            key = (person_id, competence.pk, obtained)
            if key in seen:
                self.report(line, "obtained_on", lazy_message(TWICE, row=seen[key]))
                continue
            seen[key] = line.number
            if expires is None and competence.validity_months:
                expires = add_months(obtained, competence.validity_months)
            rows.append(
                Row(line.number, number, person_id, competence, level, obtained, expires, credits)
            )
        return rows

    def _competence(self, line) -> Competence | None:
        text = self.cell(line, "competence")
        if not text:
            self.report(line, "competence", MISSING_COMPETENCE)
            return None
        found = self.competences.find(text)
        if isinstance(found, Competence):
            return found
        self.report(line, "competence", found)
        return None

    def _levels(self) -> dict[int, dict[int, str]]:
        """Each scale's levels as {value: name}, and their names (both languages) to values."""
        levels: dict[int, dict[int, str]] = defaultdict(dict)
        self.level_names: dict[tuple[int, str], int] = {}
        for level in ScaleLevel.objects.all():
            levels[level.scale_id][level.value] = level.display_name
            for name in (level.name, level.name_en):
                if name:
                    self.level_names[(level.scale_id, name.casefold())] = level.value
        return levels

    def _level(self, line, competence: Competence) -> int | None:
        """The level as a number or by its name (either language), checked against the
        competence's scale; None with the problem reported."""
        text = self.cell(line, "level")
        value = None
        if text and text[0].isdigit():
            value = self.parse(line, "level", parse_whole_number)
            if value is None:
                return None
        elif text:
            value = self.level_names.get((competence.scale_id, text.casefold()))
            if value is None:
                self.report(line, "level", UNKNOWN_LEVEL_NAME)
                return None
        problem = recording.level_error(competence, value, self.levels.get(competence.scale_id, {}))
        if problem:
            message, params = problem
            self.report(line, "level", lazy_message(message, **params))
        return value

    def _credits(self, line) -> Decimal | None:
        credits = self.parse(line, "credits", lambda text: parse_decimal(text, maximum=MAX_CREDITS))
        if credits is not None and credits != credits.quantize(Decimal("0.1")):
            self.report(line, "credits", ONE_DECIMAL)
            return None
        return credits.normalize() if credits is not None else None

    # Matching

    def _existing(self, rows: list[Row]) -> dict[tuple, Existing]:
        """Evne's records of the file's people and competences, by (person, competence, date
        obtained); rejected ones are history and match nothing."""
        competence_ids = {row.competence.pk for row in rows}
        person_ids = {row.person_id for row in rows}
        records = (
            CompetenceRecord.objects.filter(competence_id__in=competence_ids)
            .exclude(status=RecordStatus.REJECTED)
            # Newest first, so that the oldest record of a key (if ever two) is the match.
            .order_by("-pk")
            .values_list(
                "id",
                "person_id",
                "competence_id",
                "obtained_on",
                "level",
                "expires_on",
                "credits",
                "status",
                "superseded_by_id",
            )
        )
        return {
            (values[1], values[2], values[3]): Existing(*values)
            for values in records
            if values[1] in person_ids
        }

    def _match(self, rows: list[Row], existing: dict[tuple, Existing]):
        """New rows, and the changes to records Evne has by record id."""
        new: list[Row] = []
        updates: dict[int, Update] = {}
        for row in rows:
            record = existing.get((row.person_id, row.competence.pk, row.obtained_on))
            if record is None:
                new.append(row)
                continue
            changes = {
                name: [getattr(record, name), value]
                for name, value in (
                    ("level", row.level),
                    ("expires_on", row.expires_on),
                    ("credits", row.credits),
                )
                if getattr(record, name) != value
            }
            if record.status != RecordStatus.VERIFIED:
                changes["status"] = [record.status, RecordStatus.VERIFIED.value]
            if changes:
                updates[record.id] = Update(record.id, row.number, _text(row), changes)
        return new, updates

    def _renew(self, new: list[Row], updates: dict[int, Update], existing) -> dict:
        """Chain the records of each (person, competence) that gets a verified record by date
        obtained: each current record is renewed by the next newer one. Returns, for new rows
        renewed at once (an older certificate), what renews them; records Evne has get a
        `superseded_by` change. Competences with nothing newly verified are left as they
        are."""
        new_by_key: dict[tuple, list[int]] = defaultdict(list)
        for index, row in enumerate(new):
            new_by_key[(row.person_id, row.competence.pk)].append(index)
        verified_now = {
            record_id for record_id, update in updates.items() if "status" in update.changes
        }
        current_by_key: dict[tuple, list[Existing]] = defaultdict(list)
        for record in existing.values():
            key = (record.person_id, record.competence_id)
            if record.superseded_by_id is None and (
                record.status == RecordStatus.VERIFIED or record.id in verified_now
            ):
                current_by_key[key].append(record)
        touched = set(new_by_key) | {
            key
            for key, records in current_by_key.items()
            if any(record.id in verified_now for record in records)
        }
        renewed_by = {}
        for key in touched:
            indexes, records = new_by_key.get(key, []), current_by_key.get(key, [])
            if len(indexes) + len(records) < 2:
                continue  # a single record renews nothing
            chain = [
                Link(new[index].obtained_on, new[index].number, new_index=index)
                for index in indexes
            ]
            chain.extend(
                Link(record.obtained_on, getattr(updates.get(record.id), "row", 0), record=record)
                for record in records
            )
            chain.sort(key=lambda link: link.obtained_on)
            for position, link in enumerate(chain):
                newer = next(
                    (
                        other
                        for other in chain[position + 1 :]
                        if other.obtained_on > link.obtained_on
                    ),
                    None,
                )
                if newer is None:
                    continue
                if link.new_index is not None:
                    renewed_by[link.new_index] = newer.target
                    continue
                update = updates.get(link.record.id)
                if update is None:
                    update = Update(
                        link.record.id, newer.row or None, self._existing_text(link.record)
                    )
                    updates[link.record.id] = update
                update.changes["superseded_by"] = [None, newer.target]
        return renewed_by

    def _existing_text(self, record: Existing) -> str:
        if not hasattr(self, "numbers"):
            self.numbers = {person_id: number for number, person_id in self.people.items()}
        code = self.competences.by_id[record.competence_id].code
        return _record_text(self.numbers[record.person_id], code, record.obtained_on)

    # Writing

    def _write(self, log, new: list[Row], updates: dict[int, Update]) -> None:
        user_id = log.batch.created_by_id
        now = timezone.now()
        keys = allocate_keys(CompetenceRecord, len(new))

        def resolve(target):
            kind, ident = target
            return keys[ident] if kind == "new" else ident

        rows = []
        for index, (key, row) in enumerate(zip(keys, new, strict=True)):
            renewed_by = self.renewed_by.get(index)
            rows.append(
                (
                    key,
                    row.person_id,
                    row.competence.pk,
                    row.level,
                    row.obtained_on,
                    row.expires_on,
                    row.credits,
                    RecordSource.IMPORT.value,
                    RecordStatus.VERIFIED.value,
                    "",
                    "",
                    "",
                    now,
                    user_id,
                    now,
                    user_id,
                    "",
                    resolve(renewed_by) if renewed_by else None,
                )
            )
            log.add(CompetenceRecord, key, _text(row), "create", {}, row.number)
        insert_rows(CompetenceRecord, INSERT_FIELDS, rows)
        records = CompetenceRecord.objects.in_bulk(list(updates))
        changed_fields = set()
        for update in updates.values():
            record = records[update.record_id]
            if "superseded_by" in update.changes:
                update.changes["superseded_by"][1] = resolve(update.changes["superseded_by"][1])
            for name, (_before, value) in update.changes.items():
                setattr(record, f"{name}_id" if name == "superseded_by" else name, value)
                changed_fields.add(name)
            if "status" in update.changes:
                record.decided_by_id, record.decided_at = user_id, now
                changed_fields.update({"decided_by", "decided_at"})
            log.add(CompetenceRecord, record.pk, update.text, "update", update.changes, update.row)
        if changed_fields:
            CompetenceRecord.objects.bulk_update(
                records.values(), sorted(changed_fields), batch_size=bulk.BATCH_SIZE
            )

    # Export

    @classmethod
    def export_rows(cls, visibility):
        records = (
            visibility.records()
            .current()
            .filter(status=RecordStatus.VERIFIED)
            .order_by("person__employee_number", "competence__code", "obtained_on", "pk")
            .values_list(
                "person__employee_number",
                "competence__code",
                "level",
                "obtained_on",
                "expires_on",
                "credits",
            )
        )
        return records.iterator(chunk_size=bulk.BATCH_SIZE)


def _text(row: Row) -> str:
    return _record_text(row.employee_number, row.competence.code, row.obtained_on)


def _record_text(employee_number: str, code: str, obtained_on: datetime.date) -> str:
    """How a record is named in the import's change list: no names of people."""
    return f"{employee_number} {code} {obtained_on:%d.%m.%Y}"
