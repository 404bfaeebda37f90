"""The unit overview: a unit's coverage and staffing targets for everyone who may see its
figures, and, for those who may see its people, who is missing what, what expires soon and what
waits for verification."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from evne.analysis.engine import (
    StaffingResult,
    Status,
    Tally,
    assessments_in,
    coverage_for,
    staffing_for,
    window_days,
)
from evne.analysis.forms import CoverageFilterForm, export_format
from evne.analysis.views.gaps import Row, by_due_date, export_links, rows_of
from evne.analysis.views.matrix import percent
from evne.competence.models import Competence, StaffingMeasure
from evne.competence.views.requirements import name_levels
from evne.core.exports import Table, export_response
from evne.core.freshness import cached_until_data_changes
from evne.core.visibility import Detail, visibility_for
from evne.organization.models import Employment, OrgUnit

# The page lists the oldest waiting registrations; the verification queue has them all.
PENDING_LISTED = 20
HIDDEN = gettext_lazy("Hidden: fewer than five people.")


@dataclass
class CompetenceRow:
    competence: Competence
    mandatory: bool
    tally: Tally | None  # None when hidden

    @property
    def coverage(self) -> int | None:
        return percent(self.tally.coverage) if self.tally else None

    @property
    def counts(self) -> list[tuple[str, int]]:
        """The statuses that occur, in the engine's order, with their counts."""
        return [(status.label, self.tally[status]) for status in Status if self.tally[status]]


@dataclass
class Overall:
    people: int | None  # None when hidden
    fte: float | None
    tally: Tally | None

    @property
    def coverage(self) -> int | None:
        return percent(self.tally.coverage) if self.tally else None

    @property
    def fte_coverage(self) -> int | None:
        return percent(self.tally.fte_coverage) if self.tally else None


@dataclass
class PersonGaps:
    person: object
    rows: list[Row]


@require_GET
@cached_until_data_changes
def unit_overview(request, pk):
    visibility = visibility_for(request.user)
    visible_units = visibility.units()
    unit = get_object_or_404(visible_units.select_related("level"), pk=pk)
    detail = visibility.detail_for(unit)
    if detail < Detail.AGGREGATE:
        raise Http404
    form = CoverageFilterForm.from_request(request, mandatory_only=True)
    on, options = form.reference_date, form.options()

    coverage = coverage_for(unit, on=on, options=options, visibility=visibility)
    overall = _overall(coverage, unit, visibility)
    competence_rows = [
        CompetenceRow(competence, mandatory, coverage.cell(unit, competence, mandatory).shown)
        for mandatory in (True, False)
        for competence in coverage.competences_in(unit, mandatory=mandatory)
    ]
    staffing = sorted(
        staffing_for(unit, on=on, visibility=visibility),
        key=lambda r: (r.target.unit.name, r.target.competence.display_name, r.target.pk),
    )

    personal = detail == Detail.PERSONAL
    gaps, expiring, pending, pending_count = [], [], [], 0
    rows: list[Row] = []
    if personal:
        rows = rows_of(assessments_in(unit, visibility=visibility, on=on, options=options), on)
    name_levels([*rows, *(result.target for result in staffing)])
    if personal:
        people = visibility.people().in_bulk({row.assessment.person_id for row in rows})
        gaps = _gaps_by_person(rows, people)
        expiring = sorted(
            (
                (people[row.assessment.person_id], row)
                for row in rows
                if row.status == Status.EXPIRING and row.assessment.person_id in people
            ),
            key=lambda pair: (pair[1].assessment.valid_until, pair[0].full_name),
        )
        waiting = _pending_in(visibility, unit)
        pending_count = waiting.count()
        pending = list(waiting[:PENDING_LISTED]) if pending_count else []

    file_format = export_format(request)
    if file_format:
        tables = [
            _competence_table(competence_rows),
            _overall_table(unit, on, overall),
            _staffing_table(staffing),
        ]
        if personal:
            tables += [
                _gaps_table(gaps),
                _expiring_table(expiring),
                _pending_table(list(_pending_in(visibility, unit))),
            ]
        return export_response(tables, file_format, f"{unit.code}-overview-{on.isoformat()}")

    ancestors = {u.pk: u for u in visible_units.filter(pk__in=unit.ancestor_ids)}
    return render(
        request,
        "analysis/unit_overview.html",
        {
            "unit": unit,
            "breadcrumbs": [ancestors[pk] for pk in unit.ancestor_ids if pk in ancestors],
            "form": form,
            "on": on,
            "overall": overall,
            "competence_rows": competence_rows,
            "staffing": staffing,
            "personal": personal,
            "gaps": gaps,
            "expiring": expiring,
            "window_days": window_days(),
            "pending": pending,
            "pending_count": pending_count,
            "hidden": str(HIDDEN),
            "exports": export_links(request, mandatory_only="on"),
        },
    )


