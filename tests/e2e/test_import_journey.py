"""HR imports a payroll export in the browser: upload → preview → confirm → batch page, and
every step passes axe-core and fits a 360 px screen.

The journey runs in English: the English msgids are the source text, whatever the state of the
Norwegian catalogue."""

import pytest
from playwright.sync_api import expect

from evne.core.models import ImportBatch
from evne.organization.models import Person
from tests.core.test_import_pages import BROKEN_ROWS, people_csv
from tests.e2e.checks import blocking_violations
from tests.e2e.conftest import DESKTOP, PHONE, sign_in


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "ansatte.csv"
    good.write_bytes(people_csv())
    broken = tmp_path / "ansatte-feil.csv"
    broken.write_bytes(people_csv(BROKEN_ROWS))
    return {"good": good, "broken": broken}


def sign_in_in_english(page, username):
    sign_in(page, username)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def upload(page, path):
    page.goto("/imports/")
    page.locator("#id_file").set_input_files(str(path))
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview of the import")


def layout_problems(page, viewport):
    problems = blocking_violations(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > viewport["width"]:
        problems.append(f"page is {width}px wide")
    # A table wider than its scroll box hides columns with no sign that they are there.
    hidden = page.evaluate(
        "[...document.querySelectorAll('.table-scroll')]"
        ".filter(box => box.scrollWidth > box.clientWidth).length"
    )
    if hidden:
        problems.append(f"{hidden} table(s) wider than the screen")
    return problems


def test_hr_uploads_previews_and_confirms_an_export(municipality, open_browser, files):
    people_before = Person.objects.count()
    page = open_browser()
    sign_in_in_english(page, "hr")

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import from the HR system")
    page.get_by_label("People and positions").check()
    page.get_by_label("File", exact=True).set_input_files(str(files["good"]))
    page.get_by_role("button", name="Preview the import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Preview of the import")
    counts = page.get_by_role("region", name="What the import will change")
    expect(counts.get_by_role("row", name="People")).to_contain_text("3")
    assert Person.objects.count() == people_before

    page.get_by_role("button", name="Confirm import").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import of ansatte.csv")
    expect(page.get_by_role("status")).to_contain_text("was imported")
    expect(page.get_by_role("region", name="Changes")).to_contain_text("Åse Ødegård")
    assert Person.objects.count() == people_before + 3
    assert ImportBatch.objects.get().created_by == municipality.users["hr"]

    page.get_by_role("link", name="Import", exact=True).first.click()
    history = page.get_by_role("region", name="Earlier imports")
    expect(history.get_by_role("link", name="ansatte.csv")).to_be_visible()


def test_a_broken_file_shows_its_problems_and_no_confirmation(municipality, open_browser, files):
    page = open_browser()
    sign_in_in_english(page, "hr")
    upload(page, files["broken"])
    expect(page.get_by_role("alert")).to_contain_text("Nothing was changed")
    problems = page.get_by_role("region", name="Problems in the file")
    expect(problems.get_by_role("row")).to_have_count(3)  # a header and two problems
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
def test_the_import_pages_pass_axe_and_fit_the_screen(municipality, open_browser, files, viewport):
    page = open_browser(viewport)
    sign_in_in_english(page, "hr")
    found = {}

    page.goto("/imports/")
    found["import page"] = layout_problems(page, viewport)
    page.get_by_role("button", name="Preview the import").click()  # no file chosen
    expect(page.locator("#id_file_error")).to_be_visible()
    found["import page with errors"] = layout_problems(page, viewport)

    upload(page, files["broken"])
    found["preview with problems"] = layout_problems(page, viewport)

    upload(page, files["good"])
    found["preview"] = layout_problems(page, viewport)
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import of")
    found["batch page"] = layout_problems(page, viewport)

    page.goto("/imports/")
    found["import page with history"] = layout_problems(page, viewport)

    assert {name: problems for name, problems in found.items() if problems} == {}
