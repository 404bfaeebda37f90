"""A session's page (kursdag): places and the participant list, attendance, and keeping
sessions; the participant list as Excel or CSV."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evne.core.exports import FORMATS, Table, export_response
from evne.core.visibility import visibility_for
from evne.learning import enrolment as rules
from evne.learning.forms.sessions import EnrolPersonForm, SessionForm
from evne.learning.models import Course, EnrolmentStatus, Session
from evne.learning.views.courses import managers_only, with_positions

# What a participant list shows, in this order.
LIST_ORDER = [
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.AWAITING_APPROVAL,
]
ATTENDANCE_VALUES = {"yes": True, "no": False}


def session_or_404(visibility, pk) -> Session:
    sessions = rules.with_place_counts(Session.objects.select_related("course"))
    if not visibility.may_manage_courses:
        sessions = sessions.filter(course__is_active=True)
    return get_object_or_404(sessions, pk=pk)


@require_GET
def session(request, pk):
    """Everyone sees the session and their own status; leaders see their people on it and may
    enrol them; course administrators see the whole list and mark attendance."""
    visibility = visibility_for(request.user)
    session = session_or_404(visibility, pk)
    file_format = request.GET.get("export")
    if file_format:
        managers_only(request)
        if file_format not in FORMATS:
            raise Http404
        return _export(session, file_format)
    return render_session(request, visibility, session)


def render_session(request, visibility, session, enrol_form=None, status=200):
    now = timezone.now()
    enrolments = (
        visibility.enrolments()
        .filter(session=session, status__in=LIST_ORDER)
        .select_related("person")
        .order_by("requested_at", "pk")
    )
    rows = with_positions(list(enrolments))
    own = next((e for e, _p in rows if e.person_id == visibility.person_id), None)
    own_position = next((p for e, p in rows if e is own), None)
    groups = {status: [] for status in LIST_ORDER}
    for enrolment, position in rows:
        if enrolment is not own or visibility.may_manage_courses:
            groups[enrolment.status].append({"enrolment": enrolment, "position": position})
    may_enrol_others = visibility.is_admin or bool(visibility.personal_paths)
    is_open = rules.is_open(session, now)
    if enrol_form is None and may_enrol_others and is_open:
        enrol_form = EnrolPersonForm(people=visibility.managed_people())
    return render(
        request,
        "learning/courses/session.html",
        {
            "session": session,
            "course": session.course,
            "own": own,
            "own_position": own_position,
            "enrolled": groups[EnrolmentStatus.ENROLLED],
            "waiting": groups[EnrolmentStatus.WAITLISTED],
            "awaiting": groups[EnrolmentStatus.AWAITING_APPROVAL],
            "is_open": is_open,
            "has_started": session.starts_at <= now,
            "may_manage": visibility.may_manage_courses,
            "is_employee": visibility.person_id is not None,
            "enrol_form": enrol_form if is_open else None,
        },
        status=status,
    )


def _export(session, file_format):
    """The participant list: who has a place (with attendance), then the waiting list in
    order, then those waiting for approval."""
    enrolments = (
        session.enrolments.filter(status__in=LIST_ORDER)
        .select_related("person")
        .order_by("requested_at", "pk")
    )
    rows = with_positions(list(enrolments))
    rows.sort(key=lambda row: (LIST_ORDER.index(row[0].status), row[1] or 0))
    attended = {True: _("Attended"), False: _("Absent"), None: ""}
    table = Table(
        title=_("Participants"),
        headers=[
            _("Employee number"),
            _("Name"),
            _("Email"),
            _("Status"),
            _("Waiting list position"),
            _("Asked for at"),
            _("Attendance"),
        ],
        rows=[
            [
                e.person.employee_number,
                e.person.full_name,
                e.person.email,
                e.get_status_display(),
                position,
                timezone.localtime(e.requested_at),
                attended[e.attended],
            ]
            for e, position in rows
        ],
    )
    starts = timezone.localtime(session.starts_at)
    return export_response([table], file_format, f"{session.course.code}-{starts:%Y-%m-%d}")


@require_http_methods(["GET", "POST"])
def session_create(request, pk):
    managers_only(request)
    course = get_object_or_404(Course, pk=pk)
    return _session_form(request, Session(course=course), _("The session was added."))


@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    managers_only(request)
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    if session.is_cancelled:
        messages.error(request, _("This session is cancelled and can no longer be changed."))
        return redirect("session", session.pk)
    return _session_form(request, session, _("The session was saved."))


def _session_form(request, session, done):
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        session = form.save()
        moved = rules.fill_places(session)
        messages.success(request, done)
        if moved:
            messages.info(
                request,
                _("%(count)s moved up from the waiting list and were told by email.")
                % {"count": len(moved)},
            )
        return redirect("session", session.pk)
    return render(
        request,
        "learning/courses/session_form.html",
        {"form": form, "session": session, "course": session.course},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def session_cancel(request, pk):
    managers_only(request)
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the session is cancelled."))
        return redirect("session", session.pk)
    told = rules.cancel_session(request.user, session)
    messages.success(
        request,
        _("The session is cancelled. %(count)s people were told.") % {"count": told},
    )
    return redirect("course", session.course_id)


@require_POST
def session_attendance(request, pk):
    """Attendance for everyone with a place, as marked in the list (attended / absent)."""
    visibility = managers_only(request)
    session = session_or_404(visibility, pk)
    enrolments = session.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
        "person", "session__course"
    )
    changed, problems = 0, []
    for enrolment in enrolments:
        value = ATTENDANCE_VALUES.get(request.POST.get(f"attended-{enrolment.pk}", ""))
        if value is None or value == enrolment.attended:
            continue
        try:
            rules.mark_attendance(request.user, enrolment, value)
            changed += 1
        except ValidationError as error:
            problems.append(f"{enrolment.person.full_name}: {' '.join(error.messages)}")
    if changed:
        messages.success(
            request,
            _(
                "Attendance saved for %(count)s people. Those who attended have the course's "
                "competences as verified records."
            )
            % {"count": changed},
        )
    for problem in problems:
        messages.error(request, problem)
    if not changed and not problems:
        messages.info(request, _("No attendance was changed."))
    return redirect("session", session.pk)
