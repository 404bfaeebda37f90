"""Learning plans (opplæringsplaner) for leaders and HR: the list, a plan's page, keeping a plan
and its items, assigning it, ending an assignment target, and marking tasks done.

Who may do what comes from `core.visibility`: the plans of the units the user leads or holds HR
for (`learning_plans()`); people among those they manage (`managed_people()`). Anyone else gets
404, as for other pages that would reveal people.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evne.competence.models import ScaleLevel
from evne.core.visibility import visibility_for
from evne.plans import assignments
from evne.plans.forms.learning_plans import AssignForm, ItemFormSet, LearningPlanForm
from evne.plans.models import (
    Assignment,
    AssignmentStatus,
    ItemKind,
    LearningPlan,
    PlanTarget,
)
from evne.plans.notices import notify_assigned

STATUS_ORDER = [
    AssignmentStatus.DONE,
    AssignmentStatus.IN_PROGRESS,
    AssignmentStatus.OVERDUE,
    AssignmentStatus.NOT_STARTED,
]


def managers_only(request):
    """The visibility of a leader, HR or an administrator; 404 for anyone else."""
    visibility = visibility_for(request.user)
    if not visibility.may_create_plans:
        raise Http404
    return visibility


def managed_plan(request, pk):
    visibility = managers_only(request)
    plan = get_object_or_404(visibility.learning_plans().select_related("unit"), pk=pk)
    return visibility, plan


def status_counts(assignments_qs) -> dict:
    """{status: count} of the assignments of people still in the group, every status present."""
    counts = dict.fromkeys(AssignmentStatus.values, 0)
    rows = assignments_qs.filter(left_on__isnull=True).values_list("status").annotate(n=Count("id"))
    counts.update(dict(rows.order_by()))
    return counts


@require_GET
def learning_plans(request):
    visibility = managers_only(request)
    plans = list(
        visibility.learning_plans()
        .select_related("unit")
        .annotate(
            item_count=Count("items", distinct=True),
            target_count=Count("targets", distinct=True),
        )
        .order_by("-is_active", "title", "pk")
    )
    rows = (
        Assignment.objects.filter(plan__in=plans, left_on__isnull=True)
        .values_list("plan_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict] = {plan.pk: dict.fromkeys(AssignmentStatus.values, 0) for plan in plans}
    for plan_id, status, n in rows:
        counts[plan_id][status] = n
    for plan in plans:
        plan.counts = counts[plan.pk]
        plan.assigned = sum(plan.counts.values())
    return render(request, "plans/learning_plans/list.html", {"plans": plans})


def level_names(items) -> dict:
    scales = {item.competence.scale_id for item in items if item.competence_id}
    return {
        (level.scale_id, level.value): level.display_name
        for level in ScaleLevel.objects.filter(scale_id__in=scales - {None})
    }


@require_GET
def learning_plan(request, pk):
    visibility, plan = managed_plan(request, pk)
    items = list(plan.items.select_related("competence", "course").order_by("position", "pk"))
    names = level_names(items)
    for item in items:
        if item.competence_id and item.level is not None:
            item.level_name = names.get((item.competence.scale_id, item.level))
    today = timezone.localdate()
    targets = list(
        plan.targets.select_related("person", "unit", "job_role", "group").order_by(
            "ended_at", "assigned_at", "pk"
        )
    )
    now = timezone.now()
    for target in targets:
        target.is_open = target.ended_at is None or target.ended_at > now
        target.reach = assignments.members(target, today).count()
    measure = plan.measure
    readable_measure = (
        measure is not None and visibility.competence_plans().filter(pk=measure.plan_id).exists()
    )
    counts = status_counts(plan.assignments.all())
    return render(
        request,
        "plans/learning_plans/plan.html",
        {
            "plan": plan,
            "items": items,
            "targets": targets,
            "measure": measure if readable_measure else None,
            "counts": [(AssignmentStatus(s).label, s, counts[s]) for s in STATUS_ORDER],
            "assigned": sum(counts.values()),
            "left": plan.assignments.filter(left_on__isnull=False).count(),
            "open_tasks": any(item.kind == ItemKind.TASK for item in items),
        },
    )


@require_http_methods(["GET", "POST"])
def learning_plan_create(request):
    visibility = managers_only(request)
    return _plan_form(request, visibility, LearningPlan(), _("The learning plan was added."))


@require_http_methods(["GET", "POST"])
def learning_plan_edit(request, pk):
    visibility, plan = managed_plan(request, pk)
    return _plan_form(request, visibility, plan, _("The learning plan was saved."))


def _plan_form(request, visibility, plan, done):
    data = request.POST or None
    form = LearningPlanForm(data, instance=plan, visibility=visibility)
    items = ItemFormSet(data, instance=plan, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        with transaction.atomic():
            plan = form.save(commit=False)
            if plan.created_by_id is None:
                plan.created_by = request.user
            plan.save()
            items.instance = plan
            items.save()
            # New items reach the people the plan is already assigned to.
            new = assignments.update(plan, timezone.localdate())
            notify_assigned(new.only("pk"))
        messages.success(request, done)
        return redirect("learning_plan", plan.pk)
    return render(
        request,
        "plans/learning_plans/plan_form.html",
        {"form": form, "items": items, "plan": plan},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def learning_plan_assign(request, pk):
    visibility, plan = managed_plan(request, pk)
    form = AssignForm(request.POST or None, visibility=visibility)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            PlanTarget.objects.create(plan=plan, assigned_by=request.user, **form.target_fields())
            new = assignments.update(plan, timezone.localdate())
            people = new.values("person_id").distinct().count()
            notify_assigned(new.only("pk"))
        if not plan.is_active:
            messages.warning(request, _("The plan is not in use, so no one was given it yet."))
        else:
            messages.success(
                request,
                ngettext(
                    "The plan was assigned: %(count)d person got new items.",
                    "The plan was assigned: %(count)d people got new items.",
                    people,
                )
                % {"count": people},
            )
        return redirect("learning_plan", plan.pk)
    return render(
        request,
        "plans/learning_plans/assign.html",
        {"form": form, "plan": plan},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def learning_plan_target_end(request, pk, target_pk):
    """End an assignment target: no new people from now on; what was given stays."""
    _visibility, plan = managed_plan(request, pk)
    target = get_object_or_404(plan.targets, pk=target_pk)
    if target.ended_at is None:
        target.ended_at = timezone.now()
        target.save(update_fields=["ended_at"])
        messages.success(request, _("No one new will be given the plan through this."))
    return redirect("learning_plan", plan.pk)


@require_GET
def learning_plan_tasks(request, pk):
    """The plan's open tasks for the people the user manages, to mark done."""
    visibility, plan = managed_plan(request, pk)
    open_tasks = (
        plan.assignments.filter(
            item__kind=ItemKind.TASK,
            left_on__isnull=True,
            person__in=visibility.managed_people(),
        )
        .exclude(status=AssignmentStatus.DONE)
        .select_related("item", "person")
        .order_by("person__family_name", "person__given_name", "item__position", "pk")
    )
    done_tasks = (
        plan.assignments.filter(
            item__kind=ItemKind.TASK,
            status=AssignmentStatus.DONE,
            person__in=visibility.managed_people(),
        )
        .select_related("item", "person", "marked_done_by")
        .order_by("-done_on", "pk")[:50]
    )
    query = request.GET.get("q", "").strip()
    if query:
        match = Q(person__given_name__icontains=query) | Q(person__family_name__icontains=query)
        match |= Q(person__employee_number=query)
        open_tasks = open_tasks.filter(match)
    return render(
        request,
        "plans/learning_plans/tasks.html",
        {"plan": plan, "open_tasks": open_tasks[:200], "done_tasks": done_tasks, "q": query},
    )


@require_POST
def assignment_mark_done(request, pk):
    """A leader marks a task done for one of their people."""
    visibility = managers_only(request)
    assignment = get_object_or_404(
        visibility.assignments()
        .filter(plan__in=visibility.learning_plans(), person__in=visibility.managed_people())
        .select_related("item", "person"),
        pk=pk,
    )
    if assignments.mark_done(assignment, request.user, timezone.localdate()):
        messages.success(
            request,
            _("%(task)s is marked done for %(person)s.")
            % {"task": assignment.item, "person": assignment.person.full_name},
        )
    else:
        messages.warning(request, _("This task was already done or is no longer assigned."))
    return redirect("learning_plan_tasks", assignment.plan_id)
