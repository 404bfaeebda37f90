"""Who reads and who edits which competence plan (DESIGN.md, "Visibility")."""

from evne.core.visibility import visibility_for
from evne.plans.models import PlanStatus


def readable(municipality, username):
    return set(visibility_for(municipality.users[username]).competence_plans())


def test_leaders_and_hr_read_the_drafts_of_their_units(municipality, plans):
    assert plans.unit in readable(municipality, "leader")
    assert plans.unit in readable(municipality, "hr")


def test_union_representatives_read_plans_once_they_leave_the_draft(municipality, plans):
    assert readable(municipality, "union_rep") == {plans.area}
    plans.unit.status = PlanStatus.CONSULTATION
    plans.unit.save()
    assert readable(municipality, "union_rep") == {plans.area, plans.unit}


def test_an_employee_reads_the_adopted_plans_above_their_unit_not_drafts(municipality, plans):
    assert readable(municipality, "employee") == {plans.area}


def test_hr_of_another_municipality_reads_none(municipality, plans):
    assert readable(municipality, "outsider") == set()


def test_only_the_owners_edit_a_plan(municipality, plans):
    users = municipality.users
    assert visibility_for(users["leader"]).may_edit_plan(plans.unit)
    assert not visibility_for(users["hr"]).may_edit_plan(plans.unit)
    assert not visibility_for(users["union_rep"]).may_edit_plan(plans.unit)
    assert visibility_for(users["admin"]).may_edit_plan(plans.unit)
