"""Requirements and staffing targets of job roles and units, with what is inherited.

Requirements are not personal data: whoever may open a unit sees what it requires. Editing is
for those whose `requirement_units()` hold the unit (HR within their subtree, leaders for the
units they lead and below); a job role's own requirements hold wherever the role is, so they
are for administrators and HR of a whole organisation. Everyone else finds nothing at the
editing addresses (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from evne.competence.forms.requirements import (
    DUPLICATE_REQUIREMENT,
    RequirementForm,
    StaffingTargetForm,
)
from evne.competence.inheritance import requirements_of_unit
from evne.competence.models import Requirement, ScaleLevel, StaffingTarget
from evne.core.visibility import Visibility, visibility_for
from evne.organization.models import JobRole

ROLES_PER_PAGE = 100


# Reading


@require_GET
def unit_requirements(request, pk):
    """What a unit requires: its own requirements, its job roles', the inherited ones and its
    staffing targets."""
    visibility = visibility_for(request.user)
    visible_units = visibility.units()
    unit = get_object_or_404(visible_units, pk=pk)
    found = requirements_of_unit(unit)
    targets = list(
        StaffingTarget.objects.filter(unit=unit)
        .select_related("competence__scale")
        .order_by("competence__name", "due_on", "pk")
    )
    name_levels([*found.all(), *targets])
    for target in targets:
        # People are whole; the plural form of "person" needs a whole number.
        target.whole = int(target.minimum)
    ancestors = {u.pk: u for u in visible_units.filter(pk__in=unit.ancestor_ids)}
    return render(
        request,
        "competence/unit_requirements.html",
        {
            "unit": unit,
            "breadcrumbs": [ancestors[pk] for pk in unit.ancestor_ids if pk in ancestors],
            "visible_ancestor_ids": set(ancestors),
            "found": found,
            "targets": targets,
            "may_edit": visibility.requirement_units().filter(pk=unit.pk).exists(),
        },
    )


@require_GET
def roles(request):
    """Every job role with how many requirements name it."""
    visibility = visibility_for(request.user)
    job_roles = JobRole.objects.annotate(
        own_count=Count("requirements", filter=Q(requirements__unit__isnull=True)),
        unit_count=Count("requirements", filter=Q(requirements__unit__in=visibility.units())),
    ).order_by("name")
    page = Paginator(job_roles, ROLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "competence/roles.html", {"page": page})


@require_GET
def role_requirements(request, pk):
    """A job role's own requirements (they hold in every unit) and the requirements of the
    role within the units the user may see."""
    visibility = visibility_for(request.user)
    role = get_object_or_404(JobRole, pk=pk)
    requirements = Requirement.objects.filter(job_role=role).select_related(
        "competence__scale", "unit"
    )
    own = list(requirements.filter(unit=None).order_by("competence__name", "pk"))
    in_units = list(
        requirements.filter(unit__in=visibility.units()).order_by(
            "unit__name", "competence__name", "pk"
        )
    )
    name_levels([*own, *in_units])
    editable_units = set(
        visibility.requirement_units()
        .filter(pk__in={requirement.unit_id for requirement in in_units})
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "competence/role_requirements.html",
        {
            "role": role,
            "own": own,
            "in_units": [
                (requirement, requirement.unit_id in editable_units) for requirement in in_units
            ],
            "may_edit": visibility.may_edit_role_requirements,
            "may_edit_in_units": bool(editable_units),
        },
    )


def name_levels(items) -> None:
    """Give each requirement or staffing target its level's name from its scale (`level_name`,
    e.g. "3 Avansert"), in one query for all of them."""
    scale_ids = {item.competence.scale_id for item in items if item.level is not None}
    levels = {}
    if scale_ids:
        levels = {
            (level.scale_id, level.value): level
            for level in ScaleLevel.objects.filter(scale_id__in=scale_ids)
        }
    for item in items:
        level = levels.get((item.competence.scale_id, item.level))
        item.level_name = str(level) if level else item.level


# Requirements


def editable_requirements(visibility: Visibility):
    """The requirements the user may change: of the units they may edit, and the job roles'
    own ones for those who may edit them."""
    editable = Q(unit__in=visibility.requirement_units())
    if visibility.may_edit_role_requirements:
        editable |= Q(unit__isnull=True)
    return Requirement.objects.filter(editable).select_related("competence", "job_role", "unit")


@require_http_methods(["GET", "POST"])
def requirement_create(request, pk):
    """A new requirement of a unit, for everyone in it or for one job role there."""
    unit = get_object_or_404(visibility_for(request.user).requirement_units(), pk=pk)
    return _edit_requirement(request, Requirement(unit=unit))


@require_http_methods(["GET", "POST"])
def role_requirement_create(request, pk):
    """A new requirement of a job role, holding wherever the role is."""
    if not visibility_for(request.user).may_edit_role_requirements:
        raise Http404
    role = get_object_or_404(JobRole, pk=pk)
    return _edit_requirement(request, Requirement(job_role=role))


@require_http_methods(["GET", "POST"])
def requirement_edit(request, pk):
    requirement = get_object_or_404(editable_requirements(visibility_for(request.user)), pk=pk)
    return _edit_requirement(request, requirement)


@require_http_methods(["GET", "POST"])
def requirement_delete(request, pk):
    requirement = get_object_or_404(editable_requirements(visibility_for(request.user)), pk=pk)
    back = holder_url(requirement)
    if request.method == "POST":
        requirement.delete()
        messages.success(request, _("The requirement was deleted."))
        return redirect(back)
    return render(
        request,
        "competence/requirement_delete.html",
        {"requirement": requirement, "back": back, "holder": requirement.holder_label()},
    )


def _edit_requirement(request, requirement: Requirement):
    form = RequirementForm(request.POST if request.method == "POST" else None, instance=requirement)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            # Someone saved the same requirement in the meantime.
            form.add_error("competence", DUPLICATE_REQUIREMENT)
        else:
            messages.success(request, _("The requirement was saved."))
            return redirect(holder_url(requirement))
    return render(
        request,
        "competence/requirement_form.html",
        {
            "form": form,
            "requirement": requirement,
            "holder": requirement.holder_label(),
            "back": holder_url(requirement),
        },
    )


def holder_url(requirement: Requirement) -> str:
    """The page a requirement is shown and edited on: its unit's, or its job role's."""
    if requirement.unit_id is not None:
        return reverse("unit_requirements", args=[requirement.unit_id])
    return reverse("role_requirements", args=[requirement.job_role_id])


# Staffing targets


def editable_targets(visibility: Visibility):
    return StaffingTarget.objects.filter(unit__in=visibility.requirement_units()).select_related(
        "competence", "unit"
    )


@require_http_methods(["GET", "POST"])
def staffing_target_create(request, pk):
    unit = get_object_or_404(visibility_for(request.user).requirement_units(), pk=pk)
    return _edit_target(request, StaffingTarget(unit=unit))


@require_http_methods(["GET", "POST"])
def staffing_target_edit(request, pk):
    target = get_object_or_404(editable_targets(visibility_for(request.user)), pk=pk)
    return _edit_target(request, target)


@require_http_methods(["GET", "POST"])
def staffing_target_delete(request, pk):
    target = get_object_or_404(editable_targets(visibility_for(request.user)), pk=pk)
    back = reverse("unit_requirements", args=[target.unit_id])
    if request.method == "POST":
        target.delete()
        messages.success(request, _("The staffing target was deleted."))
        return redirect(back)
    return render(
        request, "competence/staffing_target_delete.html", {"target": target, "back": back}
    )


def _edit_target(request, target: StaffingTarget):
    form = StaffingTargetForm(request.POST if request.method == "POST" else None, instance=target)
    back = reverse("unit_requirements", args=[target.unit_id])
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The staffing target was saved."))
        return redirect(back)
    return render(
        request,
        "competence/staffing_target_form.html",
        {"form": form, "target": target, "back": back},
    )
