"""The rules of a competence plan's life (kompetanseplanens gang): draft → consultation with the
union representatives (drøfting) → adopted (vedtatt) → evaluated, and a copy as the next
period's draft.

Views, the admin and tests call these functions; each checks the user's rights through
`core.visibility` itself, so no caller can skip a check. A refusal is a `ValidationError` with
a translated message the page shows as it is.

- Only a plan's owners (and administrators) change it, and its content (title, period, goals,
  measures) only while it is a draft: an adopted plan is locked.
- A plan goes to consultation with at least one goal. While it is there, the union
  representatives of its unit (a grant on the unit or a unit above) and its owners comment;
  the owners record the meeting date and the minutes.
- Adoption needs a consultation with a meeting date. It stores what the plan holds as revision
  n + 1 (`PlanRevision`), so later revisions can show what changed.
- "Revise" turns an adopted plan back into a draft; the next adoption is the next revision.
- Evaluation (per goal: reached, partly, not; what to improve) follows adoption.
- "Copy for the next period" makes a draft of the goals and measures, without the results.
"""

from __future__ import annotations

import calendar
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evne.accounts.models import Role, RoleGrant
from evne.core.visibility import Visibility
from evne.organization.models import OrgUnit
from evne.plans import notices
from evne.plans.models import (
    CompetencePlan,
    Consultation,
    Goal,
    GoalResult,
    Measure,
    MeasureStatus,
    PlanComment,
    PlanRevision,
    PlanStatus,
)

NOT_READABLE = _("You do not have access to this plan.")
NOT_OWNER = _("Only the plan's owners may change it.")
UNKNOWN_STATUS = _("Choose one of the statuses in the list.")
NOT_DRAFT = _(
    "The plan is %(status)s and its content is locked. Revise it to make a new draft revision."
)
NOT_YOUR_UNIT = _("You can make plans only for the units you lead or hold HR for.")
NO_GOALS = _("Add at least one goal before the plan goes to consultation.")
NOT_IN_CONSULTATION = _("The plan is not in consultation.")
COMMENTS_CLOSED = _("Comments are taken while the plan is in consultation.")
NOT_CONSULTED = _(
    "Only the union representatives of the plan's unit and the plan's owners comment on it."
)
ADOPT_AFTER_CONSULTATION = _(
    "The plan cannot be adopted before it has been in consultation with the union "
    "representatives. Send it to consultation first."
)
ADOPT_AFTER_MEETING = _(
    "The plan cannot be adopted before the consultation meeting with the union "
    "representatives is recorded. Record the meeting date first."
)
REVISE_ADOPTED = _("Only an adopted plan can be revised.")
EVALUATE_ADOPTED = _("Only an adopted plan can be evaluated.")
COPY_ADOPTED = _("Only an adopted or evaluated plan can be copied for the next period.")
GOAL_OF_OTHER_PLAN = _("The goal belongs to another plan.")


def _refuse(message, **params):
    raise ValidationError(message, params=params or None)


# Who


def is_consulted(user, plan: CompetencePlan) -> bool:
    """Whether `user` is a union representative of the plan's unit: a grant on it or above."""
    if not user.is_authenticated:
        return False
    units = [*plan.unit.ancestor_ids, plan.unit_id]
    return RoleGrant.objects.filter(
        user=user, role=Role.UNION_REPRESENTATIVE, unit_id__in=units
    ).exists()


def check_readable(visibility: Visibility, plan: CompetencePlan) -> None:
    if not visibility.competence_plans().filter(pk=plan.pk).exists():
        _refuse(NOT_READABLE)


def check_owner(visibility: Visibility, plan: CompetencePlan) -> None:
    if not visibility.may_edit_plan(plan):
        _refuse(NOT_OWNER)


