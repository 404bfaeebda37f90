"""The printable plan: a print-friendly page and the PDF, for the council and the union
meeting."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from evne.core.visibility import visibility_for
from evne.plans.printing import plan_pdf as build_pdf
from evne.plans.views.competence_plans import plan_content, plan_or_404


@require_GET
def plan_print(request, pk):
    visibility = visibility_for(request.user)
    plan = plan_or_404(visibility, pk)
    return render(
        request, "plans/competence_plans/print.html", plan_content(request, visibility, plan)
    )


@require_GET
def plan_pdf(request, pk):
    visibility = visibility_for(request.user)
    plan = plan_or_404(visibility, pk)
    response = HttpResponse(build_pdf(plan_content(request, visibility, plan)), "application/pdf")
    name = slugify(plan.title) or f"plan-{plan.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
