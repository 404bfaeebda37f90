"""axe-core on every page, in both languages, on a desktop and a 360 px screen."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import DESKTOP, PHONE, sign_in

BLOCKING_IMPACTS = {"serious", "critical"}


def blocking_violations(page):
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


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
        found = blocking_violations(page)
        if found:
            problems[name] = found
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            problems.setdefault(name, []).append(f"page is {width}px wide")
        # A table wider than its scroll box hides columns with no sign that they are there.
        hidden = page.evaluate(
            "[...document.querySelectorAll('.table-scroll')]"
            ".filter(box => box.scrollWidth > box.clientWidth).length"
        )
        if hidden:
            problems.setdefault(name, []).append(f"{hidden} table(s) wider than the screen")
    assert problems == {}
