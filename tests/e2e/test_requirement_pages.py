"""axe-core and the phone width on the requirement pages and their forms, in both languages."""

import datetime

import pytest

from evne.competence.models import Requirement, RequirementKind, StaffingMeasure, StaffingTarget
from evne.organization.models import JobRole
from tests.e2e.checks import check, open_signed_in
from tests.e2e.conftest import DESKTOP, PHONE


def fill_requirements(municipality, catalog):
    m, c = municipality, catalog.competences
    Requirement.objects.create(competence=c["HLR"], unit=m.units["K"], grace_days=30)
    Requirement.objects.create(
        competence=c["DEMENS"], unit=m.units["H"], level=2, kind=RequirementKind.DESIRED
    )
    Requirement.objects.create(
        # Level 1 has the scale's longest name: "Grunnleggende".
        competence=c["DIGITAL"],
        unit=m.units["HA"],
        level=1,
        legal_basis="Lokal rutine",
    )
    Requirement.objects.create(
        competence=c["SYKEPLEIER"],
        unit=m.units["HA"],
        job_role=m.roles["nurse"],
        legal_basis="Forskrift om ledelse og kvalitetsforbedring i helse- og omsorgstjenesten",
        grace_days=180,
    )
    role_requirement = Requirement.objects.create(
        competence=c["LEGEMIDDEL"], job_role=m.roles["nurse"], grace_days=90
    )
    target = StaffingTarget.objects.create(
        unit=m.units["HA"],
        competence=c["DEMENS"],
        level=3,
        minimum=2,
        due_on=datetime.date(2027, 6, 1),
        note="Minst to med videreutdanning i demens på hver vakt",
    )
    StaffingTarget.objects.create(
        unit=m.units["HA"], competence=c["SYKEPLEIER"], measure=StaffingMeasure.FTE, minimum=3.5
    )
    JobRole.objects.create(
        name="Spesialsykepleier i psykisk helse og rus",
        styrk_code="2223",
        occupation_code="2223108",
    )
    own = Requirement.objects.get(competence=c["DIGITAL"])
    return {
        "unit requirements": f"/competence/units/{m.units['HA'].pk}/requirements/",
        "unit requirements, inherited only": f"/competence/units/{m.units['HA1'].pk}/requirements/",
        "job roles": "/competence/roles/",
        "job role": f"/competence/roles/{m.roles['nurse'].pk}/",
        "new requirement": f"/competence/units/{m.units['HA'].pk}/requirements/new/",
        "edit requirement": f"/competence/requirements/{own.pk}/edit/",
        "delete requirement": f"/competence/requirements/{own.pk}/delete/",
        "new staffing target": f"/competence/units/{m.units['HA'].pk}/staffing-targets/new/",
        "edit staffing target": f"/competence/staffing-targets/{target.pk}/edit/",
        "delete staffing target": f"/competence/staffing-targets/{target.pk}/delete/",
        "job role requirement (HR)": f"/competence/requirements/{role_requirement.pk}/edit/",
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_requirement_pages_pass_axe_and_fit_the_screen(
    municipality, catalog, open_browser, language, viewport
):
    pages = fill_requirements(municipality, catalog)
    hr_only = {"job role requirement (HR)"}
    problems = {}
    for username, names in (("leader", set(pages) - hr_only), ("hr", hr_only)):
        page = open_signed_in(open_browser, viewport, language, username)
        for name in sorted(names):
            page.goto(pages[name])
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("h1").count() == 1, name
            check(page, viewport, problems, name)
    assert problems == {}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_forms_with_errors_pass_axe_and_fit_the_screen(
    municipality, catalog, open_browser, language, viewport
):
    pages = fill_requirements(municipality, catalog)
    page = open_signed_in(open_browser, viewport, language, "leader")
    problems = {}
    for name in ("new requirement", "new staffing target"):
        page.goto(pages[name])
        page.locator("form.form-stack button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("[aria-invalid=true]").count() >= 1
        check(page, viewport, problems, f"{name} with errors")
    assert problems == {}


def test_a_leader_adds_a_requirement_on_a_phone(municipality, catalog, open_browser):
    m = municipality
    page = open_signed_in(open_browser, PHONE, "en", "leader")
    page.goto(f"/org/units/{m.units['HA'].pk}/")
    page.get_by_role("link", name="Requirements and staffing targets").click()
    page.get_by_role("link", name="Add a requirement").click()
    page.get_by_label("Competence").select_option(label="Dementia care (DEMENS)")
    page.get_by_label("Only for the job role").select_option(label="Sykepleier")
    page.get_by_label("Desired").check()
    page.get_by_label("Level").select_option(label="3 Advanced")
    page.get_by_label("Grace period for new hires (days)").fill("60")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/competence/units/{m.units['HA'].pk}/requirements/")
    assert page.get_by_text("The requirement was saved.").is_visible()
    requirement = Requirement.objects.get()
    assert (requirement.job_role, requirement.level, requirement.grace_days) == (
        m.roles["nurse"],
        3,
        60,
    )
