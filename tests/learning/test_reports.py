"""The completion reports: figures per course and per unit, the test's hardest questions, the
people behind them for those who may see them, hidden figures for the others, and exports."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from evne.learning.completions import complete_course
from evne.learning.models import (
    Answer,
    Attempt,
    Certificate,
    CompletionSource,
    Enrolment,
    EnrolmentStatus,
)
from evne.organization.models import Person
from tests.conftest import add_staff, make_user


def attempt(courses, person, answers, *, submitted=True):
    """An attempt at the data protection test with the given answers (right or wrong, in
    question order); passed when every answer is right."""
    score = round(100 * sum(answers) / len(answers))
    made = Attempt.objects.create(
        module=courses.module,
        person=person,
        submitted_at=timezone.now() if submitted else None,
        score_percent=score if submitted else None,
        passed=all(answers) if submitted else None,
    )
    for position, (question, right) in enumerate(zip(courses.questions, answers, strict=True)):
        Answer.objects.create(
            attempt=made,
            question=question,
            position=position,
            is_correct=right if submitted else None,
        )
    return made


@pytest.fixture
def progress(municipality, courses):
    """Solsiden (8 people) and data protection: Eva passed today with a certificate; ha0 and
    Avdeling Øst's hae0 failed; ha1 has begun; ha2 completed in 2023 (expired after 24
    months). CPR: ha3 is enrolled in the coming session; hae0 completed it today."""
    p, today = municipality.people, timezone.localdate()
    privacy, cpr = courses.courses["privacy"], courses.courses["cpr"]
    passed = attempt(courses, p["employee"], [True, True, True])
    completion, _ = complete_course(
        p["employee"],
        privacy,
        completed_on=today,
        source=CompletionSource.ELEARNING,
        result="100 %",
    )
    passed.completion = completion
    passed.save()
    Certificate.objects.create(completion=completion, code="EVNE-1234")
    attempt(courses, staff("ha000"), [True, False, False])
    attempt(courses, staff("ha001"), [False, False, False], submitted=False)
    hae0 = staff("hae000")
    attempt(courses, hae0, [True, False, True])
    complete_course(
        staff("ha002"),
        privacy,
        completed_on=datetime.date(2023, 1, 1),
        source=CompletionSource.IMPORT,
    )
    Enrolment.objects.create(
        session=courses.sessions["cpr"],
        person=staff("ha003"),
        status=EnrolmentStatus.ENROLLED,
        requested_at=timezone.now(),
    )
    complete_course(hae0, cpr, completed_on=today, source=CompletionSource.SESSION)
    return courses


def staff(number):
    return Person.objects.get(employee_number=number)


def report(client, course, unit, **extra):
    return client.get(reverse("course_report", args=[course.pk]), {"unit": unit.pk, **extra})


def counts(row):
    c = row.counts
    return (c.people, c.in_period, c.valid, c.in_progress, c.expired, c.not_started)


def test_completion_per_course_in_the_leaders_unit(municipality, progress, client_for):
    response = client_for(municipality.users["leader"]).get(reverse("learning_reports"))
    assert response.status_code == 200
    assert response.context["unit"] == municipality.units["HA"]
    rows = {row.subject.code: counts(row) for row in response.context["course_rows"]}
    assert rows == {
        "PERSONVERN": (8, 1, 1, 3, 1, 3),
        "HLR-KURS": (8, 1, 1, 1, 0, 6),
    }


def test_employees_passed_elearning_shows_in_their_leaders_report(
    municipality, progress, client_for
):
    response = report(
        client_for(municipality.users["leader"]),
        progress.courses["privacy"],
        municipality.units["HA"],
    )
    completed = response.context["completed"]
    assert [row.person for row in completed][:1] == [municipality.people["employee"]]
    assert "EVNE-1234" in response.text
    assert "Eva Ansatt" in response.text


def test_completion_per_unit_rolls_up_the_units_below(municipality, progress, client_for):
    response = report(
        client_for(municipality.users["leader"]),
        progress.courses["privacy"],
        municipality.units["HA"],
    )
    rows = {row.subject.code: counts(row) for row in response.context["unit_rows"]}
    assert rows == {"HA": (8, 1, 1, 3, 1, 3), "HA1": (2, 0, 0, 1, 0, 1)}


def test_hardest_questions_come_first(municipality, progress, client_for):
    response = report(
        client_for(municipality.users["leader"]),
        progress.courses["privacy"],
        municipality.units["HA"],
    )
    rows = response.context["question_rows"]
    assert [row.question for row in rows] == [
        progress.questions[1],
        progress.questions[2],
        progress.questions[0],
    ]
    assert [(row.result.wrong, row.result.answered) for row in rows] == [(2, 3), (1, 3), (0, 3)]
    (result,) = response.context["result_rows"]
    assert (result.result.attempts, result.result.passed, result.pass_percent) == (3, 1, 33)


def test_union_representative_sees_figures_but_no_people_and_small_units_hidden(
    municipality, progress, client_for
):
    response = report(
        client_for(municipality.users["union_rep"]),
        progress.courses["privacy"],
        municipality.units["HA"],
    )
    assert response.status_code == 200
    assert not response.context["personal"]
    assert response.context["completed"] == []
    assert "Eva Ansatt" not in response.text
    total, below = response.context["unit_rows"]
    assert total.counts is not None
    assert below.counts is None  # Avdeling Øst: two people
    # Three people took the test: too few to show.
    assert response.context["result_rows"][0].result is None
    assert response.context["question_rows"] == []
    assert "Skjult: færre enn fem personer." in response.text


@pytest.mark.parametrize(
    ("user", "unit", "shown"),
    [
        ("hr", "HB", True),
        ("leader", "HA", True),
        ("union_rep", "HB", False),
        ("analyst", "HB", False),
        ("analyst", "HA", True),
    ],
)
def test_course_figures_are_hidden_below_five_for_who_may_not_see_the_people(
    municipality, progress, client_for, user, unit, shown
):
    response = client_for(municipality.users[user]).get(
        reverse("learning_reports"), {"unit": municipality.units[unit].pk}
    )
    assert (response.context["people"] is not None) is shown


def test_leader_sees_only_their_units_people(municipality, progress, client_for):
    client = client_for(municipality.users["leader"])
    response = report(client, progress.courses["privacy"], municipality.units["OC"])
    assert "unit" in response.context["form"].errors
    assert "completed" not in response.context
    response = report(client, progress.courses["privacy"], municipality.units["HA"])
    people = {row.person for row in response.context["not_completed"]}
    assert municipality.people["oc"] not in people
    assert municipality.people["hb"] not in people
    assert municipality.people["former"] not in people
    assert len(people) + len(response.context["completed"]) == 8


def test_course_report_exports_every_table_and_csv_one(municipality, progress, client_for):
    client = client_for(municipality.users["leader"])
    response = report(client, progress.courses["privacy"], municipality.units["HA"], export="xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 5
    units = workbook.worksheets[0]
    assert units.freeze_panes == "A2"
    assert units.auto_filter.ref
    assert list(units.iter_rows(values_only=True))[1] == ("Solsiden sykehjem", 8, 1, 1, 3, 1, 3, 12)
    completed = list(workbook.worksheets[3].iter_rows(values_only=True))
    assert completed[1][0] == "Eva Ansatt"
    assert completed[1][4] == datetime.datetime.combine(timezone.localdate(), datetime.time())
    assert completed[1][6] == "EVNE-1234"

    response = report(
        client,
        progress.courses["privacy"],
        municipality.units["HA"],
        export="csv",
        table="questions",
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    with translation.override("nb"):
        headers = [_("Question"), _("Answered"), _("Answered wrongly"), _("Wrong %")]
    assert lines[0] == ";".join(headers)
    assert lines[1].endswith(";3;2;66")


def test_union_representatives_export_has_no_people(municipality, progress, client_for):
    response = report(
        client_for(municipality.users["union_rep"]),
        progress.courses["privacy"],
        municipality.units["HA"],
        export="xlsx",
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 3
    text = " ".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )
    assert "Eva" not in text


def test_a_period_ending_after_today_is_refused(municipality, client_for):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(municipality.users["leader"]).get(
        reverse("learning_reports"), {"end": tomorrow.isoformat()}
    )
    with translation.override("nb"):
        assert _("The period cannot end after today.") in response.text
    assert "course_rows" not in response.context


def test_a_user_with_no_units_gets_not_found(municipality, client_for):
    response = client_for(make_user("nobody")).get(reverse("learning_reports"))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["learning_reports", "course_report"])
def test_report_queries_do_not_grow_with_the_people(
    municipality, progress, client_for, django_assert_num_queries, name
):
    client = client_for(municipality.users["leader"])
    unit = municipality.units["HA"]
    args = [progress.courses["privacy"].pk] if name == "course_report" else []
    url = reverse(name, args=args)
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"unit": unit.pk})
    for person in add_staff(unit, municipality.roles["nurse"], 45, "many"):
        attempt(progress, person, [True, False, True])
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url, {"unit": unit.pk})