def check_editable(visibility: Visibility, plan: CompetencePlan) -> None:
    """Changing the plan's content: its owners, while it is a draft."""
    check_owner(visibility, plan)
    if plan.status != PlanStatus.DRAFT:
        _refuse(NOT_DRAFT, status=plan.get_status_display().lower())


def set_measure_status(visibility: Visibility, measure: Measure, status: str) -> None:
    """Carrying the plan out: its owners mark how a measure is going while the plan is a draft
    or adopted, without a new revision (the status is follow-up, not the plan's content)."""
    check_owner(visibility, measure.plan)
    if measure.plan.status not in (PlanStatus.DRAFT, PlanStatus.ADOPTED):
        _refuse(NOT_DRAFT, status=measure.plan.get_status_display().lower())
    if status not in MeasureStatus.values:
        _refuse(UNKNOWN_STATUS)
    measure.status = status
    measure.save(update_fields=["status"])


def may_comment(visibility: Visibility, user, plan: CompetencePlan) -> bool:
    return plan.status == PlanStatus.CONSULTATION and (
        visibility.may_edit_plan(plan) or is_consulted(user, plan)
    )


# Creating


def plan_above(unit: OrgUnit, start: datetime.date, end: datetime.date) -> CompetencePlan | None:
    """The plan of the nearest unit above `unit` whose period overlaps [start, end]."""
    ancestors = unit.ancestor_ids
    if not ancestors:
        return None
    candidates = CompetencePlan.objects.filter(
        unit_id__in=ancestors, period_start__lte=end, period_end__gte=start
    ).order_by("-period_start", "pk")
    depth = {unit_id: index for index, unit_id in enumerate(ancestors)}
    return max(candidates, key=lambda plan: depth[plan.unit_id], default=None)


def check_may_create(visibility: Visibility, unit: OrgUnit) -> None:
    if not (
        visibility.may_create_plans and visibility.personal_units().filter(pk=unit.pk).exists()
    ):
        _refuse(NOT_YOUR_UNIT)


@transaction.atomic
def create_plan(visibility: Visibility, user, plan: CompetencePlan) -> CompetencePlan:
    """Save a new draft `plan` (unsaved, its fields filled in); its creator becomes an owner."""
    check_may_create(visibility, plan.unit)
    plan.status = PlanStatus.DRAFT
    plan.created_by = user
    plan.save()
    plan.owners.add(user)
    return plan


# Consultation


@transaction.atomic
def send_to_consultation(visibility: Visibility, user, plan: CompetencePlan) -> Consultation:
    plan = _locked(plan)
    check_editable(visibility, plan)
    if not plan.goals.exists():
        _refuse(NO_GOALS)
    plan.status = PlanStatus.CONSULTATION
    plan.save(update_fields=["status"])
    consultation = Consultation.objects.create(
        plan=plan, revision=plan.revision + 1, opened_by=user
    )
    notices.notify_consultation(consultation)
    return consultation


def open_consultation(plan: CompetencePlan) -> Consultation | None:
    return plan.consultations.filter(closed_at__isnull=True).order_by("-opened_at", "-pk").first()


def add_comment(
    visibility: Visibility, user, plan: CompetencePlan, body: str, goal: Goal | None = None
) -> PlanComment:
    consultation = open_consultation(plan)
    if plan.status != PlanStatus.CONSULTATION or consultation is None:
        _refuse(COMMENTS_CLOSED)
    if not may_comment(visibility, user, plan):
        _refuse(NOT_CONSULTED)
    if goal is not None and goal.plan_id != plan.pk:
        _refuse(GOAL_OF_OTHER_PLAN)
    return PlanComment.objects.create(
        consultation=consultation, goal=goal, author=user, body=body.strip()
    )


def record_meeting(
    visibility: Visibility, plan: CompetencePlan, meeting_on: datetime.date, minutes: str
) -> Consultation:
    check_owner(visibility, plan)
    consultation = open_consultation(plan)
    if plan.status != PlanStatus.CONSULTATION or consultation is None:
        _refuse(NOT_IN_CONSULTATION)
    consultation.meeting_on = meeting_on
    consultation.minutes = minutes.strip()
    consultation.save(update_fields=["meeting_on", "minutes"])
    return consultation


