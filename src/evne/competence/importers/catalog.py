"""`evne import catalog`: the competence catalog (kompetansekatalog), one row per competence.

Rows are matched by code. Areas are written as a path ("Helse og omsorg > Demens og
miljøbehandling") and created when new; a scale is named, or given as a range such as "1–4".
The export writes the same columns, so a catalog can be kept in Excel and read back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evne.competence.models import (
    Competence,
    CompetenceArea,
    CompetenceKind,
    ProficiencyScale,
    ScaleLevel,
)
from evne.core.imports.headers import Field, normalise
from evne.core.imports.pipeline import Importer, Plan, register
from evne.core.imports.problems import Problem, lazy_message
from evne.core.imports.values import InvalidValue, parse_whole_number, parse_yes_no

AREA_SEPARATOR = " > "
CODE_SEPARATOR = re.compile(r"[,;]")
SCALE_RANGE = re.compile(r"(\d{1,2})\s*[-–—]\s*(\d{1,2})")
MAX_RANGE_LEVELS = 10
NUS_CODE = re.compile(r"\d{1,10}")
AREA_NAME_LENGTH = CompetenceArea._meta.get_field("name").max_length

FIELDS = [
    Field("code", ("Kode", "Kompetansekode", "Code", "Competence code"), True, max_length=50),
    Field("name", ("Navn", "Kompetanse", "Name", "Competence"), True, max_length=200),
    Field(
        "name_en",
        ("Navn (engelsk)", "Engelsk navn", "Name (English)", "English name"),
        max_length=200,
    ),
    Field("area", ("Område", "Kompetanseområde", "Area", "Competence area")),
    Field("area_en", ("Område (engelsk)", "Area (English)", "English area")),
    Field("kind", ("Type", "Kompetansetype", "Kind", "Competence kind"), True),
    Field("scale", ("Skala", "Ferdighetsskala", "Scale", "Proficiency scale")),
    Field(
        "validity_months",
        ("Gyldighet (måneder)", "Gyldighet", "Gyldig (måneder)", "Validity (months)", "Validity"),
    ),
    Field("required_by_law", ("Lovpålagt", "Lovkrav", "Required by law")),
    Field("legal_reference", ("Hjemmel", "Lovhjemmel", "Legal reference"), max_length=300),
    Field("nus_code", ("NUS", "NUS-kode", "NUS code"), max_length=10),
    Field("esco_uri", ("ESCO", "ESCO-URI", "ESCO URI"), max_length=300),
    Field("implies", ("Impliserer", "Dekker også", "Implies")),
    Field("description", ("Beskrivelse", "Description")),
    Field("is_active", ("I bruk", "Aktiv", "In use", "Active")),
]

# The Type column's names: the Norwegian one first (the export writes it), then English ones.
KIND_NAMES = {
    CompetenceKind.FORMAL_EDUCATION: ("formell utdanning", "formal education"),
    CompetenceKind.FURTHER_EDUCATION: ("videreutdanning", "further education"),
    CompetenceKind.TRADE_CERTIFICATE: ("fagbrev", "trade certificate", "svennebrev"),
    CompetenceKind.CERTIFICATION: (
        "sertifisering",
        "certification",
        "certification or authorisation",
        "autorisasjon",
    ),
    CompetenceKind.COURSE: ("kurs", "course", "etterutdanning"),
    CompetenceKind.INFORMAL: ("uformell", "informal", "informal learning", "uformell læring"),
    CompetenceKind.DIGITAL: ("digital", "digital competence", "digital kompetanse"),
    CompetenceKind.LANGUAGE: ("språk", "language"),
    CompetenceKind.BASIC_SKILL: ("grunnleggende ferdighet", "basic skill"),
    CompetenceKind.SOCIAL_EMOTIONAL: (
        "sosial og emosjonell",
        "social and emotional",
        "social and emotional skill",
        "sosial og emosjonell ferdighet",
    ),
    CompetenceKind.TACIT: ("taus kompetanse", "tacit", "tacit competence"),
    CompetenceKind.PRIOR_LEARNING: (
        "realkompetanse",
        "prior learning",
        "prior learning (realkompetanse)",
    ),
}
KINDS_BY_NAME = {
    normalise(name): kind
    for kind, names in KIND_NAMES.items()
    for name in (*names, kind.value, str(kind.label))
}
# The plain fields of a competence, compared and written as they are.
PLAIN_FIELDS = [
    "name",
    "name_en",
    "kind",
    "validity_months",
    "required_by_law",
    "legal_reference",
    "nus_code",
    "esco_uri",
    "description",
    "is_active",
]


def kind_name(kind: str) -> str:
    """The Norwegian name of a kind, as the Type column has it."""
    return KIND_NAMES[CompetenceKind(kind)][0]


def area_path(area: CompetenceArea | None, english: bool = False) -> str:
    """The area with its parents, "Helse og omsorg > Demens og miljøbehandling"."""
    names = []
    while area is not None:
        names.append(area.name_en if english else area.name)
        area = area.parent
    if english and not any(names):
        return ""
    return AREA_SEPARATOR.join(reversed(names))


@dataclass
class CompetenceRow:
    row: int
    code: str
    values: dict  # field name to value, for the plain fields whose column the file has
    area: str | None  # the name of the competence's area ("" for none); None: no column
    scale: str | None  # the key of `ScalePlan.scales` ("" for have/not); None: no column
    implies: list[str] | None  # codes; None: no column


class AreaPlan:
    """The areas a file names: which are new, and which get a new parent or English name.

    A path names an area and, when it has more than one part, the parents above it; a single
    name leaves an existing area where it is.
    """

    def __init__(self):
        self.existing = {area.name.casefold(): area for area in CompetenceArea.objects.all()}
        by_pk = {area.pk: key for key, area in self.existing.items()}
        self.parents = {key: by_pk.get(area.parent_id) for key, area in self.existing.items()}
        self.names: dict[str, str] = {}  # key to the name as the file first writes it
        self.names_en: dict[str, str] = {}  # key to the English name the file gives
        self.given_parents: dict[str, str] = {}  # key to the parent's key the file gives
        self.rows: dict[str, int] = {}  # the first row that names each area

    def describe(self, path: str, path_en: str, row: int):
        """Take in one row's area path; return its problems as (field name, message) pairs
        and the key of the competence's area (None when the path cannot be read)."""
        names = [name.strip() for name in path.split(AREA_SEPARATOR.strip())]
        names_en = [name.strip() for name in path_en.split(AREA_SEPARATOR.strip())]
        if not path_en:
            names_en = [""] * len(names)
        if not all(names):
            return [("area", _("An area name in the path is empty."))], None
        if len(names_en) != len(names):
            message = _("Give as many English area names as Norwegian ones, in the same order.")
            return [("area_en", message)], None
        if any(len(name) > AREA_NAME_LENGTH for name in [*names, *names_en]):
            message = lazy_message(
                _("An area name may have at most %(limit)d characters."), limit=AREA_NAME_LENGTH
            )
            return [("area", message)], None
        problems = []
        parent = None
        for name, name_en in zip(names, names_en, strict=True):
            key = name.casefold()
            self.rows.setdefault(key, row)
            self.names.setdefault(key, name)
            if name_en and self.names_en.setdefault(key, name_en) != name_en:
                message = lazy_message(
                    _("The area '%(area)s' is given two English names in the file."), area=name
                )
                problems.append(("area_en", message))
            if parent is not None and self.given_parents.setdefault(key, parent) != parent:
                message = lazy_message(
                    _("The area '%(area)s' is placed under two different areas in the file."),
                    area=name,
                )
                problems.append(("area", message))
            parent = key
        return problems, parent

    def finish(self) -> list[tuple[int, Promise]]:
        """Plan the changes; return the rows and messages of areas the file would place
        under themselves."""
        self.new = [key for key in self.names if key not in self.existing]
        self.changes: dict[str, dict] = {}
        for key in self.names:
            area = self.existing.get(key)
            if area is None:
                continue
            changes = {}
            name_en = self.names_en.get(key)
            if name_en and name_en != area.name_en:
                changes["name_en"] = [area.name_en, name_en]
            parent = self.given_parents.get(key)
            if parent and parent != self.parents[key]:
                changes["parent"] = [self.name_of(self.parents[key]), self.name_of(parent)]
            if changes:
                self.changes[key] = changes
        self.parents.update(self.given_parents)
        problems = []
        for key in self.names:
            seen = [key]
            parent = self.parents.get(key)
            while parent is not None and parent not in seen:
                seen.append(parent)
                parent = self.parents.get(parent)
            if parent == key:
                cycle = AREA_SEPARATOR.join(
                    self.name_of(name) for name in [key, *reversed(seen[1:]), key]
                )
                message = lazy_message(_("The areas would form a cycle: %(cycle)s."), cycle=cycle)
                problems.append((self.rows[key], message))
        return problems

    def name_of(self, key: str | None) -> str:
        if key is None:
            return ""
        return self.existing[key].name if key in self.existing else self.names[key]

    def counts(self) -> dict[str, int]:
        return {"create": len(self.new), "update": len(self.changes)}

    def write(self, log) -> dict[str, CompetenceArea]:
        """Create and change the areas; return every area by key."""
        areas = dict(self.existing)
        for key in self.new:
            areas[key] = CompetenceArea.objects.create(
                name=self.names[key], name_en=self.names_en.get(key, "")
            )
        for key in self.new:
            area = areas[key]
            if parent := self.given_parents.get(key):
                area.parent = areas[parent]
                area.save(update_fields=["parent"])
            values = {"name": area.name, "name_en": area.name_en, "parent": self.name_of(parent)}
            log.record("create", area, values, self.rows[key])
        for key, changes in self.changes.items():
            area = areas[key]
            if "name_en" in changes:
                area.name_en = self.names_en[key]
            if "parent" in changes:
                area.parent = areas[self.given_parents[key]]
            area.save()
            log.record("update", area, changes, self.rows[key])
        return areas


