"""The leaders' follow-up of a learning plan: figures per person and per item on a hand-built
case, who sees whom, the filters, the drill-down, the exports and the query budget.

The case: "Opplæring nye sykepleiere" for the nurses of Solsiden sykehjem, with a course, a
competence and a task. Seen by its leader:
- Eva (the employee login): the course done, the competence overdue, the task not started;
- ha0: everything done; ha2: the course in progress; ha3: nothing started;
- ha1 (Avdeling Øst): left the group after doing the course;
and, outside the leader's units, hb in Hjemmetjenesten with everything overdue.
"""

import csv
import datetime
import io
from dataclasses import dataclass

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evne.learning.models import (
    Completion,
    CompletionSource,
    Course,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from evne.plans.followup import PersonState
from evne.plans.models import (
    Assignment,
    AssignmentStatus,
    AssignmentTargetKind,
    ItemKind,
    LearningPlan,
    LearningPlanItem,
    PlanTarget,
)
from tests.conftest import add_staff, make_record

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
DONE, OVERDUE = AssignmentStatus.DONE, AssignmentStatus.OVERDUE
STARTED, NOT_STARTED = AssignmentStatus.IN_PROGRESS, AssignmentStatus.NOT_STARTED


@dataclass
class Case:
    plan: LearningPlan
    course: LearningPlanItem
    competence: LearningPlanItem
    task: LearningPlanItem


def assign(plan, items, person, statuses, *, left_on=None):
    for item, status in zip(items, statuses, strict=True):
        Assignment.objects.create(
            plan=plan,
            item=item,
            person=person,
            assigned_on=TODAY - 40 * DAY,
            due_on=TODAY - 5 * DAY if status == OVERDUE else TODAY + 20 * DAY + item.position * DAY,
            status=status,
            done_on=TODAY - 10 * DAY if status == DONE else None,
            left_on=left_on,
        )


def build_case(municipality, catalog) -> Case:
    u, p = municipality.units, municipality.people
    cpr = Course.objects.create(
        code="HLR-KURS", name="HLR-kurs", name_en="CPR", kind=CourseKind.CLASSROOM
    )
    plan = LearningPlan.objects.create(title="Opplæring nye sykepleiere", unit=u["HA"])
    PlanTarget.objects.create(
        plan=plan,
        kind=AssignmentTargetKind.ROLE_IN_UNIT,
        unit=u["HA"],
        job_role=p["employee"].employments.get().job_role,
    )
    items = [
        LearningPlanItem.objects.create(plan=plan, position=1, kind=ItemKind.COURSE, course=cpr),
        LearningPlanItem.objects.create(
            plan=plan,
            position=2,
            kind=ItemKind.COMPETENCE,
            competence=catalog.competences["DEMENS"],
            level=3,
        ),
        LearningPlanItem.objects.create(
            plan=plan, position=3, kind=ItemKind.TASK, title="Gå bakvakt med erfaren kollega"
        ),
    ]
    assign(plan, items, p["employee"], [DONE, OVERDUE, NOT_STARTED])
    assign(plan, items, p["ha0"], [DONE, DONE, DONE])
    assign(plan, items, p["ha2"], [STARTED, NOT_STARTED, NOT_STARTED])
    assign(plan, items, p["ha3"], [NOT_STARTED, NOT_STARTED, NOT_STARTED])
    assign(plan, items, p["ha1"], [DONE, NOT_STARTED, NOT_STARTED], left_on=TODAY - 3 * DAY)
    assign(plan, items, p["hb"], [OVERDUE, OVERDUE, OVERDUE])
    # The statuses follow the data (the overview brings them up to date): ha2 is enrolled in a
    # coming session, which is what makes the course in progress; done stays done.
    session = Session.objects.create(
        course=cpr, starts_at=timezone.now() + 10 * DAY, capacity=10, place="Møterom 1"
    )
    Enrolment.objects.create(
        session=session,
        person=p["ha2"],
        status=EnrolmentStatus.ENROLLED,
        requested_at=timezone.now(),
    )
    Completion.objects.create(
        person=p["employee"],
        course=cpr,
        completed_on=TODAY - 10 * DAY,
        source=CompletionSource.SESSION,
        result="Bestått",
    )
    return Case(plan, *items)


@pytest.fixture
def case(municipality, catalog) -> Case:
    return build_case(municipality, catalog)


def overview(client, case, **query):
    return client.get(reverse("learning_plan_overview", args=[case.plan.pk]), query)


def names(response) -> list[str]:
    return [row.person.employee_number for row in response.context["people"]]


def test_the_overview_counts_each_person_and_item(client_for, municipality, case):
    response = overview(client_for(municipality.users["leader"]), case)
    assert response.status_code == 200
    rows = {row.person.employee_number: row for row in response.context["people"]}
    eva = rows["1002"]
    assert (eva.counts.done, eva.counts.overdue, eva.counts.not_started) == (1, 1, 1)
    assert eva.state == PersonState.OVERDUE
    assert eva.next_due == TODAY - 5 * DAY
    assert eva.unit == municipality.units["HA"]
    assert rows["ha000"].state == PersonState.DONE
    assert rows["ha000"].next_due is None
    assert rows["ha002"].state == PersonState.IN_PROGRESS
    assert rows["ha003"].state == PersonState.NOT_STARTED
    assert response.context["group_size"] == 4
    assert response.context["left"] == 1
    items = {row.item.kind: row.counts for row in response.context["items"]}
    assert (items["course"].done, items["course"].total, items["course"].done_percent) == (2, 4, 50)
    assert (items["competence"].done, items["competence"].overdue) == (1, 1)
    assert (items["task"].done, items["task"].not_started) == (1, 3)


def test_people_come_most_urgent_first(client_for, municipality, case):
    response = overview(client_for(municipality.users["leader"]), case)
    assert names(response) == ["1002", "ha003", "ha002", "ha000"]


def test_a_leader_sees_only_their_people_and_hr_sees_all(client_for, municipality, case):
    response = overview(client_for(municipality.users["leader"]), case, state="overdue")
    assert names(response) == ["1002"]
    response = overview(client_for(municipality.users["hr"]), case, state="overdue")
    assert names(response) == ["1002", "hb000"]


def test_filters_by_unit_and_status(client_for, municipality, case):
    client = client_for(municipality.users["leader"])
    assert names(overview(client, case, state="left")) == ["hae000"]
    assert names(overview(client, case, unit=municipality.units["HA1"].pk, state="left")) == [
        "hae000"
    ]
    assert names(overview(client, case, unit=municipality.units["HA1"].pk)) == []
    assert names(overview(client, case, state="done")) == ["ha000"]


def test_a_bad_filter_is_named_and_the_whole_list_still_shows(client_for, municipality, case):
    client = client_for(municipality.users["leader"])
    outside = municipality.units["HB"].pk
    response = overview(client, case, unit=outside, state="nonsense", HTTP_ACCEPT_LANGUAGE="nb")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"unit", "state"}
    assert "Velg et gyldig valg" in response.content.decode()
    assert len(names(response)) == 4


