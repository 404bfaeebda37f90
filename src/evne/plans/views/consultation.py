"""A plan's way through consultation (drøfting), adoption (vedtak), revision, evaluation and
the copy for the next period. Every step is a rule of `workflow`; these views only wire it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from evne.core.visibility import visibility_for
from evne.plans import workflow
from evne.plans.forms.competence_plans import (
    AdoptForm,
    CommentForm,
    EvaluationForm,
    MeetingForm,
)
from evne.plans.models import PlanStatus
from evne.plans.views.competence_plans import plan_or_404, refused


@require_POST
def plan_send(request, pk):
    visibility = visibility_for(request.user)
    plan = plan_or_404(visibility, pk)
    try:
        workflow.send_to_consultation(visibility, request.user, plan)
    except ValidationError as error:
        return refused(request, error, plan)
    messages.success(
        request,
        _("The plan is in consultation: the union representatives can now read and comment."),
    )
    return redirect("plan", plan.pk)


@require_POST
def plan_comment(request, pk):
    visibility = visibility_for(request.user)
    plan = plan_or_404(visibility, pk)
    form = CommentForm(request.POST, plan=plan)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("plan", args=[plan.pk]) + "#consultation")
    try:
        workflow.add_comment(
            visibility, request.user, plan, form.cleaned_data["body"], form.cleaned_data["goal"]
        )
    except ValidationError as error:
        return refused(request, error, plan)
    messages.success(request, _("Your comment was added."))
    return redirect(reverse("plan", args=[plan.pk]) + "#consultation")


@require_POST
def plan_meeting(request, pk):
    visibility = visibility_for(request.user)
    plan = plan_or_404(visibility, pk)
    form = MeetingForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("plan", plan.pk)
    try:
        workflow.record_meeting(
            visibility, plan, form.cleaned_data["meeting_on"], form.cleaned_data["minutes"]
        )
    except ValidationError as error:
        return refused(request, error, plan)
    messages.success(request, _("The meeting and its minutes were saved."))
    return redirect("plan", plan.pk)


@require_POST
def plan_adopt(request, pk):
    visibility = visibility_for(request.user)
    plan = plan_or_404(visibility, pk)
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say which body adopted the plan."))
        return redirect("plan", plan.pk)
    try:
        revision = workflow.adopt(visibility, request.user, plan, form.cleaned_data["body"])
    except ValidationError as error:
        return refused(request, error, plan)
    messages.success(
        request,
        _("The plan was adopted as revision %(number)s. Its content is now locked.")
        % {"number": revision.number},
    )
    return redirect("plan", plan.pk)


@require_POST
def plan_revise(request, pk):
    visibility = visibility_for(request.user)
    plan = plan_or_404(visibility, pk)
    try:
        workflow.revise(visibility, plan)
    except ValidationError as error:
        return refused(request, error, plan)
    messages.success(
        request,
        _(
            "The plan is a draft again. Make the changes, then send it to consultation and "
            "adopt it as the next revision."
        ),
    )
    return redirect("plan", plan.pk)


@require_http_methods(["GET", "POST"])
def plan_evaluate(request, pk):
    visibility = visibility_for(request.user)
    plan = plan_or_404(visibility, pk)
    goals = list(plan.goals.select_related("competence"))
    form = EvaluationForm(request.POST or None, plan=plan, goals=goals)
    try:
        workflow.check_owner(visibility, plan)
        if request.method == "POST" and form.is_valid():
            workflow.evaluate(visibility, plan, form.results(), form.cleaned_data["summary"])
            messages.success(request, _("The evaluation was saved."))
            return redirect("plan", plan.pk)
    except ValidationError as error:
        return refused(request, error, plan)
    if plan.status not in (PlanStatus.ADOPTED, PlanStatus.EVALUATED):
        messages.error(request, str(workflow.EVALUATE_ADOPTED))
        return redirect("plan", plan.pk)
    return render(
        request,
        "plans/competence_plans/evaluate.html",
        {"plan": plan, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def plan_copy(request, pk):
    visibility = visibility_for(request.user)
    plan = plan_or_404(visibility, pk)
    try:
        copy = workflow.copy_for_next_period(visibility, request.user, plan)
    except ValidationError as error:
        return refused(request, error, plan)
    messages.success(
        request,
        _("The draft for the next period was made from “%(title)s”. Check its goals and dates.")
        % {"title": plan.title},
    )
    return redirect("plan", copy.pk)
