"""axe-core and the phone width on the learning reports, in both languages, as the personas
they are for: with people (leader), figures only (union representative) and hidden figures."""

import pytest

from tests.e2e.checks import check, open_signed_in
from tests.e2e.conftest import DESKTOP, PHONE
from tests.learning.conftest import courses  # noqa: F401 (a fixture)
from tests.learning.test_reports import progress  # noqa: F401 (a fixture)


def pages(municipality, course) -> dict[str, tuple[str, str]]:
    units = municipality.units
    return {
        "reports (leader)": ("leader", "/learning/reports/"),
        "course report (leader)": ("leader", f"/learning/reports/courses/{course.pk}/"),
        "participation (leader)": ("leader", "/learning/reports/participation/"),
        "course report (union rep)": (
            "union_rep",
            f"/learning/reports/courses/{course.pk}/?unit={units['HA'].pk}",
        ),
        "participation, hidden (union rep)": (
            "union_rep",
            f"/learning/reports/participation/?unit={units['HB'].pk}",
        ),
        "reports, bad period (leader)": (
            "leader",
            "/learning/reports/?start=2025-02-01&end=2025-01-01",
        ),
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_report_pages_pass_axe_and_fit_the_screen(
    municipality,
    progress,  # noqa: F811
    open_browser,
    language,
    viewport,  # noqa: F811
):
    found = pages(municipality, progress.courses["privacy"])
    problems = {}
    for username in sorted({username for username, _url in found.values()}):
        page = open_signed_in(open_browser, viewport, language, username)
        for name, (owner, url) in sorted(found.items()):
            if owner != username:
                continue
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("h1").count() == 1, name
            check(page, viewport, problems, name)
    assert problems == {}
