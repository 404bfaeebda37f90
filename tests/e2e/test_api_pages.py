"""The API documentation page passes axe-core and fits the screen, in both languages, on a
desktop and a 360 px phone."""

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, sign_in
from tests.e2e.test_accessibility import blocking_violations


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_api_documentation_passes_axe_and_fits_the_screen(
    municipality, open_browser, language, viewport
):
    page = open_browser(viewport)
    page.goto("/login/")
    if language == "en":
        page.get_by_role("button", name="English").click()
    sign_in(page, "hr")
    page.goto("/api/docs/")
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("heading", level=1).count() == 1
    assert blocking_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