def test_the_employee_and_the_union_representative_cannot_open_the_overview(
    client_for, municipality, case
):
    for username in ("employee", "union_rep", "analyst", "outsider"):
        response = overview(client_for(municipality.users[username]), case)
        assert response.status_code == 404, username


def test_the_drill_down_shows_each_item_and_what_made_it_done(client_for, municipality, case):
    eva = municipality.people["employee"]
    url = reverse("learning_plan_person", args=[case.plan.pk, eva.pk])
    response = client_for(municipality.users["leader"]).get(url)
    assert response.status_code == 200
    found = {a.item.kind: a for a in response.context["assignments"]}
    assert found["course"].evidence.result == "Bestått"
    assert found["competence"].evidence is None
    page = response.content.decode()
    assert (TODAY - 10 * DAY).strftime("%d.%m.%Y") in page
    assert "Gå bakvakt med erfaren kollega" in page
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.object_pk == str(eva.pk)


def test_the_drill_down_finds_the_verified_record_behind_a_competence(
    client_for, municipality, catalog, case
):
    person = municipality.people["ha0"]
    record = make_record(person, catalog.competences["DEMENS"], TODAY - 12 * DAY, level=3)
    url = reverse("learning_plan_person", args=[case.plan.pk, person.pk])
    response = client_for(municipality.users["leader"]).get(url)
    found = {a.item.kind: a for a in response.context["assignments"]}
    assert found["competence"].evidence == record


