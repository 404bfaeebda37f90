"""The rules of a plan's way: consultation, adoption, revision, evaluation and the copy for the
next period, each refusal with its message."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from evne.core.visibility import visibility_for
from evne.plans import workflow
from evne.plans.diffs import diff
from evne.plans.models import (
    CompetencePlan,
    GoalResult,
    Measure,
    MeasureKind,
    MeasureStatus,
    PlanComment,
    PlanStatus,
)

MEETING = datetime.date(2026, 2, 15)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refusal(call, *args) -> str:
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return " ".join(caught.value.messages)


@pytest.fixture
def leader(municipality):
    user = municipality.users["leader"]
    return user, visibility_for(user)


def consulted(plans, leader):
    user, visibility = leader
    workflow.send_to_consultation(visibility, user, plans.unit)
    plans.unit.refresh_from_db()
    return plans.unit


def adopted(plans, leader):
    user, visibility = leader
    plan = consulted(plans, leader)
    workflow.record_meeting(visibility, plan, MEETING, "Enige om målene.")
    workflow.adopt(visibility, user, plan, "Enhetsleder")
    plan.refresh_from_db()
    return plan


def test_an_owner_sends_a_draft_to_consultation(plans, leader):
    plan = consulted(plans, leader)
    assert plan.status == PlanStatus.CONSULTATION
    assert workflow.open_consultation(plan).opened_by == leader[0]


def test_a_plan_without_goals_does_not_go_to_consultation(plans, leader):
    plans.unit.goals.all().delete()
    message = refusal(workflow.send_to_consultation, leader[1], leader[0], plans.unit)
    assert message == "Add at least one goal before the plan goes to consultation."


def test_only_owners_send_to_consultation(municipality, plans):
    hr = municipality.users["hr"]
    message = refusal(workflow.send_to_consultation, visibility_for(hr), hr, plans.unit)
    assert message == "Only the plan's owners may change it."


def test_union_representatives_comment_during_consultation_only(municipality, plans, leader):
    rep = municipality.users["union_rep"]
    message = refusal(workflow.add_comment, visibility_for(rep), rep, plans.unit, "For tidlig")
    assert message == "Comments are taken while the plan is in consultation."
    plan = consulted(plans, leader)
    comment = workflow.add_comment(visibility_for(rep), rep, plan, "Ta med deltid.")
    assert comment.author == rep and comment.consultation.plan == plan
    adopted_plan = adopted_after_meeting(plan, leader)
    message = refusal(workflow.add_comment, visibility_for(rep), rep, adopted_plan, "Sent")
    assert message == "Comments are taken while the plan is in consultation."
    assert PlanComment.objects.count() == 1


def adopted_after_meeting(plan, leader):
    user, visibility = leader
    workflow.record_meeting(visibility, plan, MEETING, "")
    workflow.adopt(visibility, user, plan, "Enhetsleder")
    plan.refresh_from_db()
    return plan


def test_others_than_the_units_union_representatives_and_owners_do_not_comment(
    municipality, plans, leader
):
    plan = consulted(plans, leader)
    for username in ("analyst", "hr", "employee"):
        user = municipality.users[username]
        message = refusal(workflow.add_comment, visibility_for(user), user, plan, "Hei")
        assert message == (
            "Only the union representatives of the plan's unit and the plan's owners comment on it."
        ), username


def test_no_adoption_without_consultation(plans, leader):
    message = refusal(workflow.adopt, leader[1], leader[0], plans.unit, "Enhetsleder")
    assert message.startswith("The plan cannot be adopted before it has been in consultation")
    assert CompetencePlan.objects.get(pk=plans.unit.pk).status == PlanStatus.DRAFT


def test_no_adoption_before_the_consultation_meeting_is_recorded(plans, leader):
    plan = consulted(plans, leader)
    message = refusal(workflow.adopt, leader[1], leader[0], plan, "Enhetsleder")
    assert message.startswith("The plan cannot be adopted before the consultation meeting")
    assert not plan.revisions.exists()


def test_adoption_records_who_when_and_the_body_and_stores_revision_one(plans, leader):
    plan = adopted(plans, leader)
    assert plan.status == PlanStatus.ADOPTED
    assert plan.revision == 1
    assert plan.adopted_by == leader[0] and plan.adopted_by_body == "Enhetsleder"
    revision = plan.revisions.get()
    assert revision.number == 1
    assert [goal["title"] for goal in revision.content["goals"]] == [plans.unit_goal.title]
    consultation = plan.consultations.get()
    assert consultation.closed_at is not None and consultation.minutes == "Enige om målene."


def test_an_adopted_plan_is_locked_for_its_owners_too(plans, leader):
    plan = adopted(plans, leader)
    message = refusal(workflow.check_editable, leader[1], plan)
    assert message == (
        "The plan is adopted and its content is locked. Revise it to make a new draft revision."
    )


def test_revising_makes_a_draft_whose_next_adoption_is_revision_two_with_its_differences(
    plans, leader, catalog
):
    user, visibility = leader
    plan = adopted(plans, leader)
    workflow.revise(visibility, plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    goal = plan.goals.get()
    goal.target_value = 8
    goal.save()
    Measure.objects.create(plan=plan, title="Rekruttere to", kind=MeasureKind.RECRUITMENT)
    workflow.send_to_consultation(visibility, user, plan)
    workflow.record_meeting(visibility, plan, MEETING, "")
    workflow.adopt(visibility, user, plan, "Enhetsleder")
    first, second = plan.revisions.order_by("number")
    assert second.number == 2
    changes = diff(first.content, second.content)
    assert changes.measures_added == ["Rekruttere to"]
    [changed] = changes.goals_changed
    assert [(c.label, c.old, c.new) for c in changed.changes] == [("target value", "6.0", "8.0")]
    assert not changes.goals_added and not changes.goals_removed


def test_only_an_adopted_plan_is_revised(plans, leader):
    assert refusal(workflow.revise, leader[1], plans.unit) == "Only an adopted plan can be revised."


def test_evaluation_records_each_goals_result_and_what_to_improve(plans, leader):
    plan = adopted(plans, leader)
    goal = plan.goals.get()
    workflow.evaluate(
        leader[1], plan, {goal.pk: (GoalResult.PARTLY, "Flere må ta ABC.")}, "Start tidligere."
    )
    plan.refresh_from_db()
    goal.refresh_from_db()
    assert plan.status == PlanStatus.EVALUATED and plan.evaluated_at is not None
    assert plan.evaluation_summary == "Start tidligere."
    assert (goal.result, goal.result_note) == (GoalResult.PARTLY, "Flere må ta ABC.")


def test_a_draft_is_not_evaluated(plans, leader):
    message = refusal(workflow.evaluate, leader[1], plans.unit, {}, "")
    assert message == "Only an adopted plan can be evaluated."


def test_the_copy_for_the_next_period_has_the_goals_and_measures_but_not_the_results(plans, leader):
    user, visibility = leader
    Measure.objects.create(
        plan=plans.unit,
        goal=plans.unit_goal,
        title="Demensomsorgens ABC",
        kind=MeasureKind.DEVELOPMENT,
        cost=45000,
        starts_on=datetime.date(2026, 2, 1),
        status=MeasureStatus.PLANNED,
    )
    plan = adopted(plans, leader)
    workflow.evaluate(visibility, plan, {plans.unit_goal.pk: (GoalResult.REACHED, "Bra")}, "")
    plan.refresh_from_db()
    copy = workflow.copy_for_next_period(visibility, user, plan)
    assert copy.status == PlanStatus.DRAFT and copy.copied_from == plan
    assert copy.title == "Kompetanseplan Solsiden sykehjem 2028–2029"
    assert (copy.period_start, copy.period_end) == (
        datetime.date(2028, 1, 1),
        datetime.date(2029, 12, 31),
    )
    goal = copy.goals.get()
    assert goal.title == plans.unit_goal.title and goal.result == "" and goal.result_note == ""
    assert goal.target_date == datetime.date(2029, 12, 31)
    measure = copy.measures.get()
    assert measure.goal == goal and measure.cost == 45000
    assert measure.starts_on == datetime.date(2028, 2, 1)
    assert list(copy.owners.all()) == [user]
    assert copy.revision == 0 and not copy.revisions.exists()


def test_a_draft_is_not_copied_for_the_next_period(plans, leader):
    message = refusal(workflow.copy_for_next_period, leader[1], leader[0], plans.unit)
    assert message == "Only an adopted or evaluated plan can be copied for the next period."


def test_union_representatives_read_a_plan_in_consultation_but_do_not_edit_it(
    municipality, plans, leader
):
    plan = consulted(plans, leader)
    rep = visibility_for(municipality.users["union_rep"])
    assert plan in rep.competence_plans()
    assert refusal(workflow.check_editable, rep, plan) == "Only the plan's owners may change it."


def test_the_plan_above_is_the_nearest_unit_above_with_an_overlapping_period(municipality, plans):
    units = municipality.units
    found = workflow.plan_above(
        units["HA1"], datetime.date(2026, 6, 1), datetime.date(2026, 12, 31)
    )
    assert found == plans.unit
    assert (
        workflow.plan_above(units["HA1"], datetime.date(2030, 1, 1), datetime.date(2030, 12, 31))
        is None
    )


def test_owners_follow_up_a_measure_on_the_adopted_plan(municipality, plans, client_for):
    """Carrying the plan out: the status of a measure changes without a new revision."""
    measure = plans.area_measure
    url = reverse("measure_status", args=[measure.pk])
    client_for(municipality.users["hr"]).post(url, {"status": MeasureStatus.IN_PROGRESS})
    measure.refresh_from_db()
    plans.area.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PROGRESS
    assert plans.area.status == PlanStatus.ADOPTED and plans.area.revision == 1


def test_only_owners_follow_up_measures_and_only_with_a_listed_status(
    municipality, plans, client_for
):
    measure = plans.area_measure
    url = reverse("measure_status", args=[measure.pk])
    client_for(municipality.users["leader"]).post(url, {"status": MeasureStatus.DONE})
    client_for(municipality.users["hr"]).post(url, {"status": "finished-ish"})
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED


def test_the_union_representatives_are_told_when_a_plan_goes_to_consultation(
    municipality, plans, django_capture_on_commit_callbacks
):
    union_rep = municipality.users["union_rep"]
    union_rep.email = "tillitsvalgt@testvik.no"
    union_rep.save()
    leader = municipality.users["leader"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.send_to_consultation(visibility_for(leader), leader, plans.unit)
    [email] = mail.outbox
    assert email.to == ["tillitsvalgt@testvik.no"]
    assert plans.unit.title in email.body
    assert reverse("plan", args=[plans.unit.pk]) in email.body
    # Only the union representative is told, and the daily round does not tell them again.
    call_command("remind", stdout=io.StringIO())
    assert len(mail.outbox) == 1