class ScalePlan:
    """The scales a file names: existing ones by name (either language), and ranges."""

    def __init__(self):
        self.scales = {}  # the Skala text (casefolded) to an existing scale or a new range
        self.by_name = {}
        self.by_levels = {}
        for scale in ProficiencyScale.objects.prefetch_related("levels").order_by("pk"):
            for name in (scale.name, scale.name_en):
                if name:
                    self.by_name.setdefault(name.casefold(), scale)
            values = tuple(level.value for level in scale.levels.all())
            self.by_levels.setdefault(values, scale)
        self.new: dict[str, tuple[int, int]] = {}  # the new scale's name to its range
        self.rows: dict[str, int] = {}

    def find(self, text: str, row: int) -> str:
        """The key of the scale named by `text`; raises InvalidValue."""
        key = text.casefold()
        if key in self.by_name:
            self.scales[key] = self.by_name[key]
            return key
        match = SCALE_RANGE.fullmatch(text)
        if match is None:
            raise InvalidValue(
                _("No scale has this name. Write a scale's name or a range such as 1–4.")
            )
        low, high = int(match[1]), int(match[2])
        if low >= high or high - low + 1 > MAX_RANGE_LEVELS:
            raise InvalidValue(
                lazy_message(
                    _("A range goes from low to high, with at most %(count)d levels."),
                    count=MAX_RANGE_LEVELS,
                )
            )
        values = tuple(range(low, high + 1))
        if values in self.by_levels:
            self.scales[key] = self.by_levels[values]
            return key
        name = f"{low}–{high}"
        if name.casefold() in self.by_name:
            raise InvalidValue(
                lazy_message(
                    _("The scale '%(name)s' exists with other levels; write its name instead."),
                    name=name,
                )
            )
        self.new[name] = (low, high)
        self.rows.setdefault(name, row)
        self.scales[key] = name
        return key

    def write(self, log) -> dict:
        created = {}
        for name, (low, high) in self.new.items():
            scale = ProficiencyScale.objects.create(name=name, name_en=name)
            ScaleLevel.objects.bulk_create(
                ScaleLevel(scale=scale, value=value, name=str(value), name_en=str(value))
                for value in range(low, high + 1)
            )
            log.record("create", scale, {"name": name, "levels": name}, self.rows[name])
            created[name] = scale
        return {
            key: created[scale] if isinstance(scale, str) else scale
            for key, scale in self.scales.items()
        }