# Adoption and revision


@transaction.atomic
def adopt(visibility: Visibility, user, plan: CompetencePlan, body: str) -> PlanRevision:
    """Adopt the plan as the next revision; refused without a consultation meeting."""
    plan = _locked(plan)
    check_owner(visibility, plan)
    if plan.status != PlanStatus.CONSULTATION:
        _refuse(ADOPT_AFTER_CONSULTATION)
    consultation = open_consultation(plan)
    if consultation is None or consultation.meeting_on is None:
        _refuse(ADOPT_AFTER_MEETING)
    now = timezone.now()
    consultation.closed_at = now
    consultation.save(update_fields=["closed_at"])
    plan.status = PlanStatus.ADOPTED
    plan.revision += 1
    plan.adopted_at = now
    plan.adopted_by = user
    plan.adopted_by_body = body.strip()
    plan.save(update_fields=["status", "revision", "adopted_at", "adopted_by", "adopted_by_body"])
    return PlanRevision.objects.create(
        plan=plan, number=plan.revision, adopted_at=now, adopted_by=user, content=snapshot(plan)
    )


@transaction.atomic
def revise(visibility: Visibility, plan: CompetencePlan) -> CompetencePlan:
    """Reopen an adopted plan as a draft; its adopted revisions stay as they were."""
    plan = _locked(plan)
    check_owner(visibility, plan)
    if plan.status != PlanStatus.ADOPTED:
        _refuse(REVISE_ADOPTED)
    plan.status = PlanStatus.DRAFT
    plan.save(update_fields=["status"])
    return plan


def snapshot(plan: CompetencePlan) -> dict:
    """What the plan holds, as data: the content a revision keeps and `diffs` compares."""
    goals = plan.goals.select_related("competence").prefetch_related("serves")
    measures = plan.measures.select_related("goal")
    return {
        "title": plan.title,
        "summary": plan.summary,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "goals": [
            {
                "id": goal.pk,
                "title": goal.title,
                "description": goal.description,
                "competence": goal.competence.display_name if goal.competence else "",
                "level": goal.level,
                "target_kind": goal.target_kind,
                "target_value": str(goal.target_value) if goal.target_value is not None else None,
                "target_date": goal.target_date.isoformat() if goal.target_date else None,
                "serves": sorted(served.title for served in goal.serves.all()),
            }
            for goal in goals
        ],
        "measures": [
            {
                "id": measure.pk,
                "title": measure.title,
                "description": measure.description,
                "kind": measure.kind,
                "goal": measure.goal.title if measure.goal else "",
                "owner": measure.owner,
                "cost": str(measure.cost) if measure.cost is not None else None,
                "funding": measure.funding,
                "funding_note": measure.funding_note,
                "starts_on": measure.starts_on.isoformat() if measure.starts_on else None,
                "ends_on": measure.ends_on.isoformat() if measure.ends_on else None,
                "status": measure.status,
            }
            for measure in measures
        ],
    }


# Evaluation


@transaction.atomic
def evaluate(
    visibility: Visibility,
    plan: CompetencePlan,
    results: dict[int, tuple[str, str]],
    summary: str,
) -> CompetencePlan:
    """Record per goal whether it was reached and what to improve, and the plan's summary.
    `results` maps goal ids to (GoalResult value or "", note). An evaluated plan may be
    evaluated again, to complete or correct it."""
    plan = _locked(plan)
    check_owner(visibility, plan)
    if plan.status not in (PlanStatus.ADOPTED, PlanStatus.EVALUATED):
        _refuse(EVALUATE_ADOPTED)
    for goal in plan.goals.all():
        result, note = results.get(goal.pk, ("", ""))
        if result and result not in GoalResult.values:
            raise ValidationError(_("Choose reached, partly reached or not reached."))
        goal.result, goal.result_note = result, note.strip()
        goal.save(update_fields=["result", "result_note"])
    plan.status = PlanStatus.EVALUATED
    plan.evaluated_at = timezone.now()
    plan.evaluation_summary = summary.strip()
    plan.save(update_fields=["status", "evaluated_at", "evaluation_summary"])
    return plan


