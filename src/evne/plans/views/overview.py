"""Following up learning plans: the leader's list of plans, a plan's overview per person and per
item with its exports, one person's assignments, and the employee's own plan ("min plan").

The statuses are those stored on the assignments. Every list of people comes from the
visibility module: a leader sees the people of the units they lead, an employee only their own
plan.
"""

from __future__ import annotations

import datetime

from auditlog.signals import accessed
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from evne.analysis.forms import export_format
from evne.analysis.views.matrix import texts
from evne.core.exports import Table, export_response
from evne.core.visibility import visibility_for
from evne.organization.models import Person
from evne.plans.assignments import refresh_status
from evne.plans.followup import (
    ItemRow,
    PersonRow,
    PersonState,
    evidence_for,
    followed_assignments,
    followed_plans,
    in_unit,
    item_rows,
    people_rows,
    plan_rows,
)
from evne.plans.forms.overview import OverviewFilterForm
from evne.plans.models import Assignment, AssignmentStatus, ItemKind


@require_GET
def learning_plans_followup(request):
    """The learning plans the user follows up, with how far their groups have come."""
    visibility = visibility_for(request.user)
    plans = followed_plans(visibility).order_by("-is_active", "title", "pk")
    rows = plan_rows(plans, followed_assignments(visibility))
    return render(
        request,
        "plans/overview/followup.html",
        {"rows": rows, "has_own_plan": visibility.person_id is not None},
    )


@require_GET
def learning_plan_overview(request, pk):
    """One plan per person and per item, filtered by unit and status; `?export=xlsx` gives
    both tables, `?export=csv&table=people|items` one."""
    visibility = visibility_for(request.user)
    plan = get_object_or_404(followed_plans(visibility).select_related("unit", "measure"), pk=pk)
    today = timezone.localdate()
    # Done follows the data: a record verified this morning shows now, not after the night.
    refresh_status(plan, today)
    form = OverviewFilterForm.from_request(request, plan=plan, visibility=visibility)
    assignments = followed_assignments(visibility).filter(plan=plan)
    if form.unit_chosen is not None:
        assignments = in_unit(assignments, form.unit_chosen, today)
    people = people_rows(assignments, today)
    state = form.state_chosen
    shown = [
        row for row in people if (row.state == state if state else row.state != PersonState.LEFT)
    ]
    items = item_rows(plan, assignments)
    tables = {"people": _people_table(shown), "items": _items_table(items)}
    download = _download(request, tables, f"learning-plan-{plan.pk}-{today.isoformat()}")
    if download:
        return download
    current = [row for row in people if row.state != PersonState.LEFT]
    return render(
        request,
        "plans/overview/plan.html",
        {
            "plan": plan,
            "form": form,
            "people": shown,
            "items": items,
            "states": [
                (state, sum(1 for row in current if row.state == state))
                for state in PersonState
                if state != PersonState.LEFT
            ],
            "group_size": len(current),
            "left": len(people) - len(current),
            "filtered": bool(form.unit_chosen or state),
        },
    )


@require_GET
def learning_plan_person(request, pk, person_pk):
    """One person's assignments of a plan: each item's status, due and done dates, and the
    completion or record that made it done."""
    visibility = visibility_for(request.user)
    plan = get_object_or_404(followed_plans(visibility).select_related("unit"), pk=pk)
    person = get_object_or_404(visibility.people(), pk=person_pk)
    assignments = list(
        visibility.assignments()
        .filter(plan=plan, person=person)
        .select_related("item__course", "item__competence", "marked_done_by")
        .order_by("item__position", "item_id")
    )
    if not assignments:
        raise Http404
    if person.pk != visibility.person_id:
        accessed.send(sender=Person, instance=person)
    evidence_for(visibility, person, assignments)
    return render(
        request,
        "plans/overview/person.html",
        {
            "plan": plan,
            "person": person,
            "assignments": assignments,
            "left_on": assignments[0].left_on if all(a.left_on for a in assignments) else None,
        },
    )


@require_GET
def my_plan(request):
    """The signed-in employee's assignments across plans: what is due next first, overdue at
    the top, each with what to do; what is done folded away below."""
    visibility = visibility_for(request.user)
    if visibility.person_id is None:
        raise Http404
    refresh_status(None, timezone.localdate(), person_id=visibility.person_id)
    assignments = list(
        visibility.assignments()
        .filter(person_id=visibility.person_id)
        .select_related("plan", "item__course", "item__competence")
    )
    done = sorted(
        (a for a in assignments if a.status == AssignmentStatus.DONE),
        key=lambda a: a.done_on or datetime.date.min,
        reverse=True,
    )
    todo = sorted(
        (a for a in assignments if a.status != AssignmentStatus.DONE and a.left_on is None),
        key=_urgency,
    )
    return render(
        request,
        "plans/overview/mine.html",
        {
            "todo": todo,
            "done": done,
            "overdue": sum(1 for a in todo if a.status == AssignmentStatus.OVERDUE),
            "ItemKind": ItemKind,
        },
    )


def _urgency(assignment: Assignment):
    overdue = assignment.status == AssignmentStatus.OVERDUE
    return (not overdue, assignment.due_on or datetime.date.max, assignment.item.position)


def _download(request, tables: dict[str, Table], basename: str):
    """The tables as a file when the query string asks for one, else None."""
    file_format = export_format(request)
    if not file_format:
        return None
    if file_format == "csv":
        key = request.GET.get("table")
        key = key if key in tables else "people"
        return export_response([tables[key]], "csv", f"{basename}-{key}")
    return export_response(list(tables.values()), "xlsx", basename)


def _people_table(rows: list[PersonRow]) -> Table:
    return Table(
        str(_("Per person")),
        texts(
            _("Name"),
            _("Employee number"),
            _("Unit"),
            _("Status"),
            _("Done"),
            _("In progress"),
            _("Overdue"),
            _("Not started"),
            _("Items"),
            _("Next due date"),
            _("Left the group"),
        ),
        [
            [
                row.person.full_name,
                row.person.employee_number,
                row.unit.name if row.unit else "",
                row.state.label,
                row.counts.done,
                row.counts.in_progress,
                row.counts.overdue,
                row.counts.not_started,
                row.counts.total,
                row.next_due,
                row.left_on,
            ]
            for row in rows
        ],
    )


def _items_table(rows: list[ItemRow]) -> Table:
    return Table(
        str(_("Per item")),
        texts(
            _("Item"),
            _("Kind"),
            _("Done"),
            _("In progress"),
            _("Overdue"),
            _("Not started"),
            _("Assigned"),
            _("Done %"),
        ),
        [
            [
                row.name,
                str(row.item.get_kind_display()),
                row.counts.done,
                row.counts.in_progress,
                row.counts.overdue,
                row.counts.not_started,
                row.counts.total,
                row.counts.done_percent,
            ]
            for row in rows
        ],
    )