@register
class CatalogImporter(Importer):
    kind = "catalog"
    fields = FIELDS
    label = _("Competence catalog")
    description = _(
        "One row per competence: code, names, area, kind, scale, validity, whether the law "
        "requires it, and what it implies. Creates and updates competences, areas and scales."
    )
    nouns = {
        "competences": _("Competences"),
        "areas": _("Competence areas"),
        "scales": _("Proficiency scales"),
    }
    exportable = True

    @classmethod
    def may_export(cls, visibility) -> bool:
        """The catalog holds no personal data: everyone signed in may have it."""
        return True

    @classmethod
    def export_rows(cls, visibility):
        competences = Competence.objects.select_related("scale").prefetch_related("implies")
        areas = CompetenceArea.objects.in_bulk()
        for area in areas.values():
            area.parent = areas.get(area.parent_id)
        for competence in competences.order_by("code"):
            area = areas.get(competence.area_id)
            yield [
                competence.code,
                competence.name,
                competence.name_en,
                area_path(area),
                area_path(area, english=True),
                kind_name(competence.kind),
                competence.scale.name if competence.scale else "",
                competence.validity_months,
                competence.required_by_law,
                competence.legal_reference,
                competence.nus_code,
                competence.esco_uri,
                ", ".join(sorted(other.code for other in competence.implies.all())),
                competence.description,
                competence.is_active,
            ]

    def plan(self) -> Plan:
        self.warnings: list[Problem] = []
        existing = {
            competence.code.casefold(): competence
            for competence in Competence.objects.prefetch_related("implies").select_related(
                "area", "scale"
            )
        }
        self.areas = AreaPlan()
        self.scales = ScalePlan()
        rows: list[CompetenceRow] = []
        seen: dict[str, int] = {}
        for row in self.table.rows:
            self.problems.extend(self.length_problems(row))
            spec = self._read(row)
            if spec is None:
                continue
            if spec.code.casefold() in seen:
                self.report(row, "code", _("This competence is in the file twice."))
                continue
            seen[spec.code.casefold()] = row.number
            rows.append(spec)
        for row_number, message in self.areas.finish():
            self.problems.append(
                Problem(row=row_number, column=self.header("area"), message=message)
            )
        known = set(existing) | set(seen)
        for spec in rows:
            for code in spec.implies or []:
                if code.casefold() not in known:
                    self.problems.append(
                        Problem(
                            row=spec.row,
                            column=self.header("implies"),
                            value=code,
                            message=_("No competence has this code, in the file or in Evne."),
                        )
                    )
        creates, updates = self._changes(rows, existing)
        self.problems.sort(key=lambda problem: problem.row or 0)

        def write(log):
            self._write(log, rows, existing, creates, updates)

        counts = {
            "competences": {"create": len(creates), "update": len(updates)},
            "areas": self.areas.counts(),
            "scales": {"create": len(self.scales.new)},
        }
        return Plan(counts, self.problems, self.warnings, [], write)

    def _read(self, row) -> CompetenceRow | None:
        code = self.cell(row, "code")
        if not code:
            self.report(row, "code", _("The code is missing."))
            return None
        values = {}
        for name in ("name", "name_en", "legal_reference", "nus_code", "esco_uri", "description"):
            if self.has(name):
                values[name] = self.cell(row, name)
        if not values["name"]:
            self.report(row, "name", _("The name is missing."))
        kind = KINDS_BY_NAME.get(normalise(self.cell(row, "kind")))
        if kind is None:
            self.report(
                row,
                "kind",
                lazy_message(
                    _("Unknown type. Accepted: %(kinds)s."),
                    kinds=", ".join(names[0] for names in KIND_NAMES.values()),
                ),
            )
        values["kind"] = kind
        self._parse(row, "validity_months", values, self._months)
        self._parse(row, "required_by_law", values, lambda text: bool(parse_yes_no(text)))
        self._parse(row, "is_active", values, parse_yes_no)
        if values.get("is_active") is None:
            values.pop("is_active", None)
        if values.get("nus_code") and not NUS_CODE.fullmatch(values["nus_code"]):
            self.report(row, "nus_code", _("A NUS code has digits only, such as 665101."))
        if values.get("esco_uri"):
            try:
                URLValidator(schemes=["http", "https"])(values["esco_uri"])
            except ValidationError:
                self.report(row, "esco_uri", _("Not a web address (URI)."))
        if values.get("required_by_law") and not values.get("legal_reference"):
            self.warnings.append(
                Problem(
                    row=row.number,
                    column=self.header("required_by_law"),
                    message=_("Required by law, but no legal reference (hjemmel) is given."),
                )
            )
        area = self._area(row) if self.has("area") else None
        scale = None
        if self.has("scale"):
            scale = ""
            if text := self.cell(row, "scale"):
                try:
                    scale = self.scales.find(text, row.number)
                except InvalidValue as error:
                    self.report(row, "scale", error.message)
        implies = None
        if self.has("implies"):
            implies = list(
                dict.fromkeys(
                    code.strip()
                    for code in CODE_SEPARATOR.split(self.cell(row, "implies"))
                    if code.strip()
                )
            )
            if code.casefold() in {other.casefold() for other in implies}:
                self.report(row, "implies", _("A competence cannot imply itself."))
        return CompetenceRow(row.number, code, values, area, scale, implies)

    def _area(self, row) -> str:
        path = self.cell(row, "area")
        if not path:
            if self.cell(row, "area_en"):
                self.report(row, "area_en", _("An English area name needs the area's name."))
            return ""
        problems, key = self.areas.describe(path, self.cell(row, "area_en"), row.number)
        for field_name, message in problems:
            self.report(row, field_name, message)
        return key or ""

    @staticmethod
    def _months(text: str) -> int | None:
        months = parse_whole_number(text, maximum=1200)
        if months == 0:
            raise InvalidValue(_("Write the number of months it is valid, or leave it empty."))
        return months

    def _parse(self, row, field_name, values, parser) -> None:
        if not self.has(field_name):
            return
        try:
            values[field_name] = parser(self.cell(row, field_name))
        except InvalidValue as error:
            self.report(row, field_name, error.message)

    def _changes(self, rows, existing):
        """The rows that create a competence, and {row: changes} for those that change one."""
        creates, updates = [], {}
        for spec in rows:
            competence = existing.get(spec.code.casefold())
            if competence is None:
                creates.append(spec)
                continue
            changes = {
                name: [getattr(competence, name), value]
                for name, value in spec.values.items()
                if getattr(competence, name) != value
            }
            if spec.area is not None:
                before = competence.area.name.casefold() if competence.area else ""
                if before != spec.area:
                    after = self.areas.name_of(spec.area or None)
                    changes["area"] = [competence.area.name if competence.area else "", after]
            if spec.scale is not None:
                scale = self.scales.scales.get(spec.scale) if spec.scale else None
                if isinstance(scale, str) or scale != competence.scale:
                    after = scale if isinstance(scale, str) else (scale.name if scale else "")
                    changes["scale"] = [competence.scale.name if competence.scale else "", after]
            if spec.implies is not None:
                before = sorted(other.code for other in competence.implies.all())
                after = sorted(self._codes(spec.implies, existing))
                if [code.casefold() for code in before] != [code.casefold() for code in after]:
                    changes["implies"] = [before, after]
            if changes:
                updates[spec.row] = changes
        return creates, updates

    @staticmethod
    def _codes(codes, existing):
        """Codes as Evne spells them when it has them."""
        return [
            existing[code.casefold()].code if code.casefold() in existing else code
            for code in codes
        ]

    def _write(self, log, rows, existing, creates, updates) -> None:
        scales = self.scales.write(log)
        areas = self.areas.write(log)
        competences = dict(existing)
        created = set()
        for spec in creates:
            competence = Competence(code=spec.code, **spec.values)
            competence.area = areas.get(spec.area) if spec.area else None
            competence.scale = scales.get(spec.scale) if spec.scale else None
            competence.save()
            competences[spec.code.casefold()] = competence
            created.add(spec.row)
            values = self._created(competence)
            values["implies"] = self._codes(spec.implies or [], existing)
            log.record("create", competence, values, spec.row)
        for spec in rows:
            if spec.row not in updates:
                continue
            competence = competences[spec.code.casefold()]
            changes = updates[spec.row]
            for name in PLAIN_FIELDS:
                if name in changes:
                    setattr(competence, name, spec.values[name])
            if "area" in changes:
                competence.area = areas.get(spec.area) if spec.area else None
            if "scale" in changes:
                competence.scale = scales.get(spec.scale) if spec.scale else None
            competence.save()
            log.record("update", competence, changes, spec.row)
        # Last, so that a competence may imply one further down the file.
        for spec in rows:
            if "implies" in updates.get(spec.row, {}) or (spec.row in created and spec.implies):
                competences[spec.code.casefold()].implies.set(
                    [competences[code.casefold()] for code in spec.implies]
                )

    @staticmethod
    def _created(competence) -> dict:
        values = {name: getattr(competence, name) for name in PLAIN_FIELDS}
        values["area"] = competence.area.name if competence.area else ""
        values["scale"] = competence.scale.name if competence.scale else ""
        return values
