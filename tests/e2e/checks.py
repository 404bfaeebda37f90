"""What every page must pass in the browser: axe-core with no serious or critical violation, no
page or table wider than the screen, no repeated ids."""

from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import sign_in

BLOCKING_IMPACTS = {"serious", "critical"}


def blocking_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def page_problems(page, viewport) -> list[str]:
    found = blocking_violations(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > viewport["width"]:
        found.append(f"page is {width}px wide")
    # A table wider than its scroll box hides columns with no sign that they are there.
    hidden = page.evaluate(
        "[...document.querySelectorAll('.table-scroll')]"
        ".filter(box => box.scrollWidth > box.clientWidth).length"
    )
    if hidden:
        found.append(f"{hidden} table(s) wider than the screen")
    repeated = page.evaluate(
        "[...document.querySelectorAll('[id]')].map(e => e.id)"
        ".filter((id, index, ids) => ids.indexOf(id) !== index)"
    )
    if repeated:
        found.append(f"repeated ids: {repeated}")
    return found


def check(page, viewport, problems: dict, name: str) -> None:
    """Add the page's problems, if any, to `problems` under `name`."""
    found = page_problems(page, viewport)
    if found:
        problems[name] = found


def open_signed_in(open_browser, viewport, language: str, username: str):
    page = open_browser(viewport)
    page.goto("/login/")
    if language == "en":
        page.get_by_role("button", name="English").click()
    sign_in(page, username)
    return page
