"""The demo municipality's plans, as issue 6's "done when" asks: an area with an adopted plan
whose goals' progress is computed live, a unit plan in consultation with union comments, and a
learning plan assigned to the nurses of the demo leader's unit, whose completion the leader
follows."""

import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from evne.accounts.models import User
from evne.core.visibility import visibility_for
from evne.demo.generator import build_municipality, clear_organisation_data
from evne.demo.plans import NEW_NURSES, build_plans, clear_plans_data
from evne.organization.models import OrgUnit
from evne.plans.models import (
    ActivityKind,
    AssignmentStatus,
    AssignmentTargetKind,
    CompetencePlan,
    FundingSource,
    LearningPlan,
    MeasureKind,
    PlanComment,
    PlanStatus,
)
from evne.plans.progress import progress_for
from tests.demo.conftest import REFERENCE_DATE

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Build once for the module, roll back after."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        build_municipality(300, seed=1, today=REFERENCE_DATE)
        yield
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        connection.close()


@pytest.fixture
def db_demo(demo):
    """The demo, for a test (each in a transaction of its own within the module's)."""


def leader():
    return User.objects.get(username="leder")


def test_the_health_area_has_an_adopted_plan_with_live_goals(db_demo):
    home = OrgUnit.objects.get(leaders=leader().person_id)
    plan = CompetencePlan.objects.get(status=PlanStatus.ADOPTED)
    assert plan.unit.name == "Helse og mestring"
    assert plan.unit_id == home.parent_id
    assert plan.period_start.year == REFERENCE_DATE.year
    assert plan.period_end.year == REFERENCE_DATE.year + 1
    assert plan.revisions.count() == 1 and plan.adopted_by_body == "Kommunestyret"
    goals = list(plan.goals.all())
    assert 3 <= len(goals) <= 4
    assert all(goal.competence_id for goal in goals)
    progress = progress_for(plan, goals, visibility_for(User.objects.get(username="hr")))
    assert all(found.now is not None for found in progress.values())
    measures = plan.measures.all()
    assert {m.kind for m in measures} == set(MeasureKind.values)
    assert all(m.owner and m.cost is not None for m in measures)
    assert {m.funding for m in measures} >= {FundingSource.BUDGET, FundingSource.GRANT}
    assert any("Kompetanseløft 2025" in m.funding_note for m in measures)
    linked = LearningPlan.objects.get(title=NEW_NURSES)
    assert linked.measure.plan == plan


def test_the_leaders_unit_has_a_plan_in_consultation_with_union_comments(db_demo):
    plan = CompetencePlan.objects.get(status=PlanStatus.CONSULTATION)
    assert plan.unit.leaders.filter(pk=leader().person_id).exists()
    assert plan.parent.status == PlanStatus.ADOPTED
    assert any(goal.serves.exists() for goal in plan.goals.all())
    consultation = plan.consultations.get()
    assert consultation.meeting_on > REFERENCE_DATE
    comments = PlanComment.objects.filter(consultation=consultation)
    assert 2 <= comments.count() <= 3
    assert set(comments.values_list("author__username", flat=True)) == {"tillitsvalgt"}
    readable = visibility_for(User.objects.get(username="tillitsvalgt")).competence_plans()
    assert plan in readable


def test_the_unit_has_an_annual_cycle(db_demo):
    plan = CompetencePlan.objects.get(status=PlanStatus.CONSULTATION)
    months = dict(plan.unit.cycle_activities.values_list("kind", "month"))
    assert months[ActivityKind.CONVERSATIONS] == 2
    assert months[ActivityKind.UNION_MEETING] == 9
    assert months[ActivityKind.SURVEY] == 10
    assert months[ActivityKind.PLAN_EVALUATION] == 11


def test_the_nurses_learning_plan_has_assignments_in_every_status(db_demo):
    plan = LearningPlan.objects.get(title=NEW_NURSES)
    target = plan.targets.get()
    assert target.kind == AssignmentTargetKind.ROLE_IN_UNIT
    assert target.job_role.name == "Sykepleier"
    assert target.unit.leaders.filter(pk=leader().person_id).exists()
    assert {item.kind for item in plan.items.all()} == {"course", "competence", "task"}
    statuses = set(plan.assignments.values_list("status", flat=True))
    assert statuses == set(AssignmentStatus.values)


def test_the_leader_follows_the_plan_and_the_employee_has_a_plan(db_demo, client):
    plan = LearningPlan.objects.get(title=NEW_NURSES)
    client.force_login(leader())
    response = client.get(reverse("learning_plan_overview", args=[plan.pk]))
    assert response.status_code == 200
    assert response.context["group_size"] == plan.assignments.values("person").distinct().count()
    client.force_login(User.objects.get(username="ansatt"))
    response = client.get(reverse("my_plan"))
    assert response.context["todo"][0].status == AssignmentStatus.OVERDUE


def test_the_plans_are_quick_to_build_and_cleared_with_the_demo(db_demo):
    with transaction.atomic():
        clear_organisation_data()
        assert not CompetencePlan.objects.exists()
        assert not LearningPlan.objects.exists()
        transaction.set_rollback(True)
    with transaction.atomic():
        clear_plans_data()
        started = time.perf_counter()
        build_plans(REFERENCE_DATE)
        assert time.perf_counter() - started < 2
        transaction.set_rollback(True)
