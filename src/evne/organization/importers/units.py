"""`evne import units`: the unit tree from the HR system, one row per unit.

Names units that the people file mentions only as parents, and sets levels (nivå) and leaders.
"""

from django.utils.translation import gettext_lazy as _

from evne.core.imports.headers import Field
from evne.core.imports.pipeline import Importer, Plan, register
from evne.core.imports.problems import Problem
from evne.organization.importers.tree import UnitTreePlan, existing_units
from evne.organization.models import Person

FIELDS = [
    Field(
        "unit_code", ("Enhetskode", "Enhetsnummer", "Enhetsnr", "Unit code"), True, max_length=50
    ),
    Field("unit_name", ("Enhetsnavn", "Enhet", "Unit name", "Unit"), True, max_length=200),
    Field(
        "parent_code", ("Overordnet enhet", "Overordnet enhetskode", "Parent unit"), max_length=50
    ),
    Field("level", ("Nivå", "Level"), max_length=100),
    Field("leader_number", ("Leder", "Leders ansattnummer", "Leader"), max_length=30),
]


@register
class UnitsImporter(Importer):
    kind = "units"
    fields = FIELDS
    label = _("Units")
    description = _(
        "One row per unit: unit code, name, parent unit, level and leader. Names and places "
        "units in the organisation tree."
    )
    nouns = {"units": _("Units")}

    def plan(self) -> Plan:
        problems: list[Problem] = []
        tree = UnitTreePlan(
            existing_units(),
            {
                "code": self.header("unit_code"),
                "name": self.header("unit_name"),
                "parent_code": self.header("parent_code"),
                "leader_number": self.header("leader_number"),
                "level_name": self.header("level"),
            },
        )
        seen: dict[str, int] = {}
        for row in self.table.rows:
            problems.extend(self.length_problems(row))
            code = self.cell(row, "unit_code")
            name = self.cell(row, "unit_name")
            if not code:
                problems.append(self._problem(row, "unit_code", _("The unit code is missing.")))
                continue
            if not name:
                problems.append(self._problem(row, "unit_name", _("The unit name is missing.")))
            if code in seen:
                problems.append(
                    self._problem(row, "unit_code", _("This unit is in the file twice."))
                )
                continue
            seen[code] = row.number
            tree.describe(
                code,
                row.number,
                name=name,
                parent_code=self.cell(row, "parent_code"),
                leader_number=self.cell(row, "leader_number"),
                level_name=self.cell(row, "level"),
            )
        people = dict(Person.objects.values_list("employee_number", "id"))
        tree.check(set(people), parents_must_exist=True)
        tree.check_scope(self.options.allowed_roots)
        problems.extend(tree.problems)

        def write(log):
            tree.write(log, people)

        problems.sort(key=lambda problem: problem.row or 0)
        return Plan({"units": tree.counts()}, problems, tree.warnings, [], write, tree.roots())

    def _problem(self, row, field_name, message) -> Problem:
        return Problem(
            row=row.number,
            column=self.header(field_name),
            value=self.cell(row, field_name),
            message=message,
        )
