"""My gaps: what the signed-in employee must get or renew, and by when."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import Http404, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from evne.analysis.engine import Assessment, Status, assessments_of
from evne.analysis.forms import EXPORT_FORMATS, CoverageFilterForm, export_format
from evne.competence.models import Competence
from evne.competence.views.requirements import name_levels
from evne.core.exports import Table, export_response
from evne.core.visibility import visibility_for

# Designsystemet colours of the status tags; the tag's text always names the status too.
STATUS_COLORS = {
    Status.MET: "success",
    Status.EXPIRING: "warning",
    Status.PENDING: "info",
    Status.BELOW_LEVEL: "warning",
    Status.EXPIRED: "danger",
    Status.MISSING: "danger",
}


@dataclass
class Row:
    """An assessment as the pages show it: with its level's name and whether it is overdue."""

    assessment: Assessment
    competence: Competence
    level: int | None
    overdue: bool = False
    level_name: str | int | None = None

    @property
    def status(self) -> Status:
        return self.assessment.status

    @property
    def color(self) -> str:
        return STATUS_COLORS[self.assessment.status]


def rows_of(assessments: list[Assessment], on: datetime.date) -> list[Row]:
    """The assessments as rows, their levels named in one query for all of them."""
    rows = [
        Row(
            assessment=a,
            competence=a.competence,
            level=a.level,
            overdue=a.due_on is not None and a.due_on < on and not a.covered,
        )
        for a in assessments
    ]
    name_levels(rows)
    return rows


def export_links(request, **defaults) -> dict[str, str]:
    """The page's address with `export=csv|xlsx`, keeping its filters; a first visit (no query
    string) keeps the defaults it was shown with."""
    query = request.GET.copy() if request.GET else QueryDict(mutable=True)
    if not request.GET:
        query.update(defaults)
    links = {}
    for file_format in EXPORT_FORMATS:
        query["export"] = file_format
        links[file_format] = "?" + query.urlencode()
    return links


def by_due_date(row: Row):
    """Earliest due date first (so what is overdue comes first), mandatory before desired."""
    due = row.assessment.due_on or datetime.date.max
    return (due, not row.assessment.mandatory, row.competence.display_name)


@require_GET
def my_gaps(request):
    visibility = visibility_for(request.user)
    if visibility.person_id is None:
        raise Http404
    person = request.user.person
    form = CoverageFilterForm.from_request(request)
    on = form.reference_date
    rows = rows_of(assessments_of(person, visibility=visibility, on=on), on)
    todo = sorted((row for row in rows if row.status != Status.MET), key=by_due_date)
    met = [row for row in rows if row.status == Status.MET]
    file_format = export_format(request)
    if file_format:
        return export_response([_table(todo + met)], file_format, f"my-gaps-{on.isoformat()}")
    pending = sum(1 for row in todo if row.status == Status.PENDING)
    return render(
        request,
        "analysis/my_gaps.html",
        {
            "form": form,
            "on": on,
            "today": timezone.localdate(),
            "todo": todo,
            "met": met,
            "total": len(rows),
            "to_act_on": len(todo) - pending,
            "pending": pending,
            "exports": export_links(request),
        },
    )


def _table(rows: list[Row]) -> Table:
    return Table(
        title=_("My requirements"),
        headers=[
            _("Competence"),
            _("Code"),
            _("Level"),
            _("Mandatory"),
            _("Status"),
            _("Due date"),
            _("Overdue"),
            _("Last valid day"),
            _("Expired on"),
        ],
        rows=[
            [
                row.competence.display_name,
                row.competence.code,
                row.level_name,
                row.assessment.mandatory,
                str(row.status.label),
                row.assessment.due_on,
                row.overdue,
                row.assessment.valid_until,
                row.assessment.expired_on,
            ]
            for row in rows
        ],
    )
