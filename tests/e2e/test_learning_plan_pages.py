"""axe-core and the phone width on the learning plan pages, in both languages, and a leader
assigning a plan to the nurses of their unit on a phone."""

import datetime

import pytest
from django.utils import timezone

from evne.plans import assignments
from evne.plans.models import (
    AssignmentTargetKind,
    DueKind,
    ItemKind,
    LearningPlan,
    LearningPlanItem,
    PeopleGroup,
    PlanTarget,
)
from tests.e2e.checks import check, open_signed_in
from tests.e2e.conftest import DESKTOP, PHONE


def fill_plans(municipality, catalog):
    u, p, roles = municipality.units, municipality.people, municipality.roles
    plan = LearningPlan.objects.create(
        title="Opplæring nye sykepleiere ved Solsiden sykehjem",
        description="Det alle nye sykepleiere skal gjennom de første månedene.",
        unit=u["HA"],
    )
    LearningPlanItem.objects.create(
        plan=plan,
        position=1,
        kind=ItemKind.COMPETENCE,
        competence=catalog.competences["DEMENS"],
        level=2,
        due_kind=DueKind.AFTER_HIRE,
        due_days=180,
    )
    LearningPlanItem.objects.create(
        plan=plan,
        position=2,
        kind=ItemKind.TASK,
        title="Signer taushetserklæring",
        due_kind=DueKind.DATE,
        due_on=datetime.date(2026, 1, 15),
    )
    group = PeopleGroup.objects.create(name="Nattevakter", unit=u["HA"])
    group.members.add(p["employee"], p["ha0"])
    PlanTarget.objects.create(
        plan=plan, kind=AssignmentTargetKind.ROLE_IN_UNIT, unit=u["HA"], job_role=roles["nurse"]
    )
    PlanTarget.objects.create(plan=plan, kind=AssignmentTargetKind.GROUP, group=group)
    assignments.update(plan, timezone.localdate())
    return plan, group


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_learning_plan_pages_pass_axe_and_fit_the_screen(
    municipality, catalog, open_browser, language, viewport
):
    plan, group = fill_plans(municipality, catalog)
    pages = {
        "list": "/plans/learning/",
        "plan": f"/plans/learning/{plan.pk}/",
        "new plan": "/plans/learning/new/",
        "edit plan": f"/plans/learning/{plan.pk}/edit/",
        "assign": f"/plans/learning/{plan.pk}/assign/",
        "tasks": f"/plans/learning/{plan.pk}/tasks/",
        "groups": "/plans/learning/groups/",
        "group": f"/plans/learning/groups/{group.pk}/?q=a",
    }
    problems = {}
    page = open_signed_in(open_browser, viewport, language, "leader")
    for name, url in pages.items():
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        check(page, viewport, problems, name)
    page.goto(pages["assign"])
    page.locator("form.form-stack button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".ds-validation-message").count() >= 1
    check(page, viewport, problems, "assign with errors")
    page.goto(pages["new plan"])
    page.locator("form.form-stack button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    check(page, viewport, problems, "new plan with errors")
    assert not problems


def test_a_leader_assigns_a_plan_to_the_nurses_of_their_unit_on_a_phone(
    municipality, catalog, open_browser
):
    plan = LearningPlan.objects.create(title="HLR for alle", unit=municipality.units["HA"])
    LearningPlanItem.objects.create(
        plan=plan, kind=ItemKind.COMPETENCE, competence=catalog.competences["HLR"], due_days=30
    )
    page = open_signed_in(open_browser, PHONE, "en", "leader")
    page.goto(f"/plans/learning/{plan.pk}/")
    page.get_by_role("link", name="Assign").click()
    page.get_by_label("A job role within a unit").check()
    page.get_by_label("Unit", exact=True).select_option(str(municipality.units["HA"].pk))
    page.get_by_label("Job role", exact=True).select_option(str(municipality.roles["nurse"].pk))
    page.get_by_role("button", name="Assign").click()
    assert page.get_by_text("7 people got new items").is_visible()
    assert page.get_by_text("Sykepleier in Solsiden sykehjem").is_visible()
