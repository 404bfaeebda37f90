"""axe-core and the phone width on the coverage matrix, its people and across areas, in both
languages; and a leader drilling down on a phone."""

import pytest
from django.urls import reverse

from tests.analysis.test_matrix import ON, build_case
from tests.e2e.checks import check, open_signed_in
from tests.e2e.conftest import DESKTOP, PHONE


def pages(case):
    units, on = case.units, f"on={ON.isoformat()}"
    matrix, people = reverse("coverage_matrix"), reverse("coverage_people")
    areas = reverse("across_areas")
    return {
        "hr": {
            "matrix": f"{matrix}?{on}",
            "matrix by FTE": f"{matrix}?unit={units['H'].pk}&weight=fte&{on}",
            "people": f"{people}?unit={units['HA'].pk}&{on}",
            "across areas": f"{areas}?{on}",
            "across areas, one level deeper": f"{areas}?depth=2&{on}",
        },
        # Suppressed cells and rows.
        "analyst": {
            "matrix, suppressed": f"{matrix}?unit={units['H'].pk}&{on}",
            "across areas, suppressed": f"{areas}?depth=2&{on}",
        },
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_matrix_pages_pass_axe_and_fit_the_screen(
    municipality, catalog, open_browser, language, viewport
):
    case = build_case(municipality, catalog)
    problems = {}
    for username, named in pages(case).items():
        page = open_signed_in(open_browser, viewport, language, username)
        for name, url in named.items():
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("h1").count() == 1, name
            assert page.locator("table caption").count() == 1, name
            check(page, viewport, problems, name)
            # The tables scroll sideways inside their own box on a phone (the matrix has a
            # column per competence); on a desktop the comparison across areas fits.
            if viewport == DESKTOP and "across areas" in name:
                overflow = page.evaluate(
                    "[...document.querySelectorAll('.coverage-scroll')]"
                    ".filter(box => box.scrollWidth > box.clientWidth).length"
                )
                assert overflow == 0, name
    assert problems == {}


def test_a_leader_drills_down_to_people_on_a_phone(municipality, catalog, open_browser):
    case = build_case(municipality, catalog)
    page = open_signed_in(open_browser, PHONE, "en", "leader")
    page.goto(reverse("coverage_matrix"))
    assert page.get_by_role("heading", level=1).inner_text() == "Coverage in Solsiden sykehjem"
    page.get_by_role("link", name="Avdeling Øst").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Coverage in Avdeling Øst"
    page.get_by_role("link", name="People in Avdeling Øst and their status").click()
    row = page.get_by_role("row", name="Ansatt0 Haesen")
    assert "Expired" in row.inner_text()
    # The first column stays in view while the table scrolls sideways.
    region = page.get_by_role("region", name="Status of each requirement")
    region.evaluate("box => box.scrollBy(400, 0)")
    header = page.get_by_role("rowheader", name="Ansatt0 Haesen")
    assert header.bounding_box()["x"] >= 0
    page.get_by_role("link", name="Solsiden sykehjem").click()
    assert case.units["HA"].name in page.get_by_role("heading", level=1).inner_text()
