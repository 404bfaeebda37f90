"""axe-core on every page, in both languages, on a desktop and a 360 px screen."""

import pytest

from tests.e2e.checks import blocking_violations, check
from tests.e2e.conftest import DESKTOP, PHONE, sign_in


def pages_of(municipality):
    m = municipality
    return {
        "home": "/",
        "tree": "/org/",
        "tree search": "/org/?q=sykehjem",
        "unit": f"/org/units/{m.units['HA'].pk}/",
        "not found": "/org/units/999999/",
        "person": f"/org/people/{m.people['employee'].pk}/",
        "accessibility statement": "/accessibility/",
        "password change": "/password/",
        "coverage": "/analysis/",
        "how coverage is computed": "/analysis/how/",
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_page_passes_axe_and_fits_the_screen(municipality, open_browser, language, viewport):
    page = open_browser(viewport)
    page.goto("/login/")
    if language == "en":
        page.get_by_role("button", name="English").click()
    problems = {}
    found = blocking_violations(page)
    if found:
        problems["login"] = found
    sign_in(page, "leader")
    for name, path in pages_of(municipality).items():
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        check(page, viewport, problems, name)
    assert problems == {}
