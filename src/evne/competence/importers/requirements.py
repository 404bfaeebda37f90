"""`evne import requirements`: requirements (kompetansekrav), one row per requirement.

A row names a competence by its code and its holder: a job role (Stillingskode), a unit
(Enhetskode), or both for the job role within that unit. Rows are matched to existing
requirements by competence and holder; only what differs is changed. The import never deletes:
requirements missing from the file stay, and are deleted on their page. The export writes the
same columns, so requirements can be kept in Excel and read back.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evne.competence.models import Competence, Requirement, RequirementKind, ScaleLevel
from evne.core.imports.headers import Field, normalise
from evne.core.imports.pipeline import Importer, Plan, register
from evne.core.imports.problems import Problem, lazy_message
from evne.core.imports.reading import Row
from evne.core.imports.values import InvalidValue, parse_whole_number
from evne.organization.models import JobRole, OrgUnit

FIELDS = [
    Field("competence_code", ("Kompetansekode", "Competence code"), True, max_length=50),
    Field("job_role", ("Stillingskode", "Stilling", "Job role", "Job code"), max_length=200),
    Field("unit_code", ("Enhetskode", "Enhetsnummer", "Enhetsnr", "Unit code"), max_length=50),
    Field("kind", ("Krav", "Kravtype", "Requirement", "Kind")),
    Field("level", ("Nivå", "Level")),
    Field("legal_basis", ("Hjemmel", "Lovhjemmel", "Legal basis"), max_length=300),
    Field(
        "grace_days",
        (
            "Frist for nyansatte (dager)",
            "Frist for nyansatte",
            "Grace period (days)",
            "Grace period",
        ),
    ),
]

# The Krav column's words: the Norwegian one first (the export writes it), then the others.
KIND_WORDS = {
    RequirementKind.MANDATORY: ("obligatorisk", "mandatory", "påkrevd", "krav"),
    RequirementKind.DESIRED: ("ønsket", "desired", "ønskelig", "valgfri"),
}
KINDS = {normalise(word): kind for kind, words in KIND_WORDS.items() for word in words}
OCCUPATION_CODE = re.compile(r"[0-9]{7}")
STYRK_CODE = re.compile(r"[0-9]{4}")
NUMBER = re.compile(r"[0-9]+([.,][0-9]*)?")
LOGGED_FIELDS = ["kind", "level", "legal_basis", "grace_days"]

NO_HOLDER = _("Give a Stillingskode, an Enhetskode or both.")
UNKNOWN_COMPETENCE = _("No competence has this code.")
MISSING_COMPETENCE = _("The competence code is missing.")
UNKNOWN_UNIT = _("No unit has this code.")
UNKNOWN_KIND = _("Write obligatorisk or ønsket (mandatory or desired).")
UNKNOWN_ROLE = _("No job role has this occupation code, STYRK-08 code or name.")
NOT_IN_USE = _("The competence is no longer in use; the requirement is added all the same.")
LEVEL_NOT_WANTED = _("This competence is had or not: leave the level empty.")


class RoleIndex:
    """Finds a job role by the text of a Stillingskode cell: first as a 7-digit occupation
    code, then as a 4-digit STYRK-08 code, then as a name (ignoring case). The first kind of
    key that matches decides; if it matches several roles, the row is a problem."""

    def __init__(self, roles: Iterable[JobRole]):
        self.by_occupation: dict[str, list[JobRole]] = defaultdict(list)
        self.by_styrk: dict[str, list[JobRole]] = defaultdict(list)
        self.by_name: dict[str, list[JobRole]] = defaultdict(list)
        for role in roles:
            if role.occupation_code:
                self.by_occupation[role.occupation_code].append(role)
            if role.styrk_code:
                self.by_styrk[role.styrk_code].append(role)
            self.by_name[role.name.casefold()].append(role)

    def matches(self, text: str) -> list[JobRole]:
        found: list[JobRole] = []
        if OCCUPATION_CODE.fullmatch(text):
            found = self.by_occupation.get(text, [])
        elif STYRK_CODE.fullmatch(text):
            found = self.by_styrk.get(text, [])
        return found or self.by_name.get(text.casefold(), [])

    def key(self, role: JobRole) -> str:
        """What the export writes: the name, which people read, unless another role would be
        found by it; then a code that finds this role alone."""
        for text in (role.name, role.occupation_code, role.styrk_code):
            if text and self.matches(text) == [role]:
                return text
        return role.name


class Levels:
    """The named levels of every scale, to read a Nivå cell as a number or a level's name."""

    def __init__(self):
        self.by_scale: dict[int, dict[str, int]] = defaultdict(dict)
        self.shown: dict[int, list[str]] = defaultdict(list)
        for level in ScaleLevel.objects.order_by("scale_id", "value"):
            names = self.by_scale[level.scale_id]
            for text in (str(level.value), level.name, level.name_en):
                if text:
                    names.setdefault(text.casefold(), level.value)
            self.shown[level.scale_id].append(f"{level.value} {level.name}")

    def read(self, competence: Competence, text: str) -> int | None:
        """The level a cell names, by number ("3", or "3,0" as Excel may write it) or name."""
        if competence.scale_id is None:
            if text:
                raise InvalidValue(LEVEL_NOT_WANTED)
            return None
        key = text.casefold()
        if NUMBER.fullmatch(text):
            key = str(parse_whole_number(text))
        names = self.by_scale.get(competence.scale_id, {})
        if key in names:
            return names[key]
        raise InvalidValue(self.missing(competence) if not text else self.wrong(competence))

    def missing(self, competence: Competence):
        return lazy_message(
            _("Give a level of the scale %(scale)s: %(levels)s."),
            scale=competence.scale.display_name,
            levels=", ".join(self.shown.get(competence.scale_id, [])),
        )

    def wrong(self, competence: Competence):
        return lazy_message(
            _("Not a level of the scale %(scale)s. The levels are: %(levels)s."),
            scale=competence.scale.display_name,
            levels=", ".join(self.shown.get(competence.scale_id, [])),
        )


