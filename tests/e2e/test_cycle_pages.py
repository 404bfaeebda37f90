"""axe-core and the phone width on the annual cycle's pages, in both languages, and a leader
adding an activity on a phone."""

import pytest
from django.utils import timezone

from evne.plans.models import ActivityKind, CycleActivity
from tests.e2e.checks import check, open_signed_in
from tests.e2e.conftest import DESKTOP, PHONE


def fill_cycle(municipality):
    u, users = municipality.units, municipality.users
    today = timezone.localdate()
    CycleActivity.objects.create(
        unit=u["K"],
        kind=ActivityKind.SURVEY,
        title="Medarbeiderundersøkelse for hele kommunen",
        month=today.month,
        duration_days=21,
    )
    CycleActivity.objects.create(
        unit=u["H"],
        kind=ActivityKind.UNION_MEETING,
        title="Årlig møte med tillitsvalgte om rekruttering og framtidige behov",
        month=2,
        day=15,
        remind_days_before=14,
    )
    own = CycleActivity.objects.create(
        unit=u["HA"],
        kind=ActivityKind.CONVERSATIONS,
        title="Medarbeidersamtaler",
        description="Bruk malen med fast punkt om kompetansemobilisering.",
        month=today.month,
        day=1,
        duration_days=30,
        remind_days_before=14,
        responsible=users["leader"],
    )
    return {
        "calendar": f"/plans/cycle/?unit={u['HA'].pk}",
        "new activity": f"/plans/cycle/{u['HA'].pk}/new/",
        "edit activity": f"/plans/cycle/activity/{own.pk}/edit/",
        "delete activity": f"/plans/cycle/activity/{own.pk}/delete/",
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_cycle_pages_pass_axe_and_fit_the_screen(municipality, open_browser, language, viewport):
    pages = fill_cycle(municipality)
    problems = {}
    page = open_signed_in(open_browser, viewport, language, "leader")
    for name, url in pages.items():
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        check(page, viewport, problems, name)
    page.goto(pages["new activity"])
    page.locator("form.form-stack button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    check(page, viewport, problems, "new activity with errors")
    assert not problems


def test_a_leader_adds_an_activity_on_a_phone_and_finds_it_in_its_month(municipality, open_browser):
    unit = municipality.units["HA"]
    page = open_signed_in(open_browser, PHONE, "en", "leader")
    page.goto("/plans/cycle/")
    page.get_by_role("link", name="Add an activity").click()
    page.get_by_label("Kind").select_option("plan_evaluation")
    page.get_by_label("Title").fill("Evaluering av kompetanseplanen")
    page.get_by_label("Month").select_option("4")
    page.get_by_label("Day", exact=True).fill("31")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("April has only 30 days").is_visible()

    page.get_by_label("Day", exact=True).fill("30")
    page.get_by_role("button", name="Save").click()

    assert page.get_by_text("The activity was saved.").is_visible()
    april = page.locator("#month-4").locator("xpath=..")
    assert "Evaluering av kompetanseplanen" in april.inner_text()
    assert CycleActivity.objects.get(unit=unit).day == 30
