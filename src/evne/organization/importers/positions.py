"""The positions (stillinger) of a people file, planned against what Evne holds and written:
created, changed, and in a full sync ended."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from evne.core.bulk import BATCH_SIZE, allocate_keys, insert_rows
from evne.core.imports.problems import Problem, lazy_message
from evne.organization.importers.tree import UnitTreePlan
from evne.organization.models import Employment, EmploymentKind

EMPLOYMENT_INSERT_FIELDS = [
    "id",
    "person_id",
    "unit_id",
    "job_role_id",
    "fte",
    "kind",
    "start_date",
    "end_date",
    "is_primary",
]


@dataclass
class Position:
    """What one row says about one position."""

    row: int
    number: str
    unit_code: str
    role_key: str
    fte: Decimal
    kind: str | None
    start_date: datetime.date
    end_date: datetime.date | None
    is_primary: bool | None
    primary_text: str

    @property
    def key(self):
        return (self.number, self.unit_code, self.role_key, self.start_date)


class EmploymentPlan:
    """Positions to create, change and (in full sync) end, against what Evne holds."""

    def __init__(self, positions: list[Position], options, tree: UnitTreePlan, has_end_dates):
        self.positions = positions
        self.options = options
        existing = Employment.objects.values_list(
            "pk",
            "person__employee_number",
            "unit__code",
            "job_role__name",
            "start_date",
            "fte",
            "kind",
            "end_date",
            "is_primary",
        )
        self.by_key = {
            (number, unit, role.casefold(), start): {
                "pk": pk,
                "fte": fte,
                "kind": kind,
                "end_date": end,
                "is_primary": primary,
            }
            for pk, number, unit, role, start, fte, kind, end, primary in existing
        }
        self.creates: list[Position] = []
        self.updates: list[tuple[int, dict, int]] = []
        for position in positions:
            current = self.by_key.get(position.key)
            if current is None:
                self.creates.append(position)
                continue
            wanted = {"fte": position.fte, "is_primary": position.is_primary}
            if position.kind is not None:
                wanted["kind"] = position.kind
            if has_end_dates:
                wanted["end_date"] = position.end_date
            changes = {
                name: [current[name], value]
                for name, value in wanted.items()
                if current[name] != value
            }
            if changes:
                self.updates.append((current["pk"], changes, position.row))
        self.ends: list[tuple[int, datetime.date]] = []
        self.guard_problem = None
        if options.full_sync:
            self._plan_ends(tree)

    def _plan_ends(self, tree: UnitTreePlan) -> None:
        """Full sync ends current positions absent from the file, within the organisations
        (roots) the file covers, and refuses to end more than the limit unless forced."""
        today = self.options.today
        roots = {tree.root_of(position.unit_code) for position in self.positions}
        root_cache: dict[str, str] = {}
        in_file = {position.key for position in self.positions}
        current = 0
        for key, values in self.by_key.items():
            if values["end_date"] is not None and values["end_date"] < today:
                continue
            unit_code = key[1]
            if unit_code not in root_cache:
                root_cache[unit_code] = tree.root_of(unit_code)
            if root_cache[unit_code] not in roots:
                continue
            current += 1
            if key not in in_file:
                self.ends.append((values["pk"], max(today, key[3])))
        limit = settings.EVNE_FULL_SYNC_LIMIT_PERCENT
        if current and not self.options.force and len(self.ends) * 100 > limit * current:
            self.guard_problem = Problem(
                message=lazy_message(
                    _(
                        "Full sync would end %(ends)d of %(current)d current positions, more "
                        "than the limit of %(limit)d %%. Check that the file is complete, or "
                        "force the import."
                    ),
                    ends=len(self.ends),
                    current=current,
                    limit=limit,
                )
            )

    def counts(self) -> dict[str, int]:
        return {"create": len(self.creates), "update": len(self.updates), "end": len(self.ends)}

    def write(self, log, people_ids, people_values, units, roles) -> None:
        keys = allocate_keys(Employment, len(self.creates))
        rows = []
        for key, position in zip(keys, self.creates, strict=True):
            unit, role = units[position.unit_code], roles[position.role_key]
            kind = position.kind or EmploymentKind.PERMANENT
            rows.append(
                (
                    key,
                    people_ids[position.number],
                    unit.pk,
                    role.pk,
                    position.fte,
                    kind,
                    position.start_date,
                    position.end_date,
                    position.is_primary,
                )
            )
            person = people_values[position.number]
            text = (
                f"{person['given_name']} {person['family_name']} – {role.name}, {unit.name} "
                f"({position.fte} %)"
            )
            log.add(Employment, key, text, "create", {}, position.row)
        insert_rows(Employment, EMPLOYMENT_INSERT_FIELDS, rows)
        with_names = Employment.objects.select_related("person", "unit", "job_role")
        changed = with_names.in_bulk([pk for pk, _changes, _row in self.updates])
        for pk, changes, row in self.updates:
            for name, (_before, value) in changes.items():
                setattr(changed[pk], name, value)
            log.record("update", changed[pk], changes, row)
        fields = sorted({name for _pk, changes, _row in self.updates for name in changes})
        if fields:
            Employment.objects.bulk_update(list(changed.values()), fields, batch_size=BATCH_SIZE)
        ended = with_names.in_bulk([pk for pk, _end in self.ends])
        for pk, end_date in self.ends:
            log.record("end", ended[pk], {"end_date": [ended[pk].end_date, end_date]})
            ended[pk].end_date = end_date
        if ended:
            Employment.objects.bulk_update(list(ended.values()), ["end_date"], BATCH_SIZE)
