"""The learning start page (kurs), a course's page, and keeping courses with what they grant."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from evne.accounts.models import Role
from evne.competence.models import ScaleLevel
from evne.core.visibility import visibility_for
from evne.learning.enrolment import ACTIVE, is_open, with_place_counts
from evne.learning.forms.courses import CourseFilterForm, CourseForm, GrantFormSet
from evne.learning.models import Course, Enrolment, EnrolmentStatus, Module, Session

COURSES_PER_PAGE = 20
NEXT_SESSIONS = 3
PAST_SESSIONS = 20


def managers_only(request):
    """The visibility of a course administrator (HR, administrators); 404 for anyone else."""
    visibility = visibility_for(request.user)
    if not visibility.may_manage_courses:
        raise Http404
    return visibility


def may_approve(visibility) -> bool:
    """Leaders, HR and administrators decide on enrolments of the people they manage."""
    return visibility.is_admin or bool(visibility.personal_paths)


@require_GET
def learning(request):
    """Courses in use with their next sessions, the user's own enrolments, and for leaders
    the enrolments waiting for their approval."""
    visibility = visibility_for(request.user)
    now = timezone.now()
    form = CourseFilterForm(request.GET or None)
    courses = Course.objects.all()
    show_inactive = visibility.may_manage_courses and request.GET.get("inactive") == "1"
    if not show_inactive:
        courses = courses.filter(is_active=True)
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            courses = courses.filter(
                Q(name__icontains=query)
                | Q(name_en__icontains=query)
                | Q(code__icontains=query)
                | Q(provider__icontains=query)
            )
        if form.cleaned_data["kind"]:
            courses = courses.filter(kind=form.cleaned_data["kind"])
    page = Paginator(courses.order_by("name", "pk"), COURSES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    course_list = list(page)
    upcoming = with_place_counts(
        Session.objects.filter(course__in=course_list, is_cancelled=False, starts_at__gt=now)
    ).order_by("starts_at", "pk")
    sessions: dict[int, list[Session]] = {}
    for session in upcoming:
        sessions.setdefault(session.course_id, []).append(session)
    rows = [
        {"course": course, "sessions": sessions.get(course.pk, [])[:NEXT_SESSIONS]}
        for course in course_list
    ]
    approvals = 0
    if may_approve(visibility):
        approvals = awaiting_approval(visibility).count()
    return render(
        request,
        "learning/courses/learning.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filtered": bool(request.GET.get("q") or request.GET.get("kind")),
            "show_inactive": show_inactive,
            "my_enrolments": my_enrolments(visibility, now),
            "approvals": approvals,
            "may_manage": visibility.may_manage_courses,
            "may_see_reports": may_see_reports(visibility),
        },
    )


def my_enrolments(visibility, now) -> list[dict]:
    """The user's own enrolments in sessions still to come, with waiting-list positions."""
    if visibility.person_id is None:
        return []
    own = list(
        visibility.enrolments()
        .filter(person_id=visibility.person_id, status__in=ACTIVE, session__starts_at__gt=now)
        .select_related("session__course")
        .order_by("session__starts_at", "pk")
    )
    return [{"enrolment": e, "position": p} for e, p in with_positions(own)]


def with_positions(enrolments: list[Enrolment]) -> list[tuple[Enrolment, int | None]]:
    """Each enrolment with its place in the waiting list (None unless waiting), in one query."""
    waiting_sessions = {e.session_id for e in enrolments if e.status == EnrolmentStatus.WAITLISTED}
    order: dict[int, list[int]] = {}
    queue = (
        Enrolment.objects.filter(session_id__in=waiting_sessions, status=EnrolmentStatus.WAITLISTED)
        .order_by("requested_at", "pk")
        .values_list("session_id", "pk")
    )
    for session_id, pk in queue:
        order.setdefault(session_id, []).append(pk)
    return [
        (e, order[e.session_id].index(e.pk) + 1 if e.status == EnrolmentStatus.WAITLISTED else None)
        for e in enrolments
    ]


def awaiting_approval(visibility):
    """Enrolments of the people the user manages that wait for a leader's decision, on
    sessions still open."""
    return visibility.enrolments().filter(
        status=EnrolmentStatus.AWAITING_APPROVAL,
        person__in=visibility.managed_people(),
        session__is_cancelled=False,
        session__starts_at__gt=timezone.now(),
    )


@require_GET
def course(request, pk):
    visibility = visibility_for(request.user)
    courses = (
        Course.objects.all()
        if visibility.may_manage_courses
        else Course.objects.filter(is_active=True)
    )
    course = get_object_or_404(courses, pk=pk)
    now = timezone.now()
    grants = list(course.grants.select_related("competence__scale").order_by("competence__name"))
    level_names = {
        (level.scale_id, level.value): level.display_name
        for level in ScaleLevel.objects.filter(
            scale_id__in={g.competence.scale_id for g in grants if g.competence.scale_id}
        )
    }
    for grant in grants:
        grant.level_name = level_names.get((grant.competence.scale_id, grant.level))
    sessions = with_place_counts(course.sessions.all())
    upcoming = list(sessions.filter(starts_at__gt=now).order_by("starts_at", "pk"))
    past = []
    if visibility.may_manage_courses:
        past = list(
            sessions.filter(starts_at__lte=now).order_by("-starts_at", "-pk")[:PAST_SESSIONS]
        )
    else:
        upcoming = [session for session in upcoming if not session.is_cancelled]
    own = {}
    if visibility.person_id is not None:
        own = {
            e.session_id: e
            for e in visibility.enrolments().filter(
                person_id=visibility.person_id, session__course=course, status__in=ACTIVE
            )
        }
    for session in upcoming:
        session.own_enrolment = own.get(session.pk)
        session.is_open = is_open(session, now)
    module = Module.objects.filter(course=course).first()
    return render(
        request,
        "learning/courses/course.html",
        {
            "course": course,
            "grants": grants,
            "upcoming": upcoming,
            "past": past,
            "may_manage": visibility.may_manage_courses,
            "is_employee": visibility.person_id is not None,
            "module": module,
            "may_see_reports": may_see_reports(visibility),
        },
    )


def may_see_reports(visibility) -> bool:
    """Leaders, HR, union representatives, analysts and administrators have learning reports:
    of people or, for some, of figures only."""
    return bool(visibility.roles - {Role.EMPLOYEE})


@require_http_methods(["GET", "POST"])
def course_create(request):
    managers_only(request)
    return _course_form(request, Course(), _("The course was added."))


@require_http_methods(["GET", "POST"])
def course_edit(request, pk):
    managers_only(request)
    return _course_form(request, get_object_or_404(Course, pk=pk), _("The course was saved."))


def _course_form(request, course, done):
    data = request.POST or None
    form = CourseForm(data, instance=course)
    grants = GrantFormSet(data, instance=course, prefix="grants")
    if request.method == "POST" and form.is_valid() and grants.is_valid():
        with transaction.atomic():
            course = form.save()
            grants.instance = course
            grants.save()
        messages.success(request, done)
        return redirect("course", course.pk)
    return render(
        request,
        "learning/courses/course_form.html",
        {"form": form, "grants": grants, "course": course},
        status=400 if request.method == "POST" else 200,
    )