def _overall(coverage, unit: OrgUnit, visibility) -> Overall:
    people, fte = coverage.people(unit)
    people_shown = people == 0 or visibility.may_see_figure(unit, people)
    # The engine's total cell measures its group by requirements, not people: three people
    # with two requirements each would pass the threshold. The headcount must pass it too.
    tally_shown = people_shown and not coverage.cell(unit).suppressed
    return Overall(
        people=people if people_shown else None,
        fte=fte if people_shown else None,
        tally=coverage.tally(unit) if tally_shown else None,
    )


def _gaps_by_person(rows: list[Row], people: dict) -> list[PersonGaps]:
    unmet: dict[int, list[Row]] = {}
    for row in rows:
        if not row.assessment.covered:
            unmet.setdefault(row.assessment.person_id, []).append(row)
    found = [
        PersonGaps(people[person_id], sorted(person_rows, key=by_due_date))
        for person_id, person_rows in unmet.items()
        if person_id in people
    ]
    return sorted(found, key=lambda gap: (gap.person.family_name, gap.person.given_name))


def _pending_in(visibility, unit: OrgUnit):
    """Registrations waiting for this user's verification from people with a current position
    in the unit's subtree: whoever leads any of a person's units may verify for them, so a
    second position counts here too."""
    in_subtree = (
        Employment.objects.active_on(timezone.localdate())
        .filter(unit__in=OrgUnit.objects.within(unit))
        .values("person_id")
    )
    return (
        visibility.verifiable_records()
        .filter(person__in=in_subtree)
        .select_related("person", "competence")
        .order_by("created_at", "pk")
    )


# Export


def _competence_table(rows: list[CompetenceRow]) -> Table:
    statuses = list(Status)
    return Table(
        title=_("Coverage by competence"),
        headers=[
            _("Competence"),
            _("Code"),
            _("Mandatory"),
            _("Applicable"),
            *(str(status.label) for status in statuses),
            _("Coverage %"),
            _("Note"),
        ],
        rows=[
            [
                row.competence.display_name,
                row.competence.code,
                row.mandatory,
                *(
                    [row.tally.applicable, *(row.tally[s] for s in statuses), row.coverage, ""]
                    if row.tally
                    else [None] * (len(statuses) + 2) + [str(HIDDEN)]
                ),
            ]
            for row in rows
        ],
    )


def _overall_table(unit: OrgUnit, on: datetime.date, overall: Overall) -> Table:
    tally = overall.tally
    return Table(
        title=_("Overall"),
        headers=[
            _("Unit"),
            _("Reference date"),
            _("People"),
            _("Full-time equivalents"),
            _("Applicable"),
            _("Covered"),
            _("Coverage %"),
            _("FTE-weighted coverage %"),
            _("Note"),
        ],
        rows=[
            [
                unit.name,
                on,
                overall.people,
                None if overall.fte is None else round(overall.fte, 1),
                tally.applicable if tally else None,
                tally.covered if tally else None,
                overall.coverage,
                overall.fte_coverage,
                "" if tally else str(HIDDEN),
            ]
        ],
    )


def _staffing_table(results: list[StaffingResult]) -> Table:
    return Table(
        title=_("Staffing targets"),
        headers=[
            _("Unit"),
            _("Competence"),
            _("Level"),
            _("Counted in"),
            _("Target"),
            _("Qualified"),
            _("Shortfall"),
            _("Reached"),
            _("Due date"),
            _("Note"),
        ],
        rows=[
            [
                result.target.unit.name,
                result.target.competence.display_name,
                result.target.level_name,
                _("FTE") if result.target.measure == StaffingMeasure.FTE else _("People"),
                result.target.minimum,
                *(
                    [None, None, None]
                    if result.suppressed
                    else [result.qualified, result.shortfall, result.reached]
                ),
                result.target.due_on,
                str(HIDDEN) if result.suppressed else "",
            ]
            for result in results
        ],
    )


def _gaps_table(gaps: list[PersonGaps]) -> Table:
    return Table(
        title=_("People missing what"),
        headers=[
            _("Person"),
            _("Competence"),
            _("Level"),
            _("Mandatory"),
            _("Status"),
            _("Due date"),
            _("Overdue"),
        ],
        rows=[
            [
                gap.person.full_name,
                row.competence.display_name,
                row.level_name,
                row.assessment.mandatory,
                str(row.status.label),
                row.assessment.due_on,
                row.overdue,
            ]
            for gap in gaps
            for row in gap.rows
        ],
    )


def _expiring_table(expiring: list[tuple]) -> Table:
    return Table(
        title=_("Expiring soon"),
        headers=[_("Person"), _("Competence"), _("Last valid day")],
        rows=[
            [person.full_name, row.competence.display_name, row.assessment.valid_until]
            for person, row in expiring
        ],
    )


def _pending_table(records: list) -> Table:
    return Table(
        title=_("Pending verification"),
        headers=[_("Person"), _("Competence"), _("Obtained"), _("Registered")],
        rows=[
            [
                record.person.full_name,
                record.competence.display_name,
                record.obtained_on,
                timezone.localtime(record.created_at),
            ]
            for record in records
        ],
    )
