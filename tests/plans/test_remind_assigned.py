"""New-assignment notices: one email per person, never twice."""

import datetime

import pytest
from django.core import mail

from evne.plans.models import Assignment, ItemKind, LearningPlan, LearningPlanItem, Notice
from evne.plans.notices import Kind, notify_assigned

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


def test_a_person_gets_one_email_listing_everything_assigned_to_them(municipality, plan):
    assignments = assign(plan, municipality.people["employee"], due=datetime.date(2026, 4, 1))

    assert notify_assigned(assignments) == 1

    [email] = mail.outbox
    assert email.to == ["eva@testvik.no"]
    assert "Les rutinene" in email.body and "Brannvern" in email.body
    assert "01.04.2026" in email.body
    assert "http://127.0.0.1:8000/" in email.body
    assert Notice.objects.filter(kind=Kind.ASSIGNED).count() == 2


def test_assignments_already_told_of_are_not_told_again(municipality, plan):
    assignments = assign(plan, municipality.people["employee"])
    notify_assigned(assignments)

    assert notify_assigned(assignments) == 0
    assert len(mail.outbox) == 1
