"""The catalog pages in a browser: axe-core in both languages on a desktop and a 360 px
screen, nothing wider than the screen, and a search and an edit as a user does them."""

import pytest

from evne.competence.models import Competence, CompetenceArea, Requirement
from evne.competence.starter import load_starter
from tests.e2e.checks import page_problems
from tests.e2e.conftest import DESKTOP, PHONE, sign_in


@pytest.fixture
def starter(settings, tmp_path, municipality):
    """The starter catalog, with a requirement so the competence page shows one."""
    settings.MEDIA_ROOT = tmp_path
    load_starter()
    demens = Competence.objects.get(code="DEMENS")
    Requirement.objects.create(
        competence=demens,
        job_role=municipality.roles["nurse"],
        unit=municipality.units["HA"],
        level=2,
    )
    return demens


def catalog_pages(demens):
    area = CompetenceArea.objects.get(name="Helse og omsorg")
    return {
        "catalog": "/competence/",
        "catalog in an area": f"/competence/?area={area.pk}",
        "catalog search": "/competence/?q=demens&inactive=1",
        "competence": f"/competence/{demens.pk}/",
        "competence edit": f"/competence/{demens.pk}/edit/",
        "competence create": "/competence/new/",
        "competence delete": f"/competence/{Competence.objects.get(code='HLR').pk}/delete/",
        "areas": "/competence/areas/",
        "area edit": f"/competence/areas/{area.pk}/edit/",
        "scales": "/competence/scales/",
        "scale edit": f"/competence/scales/{demens.scale_id}/edit/",
        "scale create": "/competence/scales/new/",
    }


def problems_on(page, viewport, language) -> list[str]:
    assert page.locator("html").get_attribute("lang") == language
    return page_problems(page, viewport)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_catalog_pages_pass_axe_and_fit_the_screen(starter, open_browser, language, viewport):
    page = open_browser(viewport)
    page.goto("/login/")
    if language == "en":
        page.get_by_role("button", name="English").click()
    sign_in(page, "hr")
    problems = {}
    for name, path in catalog_pages(starter).items():
        page.goto(path)
        found = problems_on(page, viewport, language)
        if found:
            problems[name] = found
    # A form sent back with its errors shows them tied to the fields.
    page.goto("/competence/new/")
    page.locator("form.form-stack button[type=submit]").click()
    found = problems_on(page, viewport, language)
    if found:
        problems["competence form with errors"] = found
    assert problems == {}


def test_an_employee_searches_the_catalog_on_a_phone_and_opens_a_competence(starter, open_browser):
    page = open_browser(PHONE)
    page.goto("/login/")
    page.get_by_role("button", name="English").click()
    sign_in(page, "employee")
    page.get_by_role("link", name="Competences", exact=True).click()
    page.get_by_label("Search by code, name or description").fill("dementia")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Dementia care", exact=True).click()
    assert page.get_by_role("heading", name="Dementia care", level=1).is_visible()
    assert page.get_by_text("Measured on the scale Proficiency 1–4").is_visible()
    assert page.get_by_role("link", name="Edit").count() == 0


def test_hr_marks_a_competence_as_not_in_use(starter, open_browser):
    page = open_browser(DESKTOP)
    page.goto("/login/")
    page.get_by_role("button", name="English").click()
    sign_in(page, "hr")
    page.goto(f"/competence/{starter.pk}/")
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("In use").uncheck()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("The competence was saved.").is_visible()
    starter.refresh_from_db()
    assert not starter.is_active
