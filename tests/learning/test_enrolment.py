"""The enrolment rules: places and the waiting list, moving up, approval, refusals, and
attendance completing the course."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from evne.competence.models import CompetenceRecord, RecordSource, RecordStatus
from evne.learning import enrolment as rules
from evne.learning.models import Completion, Enrolment, EnrolmentStatus, Session
from tests.conftest import make_user


@pytest.fixture
def cpr(courses):
    return courses.sessions["cpr"]


@pytest.fixture
def staff(municipality):
    """Four nurses at Solsiden sykehjem, led by `leader`, each with a user of their own."""
    people = [municipality.people[f"ha{index}"] for index in range(4)]
    for person in people:
        person.email = f"{person.employee_number}@testvik.no"
        person.save()
        make_user(f"user{person.employee_number}", person=person)
    return people


def refusal(call) -> str:
    with pytest.raises(ValidationError) as caught, override("en"):
        call()
    with override("en"):
        return " ".join(caught.value.messages)


def statuses(session):
    return list(
        Enrolment.objects.filter(session=session)
        .order_by("requested_at", "pk")
        .values_list("person__employee_number", "status")
    )


def past_session(course, days_ago=1, capacity=5):
    start = timezone.now() - datetime.timedelta(days=days_ago)
    return Session.objects.create(course=course, starts_at=start, capacity=capacity)


def test_a_full_session_puts_people_on_the_waiting_list_in_the_order_they_asked(
    municipality, cpr, staff
):
    leader = municipality.users["leader"]
    enrolments = [rules.enrol(leader, person, cpr) for person in staff]
    assert [e.status for e in enrolments] == [
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.WAITLISTED,
        EnrolmentStatus.WAITLISTED,
    ]
    assert [rules.waiting_position(e) for e in enrolments] == [None, None, 1, 2]


def test_when_someone_cancels_the_first_on_the_waiting_list_moves_up_and_is_emailed(
    municipality, cpr, staff, mailoutbox, django_capture_on_commit_callbacks
):
    leader = municipality.users["leader"]
    first, _second, third, fourth = [rules.enrol(leader, person, cpr) for person in staff]
    with django_capture_on_commit_callbacks(execute=True):
        rules.cancel(first.person.user, first)
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == EnrolmentStatus.ENROLLED
    assert rules.waiting_position(fourth) == 1
    assert [mail.to for mail in mailoutbox] == [[staff[2].email]]
    assert "HLR-kurs for helsepersonell" in mailoutbox[0].body


def test_more_places_move_the_waiting_list_up(municipality, cpr, staff):
    leader = municipality.users["leader"]
    for person in staff:
        rules.enrol(leader, person, cpr)
    cpr.capacity = 3
    cpr.save()
    moved = rules.fill_places(cpr)
    assert [e.person for e in moved] == [staff[2]]
    assert statuses(cpr)[3][1] == EnrolmentStatus.WAITLISTED


def test_cancelling_someone_on_the_waiting_list_frees_no_place(municipality, cpr, staff):
    leader = municipality.users["leader"]
    enrolments = [rules.enrol(leader, person, cpr) for person in staff]
    rules.cancel(leader, enrolments[2])
    assert [status for _n, status in statuses(cpr)] == [
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.CANCELLED,
        EnrolmentStatus.WAITLISTED,
    ]


def test_enrolling_again_after_cancelling_joins_the_end_of_the_queue(municipality, cpr, staff):
    leader = municipality.users["leader"]
    enrolments = [rules.enrol(leader, person, cpr) for person in staff[:3]]
    rules.cancel(leader, enrolments[0])
    again = rules.enrol(leader, staff[0], cpr)
    assert again.pk == enrolments[0].pk
    assert again.status == EnrolmentStatus.WAITLISTED


def test_enrolling_twice_is_refused(municipality, cpr):
    employee = municipality.users["employee"]
    rules.enrol(employee, municipality.people["employee"], cpr)
    message = refusal(lambda: rules.enrol(employee, municipality.people["employee"], cpr))
    assert message == "Eva Ansatt is already enrolled or on the waiting list for this session."


def test_own_enrolment_in_a_course_needing_approval_waits_for_the_leader(
    municipality, courses, cpr, mailoutbox, django_capture_on_commit_callbacks
):
    courses.courses["cpr"].requires_approval = True
    courses.courses["cpr"].save()
    eva = municipality.people["employee"]
    enrolment = rules.enrol(municipality.users["employee"], eva, cpr)
    assert enrolment.status == EnrolmentStatus.AWAITING_APPROVAL
    assert rules.places_taken(cpr) == 0
    with django_capture_on_commit_callbacks(execute=True):
        rules.approve(municipality.users["leader"], enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.decided_by == municipality.users["leader"]
    assert [mail.to for mail in mailoutbox] == [["eva@testvik.no"]]


def test_a_leader_enrolling_their_own_people_needs_no_approval(municipality, courses, cpr):
    courses.courses["cpr"].requires_approval = True
    courses.courses["cpr"].save()
    enrolment = rules.enrol(municipality.users["leader"], municipality.people["employee"], cpr)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.decided_by == municipality.users["leader"]


def test_only_a_leader_of_the_person_approves_never_the_person_or_another_organisation(
    municipality, courses, cpr
):
    courses.courses["cpr"].requires_approval = True
    courses.courses["cpr"].save()
    eva_user = municipality.users["employee"]
    enrolment = rules.enrol(eva_user, municipality.people["employee"], cpr)
    for user in (eva_user, municipality.users["outsider"], municipality.users["union_rep"]):
        assert refusal(lambda user=user: rules.approve(user, enrolment)) == (
            "Only a leader of Eva Ansatt may approve or decline this enrolment."
        )
    rules.decline(municipality.users["hr"], enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.DECLINED
    assert refusal(lambda: rules.approve(municipality.users["leader"], enrolment)) == (
        "This enrolment no longer waits for approval."
    )


def test_approving_when_the_session_filled_meanwhile_gives_the_waiting_list(
    municipality, courses, cpr, staff
):
    courses.courses["cpr"].requires_approval = True
    courses.courses["cpr"].save()
    asked = rules.enrol(municipality.users["employee"], municipality.people["employee"], cpr)
    for person in staff[:2]:
        rules.enrol(municipality.users["leader"], person, cpr)
    approved = rules.approve(municipality.users["leader"], asked)
    assert approved.status == EnrolmentStatus.WAITLISTED
    # Eva asked first, so she is first in the queue.
    assert rules.waiting_position(approved) == 1


def test_enrolling_someone_you_do_not_lead_is_refused(municipality, cpr):
    teacher = municipality.people["oc"]
    message = refusal(lambda: rules.enrol(municipality.users["leader"], teacher, cpr))
    assert message == f"You can enrol yourself and the people you lead, but not {teacher}."
    assert not Enrolment.objects.exists()


def test_enrolment_is_refused_after_it_closed(municipality, cpr):
    cpr.enrolment_closes_on = timezone.localdate() - datetime.timedelta(days=1)
    cpr.save()
    expected = cpr.enrolment_closes_on.strftime("%d.%m.%Y")
    message = refusal(
        lambda: rules.enrol(municipality.users["employee"], municipality.people["employee"], cpr)
    )
    assert message == f"Enrolment for this session closed on {expected}."


def test_enrolment_is_refused_on_a_past_or_cancelled_session(municipality, courses, cpr):
    eva, user = municipality.people["employee"], municipality.users["employee"]
    past = past_session(courses.courses["cpr"])
    assert refusal(lambda: rules.enrol(user, eva, past)) == (
        "This session has already started. Choose a later session of the course."
    )
    rules.cancel_session(municipality.users["hr"], cpr)
    assert refusal(lambda: rules.enrol(user, eva, cpr)) == (
        "This session is cancelled. Choose another session of the course."
    )
    assert not Enrolment.objects.exists()


def test_cancelling_a_session_tells_everyone_on_it(
    municipality, cpr, staff, mailoutbox, django_capture_on_commit_callbacks
):
    for person in staff[:3]:
        rules.enrol(municipality.users["leader"], person, cpr)
    with django_capture_on_commit_callbacks(execute=True):
        told = rules.cancel_session(municipality.users["hr"], cpr)
    assert told == 3
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(p.email for p in staff[:3])
    assert "HLR-kurs for helsepersonell" in mailoutbox[0].body


def test_only_course_administrators_cancel_a_session(municipality, cpr):
    assert refusal(lambda: rules.cancel_session(municipality.users["leader"], cpr)) == (
        "Only course administrators do this."
    )
    cpr.refresh_from_db()
    assert not cpr.is_cancelled


def test_attending_completes_the_course_with_a_verified_record_from_the_course(
    municipality, catalog, courses
):
    session = past_session(courses.courses["cpr"], days_ago=0)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    session.refresh_from_db()
    eva = municipality.people["employee"]
    enrolment = Enrolment.objects.create(
        session=session, person=eva, status=EnrolmentStatus.ENROLLED, requested_at=timezone.now()
    )
    completion = rules.mark_attendance(municipality.users["hr"], enrolment, True)
    assert completion.session == session
    assert completion.completed_on == timezone.localtime(session.starts_at).date()
    record = CompetenceRecord.objects.get(person=eva, competence=catalog.competences["HLR"])
    assert record.status == RecordStatus.VERIFIED
    assert record.source == RecordSource.COURSE
    enrolment.refresh_from_db()
    assert enrolment.attended is True


def test_a_mistaken_attendance_is_undone_the_same_day_but_not_later(municipality, catalog, courses):
    session = past_session(courses.courses["cpr"], days_ago=3)
    eva = municipality.people["employee"]
    enrolment = Enrolment.objects.create(
        session=session, person=eva, status=EnrolmentStatus.ENROLLED, requested_at=timezone.now()
    )
    hr = municipality.users["hr"]
    rules.mark_attendance(hr, enrolment, True)
    rules.mark_attendance(hr, enrolment, False)
    assert not Completion.objects.exists()
    assert not CompetenceRecord.objects.filter(person=eva).exists()

    completion = rules.mark_attendance(hr, enrolment, True)
    marked = timezone.now() - datetime.timedelta(days=2)
    Completion.objects.filter(pk=completion.pk).update(created_at=marked)
    message = refusal(lambda: rules.mark_attendance(hr, enrolment, False))
    assert message.startswith(f"The attendance was registered on {marked:%d.%m.%Y}")
    assert Completion.objects.count() == 1


def test_attendance_is_marked_only_by_course_administrators_after_the_start(
    municipality, cpr, staff
):
    enrolment = rules.enrol(municipality.users["leader"], staff[0], cpr)
    assert refusal(
        lambda: rules.mark_attendance(municipality.users["leader"], enrolment, True)
    ) == ("Only course administrators do this.")
    assert refusal(lambda: rules.mark_attendance(municipality.users["hr"], enrolment, True)) == (
        "Attendance can be marked once the session has started."
    )


def test_an_employee_cannot_cancel_a_colleagues_enrolment(municipality, cpr, staff):
    enrolment = rules.enrol(municipality.users["leader"], staff[0], cpr)
    assert refusal(lambda: rules.cancel(municipality.users["employee"], enrolment)) == (
        "You may cancel only your own enrolments and those of the people you lead."
    )
