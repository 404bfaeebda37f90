"""Enrolling, cancelling, and the leader's approval queue (påmeldinger til godkjenning)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evne.core.visibility import visibility_for
from evne.learning import enrolment as rules
from evne.learning.forms.sessions import EnrolPersonForm
from evne.learning.models import EnrolmentStatus
from evne.learning.views.courses import awaiting_approval, may_approve
from evne.learning.views.sessions import render_session, session_or_404

APPROVALS_PER_PAGE = 25


@require_POST
def session_enrol(request, pk):
    """Enrol oneself, or (with `person`) someone one manages."""
    visibility = visibility_for(request.user)
    session = session_or_404(visibility, pk)
    if "person" in request.POST:
        form = EnrolPersonForm(request.POST, people=visibility.managed_people())
        if not form.is_valid():
            return render_session(request, visibility, session, enrol_form=form, status=400)
        person = form.cleaned_data["person"]
    elif visibility.person_id is not None:
        person = request.user.person
    else:
        raise Http404
    try:
        enrolment = rules.enrol(request.user, person, session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request, session)
    messages.success(
        request, _enrolled_message(enrolment, person, own=person.pk == visibility.person_id)
    )
    return _back(request, session)


def _enrolled_message(enrolment, person, own: bool) -> str:
    params = {"person": person.full_name, "position": rules.waiting_position(enrolment)}
    if enrolment.status == EnrolmentStatus.ENROLLED:
        return _("You have a place.") if own else _("%(person)s has a place.") % params
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        if own:
            return (
                _(
                    "The session is full. You are number %(position)s on the waiting list and get "
                    "an email if a place frees."
                )
                % params
            )
        return (
            _("The session is full. %(person)s is number %(position)s on the waiting list.")
            % params
        )
    return _(
        "Your enrolment is sent to your leader for approval. You get an email when they have "
        "decided."
    )


@require_POST
def enrolment_cancel(request, pk):
    visibility = visibility_for(request.user)
    enrolment = get_object_or_404(
        visibility.enrolments().select_related("person", "session__course"), pk=pk
    )
    try:
        rules.cancel(request.user, enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if enrolment.person_id == visibility.person_id:
            messages.success(request, _("Your enrolment is cancelled."))
        else:
            messages.success(
                request,
                _("The enrolment of %(person)s is cancelled.")
                % {"person": enrolment.person.full_name},
            )
    return _back(request, enrolment.session)


@require_GET
def enrolment_approvals(request):
    visibility = visibility_for(request.user)
    if not may_approve(visibility):
        raise Http404
    pending = awaiting_approval(visibility).select_related("person", "session__course")
    page = Paginator(pending.order_by("requested_at", "pk"), APPROVALS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "learning/courses/approvals.html", {"page": page})


@require_POST
def enrolment_approve(request, pk):
    return _decide(request, pk, rules.approve)


@require_POST
def enrolment_decline(request, pk):
    return _decide(request, pk, rules.decline)


def _decide(request, pk, decision):
    visibility = visibility_for(request.user)
    if not may_approve(visibility):
        raise Http404
    enrolment = get_object_or_404(
        visibility.enrolments().select_related("person", "session__course"), pk=pk
    )
    try:
        enrolment = decision(request.user, enrolment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("enrolment_approvals")
    params = {"person": enrolment.person.full_name}
    if enrolment.status == EnrolmentStatus.DECLINED:
        messages.success(request, _("Declined: %(person)s was told by email.") % params)
    elif enrolment.status == EnrolmentStatus.WAITLISTED:
        messages.success(
            request,
            _("Approved. The session is full, so %(person)s is on the waiting list.") % params,
        )
    else:
        messages.success(request, _("Approved: %(person)s has a place.") % params)
    return redirect("enrolment_approvals")


def _back(request, session):
    """Back to the page the button was on (the start page, the course or the session)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("session", session.pk)
