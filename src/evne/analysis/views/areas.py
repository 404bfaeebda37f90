"""Across areas: one competence compared across the areas below a top unit (its children, or
the units one level deeper), weakest first, for HR, directors and analysts."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from evne.analysis.engine import coverage_for
from evne.analysis.forms import CoverageFilterForm, export_format
from evne.analysis.views.matrix import (
    STATUS_ORDER,
    Figure,
    chosen,
    tally_columns,
    tally_values,
    texts,
    unit_choices,
)
from evne.core.exports import Table, export_response
from evne.core.visibility import visibility_for
from evne.organization.models import OrgUnit


@dataclass(frozen=True)
class AreaRow:
    unit: OrgUnit
    area: OrgUnit | None  # the area above the unit when comparing one level deeper
    people: int | None  # None when hidden: fewer than five people the user may not see
    figure: Figure

    @property
    def sort_key(self):
        # Weakest first; rows without a figure go last.
        coverage = None if self.figure.suppressed else self.figure.cell.tally.coverage
        return (coverage is None, coverage or 0, self.unit.name)


def across_areas(request):
    visibility = visibility_for(request.user)
    options, tops = unit_choices(visibility)
    visible = {unit.pk: unit for unit, _label in options}
    parents = {unit.parent_id for unit in visible.values()}
    # Only a top unit with areas below it that the user may open has something to compare.
    roots = [top for top in tops if top.pk in parents]
    if not roots:
        raise Http404
    root = chosen(request, "root", {r.pk: r for r in roots}, roots[0])
    form = CoverageFilterForm.from_request(request)
    coverage = coverage_for(
        root, on=form.reference_date, options=form.options(), visibility=visibility
    )
    competences = coverage.competences_in(root)
    deeper = request.GET.get("depth") == "2"
    context = {
        "form": form,
        "root": root,
        "roots": roots,
        "on": coverage.on,
        "competences": competences,
        "deeper": deeper,
        "statuses": STATUS_ORDER,
    }
    competence = None
    if competences:
        most_applicable = max(competences, key=lambda c: coverage.tally(root, c).applicable)
        by_pk = {c.pk: c for c in competences}
        asked = request.GET.get("competence", "")
        competence = by_pk.get(int(asked)) if asked.isdigit() else None
        # A competence the filters leave out is replaced, and the page says so.
        context["replaced"] = bool(asked) and competence is None
        competence = competence or most_applicable
    context["competence"] = competence

    def row(unit, area=None) -> AreaRow:
        count, _fte = coverage.people(unit)
        shown = count == 0 or visibility.may_see_figure(unit, count)
        return AreaRow(
            unit, area, count if shown else None, Figure(coverage.cell(unit, competence))
        )

    areas = [child for child in coverage.children(root) if child.pk in visible]
    if competence is None:
        rows = []
    elif deeper:
        rows = []
        for area in areas:
            below = [child for child in coverage.children(area) if child.pk in visible]
            rows.extend([row(unit, area) for unit in below] or [row(area)])
    else:
        rows = [row(area) for area in areas]
    rows.sort(key=lambda r: r.sort_key)
    total = row(root)

    file_format = export_format(request)
    if file_format:
        table = Table(
            _("Across areas"),
            texts(
                _("Unit code"),
                _("Unit"),
                _("Area"),
                _("Competence"),
                _("People"),
                *tally_columns(),
                _("Suppressed"),
            ),
            [
                [
                    r.unit.code,
                    r.unit.name,
                    r.area.name if r.area else None,
                    competence.display_name if competence else None,
                    r.people,
                    *tally_values(r.figure.cell),
                    r.figure.suppressed,
                ]
                for r in ([total, *rows] if competence else [])
            ],
        )
        basename = f"coverage-across-areas-{root.code}-{coverage.on.isoformat()}"
        return export_response([table], file_format, basename)

    context.update(total=total, rows=rows)
    return render(request, "analysis/areas.html", context)
