"""Certificates (kursbevis): the PDF for the person and those who may see their completions,
and the public page where anyone confirms a code."""

from __future__ import annotations

from auditlog.signals import accessed
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from evne.core.visibility import visibility_for
from evne.learning.certificates import certificate_pdf as make_pdf
from evne.learning.certificates import display_code, normalise_code
from evne.learning.forms.elearning import VerifyForm
from evne.learning.models import Certificate, Completion


@require_GET
def certificate_pdf(request, pk):
    """The certificate as a PDF download."""
    visibility = visibility_for(request.user)
    certificate = get_object_or_404(
        Certificate.objects.select_related("completion__person", "completion__course"),
        pk=pk,
        completion__in=visibility.completions(),
    )
    completion = certificate.completion
    if completion.person_id != visibility.person_id:
        accessed.send(sender=Completion, instance=completion)
    verify_url = request.build_absolute_uri(
        reverse("certificate_verify_code", args=[display_code(certificate.code)])
    )
    filename = f"kursbevis-{slugify(completion.course.code)}-{completion.completed_on}.pdf"
    response = HttpResponse(make_pdf(certificate, verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_GET
def certificate_verify(request, code=None):
    """Confirm a certificate by its code: the name, the course and the date, nothing more. A
    code that is not found says only that."""
    if code is None and "code" in request.GET:
        form = VerifyForm(request.GET)
        if form.is_valid():
            return redirect(
                "certificate_verify_code",
                code=display_code(normalise_code(form.cleaned_data["code"])) or "-",
            )
    else:
        form = VerifyForm(initial={"code": code} if code else None)
    found = None
    if code is not None:
        found = (
            Certificate.objects.filter(code=normalise_code(code))
            .select_related("completion__person", "completion__course")
            .first()
        )
    return render(
        request,
        "learning/elearning/verify.html",
        {
            "form": form,
            "code": code,
            "found": found,
            "shown_code": display_code(found.code) if found else "",
        },
        status=404 if code is not None and found is None else 200,
    )
