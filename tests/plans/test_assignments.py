"""The assignment engine: who a learning plan reaches, due dates, and statuses set by the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evne.competence.models import RecordStatus
from evne.learning.models import (
    Attempt,
    Completion,
    CompletionSource,
    Course,
    CourseGrant,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    Module,
    Session,
)
from evne.organization.models import Employment, OrgUnit
from evne.plans import assignments
from evne.plans.models import (
    Assignment,
    AssignmentStatus,
    AssignmentTargetKind,
    DueKind,
    ItemKind,
    LearningPlan,
    LearningPlanItem,
    PeopleGroup,
    PlanTarget,
)
from tests.conftest import add_staff, employ, make_person, make_record

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def course(catalog):
    cpr = Course.objects.create(code="HLR-KURS", name="HLR-kurs", kind=CourseKind.CLASSROOM)
    CourseGrant.objects.create(course=cpr, competence=catalog.competences["HLR"])
    return cpr


@pytest.fixture
def plan(municipality):
    return LearningPlan.objects.create(
        title="Opplæring nye sykepleiere", unit=municipality.units["HA"]
    )


def add_item(plan, kind, position=1, **extra):
    extra.setdefault("due_kind", DueKind.NONE)
    return LearningPlanItem.objects.create(plan=plan, kind=kind, position=position, **extra)


def target(plan, kind, **who):
    return PlanTarget.objects.create(plan=plan, kind=kind, **who)


def nurses_of_solsiden(plan, municipality):
    return target(
        plan,
        AssignmentTargetKind.ROLE_IN_UNIT,
        unit=municipality.units["HA"],
        job_role=municipality.roles["nurse"],
    )


def assignment(item, person):
    return Assignment.objects.get(item=item, person=person)


def test_members_of_each_kind_of_target(municipality, plan):
    u, p, roles = municipality.units, municipality.people, municipality.roles
    unit = target(plan, AssignmentTargetKind.UNIT, unit=u["HA"])
    role = target(plan, AssignmentTargetKind.ROLE_IN_UNIT, unit=u["HA"], job_role=roles["leader"])
    group = PeopleGroup.objects.create(name="Nattevakter", unit=u["HA"])
    group.members.add(p["ha0"], p["former"])
    in_group = target(plan, AssignmentTargetKind.GROUP, group=group)
    person = target(plan, AssignmentTargetKind.PERSON, person=p["oc"])

    def ids(t):
        return set(assignments.members(t, TODAY).values_list("person_id", flat=True))

    # The unit and everything below it, without people whose positions have ended.
    assert len(ids(unit)) == 8
    assert p["ha1"].pk in ids(unit) and p["former"].pk not in ids(unit)
    assert ids(role) == {p["leader"].pk}
    assert ids(in_group) == {p["ha0"].pk}
    assert ids(person) == {p["oc"].pk}


def test_each_member_gets_each_item_once_through_the_first_target(municipality, plan):
    item = add_item(plan, ItemKind.TASK, title="Gå gjennom prosedyrene")
    add_item(plan, ItemKind.TASK, position=2, title="Signer taushetserklæring")
    first = nurses_of_solsiden(plan, municipality)
    target(plan, AssignmentTargetKind.UNIT, unit=municipality.units["HA"])
    new = assignments.update(plan, TODAY)
    assert new.count() == 16
    assert assignment(item, municipality.people["employee"]).target == first
    assert assignment(item, municipality.people["leader"]).target != first


def test_a_new_hire_in_the_role_gets_the_plan_on_the_next_update(municipality, plan):
    item = add_item(plan, ItemKind.TASK, title="Introduksjon")
    nurses_of_solsiden(plan, municipality)
    assignments.update(plan, TODAY)
    hire = make_person("2001", "Nina", "Nyansatt")
    Employment.objects.create(
        person=hire,
        unit=municipality.units["HA1"],
        job_role=municipality.roles["nurse"],
        fte=100,
        start_date=TODAY,
    )
    new = assignments.update(plan, TODAY)
    assert list(new) == [assignment(item, hire)]
    assert new[0].assigned_on == TODAY


def test_a_person_who_leaves_keeps_their_assignments_and_gets_them_back_on_return(
    municipality, plan
):
    item = add_item(plan, ItemKind.TASK, title="Introduksjon")
    nurses_of_solsiden(plan, municipality)
    assignments.update(plan, TODAY)
    leaving = municipality.people["ha0"]
    position = Employment.objects.get(person=leaving)
    position.end_date = TODAY - datetime.timedelta(days=1)
    position.save()
    assignments.update(plan, TODAY)
    kept = assignment(item, leaving)
    assert kept.left_on == TODAY
    position.end_date = None
    position.save()
    assert not assignments.update(plan, TODAY + datetime.timedelta(days=3)).exists()
    assert assignment(item, leaving).left_on is None


def test_an_ended_target_brings_nobody_new_but_keeps_its_people(municipality, plan):
    item = add_item(plan, ItemKind.TASK, title="Introduksjon")
    reach = nurses_of_solsiden(plan, municipality)
    assignments.update(plan, TODAY)
    reach.ended_at = timezone.now()
    reach.save()
    hire = make_person("2001", "Nina", "Nyansatt")
    employ(hire, municipality.units["HA"], municipality.roles["nurse"])
    assert not assignments.update(plan, TODAY).exists()
    assert assignment(item, municipality.people["employee"]).left_on is None
    assert not Assignment.objects.filter(person=hire).exists()


def test_due_dates_on_a_date_after_assignment_after_hire_or_none(municipality, plan):
    on_date = add_item(
        plan, ItemKind.TASK, 1, title="A", due_kind=DueKind.DATE, due_on=datetime.date(2026, 6, 1)
    )
    after = add_item(
        plan, ItemKind.TASK, 2, title="B", due_kind=DueKind.AFTER_ASSIGNMENT, due_days=30
    )
    hired = add_item(plan, ItemKind.TASK, 3, title="C", due_kind=DueKind.AFTER_HIRE, due_days=60)
    never = add_item(plan, ItemKind.TASK, 4, title="D", due_kind=DueKind.NONE)
    person = make_person("2001", "Nina", "Nyansatt")
    # Two positions: the hire date is the earlier one's start.
    employ(person, municipality.units["HA"], municipality.roles["nurse"]).delete()
    for start in (datetime.date(2026, 2, 1), datetime.date(2026, 2, 15)):
        Employment.objects.create(
            person=person,
            unit=municipality.units["HA"],
            job_role=municipality.roles["nurse"],
            fte=50,
            start_date=start,
        )
    target(plan, AssignmentTargetKind.PERSON, person=person)
    assignments.update(plan, TODAY)
    assert assignment(on_date, person).due_on == datetime.date(2026, 6, 1)
    assert assignment(after, person).due_on == datetime.date(2026, 4, 1)
    assert assignment(hired, person).due_on == datetime.date(2026, 4, 2)
    assert assignment(never, person).due_on is None


def test_editing_an_items_due_rule_moves_the_open_due_dates(municipality, plan):
    item = add_item(plan, ItemKind.TASK, title="A", due_kind=DueKind.AFTER_ASSIGNMENT, due_days=30)
    nurses_of_solsiden(plan, municipality)
    assignments.update(plan, TODAY)
    item.due_days = 10
    item.save()
    assignments.update(plan, TODAY + datetime.timedelta(days=1))
    assert assignment(item, municipality.people["employee"]).due_on == datetime.date(2026, 3, 12)


@pytest.fixture
def competence_items(municipality, catalog, plan):
    c = catalog.competences
    target(plan, AssignmentTargetKind.PERSON, person=municipality.people["employee"])
    return {
        "hlr": add_item(plan, ItemKind.COMPETENCE, 1, competence=c["HLR"]),
        "medicine": add_item(plan, ItemKind.COMPETENCE, 2, competence=c["LEGEMIDDEL"]),
        "dementia": add_item(plan, ItemKind.COMPETENCE, 3, competence=c["DEMENS"], level=3),
    }


def statuses(items, person):
    return {
        key: Assignment.objects.get(item=item, person=person).status for key, item in items.items()
    }


def test_a_verified_record_valid_today_at_the_level_completes_the_item(
    municipality, catalog, competence_items
):
    c, person = catalog.competences, municipality.people["employee"]
    make_record(person, c["HLR"], datetime.date(2025, 9, 1), expires=datetime.date(2026, 9, 1))
    make_record(person, c["SYKEPLEIER"], datetime.date(2012, 6, 20))  # implies medicine handling
    make_record(person, c["DEMENS"], datetime.date(2024, 1, 1), level=2)
    assignments.update(plan := competence_items["hlr"].plan, TODAY)
    assert statuses(competence_items, person) == {
        "hlr": "done",
        "medicine": "done",
        "dementia": "not_started",
    }
    assert assignment(competence_items["hlr"], person).done_on == datetime.date(2025, 9, 1)
    make_record(person, c["DEMENS"], datetime.date(2026, 3, 1), level=3)
    assignments.refresh_status(plan, TODAY)
    assert statuses(competence_items, person)["dementia"] == "done"


def test_pending_or_expired_records_do_not_complete_the_item(
    municipality, catalog, competence_items
):
    c, person = catalog.competences, municipality.people["employee"]
    make_record(person, c["HLR"], datetime.date(2024, 9, 1), expires=datetime.date(2025, 9, 1))
    make_record(
        person, c["DEMENS"], datetime.date(2026, 3, 1), level=3, status=RecordStatus.PENDING
    )
    assignments.update(competence_items["hlr"].plan, TODAY)
    assert statuses(competence_items, person) == {
        "hlr": "not_started",
        "medicine": "not_started",
        "dementia": "in_progress",
    }


def course_plan(plan, municipality, course):
    item = add_item(plan, ItemKind.COURSE, course=course)
    target(plan, AssignmentTargetKind.PERSON, person=municipality.people["employee"])
    return item


def complete(person, course, on, *, expires=None, catalog=None):
    completion = Completion.objects.create(
        person=person, course=course, completed_on=on, source=CompletionSource.REGISTERED
    )
    if catalog is not None:
        record = make_record(person, catalog.competences["HLR"], on, expires=expires)
        completion.records.add(record)
    return completion


def test_a_course_completion_after_assignment_completes_the_item(municipality, plan, course):
    item = course_plan(plan, municipality, course)
    person = municipality.people["employee"]
    assignments.update(plan, TODAY)
    assert assignment(item, person).status == AssignmentStatus.NOT_STARTED
    complete(person, course, TODAY)
    assignments.refresh_status(plan, TODAY)
    done = assignment(item, person)
    assert (done.status, done.done_on) == (AssignmentStatus.DONE, TODAY)


def test_an_earlier_completion_counts_while_what_it_gave_is_still_valid(
    municipality, catalog, plan, course
):
    item = course_plan(plan, municipality, course)
    person = municipality.people["employee"]
    complete(
        person,
        course,
        datetime.date(2025, 6, 1),
        expires=datetime.date(2026, 6, 1),
        catalog=catalog,
    )
    assignments.update(plan, TODAY)
    assert assignment(item, person).status == AssignmentStatus.DONE


def test_an_earlier_completion_whose_competence_expired_does_not_count(
    municipality, catalog, plan, course
):
    item = course_plan(plan, municipality, course)
    person = municipality.people["employee"]
    complete(
        person,
        course,
        datetime.date(2024, 6, 1),
        expires=datetime.date(2025, 6, 1),
        catalog=catalog,
    )
    assignments.update(plan, TODAY)
    assert assignment(item, person).status == AssignmentStatus.NOT_STARTED


def test_an_enrolment_in_a_coming_session_puts_the_course_in_progress(municipality, plan, course):
    item = course_plan(plan, municipality, course)
    person = municipality.people["employee"]
    starts = datetime.datetime(2026, 3, 20, 9, tzinfo=datetime.UTC)
    session = Session.objects.create(course=course, starts_at=starts, capacity=10)
    Enrolment.objects.create(
        session=session, person=person, status=EnrolmentStatus.ENROLLED, requested_at=timezone.now()
    )
    assignments.update(plan, TODAY)
    assert assignment(item, person).status == AssignmentStatus.IN_PROGRESS


def test_an_elearning_attempt_begun_puts_the_course_in_progress(municipality, plan, course):
    item = course_plan(plan, municipality, course)
    person = municipality.people["employee"]
    module = Module.objects.create(course=course, is_published=True)
    assignments.update(plan, TODAY)
    Attempt.objects.create(module=module, person=person)
    assignments.refresh_status(plan, TODAY)
    assert assignment(item, person).status == AssignmentStatus.IN_PROGRESS


def test_past_due_and_not_done_is_overdue_even_when_in_progress(municipality, catalog, plan):
    c, person = catalog.competences, municipality.people["employee"]
    item = add_item(
        plan,
        ItemKind.COMPETENCE,
        competence=c["HLR"],
        due_kind=DueKind.AFTER_ASSIGNMENT,
        due_days=7,
    )
    target(plan, AssignmentTargetKind.PERSON, person=person)
    assignments.update(plan, TODAY)
    make_record(person, c["HLR"], TODAY, status=RecordStatus.PENDING)
    assignments.update(plan, TODAY + datetime.timedelta(days=7))
    assert assignment(item, person).status == AssignmentStatus.IN_PROGRESS
    assignments.update(plan, TODAY + datetime.timedelta(days=8))
    assert assignment(item, person).status == AssignmentStatus.OVERDUE


def test_a_task_marked_done_stays_done_with_who_and_when(municipality, plan):
    item = add_item(plan, ItemKind.TASK, title="Signer taushetserklæring")
    nurses_of_solsiden(plan, municipality)
    assignments.update(plan, TODAY)
    task = assignment(item, municipality.people["employee"])
    assignments.mark_done(task, municipality.users["leader"], TODAY)
    assignments.update(plan, TODAY + datetime.timedelta(days=1))
    task.refresh_from_db()
    assert (task.status, task.done_on, task.marked_done_by) == (
        AssignmentStatus.DONE,
        TODAY,
        municipality.users["leader"],
    )


def test_updating_twice_changes_nothing(municipality, catalog, plan, course):
    c = catalog.competences
    add_item(
        plan, ItemKind.COMPETENCE, 1, competence=c["HLR"], due_kind=DueKind.AFTER_HIRE, due_days=30
    )
    add_item(plan, ItemKind.COURSE, 2, course=course)
    nurses_of_solsiden(plan, municipality)
    make_record(municipality.people["ha0"], c["HLR"], datetime.date(2026, 1, 5))

    def snapshot():
        return list(Assignment.objects.order_by("pk").values())

    assert assignments.update(plan, TODAY).count() == 14
    first = snapshot()
    assert not assignments.update(plan, TODAY).exists()
    assert snapshot() == first


def test_update_all_updates_plans_in_use_only(municipality, plan):
    add_item(plan, ItemKind.TASK, title="Introduksjon")
    nurses_of_solsiden(plan, municipality)
    resting = LearningPlan.objects.create(
        title="Gammel plan", unit=municipality.units["HA"], is_active=False
    )
    add_item(resting, ItemKind.TASK, title="Noe")
    nurses_of_solsiden(resting, municipality)
    assert assignments.update_all(TODAY) == 7
    assert not Assignment.objects.filter(plan=resting).exists()


def count_queries(function, *args):
    with CaptureQueriesContext(connection) as queries:
        function(*args)
    return len(queries)


def school_plan(municipality, catalog, course, size):
    """A plan of three items for a new school of `size` teachers."""
    unit = OrgUnit.objects.create(
        code=f"S{size}", name=f"Skole {size}", parent=municipality.units["O"]
    )
    add_staff(unit, municipality.roles["teacher"], size, f"s{size}x")
    plan = LearningPlan.objects.create(title="Skoleplan", unit=unit)
    hlr = catalog.competences["HLR"]
    add_item(plan, ItemKind.COMPETENCE, 1, competence=hlr, due_kind=DueKind.AFTER_HIRE, due_days=30)
    add_item(plan, ItemKind.COURSE, 2, course=course, due_kind=DueKind.AFTER_ASSIGNMENT, due_days=9)
    add_item(plan, ItemKind.TASK, 3, title="Oppgave")
    target(plan, AssignmentTargetKind.UNIT, unit=unit)
    return plan


def test_update_and_refresh_take_the_same_queries_for_5_and_50_people(
    municipality, catalog, course
):
    small, large = (school_plan(municipality, catalog, course, size) for size in (5, 50))
    assert count_queries(assignments.update, small, TODAY) == count_queries(
        assignments.update, large, TODAY
    )
    assert Assignment.objects.filter(plan=large).count() == 150
    assert count_queries(assignments.refresh_status, small, TODAY) == 2
    assert count_queries(assignments.refresh_status, large, TODAY) == 2
