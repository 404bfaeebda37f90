"""New-assignment notices: one email per person, once the assignment is committed, never
twice."""

import datetime

import pytest
from django.core import mail
from django.db import transaction

from evne.plans import notices
from evne.plans.models import Assignment, ItemKind, LearningPlan, LearningPlanItem, Notice
from evne.plans.notices import Kind, notify_assigned, remind_assignments
from tests.conftest import make_person

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def plan(municipality):
    plan = LearningPlan.objects.create(title="Ny i Solsiden", unit=municipality.units["HA"])
    LearningPlanItem.objects.create(plan=plan, position=1, kind=ItemKind.TASK, title="Les rutinene")
    LearningPlanItem.objects.create(plan=plan, position=2, kind=ItemKind.TASK, title="Brannvern")
    return plan


def assign(plan, person, due=None):
    return [
        Assignment.objects.create(
            plan=plan, item=item, person=person, assigned_on=TODAY, due_on=due
        )
        for item in plan.items.all()
    ]


def test_a_person_gets_one_email_listing_everything_assigned_to_them(
    municipality, plan, django_capture_on_commit_callbacks
):
    assignments = assign(plan, municipality.people["employee"], due=datetime.date(2026, 4, 1))

    with django_capture_on_commit_callbacks(execute=True):
        assert notify_assigned(assignments) == 1

    [email] = mail.outbox
    assert email.to == ["eva@testvik.no"]
    assert "Les rutinene" in email.body and "Brannvern" in email.body
    assert "01.04.2026" in email.body
    assert "http://127.0.0.1:8000/plans/" in email.body
    assert Notice.objects.filter(kind=Kind.ASSIGNED).count() == 2


def test_assignments_already_told_of_are_not_told_again(
    municipality, plan, django_capture_on_commit_callbacks
):
    assignments = assign(plan, municipality.people["employee"])
    with django_capture_on_commit_callbacks(execute=True):
        notify_assigned(assignments)

    with django_capture_on_commit_callbacks(execute=True):
        assert notify_assigned(assignments) == 0
    assert len(mail.outbox) == 1
    assert remind_assignments(TODAY)[Kind.ASSIGNED].sent == 0


def test_nothing_is_sent_for_an_assignment_that_was_rolled_back(
    municipality, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify_assigned(assign(plan, municipality.people["employee"]))
                raise RuntimeError("the assignment failed")
        except RuntimeError:
            pass

    assert not mail.outbox
    assert not Notice.objects.exists()


def test_a_large_group_is_told_partly_at_once_and_the_rest_by_the_daily_round(
    municipality, plan, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(notices, "IMMEDIATE_LIMIT", 2)
    people = [
        make_person(f"77{index}", f"Ny{index}", "Sykepleier", email=f"ny{index}@testvik.no")
        for index in range(3)
    ]
    assignments = [a for person in people for a in assign(plan, person)]

    with django_capture_on_commit_callbacks(execute=True):
        assert notify_assigned(assignments) == 2
    assert len(mail.outbox) == 2

    assert remind_assignments(TODAY)[Kind.ASSIGNED].sent == 1
    assert len(mail.outbox) == 3
