"""Bringing learning-plan assignments (tildelinger) up to date with the data.

Who a plan reaches is read from the data each time: people who join a target (a new nurse in
the role) get the plan on the next `update`, people who leave keep their assignments, marked
with the day they left, and get them back if they return. Each assignment's status follows
what the records, completions, enrolments and attempts say (`refresh_status`).

Everything here is set-based: the same handful of statements whatever the number of people, so
that a plan for a whole municipality is assigned and recomputed in well under two seconds
(bench/learning_plans.py). The rules, as the user guide states them:

- only people with a position active on the day are reached (a person target too);
- an ended target (`ended_at`) brings nobody new, but keeps its people in the plan;
- a due date is the item's date, the assignment date plus days, the person's earliest current
  position's start plus days, or none;
- an assignment is done when a verified record of the competence, or of one that implies it,
  valid on the day and at or above the level exists; or when the course is completed on or after
  the assignment date, or earlier as long as no competence that completion gave has expired; or,
  for a task, when a leader marks it done. Done stays done;
- otherwise it is overdue past its due date; in progress with a pending record at the level, an
  enrolment in a coming session of the course or an e-learning attempt begun since the
  assignment; else not started;
- assignments of people who left are history: their status is no longer changed.
"""

# The SQL is assembled from this module's own fragments; every value is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Min, Q, QuerySet, Value, When
from django.utils import timezone

from evne.analysis.sql import SATISFIES, qualifying, valid_on
from evne.competence.models import Competence, CompetenceRecord
from evne.learning.enrolment import ACTIVE
from evne.learning.models import Attempt, Completion, Enrolment, Module, Session
from evne.organization.models import Employment
from evne.plans.models import (
    Assignment,
    AssignmentStatus,
    AssignmentTargetKind,
    ItemKind,
    LearningPlan,
    LearningPlanItem,
    PlanTarget,
)


def members(target: PlanTarget, on: datetime.date) -> QuerySet:
    """The ids of the people `target` reaches on `on` (a queryset of `person_id`)."""
    return _reached([target], on).values("person_id").distinct()


def _condition(target: PlanTarget) -> Q:
    """Which active positions a target reaches."""
    kind = target.kind
    if kind == AssignmentTargetKind.PERSON:
        return Q(person_id=target.person_id)
    if kind == AssignmentTargetKind.GROUP:
        return Q(person__people_groups=target.group_id)
    within = Q(unit__path__startswith=target.unit.path)
    if kind == AssignmentTargetKind.ROLE_IN_UNIT:
        return within & Q(job_role_id=target.job_role_id)
    return within


def _reached(targets: list[PlanTarget], on: datetime.date) -> QuerySet:
    if not targets:
        return Employment.objects.none()
    return Employment.objects.active_on(on).filter(reduce(or_, map(_condition, targets)))


def _is_open(target: PlanTarget, now: datetime.datetime) -> bool:
    return target.ended_at is None or target.ended_at > now


@transaction.atomic
def update(plan: LearningPlan, today: datetime.date) -> QuerySet[Assignment]:
    """Create the missing assignments for the current members of the plan's open targets, mark
    who left and who came back, set due dates and statuses. Returns the new assignments."""
    # One update of a plan at a time, so the new assignments are exactly those above `before`.
    LearningPlan.objects.select_for_update().filter(pk=plan.pk).exists()
    targets = list(
        PlanTarget.objects.filter(plan=plan).select_related("unit").order_by("assigned_at", "pk")
    )
    now = timezone.now()
    before = Assignment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if plan.is_active:
        _insert_missing(plan, [t for t in targets if _is_open(t, now)], today)
    everyone = _reached(targets, today).values("person_id")
    mine = Assignment.objects.filter(plan=plan)
    mine.filter(left_on__isnull=True).exclude(person_id__in=everyone).update(left_on=today)
    mine.filter(left_on__isnull=False, person_id__in=everyone).update(left_on=None)
    _set_due_dates(plan, today)
    refresh_status(plan, today)
    return Assignment.objects.filter(plan=plan, pk__gt=before)


