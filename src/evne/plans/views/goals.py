"""A draft plan's goals (mål) and measures (tiltak): add, edit, delete and reorder, for the
plan's owners only (`workflow.check_editable`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from evne.core.visibility import visibility_for
from evne.plans import workflow
from evne.plans.forms.competence_plans import GoalForm, MeasureForm
from evne.plans.models import Goal, Measure
from evne.plans.views.competence_plans import plan_or_404, refused

FORMS = {Goal: GoalForm, Measure: MeasureForm}
TEMPLATES = {
    Goal: "plans/competence_plans/goal_form.html",
    Measure: "plans/competence_plans/measure_form.html",
}
ANCHORS = {Goal: "goals", Measure: "measures"}


def _item_or_404(visibility, model, pk):
    item = get_object_or_404(model.objects.select_related("plan"), pk=pk)
    plan_or_404(visibility, item.plan_id)
    return item


def _edit(request, plan, item, saved_message):
    visibility = visibility_for(request.user)
    try:
        workflow.check_editable(visibility, plan)
    except ValidationError as error:
        return refused(request, error, plan)
    model = type(item)
    form = FORMS[model](request.POST or None, instance=item, plan=plan)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if item.pk is None:
                last = model.objects.filter(plan=plan).aggregate(Max("position"))
                form.instance.position = (last["position__max"] or 0) + 1
            form.save()
        messages.success(request, saved_message)
        return redirect(f"{plan_url(plan)}#{ANCHORS[model]}")
    return render(
        request,
        TEMPLATES[model],
        {"form": form, "plan": plan, "item": item},
        status=400 if form.errors else 200,
    )


def plan_url(plan) -> str:
    return reverse("plan", args=[plan.pk])


@require_http_methods(["GET", "POST"])
def goal_create(request, pk):
    plan = plan_or_404(visibility_for(request.user), pk)
    return _edit(request, plan, Goal(plan=plan), _("The goal was added."))


@require_http_methods(["GET", "POST"])
def goal_edit(request, pk):
    goal = _item_or_404(visibility_for(request.user), Goal, pk)
    return _edit(request, goal.plan, goal, _("The goal was saved."))


@require_http_methods(["GET", "POST"])
def measure_create(request, pk):
    plan = plan_or_404(visibility_for(request.user), pk)
    return _edit(request, plan, Measure(plan=plan), _("The measure was added."))


@require_http_methods(["GET", "POST"])
def measure_edit(request, pk):
    measure = _item_or_404(visibility_for(request.user), Measure, pk)
    return _edit(request, measure.plan, measure, _("The measure was saved."))


def _delete(request, model, pk, done):
    visibility = visibility_for(request.user)
    item = _item_or_404(visibility, model, pk)
    try:
        workflow.check_editable(visibility, item.plan)
    except ValidationError as error:
        return refused(request, error, item.plan)
    if request.method == "POST":
        item.delete()
        messages.success(request, done % {"title": item.title})
        return redirect(f"{plan_url(item.plan)}#{ANCHORS[model]}")
    return render(request, "plans/competence_plans/delete.html", {"plan": item.plan, "item": item})


@require_http_methods(["GET", "POST"])
def goal_delete(request, pk):
    return _delete(request, Goal, pk, _("The goal “%(title)s” was deleted."))


@require_http_methods(["GET", "POST"])
def measure_delete(request, pk):
    return _delete(request, Measure, pk, _("The measure “%(title)s” was deleted."))


def _move(request, model, pk):
    """Move a goal or measure one place up or down; positions are renumbered 1, 2, 3 …"""
    visibility = visibility_for(request.user)
    item = _item_or_404(visibility, model, pk)
    try:
        workflow.check_editable(visibility, item.plan)
    except ValidationError as error:
        return refused(request, error, item.plan)
    with transaction.atomic():
        items = list(model.objects.filter(plan=item.plan).select_for_update())
        index = next(i for i, each in enumerate(items) if each.pk == item.pk)
        other = index + (-1 if request.POST.get("direction") == "up" else 1)
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        for position, each in enumerate(items, start=1):
            each.position = position
        model.objects.bulk_update(items, ["position"])
    return redirect(f"{plan_url(item.plan)}#{ANCHORS[model]}")


@require_POST
def goal_move(request, pk):
    return _move(request, Goal, pk)


@require_POST
def measure_move(request, pk):
    return _move(request, Measure, pk)


@require_POST
def measure_status(request, pk):
    """An owner marks how a measure is going, also on an adopted plan."""
    visibility = visibility_for(request.user)
    measure = _item_or_404(visibility, Measure, pk)
    try:
        workflow.set_measure_status(visibility, measure, request.POST.get("status", ""))
    except ValidationError as error:
        return refused(request, error, measure.plan)
    messages.success(request, _("The measure's status was saved."))
    return redirect(f"{plan_url(measure.plan)}#{ANCHORS[Measure]}")
