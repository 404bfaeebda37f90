"""The coverage matrix: a unit's subtree by competence, one row for the unit's total and one for
each unit below it, with drill-down to those units and, for users who may see them, to the
people and each one's status."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from evne.analysis.engine import Assessment, Cell, Status, assessments_in, coverage_for
from evne.analysis.forms import CoverageFilterForm, export_format
from evne.core.exports import Table, export_response
from evne.core.freshness import cached_until_data_changes
from evne.core.visibility import Detail, visibility_for
from evne.organization.models import OrgUnit
from evne.organization.queries import build_tree

PEOPLE_PER_PAGE = 50
# Lower bounds of the heatmap's bands, in whole per cent, weakest band first.
BANDS = (0, 50, 80, 95)
# The tables' status columns follow the engine's order: covered first, then from the nearest
# to the furthest from covered.
STATUS_ORDER = tuple(Status)
# Indents the unit select's options by depth; non-breaking so the browser keeps them.
INDENT = "\xa0\xa0\xa0"


def percent(share: float | None) -> int | None:
    """A share as whole per cent, rounded down: 99.5 % of people covered is not 100 %."""
    if share is None:
        return None
    # The small margin keeps 0.29 * 100 (28.999…) at 29.
    return math.floor(share * 100 + 1e-9)


@dataclass(frozen=True)
class Figure:
    """A cell as the coverage screens show it: the share covered, weighted by headcount or by
    FTE, with the figures behind it, or nothing when it is suppressed or nothing applies."""

    cell: Cell
    by_fte: bool = False

    @property
    def suppressed(self) -> bool:
        return self.cell.suppressed

    @property
    def applies(self) -> bool:
        return self.cell.tally.applicable > 0

    @property
    def covered(self) -> float:
        tally = self.cell.tally
        if self.by_fte:
            return tally.fte[Status.MET] + tally.fte[Status.EXPIRING]
        return tally.covered

    @property
    def applicable(self) -> float:
        tally = self.cell.tally
        return tally.fte_applicable if self.by_fte else tally.applicable

    @property
    def percent(self) -> int | None:
        if self.suppressed:
            return None
        tally = self.cell.tally
        return percent(tally.fte_coverage if self.by_fte else tally.coverage)

    @property
    def fte_percent(self) -> int | None:
        return None if self.suppressed else percent(self.cell.tally.fte_coverage)

    @property
    def counts(self) -> list[int]:
        """The number of requirements with each status, in the tables' order."""
        return [self.cell.tally[status] for status in STATUS_ORDER]

    @property
    def band(self) -> int | None:
        """The heatmap band (0 the weakest), None when there is no figure to colour."""
        value = self.percent
        if value is None:
            return None
        return max(index for index, bound in enumerate(BANDS) if value >= bound)


def unit_choices(visibility) -> tuple[list[tuple[OrgUnit, str]], list[OrgUnit]]:
    """The units the user may open, in tree order, each with its label for a select (indented
    by depth), and the user's top units (those with no visible unit above them), by name."""
    units = list(visibility.units().order_by("name"))
    tree = build_tree(units)
    ordered: list[tuple[OrgUnit, str]] = []

    def walk(nodes, depth):
        for node in nodes:
            ordered.append((node.unit, INDENT * depth + node.unit.name))
            walk(node.children, depth + 1)

    walk(tree, 0)
    return ordered, [node.unit for node in tree]


def chosen(request, name: str, candidates: dict, default):
    """The candidate named by the GET parameter `name`, the default without one; an unknown
    value is a page that does not exist (it may be a unit the user may not see)."""
    value = request.GET.get(name)
    if not value:
        return default
    try:
        return candidates[int(value)]
    except (ValueError, KeyError):
        raise Http404 from None


def breadcrumbs(unit: OrgUnit, visible: dict[int, OrgUnit]) -> list[OrgUnit]:
    """The visible units above `unit`, from the top down."""
    return [visible[pk] for pk in unit.ancestor_ids if pk in visible]


def texts(*values) -> list[str]:
    """Translated texts made final: the XLSX writer refuses lazy translations."""
    return [str(value) for value in values]


def tally_columns() -> list[str]:
    return texts(
        _("Applicable"),
        *(status.label for status in STATUS_ORDER),
        _("Coverage %"),
        _("FTE coverage %"),
    )


def tally_values(cell: Cell) -> list:
    """The figures of a cell for an export row; empty when suppressed."""
    tally = cell.shown
    if tally is None:
        return [None] * (len(STATUS_ORDER) + 3)
    return [
        tally.applicable,
        *(tally[status] for status in STATUS_ORDER),
        percent(tally.coverage),
        percent(tally.fte_coverage),
    ]