def _insert_missing(plan: LearningPlan, targets: list[PlanTarget], today: datetime.date) -> None:
    """One INSERT … SELECT: every item for every person reached, through the earliest target
    that reaches them, unless they have it already."""
    if not targets:
        return
    through = Case(
        *(When(_condition(t), then=Value(t.pk)) for t in targets), output_field=IntegerField()
    )
    reached = _reached(targets, today).values("person_id").annotate(target_id=Min(through))
    reached_sql, reached_params = reached.query.sql_with_params()
    table = Assignment._meta.db_table
    statement = f"""INSERT INTO {table}
    (plan_id, item_id, person_id, target_id, assigned_on, status)
SELECT %s, i.id, r.person_id, r.target_id, %s, %s
FROM ({reached_sql}) r JOIN {LearningPlanItem._meta.db_table} i ON i.plan_id = %s
WHERE NOT EXISTS (
    SELECT 1 FROM {table} a WHERE a.item_id = i.id AND a.person_id = r.person_id
)
ON CONFLICT DO NOTHING"""
    params = [plan.pk, today, AssignmentStatus.NOT_STARTED, *reached_params, plan.pk]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _plus_days(date: str, days: str) -> str:
    """SQL for a date plus a whole number of days; the two databases spell it differently."""
    if connection.vendor == "postgresql":
        return f"CAST({date} AS DATE) + CAST({days} AS INTEGER)"
    return f"date({date}, '+' || {days} || ' days')"


# Open assignments of a plan: not done, of people still in the group (`a`).
OPEN = "a.plan_id = %s AND a.status <> 'done' AND a.left_on IS NULL"


def _tables() -> dict[str, str]:
    return {
        "assignment": Assignment._meta.db_table,
        "item": LearningPlanItem._meta.db_table,
        "employment": Employment._meta.db_table,
        "record": CompetenceRecord._meta.db_table,
        "competence": Competence._meta.db_table,
        "implies": Competence.implies.through._meta.db_table,
        "completion": Completion._meta.db_table,
        "granted": Completion.records.through._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
        "session": Session._meta.db_table,
        "attempt": Attempt._meta.db_table,
        "module": Module._meta.db_table,
    }


def _differs(column: str, value: str) -> str:
    """A condition: `column` is not `value`, a NULL on one side only counting as different."""
    return f"({column} <> {value} OR ({column} IS NULL) <> ({value} IS NULL))"


def _set_due_dates(plan: LearningPlan, today: datetime.date) -> None:
    """Due dates of the open assignments follow their item's rule, also after it is edited;
    only the rows whose date changes are written."""
    after_assignment = _plus_days("a.assigned_on", "i.due_days")
    after_hire = _plus_days("h.hired_on", "i.due_days")
    statement = f"""UPDATE {{assignment}} SET due_on = rule.due_on FROM (
    SELECT a.id, CASE i.due_kind
        WHEN 'date' THEN i.due_on
        WHEN 'after_assignment' THEN {after_assignment}
        WHEN 'after_hire' THEN {after_hire}
    END AS due_on
    FROM {{assignment}} a JOIN {{item}} i ON i.id = a.item_id
    LEFT JOIN (
        SELECT e.person_id, MIN(e.start_date) AS hired_on FROM {{employment}} e
        WHERE e.start_date <= %s AND (e.end_date IS NULL OR e.end_date >= %s)
            AND e.person_id IN (SELECT person_id FROM {{assignment}} WHERE plan_id = %s)
        GROUP BY e.person_id
    ) h ON h.person_id = a.person_id
    WHERE {OPEN}
) rule
WHERE {{assignment}}.id = rule.id AND {_differs("{assignment}.due_on", "rule.due_on")}"""
    with connection.cursor() as cursor:
        cursor.execute(statement.format(**_tables()), [today, today, plan.pk, plan.pk])


