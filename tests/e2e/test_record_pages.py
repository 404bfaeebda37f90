"""Competence records in the browser: an employee registers on a phone, the leader verifies in
the queue, and axe-core on every records page in both languages, on a desktop and 360 px."""

import datetime

import pytest
from playwright.sync_api import expect

from evne.competence.models import CompetenceRecord, RecordStatus
from tests.competence.test_recording import PDF_BYTES, make_record
from tests.e2e.checks import check, open_signed_in
from tests.e2e.conftest import DESKTOP, PHONE


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_employee_registers_on_a_phone_and_the_leader_verifies(
    municipality, catalog, open_browser
):
    m = municipality
    page = open_signed_in(open_browser, PHONE, "en", "employee")
    # From the main menu; the home page has a card with the same link.
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="My competences"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My competences")
    page.get_by_label("Competence", exact=True).select_option(label="Dementia care")
    # htmx swaps in the levels of the chosen competence's scale.
    expect(page.locator("#id_level option").first).to_have_text("Choose a level")
    expect(page.locator("#id_level option")).to_have_count(5)
    page.get_by_label("Level", exact=True).select_option(label="2 Intermediate")
    page.get_by_label("Date obtained").fill("2025-05-02")
    page.get_by_label("Evidence (optional)", exact=True).set_input_files(
        files=[{"name": "kursbevis.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Dementia care is registered")
    table = page.get_by_role("region", name="What you have registered")
    expect(table).to_contain_text("Pending")
    expect(table).to_contain_text("02.05.2025")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    record = CompetenceRecord.objects.get()
    assert (record.person, record.level, record.status) == (m.people["employee"], 2, "pending")

    leader = open_signed_in(open_browser, PHONE, "en", "leader")
    leader.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Verification"
    ).click()
    card = leader.get_by_role("listitem").filter(has_text="Eva Ansatt")
    expect(card).to_contain_text("Dementia care")
    expect(card).to_contain_text("2 Intermediate")
    card.get_by_role("button", name="Verify").click()
    expect(leader.get_by_role("status")).to_contain_text("Verified: Dementia care for Eva Ansatt.")
    expect(leader.locator("main")).to_contain_text("Nothing waits for verification.")
    record.refresh_from_db()
    assert (record.status, record.decided_by) == (RecordStatus.VERIFIED, m.users["leader"])


def test_a_leader_rejects_with_a_reason_the_employee_then_reads(
    municipality, catalog, open_browser
):
    m, c = municipality, catalog
    make_record(m.people["employee"], c.competences["HLR"], datetime.date(2025, 1, 5), "pending")
    leader = open_signed_in(open_browser, DESKTOP, "en", "leader")
    leader.goto("/competence/verify/")
    leader.get_by_text("Reject", exact=True).first.click()  # opens the details
    leader.get_by_label("Reason for rejecting").fill("The certificate names another course.")
    leader.get_by_role("button", name="Reject").click()
    expect(leader.get_by_role("status")).to_contain_text("Rejected: Cardiopulmonary resuscitation")
    employee = open_signed_in(open_browser, DESKTOP, "en", "employee")
    employee.goto("/competence/mine/")
    expect(employee.locator("main")).to_contain_text("The certificate names another course.")


def fill_records(municipality, catalog):
    """Current, renewed, rejected and pending records, with the longest names the catalog has,
    and the pages to check with the user who opens them."""
    m, c = municipality, catalog.competences
    employee, colleague = m.people["employee"], m.people["ha0"]
    for person in (employee, colleague, m.people["leader"]):
        old = make_record(person, c["HLR"], datetime.date(2023, 3, 1))
        new = make_record(person, c["HLR"], datetime.date(2024, 10, 1))
        old.superseded_by = new
        old.save()
        make_record(person, c["DEMENS"], datetime.date(2022, 9, 1), level=1, credits=15)
        make_record(
            person,
            c["LEGEMIDDEL"],
            datetime.date(2024, 2, 1),
            "rejected",
            rejection_reason="Kursbeviset gjelder et annet kurs enn legemiddelhåndtering.",
        )
        make_record(
            person,
            c["SYKEPLEIER"],
            datetime.date(2010, 6, 20),
            evidence_reference="Vitnemål nr. 2010/123456, Høgskolen i Innlandet",
        )
    for person in (employee, colleague, m.people["ha1"]):
        make_record(
            person,
            c["DIGITAL"],
            datetime.date(2025, 4, 1),
            "pending",
            level=3,
            evidence_reference="Arkivsak 2025/4711",
            note="Fullført digitaliseringskurs for helsepersonell",
        )
    return {
        "leader": {
            "my competences": "/competence/mine/",
            "person records (may register)": f"/competence/people/{colleague.pk}/",
            "verification queue": "/competence/verify/",
            "person page": f"/org/people/{colleague.pk}/",
        },
        "employee": {
            "my competences (employee)": "/competence/mine/",
            "own records": f"/competence/people/{employee.pk}/",
        },
        "hr": {"empty person records": f"/competence/people/{m.people['oc'].pk}/"},
        "outsider": {"empty verification queue": "/competence/verify/"},
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_records_pages_pass_axe_and_fit_the_screen(
    municipality, catalog, open_browser, language, viewport
):
    pages = fill_records(municipality, catalog)
    problems = {}
    for username, named in pages.items():
        page = open_signed_in(open_browser, viewport, language, username)
        for name, path in named.items():
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("h1").count() == 1, name
            check(page, viewport, problems, name)
    assert problems == {}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_forms_with_errors_pass_axe_and_fit_the_screen(
    municipality, catalog, open_browser, language, viewport
):
    pages = fill_records(municipality, catalog)
    page = open_signed_in(open_browser, viewport, language, "leader")
    problems = {}
    page.goto(pages["leader"]["my competences"])
    page.locator("form.form-stack button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    check(page, viewport, problems, "registration with errors")
    page.goto(pages["leader"]["verification queue"])
    page.locator("details.ds-details summary").first.click()
    page.locator("details[open] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() == 1
    check(page, viewport, problems, "rejection without a reason")
    assert problems == {}
