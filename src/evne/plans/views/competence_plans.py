"""Competence plans (kompetanseplaner): the list, a new plan, the plan page with its goals'
live progress, measures, consultation and revisions, and the plan's heading."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from evne.core.visibility import visibility_for
from evne.plans import workflow
from evne.plans.diffs import diff
from evne.plans.forms.competence_plans import AdoptForm, CommentForm, MeetingForm, PlanForm
from evne.plans.models import (
    AssignmentStatus,
    CompetencePlan,
    FundingSource,
    Goal,
    LearningPlan,
    MeasureKind,
    MeasureStatus,
    PlanComment,
    PlanStatus,
)
from evne.plans.progress import progress_for


def plan_or_404(visibility, pk) -> CompetencePlan:
    """A plan the user may read; any other answers 404, revealing nothing."""
    plans = visibility.competence_plans().select_related(
        "unit", "parent__unit", "copied_from", "adopted_by"
    )
    return get_object_or_404(plans, pk=pk)


def refused(request, error: ValidationError, plan: CompetencePlan):
    for message in error.messages:
        messages.error(request, message)
    return redirect("plan", plan.pk)


@require_GET
def plan_list(request):
    """The plans the user may read, by unit and period, newest first."""
    visibility = visibility_for(request.user)
    plans = (
        visibility.competence_plans()
        .select_related("unit", "parent")
        .annotate(goal_count=Count("goals", distinct=True))
        .order_by("unit__name", "-period_start", "pk")
    )
    groups = defaultdict(list)
    for plan in plans:
        groups[plan.unit].append(plan)
    return render(
        request,
        "plans/competence_plans/list.html",
        {
            "groups": list(groups.items()),
            "may_create": visibility.may_create_plans,
            # Learning plans and their follow-up are for those who lead people or hold HR.
            "manages_people": visibility.is_admin or bool(visibility.personal_paths),
            "is_employee": visibility.person_id is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def plan_create(request):
    visibility = visibility_for(request.user)
    if not visibility.may_create_plans:
        messages.error(request, str(workflow.NOT_YOUR_UNIT))
        return redirect("plans")
    form = PlanForm(
        request.POST or None,
        units=visibility.personal_units(),
        readable=visibility.competence_plans(),
    )
    if request.method == "POST" and form.is_valid():
        plan = form.save(commit=False)
        if plan.parent is None:
            plan.parent = workflow.plan_above(plan.unit, plan.period_start, plan.period_end)
        try:
            workflow.create_plan(visibility, request.user, plan)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan was made. Add its goals and measures."))
            return redirect("plan", plan.pk)
    return render(
        request,
        "plans/competence_plans/plan_form.html",
        {"form": form, "plan": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    visibility = visibility_for(request.user)
    plan = plan_or_404(visibility, pk)
    try:
        workflow.check_editable(visibility, plan)
    except ValidationError as error:
        return refused(request, error, plan)
    form = PlanForm(
        request.POST or None,
        instance=plan,
        readable=visibility.competence_plans().exclude(pk=plan.pk),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The plan was saved."))
        return redirect("plan", plan.pk)
    return render(
        request,
        "plans/competence_plans/plan_form.html",
        {"form": form, "plan": plan},
        status=400 if form.errors else 200,
    )


@require_GET
def plan(request, pk):
    visibility = visibility_for(request.user)
    plan = plan_or_404(visibility, pk)
    context = plan_content(request, visibility, plan)
    may_edit = visibility.may_edit_plan(plan)
    consultation = context["open_consultation"]
    context.update(
        {
            "may_edit": may_edit,
            "manages_people": visibility.is_admin or bool(visibility.personal_paths),
            "measure_statuses": MeasureStatus.choices,
            "is_draft": plan.status == PlanStatus.DRAFT,
            "may_comment": workflow.may_comment(visibility, request.user, plan),
            "may_copy": plan.status in (PlanStatus.ADOPTED, PlanStatus.EVALUATED)
            and visibility.may_create_plans
            and visibility.personal_units().filter(pk=plan.unit_id).exists(),
            "comment_form": CommentForm(plan=plan),
            "meeting_form": MeetingForm(
                initial={"meeting_on": consultation.meeting_on, "minutes": consultation.minutes}
            )
            if consultation
            else None,
            "adopt_form": AdoptForm(),
            "diffs": revision_diffs(plan, context["revisions"]),
        }
    )
    return render(request, "plans/competence_plans/plan.html", context)


def plan_content(request, visibility, plan: CompetencePlan) -> dict:
    """What the plan page and its printable version show: goals with progress and the goals
    they serve or are served by, measures by kind with their learning plans, costs by funding
    source, the consultations with their comments, and the revisions."""
    readable = visibility.competence_plans()
    goals = list(
        plan.goals.select_related("competence__scale").prefetch_related(
            Prefetch("serves", queryset=Goal.objects.select_related("plan")),
            Prefetch(
                "served_by",
                queryset=Goal.objects.filter(plan__in=readable).select_related("plan__unit"),
            ),
        )
    )
    progress = progress_for(plan, goals, visibility)
    learning_plans = LearningPlan.objects.select_related("unit").annotate(
        done=Count("assignments", filter=Q(assignments__status=AssignmentStatus.DONE)),
        total=Count("assignments"),
    )
    measures = list(
        plan.measures.select_related("goal").prefetch_related(
            Prefetch("learning_plans", queryset=learning_plans)
        )
    )
    for measure in measures:
        for learning_plan in measure.learning_plans.all():
            learning_plan.shown = visibility.may_see_figure(learning_plan.unit, learning_plan.total)
    by_kind = [
        (label, [m for m in measures if m.kind == kind])
        for kind, label in MeasureKind.choices
        if any(m.kind == kind for m in measures)
    ]
    costs = defaultdict(Decimal)
    for measure in measures:
        if measure.cost is not None:
            costs[measure.funding] += measure.cost
    funding = dict(FundingSource.choices)
    consultations = list(
        plan.consultations.select_related("opened_by").prefetch_related(
            Prefetch("comments", queryset=PlanComment.objects.select_related("author", "goal"))
        )
    )
    return {
        "plan": plan,
        "goals": [(goal, progress[goal.pk]) for goal in goals],
        "measures": measures,
        "measures_by_kind": by_kind,
        "costs": [(funding.get(key, _("Not given")), total) for key, total in costs.items()],
        "total_cost": sum(costs.values(), Decimal(0)),
        "consultations": consultations,
        "open_consultation": next((c for c in consultations if c.closed_at is None), None),
        "revisions": list(plan.revisions.select_related("adopted_by")),
    }


def revision_diffs(plan, revisions) -> list[tuple[str, object]]:
    """Each adopted revision against the one before it, newest first; and a draft against the
    last adopted revision."""
    found = []
    if plan.status == PlanStatus.DRAFT and revisions:
        found.append(
            (
                _("Changes in this draft since revision %(number)s")
                % {"number": revisions[-1].number},
                diff(revisions[-1].content, workflow.snapshot(plan)),
            )
        )
    for before, after in reversed(list(zip(revisions, revisions[1:], strict=False))):
        found.append(
            (
                _("Revision %(new)s against revision %(old)s")
                % {"new": after.number, "old": before.number},
                diff(before.content, after.content),
            )
        )
    return found