def refresh_status(
    plan: LearningPlan | None, today: datetime.date, *, person_id: int | None = None
) -> None:
    """Set the status of the plan's open assignments (or, with `person_id` and no plan, of one
    person's open assignments in every plan) from the data, in two statements that write only
    the rows whose status changes."""
    # Ids are whole numbers, written into the text so that both scopes share the statements.
    scope = f"a.plan_id = {int(plan.pk)}" if plan else f"a.person_id = {int(person_id)}"
    OPEN = f"{scope} AND a.status <> 'done' AND a.left_on IS NULL"  # noqa: N806
    at_level = qualifying("r", "sat", "COALESCE(i.level, 0)")
    done = f"""WITH RECURSIVE {SATISFIES},
evidence (assignment_id, done_on) AS (
    SELECT a.id, r.obtained_on
    FROM {{assignment}} a JOIN {{item}} i ON i.id = a.item_id AND i.kind = 'competence'
    JOIN satisfies sat ON sat.target_id = i.competence_id
    JOIN {{record}} r ON r.person_id = a.person_id AND r.competence_id = sat.source_id
    WHERE {OPEN} AND r.status = 'verified' AND {valid_on("r")} AND {at_level}
    UNION ALL
    SELECT a.id, c.completed_on
    FROM {{assignment}} a JOIN {{item}} i ON i.id = a.item_id AND i.kind = 'course'
    JOIN {{completion}} c ON c.person_id = a.person_id AND c.course_id = i.course_id
    WHERE {OPEN} AND c.completed_on <= %s AND (
        c.completed_on >= a.assigned_on OR NOT EXISTS (
            SELECT 1 FROM {{granted}} g JOIN {{record}} gr ON gr.id = g.competencerecord_id
            WHERE g.completion_id = c.id AND gr.expires_on < %s
        )
    )
),
finished AS (
    SELECT assignment_id, MAX(done_on) AS done_on FROM evidence GROUP BY assignment_id
)
UPDATE {{assignment}} SET status = 'done', done_on = finished.done_on
FROM finished WHERE {{assignment}}.id = finished.assignment_id"""
    coming = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    active = ", ".join("%s" for _ in ACTIVE)
    status = f"""WITH RECURSIVE {SATISFIES},
busy (assignment_id) AS (
    SELECT a.id
    FROM {{assignment}} a JOIN {{item}} i ON i.id = a.item_id AND i.kind = 'competence'
    JOIN satisfies sat ON sat.target_id = i.competence_id
    JOIN {{record}} r ON r.person_id = a.person_id AND r.competence_id = sat.source_id
    WHERE {OPEN} AND r.status = 'pending' AND {valid_on("r")} AND {at_level}
    UNION
    SELECT a.id
    FROM {{assignment}} a JOIN {{item}} i ON i.id = a.item_id AND i.kind = 'course'
    JOIN {{session}} s ON s.course_id = i.course_id
    JOIN {{enrolment}} e ON e.session_id = s.id AND e.person_id = a.person_id
    WHERE {OPEN} AND e.status IN ({active}) AND s.starts_at >= %s AND NOT s.is_cancelled
    UNION
    SELECT a.id
    FROM {{assignment}} a JOIN {{item}} i ON i.id = a.item_id AND i.kind = 'course'
    JOIN {{module}} m ON m.course_id = i.course_id
    JOIN {{attempt}} t ON t.module_id = m.id AND t.person_id = a.person_id
    WHERE {OPEN} AND t.started_at >= a.assigned_on
),
computed AS (
    SELECT a.id, CASE
        WHEN a.due_on IS NOT NULL AND a.due_on < %s THEN 'overdue'
        WHEN b.assignment_id IS NOT NULL THEN 'in_progress'
        ELSE 'not_started' END AS status
    FROM {{assignment}} a LEFT JOIN busy b ON b.assignment_id = a.id
    WHERE {OPEN}
)
UPDATE {{assignment}} SET status = computed.status
FROM computed WHERE {{assignment}}.id = computed.id AND {{assignment}}.status <> computed.status"""
    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute(done.format(**tables), [today, today, today, today])
        cursor.execute(status.format(**tables), [today, today, *ACTIVE, coming, today])


def update_all(today: datetime.date) -> int:
    """Bring every plan in use up to date (daily, from `evne remind`); the number of new
    assignments. Whoever calls it sends the new-assignment notices."""
    created = 0
    for plan in LearningPlan.objects.filter(is_active=True).order_by("pk"):
        created += update(plan, today).count()
    return created


def mark_done(assignment: Assignment, by, on: datetime.date) -> bool:
    """A leader marks a task done for a person (no record shows a task); who and when are kept,
    and saved one by one so that the audit log has them. Only open task assignments of people
    still in the group are marked; the caller checks the rights. Returns whether it was."""
    if (
        assignment.item.kind != ItemKind.TASK
        or assignment.status == AssignmentStatus.DONE
        or assignment.left_on is not None
    ):
        return False
    assignment.status = AssignmentStatus.DONE
    assignment.done_on = on
    assignment.marked_done_by = by
    assignment.save(update_fields=["status", "done_on", "marked_done_by"])
    return True
