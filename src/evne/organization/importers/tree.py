"""The unit tree as a file describes it, checked against the database and planned as changes.

Both the people file (Enhetskode, Enhet, Overordnet enhet, Leder on every row) and the units file
(one row per unit, with Nivå) describe units; this module merges what they say, finds
contradictions and cycles, and writes new and changed units.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from evne.core.bulk import allocate_keys, insert_rows
from evne.core.imports.problems import Problem, lazy_message
from evne.organization.models import OrgLevel, OrgUnit

# The name a unit gets while only its code is known; it is data, in the municipality's language.
UNNAMED = "(uten navn)"


@dataclass
class UnitSpec:
    code: str
    row: int
    name: str = ""
    parent_code: str = ""
    leader_number: str = ""
    level_name: str = ""
    only_as_parent: bool = False
    rows: dict[str, int] = field(default_factory=dict)  # which row set each value


class UnitTreePlan:
    def __init__(self, existing: dict[str, OrgUnit], headers: dict[str, str | None]):
        self.existing = existing
        self.headers = headers
        self.specs: dict[str, UnitSpec] = {}
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.new_codes: list[str] = []
        self.updates: dict[str, dict[str, list]] = {}
        self.leader_changes: dict[str, str] = {}
        self.last_said: dict[str, tuple] = {}

    def describe(self, code: str, row: int, **values: str) -> None:
        """Record what a row says about a unit; a different value than an earlier row is a
        problem (each unit has one name, one parent and one leader)."""
        said = tuple(values.items())
        if self.last_said.get(code) == said:
            return  # the common case: every row of a unit says the same
        self.last_said[code] = said
        spec = self.specs.get(code)
        if spec is None or spec.only_as_parent:
            spec = spec or UnitSpec(code=code, row=row)
            spec.only_as_parent = False
            spec.row = row
            self.specs[code] = spec
        for attribute, value in values.items():
            if not value:
                continue
            earlier = getattr(spec, attribute)
            if earlier and earlier != value:
                self.problems.append(
                    Problem(
                        row=row,
                        column=self.headers.get(attribute),
                        value=value,
                        message=lazy_message(
                            _("Unit %(code)s has another value on row %(other)d: %(earlier)s."),
                            code=code,
                            earlier=earlier,
                            other=spec.rows[attribute],
                        ),
                    )
                )
                continue
            setattr(spec, attribute, value)
            spec.rows.setdefault(attribute, row)
        if values.get("parent_code") and values["parent_code"] not in self.specs:
            self.specs[values["parent_code"]] = UnitSpec(
                code=values["parent_code"], row=row, only_as_parent=True
            )

    def check(self, known_people: set[str], *, parents_must_exist: bool) -> None:
        """Find unknown parents, unknown leaders and cycles, and plan what to change."""
        for code, spec in self.specs.items():
            if spec.only_as_parent and code not in self.existing:
                if parents_must_exist:
                    self.problems.append(
                        Problem(
                            row=spec.row,
                            column=self.headers.get("parent_code"),
                            value=code,
                            message=_("The parent unit is neither in the file nor in Evne."),
                        )
                    )
                else:
                    self.warnings.append(
                        Problem(
                            row=spec.row,
                            column=self.headers.get("parent_code"),
                            value=code,
                            message=_(
                                "This parent unit is new and has no name in the file: it is "
                                "created as unnamed. Import a units file to name it."
                            ),
                        )
                    )
            if spec.leader_number and spec.leader_number not in known_people:
                self.problems.append(
                    Problem(
                        row=spec.rows["leader_number"],
                        column=self.headers.get("leader_number"),
                        value=spec.leader_number,
                        message=_("The leader is neither in the file nor in Evne."),
                    )
                )
        self._check_cycles()
        self._plan_changes()

    def roots(self) -> set[str]:
        return {self.root_of(code) for code in self.specs}

    def check_scope(self, allowed_roots: frozenset[str] | None) -> None:
        """Refuse units outside the organisations the importing user may import into, and new
        organisations (roots) unless any is allowed."""
        if allowed_roots is None:
            return
        for code, spec in self.specs.items():
            root = self.root_of(code)
            if root not in allowed_roots:
                self.problems.append(
                    Problem(
                        row=spec.row,
                        column=self.headers.get("parent_code" if spec.only_as_parent else "code"),
                        value=code,
                        message=lazy_message(
                            _(
                                "The unit belongs to the organisation %(root)s, which you may "
                                "not import into."
                            ),
                            root=root,
                        ),
                    )
                )

    def final_parent(self, code: str) -> str:
        spec = self.specs.get(code)
        if spec and spec.parent_code:
            return spec.parent_code
        unit = self.existing.get(code)
        return unit.parent.code if unit and unit.parent_id else ""

    def root_of(self, code: str) -> str:
        seen = set()
        while (parent := self.final_parent(code)) and code not in seen:
            seen.add(code)
            code = parent
        return code

    def _check_cycles(self) -> None:
        reported = set()
        for start in self.specs:
            seen = []
            code = start
            while code and code not in seen:
                seen.append(code)
                code = self.final_parent(code)
            if code and code not in reported:
                cycle = seen[seen.index(code) :]
                reported.update(cycle)
                spec = self.specs.get(code) or self.specs[start]
                self.problems.append(
                    Problem(
                        row=spec.rows.get("parent_code", spec.row),
                        column=self.headers.get("parent_code"),
                        value=spec.parent_code,
                        message=lazy_message(
                            _("The units form a cycle: %(cycle)s."),
                            cycle=" → ".join([*cycle, code]),
                        ),
                    )
                )

    def _plan_changes(self) -> None:
        for code, spec in self.specs.items():
            unit = self.existing.get(code)
            if unit is None:
                self.new_codes.append(code)
            else:
                changes = {}
                if spec.name and spec.name != unit.name:
                    changes["name"] = [unit.name, spec.name]
                current_parent = unit.parent.code if unit.parent_id else ""
                if spec.parent_code and spec.parent_code != current_parent:
                    changes["parent"] = [current_parent, spec.parent_code]
                if spec.level_name and spec.level_name != (unit.level.name if unit.level else ""):
                    changes["level"] = [unit.level.name if unit.level else "", spec.level_name]
                if changes:
                    self.updates[code] = changes
            if spec.leader_number:
                current = unit.leader_numbers if unit is not None else []
                if current != [spec.leader_number]:
                    self.leader_changes[code] = spec.leader_number

    def counts(self) -> dict[str, int]:
        changed = set(self.updates) | set(self.leader_changes)
        return {"create": len(self.new_codes), "update": len(changed - set(self.new_codes))}

    def write(self, log, people_ids: dict[str, int]) -> dict[str, OrgUnit]:
        """Create and change units; return every unit of the file by code."""
        levels = self._levels()
        units = dict(self.existing)
        # Keys first, so each new unit's path (which holds the keys) is known before inserting.
        keys = allocate_keys(OrgUnit, len(self.new_codes))
        new_units = []
        for key, code in zip(keys, self.new_codes, strict=True):
            spec = self.specs[code]
            unit = OrgUnit(
                pk=key,
                code=code,
                name=spec.name or f"{UNNAMED} {code}",
                level=levels.get(spec.level_name),
            )
            units[code] = unit
            new_units.append(unit)
        for unit in sorted(new_units, key=lambda u: self._depth(u.code)):
            parent_code = self.final_parent(unit.code)
            unit.parent = units[parent_code] if parent_code else None
            unit.path = unit.path_under(unit.parent)
        insert_rows(
            OrgUnit,
            ["id", "code", "name", "level_id", "parent_id", "path"],
            [(u.pk, u.code, u.name, u.level_id, u.parent_id, u.path) for u in new_units],
        )
        for unit in new_units:
            unit._state.adding = False
            parent = self.final_parent(unit.code)
            log.record(
                "create", unit, {"name": unit.name, "parent": parent}, self.specs[unit.code].row
            )

        for code, changes in self.updates.items():
            unit = units[code]
            spec = self.specs[code]
            if "name" in changes:
                unit.name = spec.name
            if "level" in changes:
                unit.level = levels[spec.level_name]
            if "parent" in changes:
                # An earlier move in this import may have changed both paths in the database.
                unit.refresh_from_db(fields=["path"])
                unit.parent = units[spec.parent_code]
                unit.parent.refresh_from_db(fields=["path"])
            unit.save()  # a move carries the whole subtree along
            log.record("update", unit, changes, spec.row)

        through = OrgUnit.leaders.through
        if self.leader_changes:
            changed = [units[code] for code in self.leader_changes]
            through.objects.filter(orgunit__in=changed).delete()
            through.objects.bulk_create(
                through(orgunit=units[code], person_id=people_ids[number])
                for code, number in self.leader_changes.items()
            )
            for code, number in self.leader_changes.items():
                before = self.existing[code].leader_numbers if code in self.existing else []
                log.record(
                    "update", units[code], {"leaders": [before, [number]]}, self.specs[code].row
                )
        return units

    def _depth(self, code: str) -> int:
        depth = 0
        while code := self.final_parent(code):
            depth += 1
        return depth

    def _levels(self) -> dict[str, OrgLevel]:
        names = {spec.level_name for spec in self.specs.values() if spec.level_name}
        levels = {level.name: level for level in OrgLevel.objects.filter(name__in=names)}
        next_rank = (
            OrgLevel.objects.order_by("-rank").values_list("rank", flat=True).first() or 0
        ) + 1
        for name in sorted(names - set(levels)):
            levels[name] = OrgLevel.objects.create(name=name, rank=next_rank)
            next_rank += 1
        return levels


def existing_units() -> dict[str, OrgUnit]:
    """Every unit by code, with its leaders' employee numbers, in two queries."""
    units = {unit.code: unit for unit in OrgUnit.objects.select_related("parent", "level")}
    for unit in units.values():
        unit.leader_numbers = []
    for code, number in OrgUnit.leaders.through.objects.values_list(
        "orgunit__code", "person__employee_number"
    ).order_by("person__employee_number"):
        units[code].leader_numbers.append(number)
    return units
