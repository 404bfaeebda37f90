"""Courses in the browser: an employee enrols on a phone and lands on the waiting list, HR
marks attendance, and axe-core on every course page in both languages, desktop and 360 px."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evne.competence.models import CompetenceRecord
from evne.learning import enrolment as rules
from evne.learning.models import Enrolment, EnrolmentStatus, Session
from tests.e2e.checks import check, open_signed_in
from tests.e2e.conftest import DESKTOP, PHONE
from tests.learning import conftest as learning_conftest

# The learning tests' shared courses, as a fixture of this module under a name of its own.
learning_courses = learning_conftest.courses


def test_an_employee_enrols_on_a_phone_and_joins_the_waiting_list(
    municipality, learning_courses, open_browser
):
    m, cpr = municipality, learning_courses.sessions["cpr"]
    for name in ("ha0", "ha1"):
        rules.enrol(m.users["leader"], m.people[name], cpr)
    page = open_signed_in(open_browser, PHONE, "en", "employee")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Learning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Courses")
    page.get_by_role("link", name="CPR for health workers").click()
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_role("status")).to_contain_text("You are number 1 on the waiting list")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    enrolment = Enrolment.objects.get(person=m.people["employee"])
    assert enrolment.status == EnrolmentStatus.WAITLISTED


def test_hr_marks_attendance_and_the_competence_is_registered(
    municipality, catalog, learning_courses, open_browser
):
    m = municipality
    session = Session.objects.create(
        course=learning_courses.courses["cpr"],
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        capacity=4,
    )
    Enrolment.objects.create(
        session=session,
        person=m.people["employee"],
        status=EnrolmentStatus.ENROLLED,
        requested_at=timezone.now() - datetime.timedelta(days=3),
    )
    page = open_signed_in(open_browser, DESKTOP, "en", "hr")
    page.goto(f"/learning/sessions/{session.pk}/")
    page.get_by_role("group", name="Eva Ansatt").get_by_label("Attended").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("status")).to_contain_text("Attendance saved for 1 people")
    assert CompetenceRecord.objects.filter(
        person=m.people["employee"], competence=catalog.competences["HLR"]
    ).exists()


def fill(municipality, courses):
    """Sessions in every state, with a long course name, and the pages to check with the user
    who opens them."""
    m, cpr = municipality, courses.sessions["cpr"]
    course = courses.courses["cpr"]
    course.requires_approval = True
    course.name = course.name_en = (
        "Hjerte-lunge-redning og akuttmedisinsk førstehjelp for helsepersonell"
    )
    course.save()
    rules.enrol(m.users["leader"], m.people["ha0"], cpr)
    rules.enrol(m.users["leader"], m.people["ha1"], cpr)
    rules.enrol(m.users["leader"], m.people["ha2"], cpr)
    rules.enrol(m.users["employee"], m.people["employee"], cpr)
    past = Session.objects.create(
        course=course, starts_at=timezone.now() - datetime.timedelta(hours=2), capacity=3
    )
    Enrolment.objects.create(
        session=past,
        person=m.people["ha3"],
        status=EnrolmentStatus.ENROLLED,
        requested_at=timezone.now() - datetime.timedelta(days=2),
    )
    return [
        ("employee", "learning", "/learning/"),
        ("employee", "course", f"/learning/courses/{course.pk}/"),
        ("employee", "session", f"/learning/sessions/{cpr.pk}/"),
        ("leader", "learning as leader", "/learning/"),
        ("leader", "session as leader", f"/learning/sessions/{cpr.pk}/"),
        ("leader", "approvals", "/learning/enrolments/approvals/"),
        ("hr", "course as HR", f"/learning/courses/{course.pk}/"),
        ("hr", "session as HR", f"/learning/sessions/{cpr.pk}/"),
        ("hr", "attendance", f"/learning/sessions/{past.pk}/"),
        ("hr", "course form", f"/learning/courses/{course.pk}/edit/"),
        ("hr", "new course", "/learning/courses/new/"),
        ("hr", "session form", f"/learning/sessions/{cpr.pk}/edit/"),
        ("hr", "new session", f"/learning/courses/{course.pk}/sessions/new/"),
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_course_page_passes_axe_and_fits_the_screen(
    municipality, catalog, learning_courses, open_browser, language, viewport
):
    pages = fill(municipality, learning_courses)
    problems: dict = {}
    signed_in = {}
    for username, name, path in pages:
        if username not in signed_in:
            signed_in[username] = open_signed_in(open_browser, viewport, language, username)
        page = signed_in[username]
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        check(page, viewport, problems, name)
    # A form sent with mistakes shows its errors, which must pass too.
    page = signed_in["hr"]
    page.goto("/learning/courses/new/")
    page.locator("form.form-stack button[type=submit]").click()
    check(page, viewport, problems, "course form with errors")
    assert problems == {}