@register
class RequirementsImporter(Importer):
    kind = "requirements"
    fields = FIELDS
    label = _("Requirements")
    description = _(
        "One row per requirement: competence code, job role and/or unit code, mandatory or "
        "desired, level, legal basis and grace period for new hires. Creates and updates "
        "requirements; never deletes them."
    )
    nouns = {"requirements": _("Requirements")}
    exportable = True

    def plan(self) -> Plan:
        self.warnings: list[Problem] = []
        if self.options.full_sync:
            self.problems.append(
                Problem(
                    message=_(
                        "Full sync is not available for requirements: the import never deletes "
                        "requirements. Delete them on the unit's or the job role's page."
                    )
                )
            )
        if not (self.has("job_role") or self.has("unit_code")):
            self.problems.append(
                Problem(
                    message=_(
                        "The file needs a Stillingskode column, an Enhetskode column or both."
                    )
                )
            )
            return self._plan_of(set(), [], [])
        self.competences = {
            competence.code: competence for competence in Competence.objects.select_related("scale")
        }
        self.roles = RoleIndex(JobRole.objects.all())
        self.units = {
            unit.code: unit for unit in OrgUnit.objects.only("id", "code", "name", "path")
        }
        self.root_codes = {unit.pk: unit.code for unit in self.units.values() if not unit.depth}
        self.levels = Levels()
        existing = {
            (requirement.competence_id, requirement.job_role_id, requirement.unit_id): requirement
            for requirement in Requirement.objects.select_related("competence", "job_role", "unit")
        }
        seen: dict[tuple, int] = {}
        creates: list[tuple[Requirement, int]] = []
        updates: list[tuple[Requirement, dict, int]] = []
        roots: set[str] = set()
        for row in self.table.rows:
            read = self._read(row, roots)
            if read is None:
                continue
            key, values = read
            if key in seen:
                self.report(
                    row,
                    "competence_code",
                    lazy_message(
                        _("The same requirement (competence and holder) is on row %(row)d."),
                        row=seen[key],
                    ),
                )
                continue
            seen[key] = row.number
            self._plan_row(row, key, values, existing, creates, updates)
        return self._plan_of(roots, creates, updates)

    # Reading rows

    def _read(self, row: Row, roots: set[str]):
        problems_before = len(self.problems)
        self.problems.extend(self.length_problems(row))
        competence = self._competence(row)
        role = self._role(row)
        unit = self._unit(row, roots)
        if not self.cell(row, "job_role") and not self.cell(row, "unit_code"):
            self.problems.append(Problem(row=row.number, message=NO_HOLDER))
        values = {}
        if self.has("kind"):
            word = normalise(self.cell(row, "kind"))
            values["kind"] = KINDS.get(word, RequirementKind.MANDATORY if not word else None)
            if values["kind"] is None:
                self.report(row, "kind", UNKNOWN_KIND)
        if competence is not None and self.has("level"):
            values["level"] = self.parse(
                row, "level", lambda text: self.levels.read(competence, text)
            )
        if self.has("legal_basis"):
            values["legal_basis"] = self.cell(row, "legal_basis")
        if self.has("grace_days"):
            values["grace_days"] = self.parse(row, "grace_days", parse_whole_number)
        if len(self.problems) > problems_before or competence is None:
            return None
        return (competence, role, unit), values

    def _competence(self, row: Row) -> Competence | None:
        code = self.cell(row, "competence_code")
        if not code:
            self.report(row, "competence_code", MISSING_COMPETENCE)
            return None
        competence = self.competences.get(code)
        if competence is None:
            self.report(row, "competence_code", UNKNOWN_COMPETENCE)
        return competence

    def _role(self, row: Row) -> JobRole | None:
        text = self.cell(row, "job_role")
        if not text:
            return None
        found = self.roles.matches(text)
        if len(found) == 1:
            return found[0]
        if not found:
            self.report(row, "job_role", UNKNOWN_ROLE)
        else:
            self.report(
                row,
                "job_role",
                lazy_message(
                    _(
                        "Several job roles have this code: %(roles)s. Write the 7-digit "
                        "occupation code or the name of the job role."
                    ),
                    roles=", ".join(sorted(role.name for role in found)),
                ),
            )
        return None

    def _unit(self, row: Row, roots: set[str]) -> OrgUnit | None:
        code = self.cell(row, "unit_code")
        allowed = self.options.allowed_roots
        if not code:
            return None
        unit = self.units.get(code)
        if unit is None:
            self.report(row, "unit_code", UNKNOWN_UNIT)
            return None
        root = self.root_codes[(unit.ancestor_ids or [unit.pk])[0]]
        if allowed is not None and root not in allowed:
            self.report(
                row,
                "unit_code",
                lazy_message(
                    _(
                        "The unit belongs to the organisation %(root)s, which you may not "
                        "import into."
                    ),
                    root=root,
                ),
            )
            return None
        roots.add(root)
        return unit

    # Planning and writing

    def _plan_row(self, row, key, values, existing, creates, updates) -> None:
        competence, role, unit = key
        requirement = existing.get((competence.pk, role and role.pk, unit and unit.pk))
        if requirement is None:
            if values.get("level") is None and competence.scale_id is not None:
                self.problems.append(
                    Problem(
                        row=row.number,
                        column=self.header("level"),
                        value=self.cell(row, "level"),
                        message=self.levels.missing(competence),
                    )
                )
                return
            requirement = Requirement(competence=competence, job_role=role, unit=unit, **values)
            creates.append((requirement, row.number))
            if not competence.is_active:
                self.warnings.append(
                    Problem(
                        row=row.number,
                        column=self.header("competence_code"),
                        value=competence.code,
                        message=NOT_IN_USE,
                    )
                )
            return
        changes = {
            name: [getattr(requirement, name), value]
            for name, value in values.items()
            if getattr(requirement, name) != value
        }
        if changes:
            updates.append((requirement, changes, row.number))

    def _plan_of(self, roots, creates, updates) -> Plan:
        def write(log):
            Requirement.objects.bulk_create([requirement for requirement, _row in creates])
            for requirement, row in creates:
                values = {name: getattr(requirement, name) for name in LOGGED_FIELDS}
                log.record("create", requirement, values, row)
            for requirement, changes, row in updates:
                for name, (_before, value) in changes.items():
                    setattr(requirement, name, value)
                log.record("update", requirement, changes, row)
            fields = sorted({name for _item, changes, _row in updates for name in changes})
            if fields:
                Requirement.objects.bulk_update([item for item, _c, _r in updates], fields)

        counts = {"requirements": {"create": len(creates), "update": len(updates)}}
        problems = sorted(self.problems, key=lambda problem: problem.row or 0)
        return Plan(counts, problems, self.warnings, [], write, roots)

    # Export

    @classmethod
    def may_export(cls, visibility) -> bool:
        """Requirements are not personal data: anyone signed in may take out those they see."""
        return cls.exportable

    @classmethod
    def export_rows(cls, visibility):
        """Every requirement for administrators; for others the job roles' own ones and those
        of the units they may open."""
        requirements = Requirement.objects.select_related("competence", "job_role", "unit")
        if not visibility.is_admin:
            requirements = requirements.filter(
                Q(unit__isnull=True) | Q(unit__in=visibility.units())
            )
        roles = RoleIndex(JobRole.objects.all())
        for requirement in requirements.order_by("competence__code", "pk"):
            yield [
                requirement.competence.code,
                roles.key(requirement.job_role) if requirement.job_role else "",
                requirement.unit.code if requirement.unit else "",
                KIND_WORDS[requirement.kind][0],
                requirement.level,
                requirement.legal_basis,
                requirement.grace_days,
            ]
