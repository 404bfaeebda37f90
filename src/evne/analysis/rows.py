"""Coverage as one row per competence of a unit's whole subtree: the table `evne coverage`
writes and `/api/coverage/` answers, so the two always agree.

Mandatory requirements come first; the desired ones only when asked for, as rows of their own.
Coverage is a share from 0 to 1 with four decimals (0.75 is 75 %), None when nothing applies or
when the figure is suppressed for the viewer.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from evne.analysis.engine import Cell, Options, Status, coverage_for
from evne.competence.models import Competence, RequirementKind
from evne.core.exports import Table
from evne.core.visibility import ADMINISTRATOR, Visibility
from evne.organization.models import OrgUnit

COUNTED = tuple(Status)  # in the engine's order, the first status that holds first
# Machine names of the columns (JSON and the API), in the order of the table.
FIELDS = ("unit_code", "competence_code", "applicable", *(s.value for s in COUNTED), "coverage")
HEADERS = (
    _("Unit code"),
    _("Competence code"),
    _("Applicable"),
    *(status.label for status in COUNTED),
    _("Coverage"),
)
REQUIREMENT_FIELD = "requirement"
REQUIREMENT_HEADER = _("Requirement")
SHARE = Decimal("0.0001")
# The engine adds the expiry window to the reference date, and SQLite compares dates as text:
# a date far from today is a typing error, not a question.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2199, 12, 31)
OUT_OF_RANGE = _("The reference date must be between 01.01.1900 and 31.12.2199.")


def in_range(on: datetime.date) -> bool:
    return EARLIEST <= on <= LATEST


def share(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(SHARE).normalize()


@dataclass(frozen=True)
class CoverageRow:
    unit: OrgUnit
    competence: Competence
    mandatory: bool
    cell: Cell

    @property
    def requirement(self) -> str:
        return (RequirementKind.MANDATORY if self.mandatory else RequirementKind.DESIRED).value

    def counts(self) -> dict[str, int | None]:
        """Applicable and each status's count; all None when suppressed."""
        tally = self.cell.shown
        found = {"applicable": tally.applicable if tally else None}
        for status in COUNTED:
            found[status.value] = tally[status] if tally else None
        return found

    @property
    def coverage(self) -> Decimal | None:
        tally = self.cell.shown
        return share(tally.coverage) if tally else None

    @property
    def fte_coverage(self) -> Decimal | None:
        tally = self.cell.shown
        return share(tally.fte_coverage) if tally else None

    def values(self, *, include_requirement: bool) -> list:
        found = [self.unit.code, self.competence.code, *self.counts().values(), self.coverage]
        if include_requirement:
            found.append(self.requirement)
        return found


def coverage_rows(
    unit: OrgUnit,
    *,
    on: datetime.date | None = None,
    include_desired: bool = False,
    visibility: Visibility = ADMINISTRATOR,
) -> list[CoverageRow]:
    """The rows of `unit`'s subtree on `on`: mandatory requirements by competence code, then
    (when asked for) the desired ones. Raises PermissionDenied like the engine."""
    coverage = coverage_for(
        unit,
        on=on,
        options=Options(mandatory_only=not include_desired),
        visibility=visibility,
    )
    kinds = (True, False) if include_desired else (True,)
    return [
        CoverageRow(unit, competence, mandatory, coverage.cell(unit, competence, mandatory))
        for mandatory in kinds
        for competence in sorted(
            coverage.competences_in(unit, mandatory), key=lambda each: each.code
        )
    ]


def coverage_table(rows: list[CoverageRow], *, include_requirement: bool) -> Table:
    headers = [*HEADERS, REQUIREMENT_HEADER] if include_requirement else list(HEADERS)
    return Table(
        title=_("Coverage"),
        headers=[str(header) for header in headers],
        rows=[row.values(include_requirement=include_requirement) for row in rows],
    )


def coverage_records(rows: list[CoverageRow], *, include_requirement: bool) -> list[dict]:
    """The rows as plain values for JSON: coverage as a number, not a Decimal."""
    fields = [*FIELDS, REQUIREMENT_FIELD] if include_requirement else list(FIELDS)
    records = []
    for row in rows:
        values = row.values(include_requirement=include_requirement)
        record = dict(zip(fields, values, strict=True))
        if record["coverage"] is not None:
            record["coverage"] = float(record["coverage"])
        records.append(record)
    return records