# The next period


@transaction.atomic
def copy_for_next_period(visibility: Visibility, user, plan: CompetencePlan) -> CompetencePlan:
    """A draft for the period after the plan's, as long as it, with its goals and measures
    (dates moved on by the same length, no results, measures planned again)."""
    if plan.status not in (PlanStatus.ADOPTED, PlanStatus.EVALUATED):
        _refuse(COPY_ADOPTED)
    check_may_create(visibility, plan.unit)
    months = _period_months(plan.period_start, plan.period_end)
    start, end = (_shift(plan.period_start, months), _shift(plan.period_end, months))
    parent = plan_above(plan.unit, start, end)
    copy = CompetencePlan.objects.create(
        unit=plan.unit,
        title=_shift_years_in(plan.title, months),
        period_start=start,
        period_end=end,
        summary=plan.summary,
        parent=parent,
        copied_from=plan,
        created_by=user,
    )
    copy.owners.set({user.pk, *plan.owners.values_list("pk", flat=True)})
    served_by_title = {goal.title: goal for goal in parent.goals.all()} if parent else {}
    new_goals = {}
    for goal in plan.goals.prefetch_related("serves"):
        new_goals[goal.pk] = Goal.objects.create(
            plan=copy,
            position=goal.position,
            title=goal.title,
            description=goal.description,
            competence_id=goal.competence_id,
            level=goal.level,
            target_kind=goal.target_kind,
            target_value=goal.target_value,
            target_date=_shift(goal.target_date, months),
        )
        # The goals above are those of the new period's plan above, found by their titles.
        served = [served_by_title.get(s.title) for s in goal.serves.all()]
        new_goals[goal.pk].serves.set([s for s in served if s is not None])
    Measure.objects.bulk_create(
        Measure(
            plan=copy,
            goal=new_goals.get(measure.goal_id),
            position=measure.position,
            title=measure.title,
            description=measure.description,
            kind=measure.kind,
            owner=measure.owner,
            cost=measure.cost,
            funding=measure.funding,
            funding_note=measure.funding_note,
            starts_on=_shift(measure.starts_on, months),
            ends_on=_shift(measure.ends_on, months),
            status=MeasureStatus.PLANNED,
        )
        for measure in plan.measures.all()
    )
    return copy


def _period_months(start: datetime.date, end: datetime.date) -> int:
    """The period's length in whole months, counting a started month as whole."""
    following = end + datetime.timedelta(days=1)
    months = (following.year - start.year) * 12 + following.month - start.month
    return max(months + (1 if following.day > start.day else 0), 1)


def _shift(day: datetime.date | None, months: int) -> datetime.date | None:
    """`day` moved on by `months`; a month's last day stays its last day (28.02 → 29.02)."""
    if day is None:
        return None
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    at_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return datetime.date(year, month + 1, last if at_month_end else min(day.day, last))


def _shift_years_in(title: str, months: int) -> str:
    """The title with its years moved on ("2026–2027" → "2028–2029") when whole years pass."""
    if months % 12:
        return title
    return re.sub(r"\b(?:19|20)\d{2}\b", lambda m: str(int(m[0]) + months // 12), title)


def _locked(plan: CompetencePlan) -> CompetencePlan:
    """The caller's plan, read again with its row locked so two clicks cannot adopt it twice;
    the caller's object then shows the change too."""
    CompetencePlan.objects.select_for_update().only("pk").get(pk=plan.pk)
    plan.refresh_from_db()
    return plan