def test_a_leader_cannot_drill_down_to_someone_outside_their_units(client_for, municipality, case):
    url = reverse("learning_plan_person", args=[case.plan.pk, municipality.people["hb"].pk])
    assert client_for(municipality.users["leader"]).get(url).status_code == 404
    assert client_for(municipality.users["hr"]).get(url).status_code == 200
    eva = municipality.people["employee"]
    url = reverse("learning_plan_person", args=[case.plan.pk, eva.pk])
    assert client_for(municipality.users["employee"]).get(url).status_code == 404


def test_the_xlsx_export_has_a_sheet_per_table(client_for, municipality, case):
    response = overview(client_for(municipality.users["leader"]), case, export="xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    people, items = workbook.worksheets
    rows = list(people.iter_rows(values_only=True))
    assert len(rows) == 5
    eva = next(row for row in rows if row[1] == "1002")
    assert eva[4:9] == (1, 0, 1, 1, 3)
    assert eva[9] == datetime.datetime.combine(TODAY - 5 * DAY, datetime.time())
    course = list(items.iter_rows(values_only=True))[1]
    assert course[0] == "HLR-kurs"
    assert course[2:] == (2, 1, 0, 1, 4, 50)


def test_the_csv_exports_follow_the_filters(client_for, municipality, case):
    client = client_for(municipality.users["leader"])
    response = overview(client, case, export="csv", table="people", state="overdue")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[1] for row in rows[1:]] == ["1002"]
    assert rows[1][9] == (TODAY - 5 * DAY).strftime("%d.%m.%Y")
    response = overview(client, case, export="csv", table="items")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == [
        "HLR-kurs",
        "Demensomsorg",
        "Gå bakvakt med erfaren kollega",
    ]


def test_the_overview_costs_the_same_queries_whatever_the_number_of_people(
    client_for, municipality, case, django_assert_max_num_queries
):
    client = client_for(municipality.users["leader"])
    items = [case.course, case.competence, case.task]
    with django_assert_max_num_queries(18):
        overview(client, case)
    for person in add_staff(municipality.units["HA"], municipality.roles["nurse"], 30, "more"):
        assign(case.plan, items, person, [DONE, STARTED, OVERDUE])
    with django_assert_max_num_queries(18):
        response = overview(client, case)
    assert response.context["group_size"] == 34


def test_the_follow_up_lists_the_plans_with_their_completion(client_for, municipality, case):
    response = client_for(municipality.users["leader"]).get(reverse("learning_plans_followup"))
    (row,) = response.context["rows"]
    assert (row.counts.done, row.counts.total, row.counts.overdue, row.people) == (4, 12, 1, 4)
    page = response.content.decode()
    assert reverse("learning_plan_overview", args=[case.plan.pk]) in page


def test_a_leader_follows_an_area_plan_given_to_their_people(
    client_for, municipality, case, django_assert_max_num_queries
):
    case.plan.unit = municipality.units["H"]
    case.plan.save()
    client = client_for(municipality.users["leader"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("learning_plans_followup"))
    (row,) = response.context["rows"]
    assert row.people == 4
    assert names(overview(client, case)) == ["1002", "ha003", "ha002", "ha000"]


def test_the_follow_up_is_empty_for_an_employee(client_for, municipality, case):
    response = client_for(municipality.users["employee"]).get(reverse("learning_plans_followup"))
    assert response.status_code == 200
    assert response.context["rows"] == []


def test_a_record_verified_now_shows_as_done_at_once(municipality, catalog, client_for):
    """Done follows the data without waiting for the nightly update: the overview and "my plan"
    bring the statuses up to date when they are opened."""
    case = build_case(municipality, catalog)
    eva = municipality.people["employee"]
    make_record(eva, catalog.competences["DEMENS"], TODAY - DAY, level=3)
    client_for(municipality.users["employee"]).get(reverse("my_plan"))
    assert Assignment.objects.get(item=case.competence, person=eva).status == DONE
    ha3 = municipality.people["ha3"]
    make_record(ha3, catalog.competences["DEMENS"], TODAY - DAY, level=4)
    client_for(municipality.users["leader"]).get(
        reverse("learning_plan_overview", args=[case.plan.pk])
    )
    assert Assignment.objects.get(item=case.competence, person=ha3).status == DONE
