"""`evne import people`: people and their positions from the payroll system's export.

One row is one position (stilling) of one person in one unit. People are matched by employee
number, units by unit code, positions by person, unit, job role and start date. Columns the
file has are the truth for what they hold; columns it lacks leave Evne's data as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from evne.core import bulk
from evne.core.bulk import allocate_keys, insert_rows
from evne.core.imports.headers import Field
from evne.core.imports.pipeline import Importer, Plan, register
from evne.core.imports.problems import Problem, lazy_message
from evne.core.imports.values import (
    parse_date,
    parse_gender,
    parse_percentage,
    parse_yes_no,
)
from evne.organization.importers.positions import EmploymentPlan, Position
from evne.organization.importers.tree import UnitTreePlan, existing_units
from evne.organization.models import EmploymentKind, JobRole, Person

FTE_PRECISION = Decimal("0.01")
PERSON_FIELDS = ["given_name", "family_name", "email", "birth_date", "gender"]
PERSON_INSERT_FIELDS = ["id", "employee_number", *PERSON_FIELDS]
KIND_WORDS = {
    "fast": EmploymentKind.PERMANENT,
    "f": EmploymentKind.PERMANENT,
    "permanent": EmploymentKind.PERMANENT,
    "midlertidig": EmploymentKind.TEMPORARY,
    "m": EmploymentKind.TEMPORARY,
    "vikar": EmploymentKind.TEMPORARY,
    "temporary": EmploymentKind.TEMPORARY,
}

# Catches what payroll exports get wrong (a name, a phone number, a missing domain); Django's
# full validator costs more than the rest of a row's checks together.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")

# Made once: a lazy message per row and field would cost a second on a 100 000-row file.
MISSING_NUMBER = _("The employee number is missing.")
MISSING_GIVEN_NAME = _("The given name is missing.")
MISSING_FAMILY_NAME = _("The family name is missing.")
MISSING_UNIT_CODE = _("The unit code is missing.")
MISSING_FTE = _("The FTE percentage is missing.")
MISSING_START = _("The start date is missing.")
ENDS_BEFORE_START = _("The position ends before it starts.")
NOT_AN_EMAIL = _("Not an email address.")
UNKNOWN_KIND = _("Write fast or midlertidig (permanent or temporary).")

FIELDS = [
    Field("employee_number", ("Ansattnummer", "Ansattnr", "Employee number"), True, max_length=30),
    Field("given_name", ("Fornavn", "Given name", "First name"), True, max_length=150),
    Field(
        "family_name", ("Etternavn", "Family name", "Last name", "Surname"), True, max_length=150
    ),
    Field("birth_date", ("Fødselsdato", "Født", "Birth date", "Date of birth")),
    Field("gender", ("Kjønn", "Gender")),
    Field("email", ("E-post", "Epost", "E-postadresse", "Email", "E-mail"), max_length=254),
    Field(
        "unit_code", ("Enhetskode", "Enhetsnummer", "Enhetsnr", "Unit code"), True, max_length=50
    ),
    Field("unit_name", ("Enhet", "Enhetsnavn", "Unit", "Unit name"), max_length=200),
    Field(
        "parent_code", ("Overordnet enhet", "Overordnet enhetskode", "Parent unit"), max_length=50
    ),
    Field("job_code", ("Stillingskode", "Yrkeskode", "STYRK", "Job code")),
    Field(
        "job_title",
        ("Stilling", "Stillingstittel", "Stillingsnavn", "Job title", "Job role"),
        max_length=200,
    ),
    Field("fte", ("Stillingsprosent", "Stillingsandel", "FTE", "FTE %"), True),
    Field("kind", ("Ansettelsesform", "Ansettelsestype", "Employment type")),
    Field("is_primary", ("Hovedstilling", "Primary position")),
    Field("start_date", ("Startdato", "Fra dato", "Tiltredelsesdato", "Start date"), True),
    Field("end_date", ("Sluttdato", "Til dato", "End date")),
    Field("leader_number", ("Leder", "Leders ansattnummer", "Leader"), max_length=30),
]


@dataclass
class RoleSpec:
    title: str
    styrk_code: str
    occupation_code: str
    row: int


@register
class PeopleImporter(Importer):
    kind = "people"
    fields = FIELDS
    label = _("People and positions")
    description = _(
        "One row per position: employee number, name, unit, job title, FTE and start date. "
        "Creates and updates people, units and positions."
    )
    nouns = {"units": _("Units"), "people": _("People"), "employments": _("Positions")}

    def plan(self) -> Plan:
        self.people_values: dict[str, dict] = {}
        self.people_rows: dict[str, dict[str, int]] = {}
        self.positions: list[Position] = []
        self.existing_roles = {role.name.casefold(): role for role in JobRole.objects.all()}
        self.new_roles: dict[str, RoleSpec] = {}
        self.roles_by_code = {}
        for key, role in sorted(self.existing_roles.items()):
            for code in (role.styrk_code, role.occupation_code):
                if code:
                    self.roles_by_code.setdefault(code, key)
        self.tree = UnitTreePlan(
            existing_units(),
            {
                "code": self.header("unit_code"),
                "name": self.header("unit_name"),
                "parent_code": self.header("parent_code"),
                "leader_number": self.header("leader_number"),
            },
        )
        for row in self.table.rows:
            self._read(row)
        self._decide_primary_positions()

        people = {
            values["employee_number"]: values
            for values in Person.objects.values("id", "employee_number", *PERSON_FIELDS)
        }
        self.tree.check(set(people) | set(self.people_values), parents_must_exist=False)
        self.tree.check_scope(self.options.allowed_roots)
        self.problems.extend(self.tree.problems)
        new_people, changed_people = self._plan_people(people)
        employments = self._plan_employments()

        def write(log):
            people_ids = {number: values["id"] for number, values in people.items()}
            people_ids.update(self._write_people(log, new_people, changed_people))
            units = self.tree.write(log, people_ids)
            roles = self._write_roles()
            employments.write(log, people_ids, self.people_values, units, roles)

        counts = {
            "units": self.tree.counts(),
            "people": {"create": len(new_people), "update": len(changed_people)},
            "employments": employments.counts(),
        }
        problems = sorted(self.problems, key=lambda problem: problem.row or 0)
        return Plan(counts, problems, self.tree.warnings, [], write, self.tree.roots())

    # Reading rows

    def _required(self, row, field_name, message):
        value = self.cell(row, field_name)
        if not value:
            self.report(row, field_name, message)
        return value

    def _read(self, row) -> None:
        problems_before = len(self.problems)
        self.problems.extend(self.length_problems(row))
        number = self._required(row, "employee_number", MISSING_NUMBER)
        given = self._required(row, "given_name", MISSING_GIVEN_NAME)
        family = self._required(row, "family_name", MISSING_FAMILY_NAME)
        unit_code = self._required(row, "unit_code", MISSING_UNIT_CODE)
        fte = self.parse(row, "fte", parse_percentage)
        if fte is not None:
            # Stored with two decimals; rounding here keeps a re-import of 33,333 a no-op.
            fte = fte.quantize(FTE_PRECISION)
        if fte is None and not self.cell(row, "fte"):
            self.report(row, "fte", MISSING_FTE)
        start = self.parse(row, "start_date", parse_date)
        if start is None and not self.cell(row, "start_date"):
            self.report(row, "start_date", MISSING_START)
        end = self.parse(row, "end_date", parse_date)
        if start and end and end < start:
            self.report(row, "end_date", ENDS_BEFORE_START)
        person = {"given_name": given, "family_name": family}
        if self.has("email"):
            person["email"] = self.cell(row, "email")
            if person["email"] and not EMAIL.fullmatch(person["email"]):
                self.report(row, "email", NOT_AN_EMAIL)
        if self.has("birth_date"):
            person["birth_date"] = self.parse(row, "birth_date", parse_date)
        if self.has("gender"):
            person["gender"] = self.parse(row, "gender", parse_gender)
        kind = None
        if self.has("kind"):
            word = self.cell(row, "kind").casefold()
            kind = KIND_WORDS.get(word, EmploymentKind.PERMANENT if not word else None)
            if kind is None:
                self.report(row, "kind", UNKNOWN_KIND)
        is_primary = self.parse(row, "is_primary", parse_yes_no) if self.has("is_primary") else None
        role_key = self._read_role(row)
        if unit_code:
            self.tree.describe(
                unit_code,
                row.number,
                name=self.cell(row, "unit_name"),
                parent_code=self.cell(row, "parent_code"),
                leader_number=self.cell(row, "leader_number"),
            )
        if number:
            self._add_person(row, number, person)
        if len(self.problems) > problems_before or not number:
            return
        self.positions.append(
            Position(
                row.number,
                number,
                unit_code,
                role_key,
                fte,
                kind,
                start,
                end,
                is_primary,
                self.cell(row, "is_primary"),
            )
        )

    def _read_role(self, row) -> str | None:
        title = self.cell(row, "job_title")
        code = self.cell(row, "job_code")
        styrk = occupation = ""
        if code:
            if code.isdigit() and len(code) == 4:
                styrk = code
            elif code.isdigit() and len(code) == 7:
                occupation = code
            else:
                self.report(
                    row,
                    "job_code",
                    _("A job code is a 4-digit STYRK-08 code or a 7-digit occupation code."),
                )
                return None
        if title:
            key = title.casefold()
            if key not in self.existing_roles and key not in self.new_roles:
                self.new_roles[key] = RoleSpec(title, styrk, occupation, row.number)
            return key
        if code:
            if code in self.roles_by_code:
                return self.roles_by_code[code]
            self.report(
                row,
                "job_code",
                _("No job role has this code. Add a Stilling column with the job title."),
            )
            return None
        self.report(row, "job_title", _("The job role is missing (Stilling or Stillingskode)."))
        return None

    def _add_person(self, row, number, values) -> None:
        earlier = self.people_values.get(number)
        if earlier is None:
            self.people_values[number] = values
            self.people_rows[number] = dict.fromkeys(values, row.number)
            return
        for name, value in values.items():
            if earlier.get(name) != value:
                self.report(
                    row,
                    name,
                    lazy_message(
                        _("Employee %(number)s has another value on row %(other)d."),
                        number=number,
                        other=self.people_rows[number][name],
                    ),
                    value=str(value or ""),
                )

    def _decide_primary_positions(self) -> None:
        """A person's primary position (hovedstilling) is the one marked so; without a mark,
        the largest (then the earliest, then the first in the file)."""
        by_person: dict[str, list[Position]] = {}
        for position in self.positions:
            by_person.setdefault(position.number, []).append(position)
        seen = set()
        for number, positions in by_person.items():
            for position in positions:
                if position.key in seen:
                    self.problems.append(
                        Problem(
                            row=position.row,
                            message=_(
                                "The same position (person, unit, job role, start date) is "
                                "in the file twice."
                            ),
                        )
                    )
                seen.add(position.key)
            marked = [position for position in positions if position.is_primary]
            if len(marked) > 1:
                for position in marked[1:]:
                    self.problems.append(
                        Problem(
                            row=position.row,
                            column=self.header("is_primary"),
                            value=position.primary_text,
                            message=lazy_message(
                                _("Employee %(number)s has more than one primary position."),
                                number=number,
                            ),
                        )
                    )
            if not marked:
                largest = max(positions, key=lambda p: (p.fte, -p.start_date.toordinal(), -p.row))
                largest.is_primary = True
            for position in positions:
                position.is_primary = bool(position.is_primary)

    # Planning

    def _plan_people(self, people: dict[str, dict]):
        """New people as (number, row), changed ones as (id, changes, row)."""
        new, changed = [], []
        for number, values in self.people_values.items():
            row = min(self.people_rows[number].values())
            current = people.get(number)
            if current is None:
                new.append((number, row))
                continue
            changes = {
                name: [current[name], value]
                for name, value in values.items()
                if (current[name] or None) != (value or None)
            }
            if changes:
                changed.append((current["id"], changes, row))
        return new, changed

    def _plan_employments(self) -> EmploymentPlan:
        plan = EmploymentPlan(self.positions, self.options, self.tree, self.has("end_date"))
        if plan.guard_problem:
            self.problems.append(plan.guard_problem)
        return plan

    # Writing

    def _write_people(self, log, new, changed) -> dict[str, int]:
        """Create and update people; return the new people's keys by employee number."""
        keys = allocate_keys(Person, len(new))
        rows = []
        for key, (number, row) in zip(keys, new, strict=True):
            values = self.people_values[number]
            rows.append(
                (
                    key,
                    number,
                    values["given_name"],
                    values["family_name"],
                    values.get("email", ""),
                    values.get("birth_date"),
                    values.get("gender", ""),
                )
            )
            log.add(
                Person, key, f"{values['given_name']} {values['family_name']}", "create", {}, row
            )
        insert_rows(Person, PERSON_INSERT_FIELDS, rows)
        people = Person.objects.in_bulk([key for key, _changes, _row in changed])
        for key, changes, row in changed:
            for name, (_before, value) in changes.items():
                setattr(people[key], name, value)
            log.record("update", people[key], changes, row)
        fields = sorted({name for _key, changes, _row in changed for name in changes})
        if fields:
            Person.objects.bulk_update(people.values(), fields, batch_size=bulk.BATCH_SIZE)
        return {number: key for key, (number, _row) in zip(keys, new, strict=True)}

    def _write_roles(self) -> dict[str, JobRole]:
        new = [
            JobRole(
                name=spec.title, styrk_code=spec.styrk_code, occupation_code=spec.occupation_code
            )
            for spec in self.new_roles.values()
        ]
        JobRole.objects.bulk_create(new)
        return {**self.existing_roles, **{role.name.casefold(): role for role in new}}