@cached_until_data_changes
def coverage_matrix(request):
    visibility = visibility_for(request.user)
    options, tops = unit_choices(visibility)
    if not tops:
        raise Http404
    visible = {unit.pk: unit for unit, _label in options}
    unit = chosen(request, "unit", visible, tops[0])
    form = CoverageFilterForm.from_request(request)
    by_fte = request.GET.get("weight") == "fte"
    coverage = coverage_for(
        unit, on=form.reference_date, options=form.options(), visibility=visibility
    )
    competences = coverage.competences_in(unit)
    # Units below that the user may not open are left out rather than shown as empty rows.
    children = [child for child in coverage.children(unit) if child.pk in visible]
    rows = [
        (
            row_unit,
            Figure(coverage.cell(row_unit), by_fte),
            [Figure(coverage.cell(row_unit, competence), by_fte) for competence in competences],
        )
        for row_unit in [unit, *children]
    ]

    file_format = export_format(request)
    if file_format:
        long = Table(
            _("Coverage"),
            texts(_("Unit code"), _("Unit"), _("Competence"), *tally_columns(), _("Suppressed")),
            [
                [row_unit.code, row_unit.name, competence.display_name]
                + tally_values(figure.cell)
                + [figure.suppressed]
                for row_unit, _total, figures in rows
                for competence, figure in zip(competences, figures, strict=True)
                if figure.applies
            ],
        )
        wide = Table(
            _("Matrix"),
            [
                *texts(_("Unit code"), _("Unit"), _("All requirements")),
                *(c.display_name for c in competences),
            ],
            [
                [row_unit.code, row_unit.name, total.percent] + [f.percent for f in figures]
                for row_unit, total, figures in rows
            ],
        )
        basename = f"coverage-{unit.code}-{coverage.on.isoformat()}"
        return export_response([long, wide], file_format, basename)

    return render(
        request,
        "analysis/matrix.html",
        {
            "form": form,
            "unit": unit,
            "unit_options": options,
            "breadcrumbs": breadcrumbs(unit, visible),
            "on": coverage.on,
            "by_fte": by_fte,
            "competences": competences,
            "rows": rows,
            "people": coverage.people(unit),
            "shows_people": visibility.detail_for(unit) == Detail.PERSONAL,
            "bands": list(zip(BANDS, [*(bound - 1 for bound in BANDS[1:]), 100], strict=True)),
        },
    )


STATUS_COLOURS = {
    Status.MET: "success",
    Status.EXPIRING: "warning",
    Status.PENDING: "info",
    Status.BELOW_LEVEL: "warning",
    Status.EXPIRED: "danger",
    Status.MISSING: "danger",
}


@dataclass(frozen=True)
class StatusCell:
    """A person's status for one competence, with what lies behind it in words."""

    assessment: Assessment

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.assessment.status]

    @property
    def detail(self) -> str:
        a = self.assessment
        parts = []
        if a.level:
            parts.append(_("level %(level)s") % {"level": a.level})
        if not a.mandatory:
            parts.append(str(_("desired")))
        if a.covered and a.valid_until:
            parts.append(_("valid until %(date)s") % {"date": short_date(a.valid_until)})
        if a.status == Status.EXPIRED and a.expired_on:
            parts.append(_("expired %(date)s") % {"date": short_date(a.expired_on)})
        if not a.covered and a.due_on:
            parts.append(_("due %(date)s") % {"date": short_date(a.due_on)})
        return ", ".join(parts)


def short_date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


@dataclass(frozen=True)
class PersonRow:
    pk: int
    employee_number: str
    name: str
    unit: OrgUnit
    assessments: list[Assessment | None]  # one per competence column

    @property
    def cells(self) -> list[StatusCell | None]:
        return [StatusCell(a) if a else None for a in self.assessments]


def coverage_people(request):
    """The people counted in a unit's subtree by competence, each cell the person's status."""
    visibility = visibility_for(request.user)
    visible_units = visibility.units()
    try:
        pk = int(request.GET.get("unit", ""))
    except ValueError:
        raise Http404 from None
    unit = get_object_or_404(visible_units, pk=pk)
    if visibility.detail_for(unit) != Detail.PERSONAL:
        raise Http404
    form = CoverageFilterForm.from_request(request)
    on = form.reference_date
    assessments = assessments_in(unit, visibility=visibility, on=on, options=form.options())

    found: dict[int, dict[int, Assessment]] = defaultdict(dict)
    counted_in: dict[int, int] = {}
    for assessment in assessments:
        found[assessment.person_id][assessment.competence.pk] = assessment
        counted_in[assessment.person_id] = assessment.unit_id
    competences = sorted(
        {a.competence.pk: a.competence for a in assessments}.values(),
        key=lambda c: c.display_name,
    )
    # Names come through the visibility module; people the engine counts but the user may
    # not open (positions ended before today) are left out.
    people = (
        visibility.people()
        .filter(employments__unit__path__startswith=unit.path)
        .distinct()
        .order_by("family_name", "given_name", "pk")
        .values_list("pk", "employee_number", "given_name", "family_name")
    )
    units = {u.pk: u for u in OrgUnit.objects.within(unit)}
    listed = [
        PersonRow(
            pk,
            number,
            f"{given} {family}",
            units[counted_in[pk]],
            [found[pk].get(competence.pk) for competence in competences],
        )
        for pk, number, given, family in people
        if pk in found
    ]

    file_format = export_format(request)
    if file_format:
        table = Table(
            _("People"),
            texts(
                _("Employee number"),
                _("Name"),
                _("Unit"),
                _("Competence"),
                _("Requirement"),
                _("Level"),
                _("Status"),
                _("Valid until"),
                _("Expired on"),
                _("Due"),
            ),
            [
                [
                    row.employee_number,
                    row.name,
                    row.unit.name,
                    a.competence.display_name,
                    str(_("Mandatory") if a.mandatory else _("Desired")),
                    a.level,
                    str(a.status.label),
                    a.valid_until,
                    a.expired_on,
                    a.due_on,
                ]
                for row in listed
                for a in row.assessments
                if a is not None
            ],
        )
        return export_response([table], file_format, f"coverage-people-{unit.code}-{on}")

    ancestors = {u.pk: u for u in visible_units.filter(pk__in=unit.ancestor_ids)}
    return render(
        request,
        "analysis/matrix_people.html",
        {
            "form": form,
            "unit": unit,
            "breadcrumbs": breadcrumbs(unit, ancestors),
            "on": on,
            "competences": competences,
            "page": Paginator(listed, PEOPLE_PER_PAGE).get_page(request.GET.get("page")),
        },
    )
