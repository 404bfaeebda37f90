"""The learning pages: the start page, a course, keeping courses, a session with its
participant list and attendance, and the approval queue."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evne.competence.models import CompetenceRecord, RecordSource
from evne.learning import enrolment as rules
from evne.learning.models import Course, CourseGrant, Enrolment, EnrolmentStatus, Session
from tests.conftest import employ, make_person


@pytest.fixture
def client_for(client_for):
    """Signed-in clients reading the pages in English, the language of the source strings."""

    def sign_in(user):
        client = client_for(user)
        client.cookies["django_language"] = "en"
        return client

    return sign_in


@pytest.fixture
def cpr(courses):
    return courses.sessions["cpr"]


def page_text(response) -> str:
    return response.content.decode()


def add_people(municipality, count, prefix="X"):
    people = []
    for index in range(count):
        person = make_person(f"{prefix}{index:03d}", f"Deltaker{index}", "Listesen")
        employ(person, municipality.units["HA"], municipality.roles["nurse"])
        people.append(person)
    return people


# The start page


def test_employee_finds_courses_with_their_next_sessions_and_free_places(
    municipality, courses, client_for
):
    response = client_for(municipality.users["employee"]).get(reverse("learning"))
    text = page_text(response)
    assert response.status_code == 200
    assert "CPR for health workers" in text
    assert "2 free places" in text
    assert reverse("session", args=[courses.sessions["cpr"].pk]) in text


def test_search_and_kind_filter_narrow_the_course_list(municipality, courses, client_for):
    client = client_for(municipality.users["employee"])
    found = page_text(client.get(reverse("learning"), {"q": "personvern"}))
    assert "Data protection in the municipality" in found
    assert "CPR for health workers" not in found
    by_kind = page_text(client.get(reverse("learning"), {"kind": "classroom"}))
    assert "CPR for health workers" in by_kind
    assert "Data protection in the municipality" not in by_kind


def test_my_enrolments_show_the_waiting_list_position_and_can_be_cancelled(
    municipality, courses, cpr, client_for
):
    staff = add_people(municipality, 2)
    for person in staff:
        rules.enrol(municipality.users["leader"], person, cpr)
    eva = municipality.people["employee"]
    enrolment = rules.enrol(municipality.users["employee"], eva, cpr)
    client = client_for(municipality.users["employee"])
    text = page_text(client.get(reverse("learning")))
    assert reverse("enrolment_cancel", args=[enrolment.pk]) in text
    assert "number 1" in text
    response = client.post(
        reverse("enrolment_cancel", args=[enrolment.pk]), {"next": reverse("learning")}
    )
    assert response.status_code == 302
    assert response.url == reverse("learning")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED


def test_leader_sees_how_many_enrolments_wait_for_approval(municipality, courses, cpr, client_for):
    courses.courses["cpr"].requires_approval = True
    courses.courses["cpr"].save()
    rules.enrol(municipality.users["employee"], municipality.people["employee"], cpr)
    text = page_text(client_for(municipality.users["leader"]).get(reverse("learning")))
    assert reverse("enrolment_approvals") in text


def test_start_page_queries_stay_bounded_however_many_courses(
    municipality, catalog, courses, client_for, django_assert_max_num_queries
):
    start = timezone.now() + datetime.timedelta(days=3)
    for index in range(30):
        course = Course.objects.create(code=f"K{index}", name=f"Kurs {index}", kind="classroom")
        CourseGrant.objects.create(course=course, competence=catalog.competences["HLR"])
        for day in range(4):
            Session.objects.create(
                course=course, starts_at=start + datetime.timedelta(days=day), capacity=5
            )
    client = client_for(municipality.users["leader"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("learning")).status_code == 200


# A course


def test_course_page_shows_facts_grants_and_an_enrol_button(
    municipality, catalog, courses, cpr, client_for
):
    client = client_for(municipality.users["employee"])
    text = page_text(client.get(reverse("course", args=[courses.courses["cpr"].pk])))
    assert "Testvik legevakt" in text
    assert "Cardiopulmonary resuscitation" in text
    assert reverse("session_enrol", args=[cpr.pk]) in text
    assert reverse("course_edit", args=[courses.courses["cpr"].pk]) not in text


def test_enrolling_from_the_course_page_gives_a_place_and_returns_there(
    municipality, courses, cpr, client_for
):
    client = client_for(municipality.users["employee"])
    course_url = reverse("course", args=[courses.courses["cpr"].pk])
    response = client.post(reverse("session_enrol", args=[cpr.pk]), {"next": course_url})
    assert response.url == course_url
    enrolment = Enrolment.objects.get(session=cpr)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert "You have a place." in page_text(client.get(course_url))


def test_a_refused_enrolment_shows_why(municipality, courses, cpr, client_for):
    cpr.is_cancelled = True
    cpr.save()
    client = client_for(municipality.users["employee"])
    response = client.post(reverse("session_enrol", args=[cpr.pk]), follow=True)
    assert "This session is cancelled" in page_text(response)
    assert not Enrolment.objects.exists()


def test_enrolling_goes_back_only_to_this_site(municipality, courses, cpr, client_for):
    client = client_for(municipality.users["employee"])
    response = client.post(
        reverse("session_enrol", args=[cpr.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("session", args=[cpr.pk])


def test_course_page_queries_stay_bounded(
    municipality, courses, client_for, django_assert_max_num_queries
):
    course = courses.courses["cpr"]
    start = timezone.now() + datetime.timedelta(days=3)
    for day in range(20):
        Session.objects.create(
            course=course, starts_at=start + datetime.timedelta(days=day), capacity=5
        )
    for user in ("employee", "hr"):
        client = client_for(municipality.users[user])
        with django_assert_max_num_queries(13):
            assert client.get(reverse("course", args=[course.pk])).status_code == 200


def test_only_course_administrators_create_and_edit_courses(municipality, courses, client_for):
    course = courses.courses["cpr"]
    for name in ("employee", "leader", "union_rep", "analyst"):
        client = client_for(municipality.users[name])
        assert client.get(reverse("course_create")).status_code == 404
        assert client.get(reverse("course_edit", args=[course.pk])).status_code == 404
        assert client.get(reverse("session_create", args=[course.pk])).status_code == 404
    client = client_for(municipality.users["hr"])
    assert client.get(reverse("course_create")).status_code == 200
    assert client.get(reverse("course_edit", args=[course.pk])).status_code == 200


def course_data(**extra):
    data = {
        "code": "DEMENS-1",
        "name": "Demensomsorgens ABC",
        "name_en": "",
        "kind": "further_education",
        "description": "",
        "provider": "Nasjonalt senter for aldring og helse",
        "hours": "22,5",
        "cost": "1500",
        "credits": "7,5",
        "is_active": "on",
        "grants-TOTAL_FORMS": "1",
        "grants-INITIAL_FORMS": "0",
        "grants-MIN_NUM_FORMS": "0",
        "grants-MAX_NUM_FORMS": "1000",
        "grants-0-competence": "",
        "grants-0-level": "",
        "grants-0-validity_months": "",
    }
    data.update(extra)
    return data


def test_hr_creates_a_course_with_the_competence_and_level_it_gives(
    municipality, catalog, client_for
):
    client = client_for(municipality.users["hr"])
    dementia = catalog.competences["DEMENS"]
    response = client.post(
        reverse("course_create"),
        course_data(**{"grants-0-competence": str(dementia.pk), "grants-0-level": "2"}),
    )
    assert response.status_code == 302
    course = Course.objects.get(code="DEMENS-1")
    assert str(course.hours) == "22.5"
    assert str(course.credits) == "7.5"
    grant = course.grants.get()
    assert (grant.competence, grant.level) == (dementia, 2)


def test_a_level_not_on_the_competences_scale_is_refused_and_nothing_saved(
    municipality, catalog, client_for
):
    client = client_for(municipality.users["hr"])
    response = client.post(
        reverse("course_create"),
        course_data(
            **{"grants-0-competence": str(catalog.competences["DEMENS"].pk), "grants-0-level": "7"}
        ),
    )
    assert response.status_code == 400
    assert "7 is not a level of" in page_text(response)
    assert 'value="Demensomsorgens ABC"' in page_text(response)
    assert not Course.objects.exists()


def test_a_level_for_a_have_or_not_competence_is_refused(municipality, catalog, client_for):
    client = client_for(municipality.users["hr"])
    response = client.post(
        reverse("course_create"),
        course_data(
            **{"grants-0-competence": str(catalog.competences["HLR"].pk), "grants-0-level": "1"}
        ),
    )
    assert response.status_code == 400
    assert "has no levels" in page_text(response)


def test_a_course_code_taken_by_another_course_is_refused(municipality, courses, client_for):
    client = client_for(municipality.users["hr"])
    response = client.post(reverse("course_create"), course_data(code="hlr-kurs"))
    assert response.status_code == 400
    assert "Another course has the code hlr-kurs." in page_text(response)


# A session


def test_hr_adds_a_session_and_raising_places_moves_the_waiting_list_up(
    municipality, courses, cpr, client_for
):
    staff = add_people(municipality, 3)
    for person in staff:
        rules.enrol(municipality.users["leader"], person, cpr)
    client = client_for(municipality.users["hr"])
    start = timezone.localtime(cpr.starts_at)
    response = client.post(
        reverse("session_edit", args=[cpr.pk]),
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": "",
            "place": cpr.place,
            "capacity": "3",
            "enrolment_closes_on": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert Enrolment.objects.filter(session=cpr, status=EnrolmentStatus.ENROLLED).count() == 3


def test_a_session_ending_before_it_starts_or_with_too_few_places_is_refused(
    municipality, courses, cpr, client_for
):
    rules.enrol(municipality.users["leader"], municipality.people["employee"], cpr)
    rules.enrol(municipality.users["leader"], municipality.people["ha0"], cpr)
    client = client_for(municipality.users["hr"])
    start = timezone.localtime(cpr.starts_at)
    response = client.post(
        reverse("session_edit", args=[cpr.pk]),
        {
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Et annet sted",
            "capacity": "1",
            "enrolment_closes_on": "",
            "note": "",
        },
    )
    text = page_text(response)
    assert response.status_code == 400
    assert "The session cannot end before it starts." in text
    assert "2 people already have a place." in text
    cpr.refresh_from_db()
    assert (cpr.place, cpr.capacity) == ("Solsiden sykehjem, møterom 1", 2)


def test_employee_sees_own_status_but_not_who_else_is_on_the_session(
    municipality, courses, cpr, client_for
):
    colleague = municipality.people["ha0"]
    rules.enrol(municipality.users["leader"], colleague, cpr)
    rules.enrol(municipality.users["employee"], municipality.people["employee"], cpr)
    text = page_text(
        client_for(municipality.users["employee"]).get(reverse("session", args=[cpr.pk]))
    )
    assert colleague.full_name not in text
    assert "?export=xlsx" not in text


def test_leader_sees_their_people_on_the_session_and_enrols_one(
    municipality, courses, cpr, client_for
):
    client = client_for(municipality.users["leader"])
    text = page_text(client.get(reverse("session", args=[cpr.pk])))
    assert 'name="person"' in text
    assert municipality.people["oc"].full_name not in text
    nurse = municipality.people["ha0"]
    client.post(reverse("session_enrol", args=[cpr.pk]), {"person": nurse.pk})
    assert Enrolment.objects.get(session=cpr).person == nurse
    assert nurse.full_name in page_text(client.get(reverse("session", args=[cpr.pk])))


def test_leader_cannot_enrol_someone_outside_their_units(municipality, courses, cpr, client_for):
    client = client_for(municipality.users["leader"])
    response = client.post(
        reverse("session_enrol", args=[cpr.pk]), {"person": municipality.people["oc"].pk}
    )
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_hr_sees_participants_in_order_and_exports_them(municipality, courses, cpr, client_for):
    staff = add_people(municipality, 4)
    for person in staff:
        rules.enrol(municipality.users["leader"], person, cpr)
    client = client_for(municipality.users["hr"])
    text = page_text(client.get(reverse("session", args=[cpr.pk])))
    assert text.index(staff[2].full_name) < text.index(staff[3].full_name)
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("session", args=[cpr.pk]), {"export": "xlsx"}).content)
    )
    rows = list(workbook.active.values)
    assert [row[0] for row in rows[1:]] == [p.employee_number for p in staff]
    assert [row[4] for row in rows[1:]] == [None, None, 1, 2]
    csv = client.get(reverse("session", args=[cpr.pk]), {"export": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert staff[0].employee_number in csv.content.decode("utf-8-sig")


def test_only_course_administrators_export_the_participant_list(
    municipality, courses, cpr, client_for
):
    for name in ("employee", "leader", "union_rep"):
        response = client_for(municipality.users[name]).get(
            reverse("session", args=[cpr.pk]), {"export": "xlsx"}
        )
        assert response.status_code == 404


def test_session_page_queries_stay_bounded_however_many_participants(
    municipality, courses, client_for, django_assert_max_num_queries
):
    course = courses.courses["cpr"]
    session = Session.objects.create(
        course=course, starts_at=timezone.now() + datetime.timedelta(days=5), capacity=20
    )
    for person in add_people(municipality, 30):
        rules.enrol(municipality.users["hr"], person, session)
    for user in ("hr", "leader", "employee"):
        client = client_for(municipality.users[user])
        with django_assert_max_num_queries(16):
            assert client.get(reverse("session", args=[session.pk])).status_code == 200


def test_marking_attendance_gives_the_course_competence_as_a_verified_record(
    municipality, catalog, courses, client_for
):
    session = Session.objects.create(
        course=courses.courses["cpr"],
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        capacity=5,
    )
    came, stayed_away = municipality.people["employee"], municipality.people["ha0"]
    enrolments = {
        person: Enrolment.objects.create(
            session=session,
            person=person,
            status=EnrolmentStatus.ENROLLED,
            requested_at=timezone.now() - datetime.timedelta(days=5),
        )
        for person in (came, stayed_away)
    }
    client = client_for(municipality.users["hr"])
    assert 'name="attended-' in page_text(client.get(reverse("session", args=[session.pk])))
    response = client.post(
        reverse("session_attendance", args=[session.pk]),
        {f"attended-{enrolments[came].pk}": "yes", f"attended-{enrolments[stayed_away].pk}": "no"},
    )
    assert response.status_code == 302
    record = CompetenceRecord.objects.get(person=came)
    assert record.competence == catalog.competences["HLR"]
    assert record.source == RecordSource.COURSE
    assert not CompetenceRecord.objects.filter(person=stayed_away).exists()
    enrolments[stayed_away].refresh_from_db()
    assert enrolments[stayed_away].attended is False


def test_cancelling_a_session_needs_the_confirmation(municipality, courses, cpr, client_for):
    client = client_for(municipality.users["hr"])
    client.post(reverse("session_cancel", args=[cpr.pk]))
    cpr.refresh_from_db()
    assert not cpr.is_cancelled
    client.post(reverse("session_cancel", args=[cpr.pk]), {"confirm": "yes"})
    cpr.refresh_from_db()
    assert cpr.is_cancelled


# Approvals


def test_leader_approves_from_the_queue(municipality, courses, cpr, client_for):
    courses.courses["cpr"].requires_approval = True
    courses.courses["cpr"].save()
    enrolment = rules.enrol(municipality.users["employee"], municipality.people["employee"], cpr)
    client = client_for(municipality.users["leader"])
    assert "Eva Ansatt" in page_text(client.get(reverse("enrolment_approvals")))
    client.post(reverse("enrolment_approve", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_the_approval_queue_is_for_leaders_and_hr_only(municipality, client_for, db):
    for name in ("employee", "union_rep", "analyst"):
        response = client_for(municipality.users[name]).get(reverse("enrolment_approvals"))
        assert response.status_code == 404
    for name in ("leader", "hr"):
        response = client_for(municipality.users[name]).get(reverse("enrolment_approvals"))
        assert response.status_code == 200


def test_a_leader_of_another_unit_cannot_decide(municipality, courses, cpr, client_for):
    courses.courses["cpr"].requires_approval = True
    courses.courses["cpr"].save()
    enrolment = rules.enrol(municipality.users["employee"], municipality.people["employee"], cpr)
    response = client_for(municipality.users["outsider"]).post(
        reverse("enrolment_approve", args=[enrolment.pk]), follow=True
    )
    assert "Only a leader of Eva Ansatt may approve" in page_text(response)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.AWAITING_APPROVAL


def test_the_menu_has_courses_for_everyone_signed_in(municipality, client_for):
    for name in ("employee", "union_rep"):
        text = page_text(client_for(municipality.users[name]).get(reverse("home")))
        assert f'href="{reverse("learning")}"' in text
