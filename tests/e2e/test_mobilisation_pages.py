"""axe-core and the phone width on Who has X (names and figures) and Unused competence, in both
languages."""

import pytest

from evne.competence.models import Requirement, StaffingTarget
from tests.analysis.test_who_has import ON, record
from tests.e2e.checks import check, open_signed_in
from tests.e2e.conftest import DESKTOP, PHONE


def fill(municipality, catalog):
    m, c = municipality, catalog.competences
    Requirement.objects.create(competence=c["DEMENS"], unit=m.units["HB"], level=2)
    StaffingTarget.objects.create(unit=m.units["HA"], competence=c["DIGITAL"], level=3, minimum=2)
    Requirement.objects.create(competence=c["DIGITAL"], unit=m.units["OC"], level=3)
    record(m.people["employee"], c["DEMENS"], level=3)
    record(m.people["ha0"], c["SYKEPLEIER"])
    record(m.people["ha1"], c["DIGITAL"], level=4)
    record(m.people["ha2"], c["LEGEMIDDEL"], status="pending")
    on = ON.isoformat()
    return {
        "who has, empty": "/analysis/who-has/",
        "who has, names": f"/analysis/who-has/?competence={c['LEGEMIDDEL'].pk}&on={on}",
        "who has, by unit": (
            f"/analysis/who-has/?competence={c['DEMENS'].pk}&level={catalog.scale.pk}:2"
            f"&on={on}&sort=unit"
        ),
        "unused competence": f"/analysis/unused/?on={on}",
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_mobilisation_pages_pass_axe_and_fit_the_screen(
    municipality, catalog, open_browser, language, viewport
):
    pages = fill(municipality, catalog)
    figures = {"who has, figures": pages["who has, names"]}
    problems = {}
    for username, named in (("leader", pages), ("union_rep", figures)):
        page = open_signed_in(open_browser, viewport, language, username)
        for name, url in named.items():
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("h1").count() == 1, name
            check(page, viewport, problems, name)
    assert problems == {}


def test_a_leader_finds_who_has_a_competence_on_a_phone(municipality, catalog, open_browser):
    fill(municipality, catalog)
    page = open_signed_in(open_browser, PHONE, "en", "leader")
    page.goto("/analysis/who-has/")
    page.get_by_label("Competence", exact=True).select_option(
        label="Medicine handling (LEGEMIDDEL)"
    )
    page.get_by_label("Reference date").fill(ON.isoformat())
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/analysis/who-has/?*")
    assert page.get_by_role("link", name=municipality.people["ha0"].full_name).is_visible()
    assert page.get_by_text("via Nursing degree").is_visible()
    assert page.get_by_text("1 more person has registered it").is_visible()
