"""axe-core and the phone width on my gaps and the unit overview, in both languages, as the
personas they are for; and the employee's morning look on a phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evne.competence.models import (
    CompetenceRecord,
    RecordSource,
    RecordStatus,
    Requirement,
    RequirementKind,
    StaffingMeasure,
    StaffingTarget,
)
from tests.e2e.checks import check, open_signed_in
from tests.e2e.conftest import DESKTOP, PHONE

DAY = datetime.timedelta(days=1)


def fill(municipality, catalog):
    """Every status for Eva and her colleagues, staffing targets, and a pending registration."""
    m, c = municipality, catalog.competences
    today = timezone.localdate()
    nurse = m.roles["nurse"]
    Requirement.objects.create(competence=c["HLR"], job_role=nurse, grace_days=30)
    Requirement.objects.create(competence=c["LEGEMIDDEL"], job_role=nurse)
    # Level 1 has the scale's longest name: "Grunnleggende".
    Requirement.objects.create(competence=c["DEMENS"], unit=m.units["HA"], level=1)
    Requirement.objects.create(
        competence=c["DIGITAL"], unit=m.units["H"], level=3, kind=RequirementKind.DESIRED
    )

    def record(person, competence, **extra):
        extra.setdefault("status", RecordStatus.VERIFIED)
        extra.setdefault("obtained_on", today - 200 * DAY)
        CompetenceRecord.objects.create(
            person=person, competence=competence, source=RecordSource.HR, **extra
        )

    eva = m.people["employee"]
    record(eva, c["HLR"], expires_on=today + 20 * DAY)
    record(eva, c["SYKEPLEIER"])
    record(eva, c["DIGITAL"], level=2)
    record(eva, c["DEMENS"], level=1, status=RecordStatus.PENDING)
    record(m.people["ha0"], c["HLR"], expires_on=today - 3 * DAY)
    record(m.people["ha1"], c["HLR"], expires_on=today + 300 * DAY)
    StaffingTarget.objects.create(
        unit=m.units["HA"],
        competence=c["DEMENS"],
        level=1,
        minimum=2,
        due_on=today + 365 * DAY,
    )
    StaffingTarget.objects.create(
        unit=m.units["HA1"], competence=c["SYKEPLEIER"], measure=StaffingMeasure.FTE, minimum=1.5
    )
    return {
        "my gaps": ("employee", "/analysis/mine/"),
        "unit overview (leader)": ("leader", f"/analysis/units/{m.units['HA'].pk}/"),
        "unit overview (union rep)": ("union_rep", f"/analysis/units/{m.units['H'].pk}/"),
        "unit overview, hidden (union rep)": (
            "union_rep",
            f"/analysis/units/{m.units['HB'].pk}/",
        ),
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_gap_pages_pass_axe_and_fit_the_screen(
    municipality, catalog, open_browser, language, viewport
):
    pages = fill(municipality, catalog)
    problems = {}
    for username in sorted({username for username, _url in pages.values()}):
        page = open_signed_in(open_browser, viewport, language, username)
        for name, (owner, url) in sorted(pages.items()):
            if owner != username:
                continue
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("h1").count() == 1, name
            # The folded parts are checked open as well.
            for summary in page.locator("summary").all():
                summary.click()
            check(page, viewport, problems, name)
    assert problems == {}


def test_an_employee_sees_what_to_renew_on_a_phone(municipality, catalog, open_browser):
    fill(municipality, catalog)
    page = open_signed_in(open_browser, PHONE, "en", "employee")
    page.goto("/analysis/mine/")
    assert page.get_by_text("need something from you").is_visible()
    first = page.locator("ul.card-grid > li").first
    assert "Overdue" in first.inner_text()
    # What is met is folded away until asked for.
    met = page.get_by_text("Medicine handling")
    assert not met.is_visible()
    page.get_by_text("Met: 1 requirement").click()
    expect(met).to_be_visible()
    page.get_by_role("link", name="Register a competence").click()
    page.wait_for_url("**/competence/mine/")


def test_a_leader_filters_the_overview_to_a_job_role(municipality, catalog, open_browser):
    fill(municipality, catalog)
    page = open_signed_in(open_browser, DESKTOP, "en", "leader")
    page.goto(f"/analysis/units/{municipality.units['HA'].pk}/")
    assert page.get_by_role("link", name="Eva Ansatt").first.is_visible()
    page.get_by_text("Filters").click()
    page.get_by_label("Job role").select_option(label="Enhetsleder")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**job_role=*")
    # Only Liv is an Enhetsleder; the dementia care required in the unit holds for her too.
    people = page.locator("#gaps-heading + p + ul")
    assert people.get_by_role("link", name="Liv Leder").is_visible()
    assert people.get_by_text("Eva Ansatt").count() == 0
