"""The follow-up of learning plans on the demo municipality itself: the demo leader opens the
learning plan given to the nurses of their nursing home, its overview and one nurse; the demo
employee reads "my plan" on a phone; axe and the screen width on every follow-up page, at
360 px and on a desktop, in Bokmål and English."""

import pytest
from playwright.sync_api import expect

from evne.demo.generator import build_municipality
from evne.demo.logins import DEMO_PASSWORD
from evne.demo.plans import NEW_NURSES
from evne.plans.models import LearningPlan
from tests.e2e.checks import check
from tests.e2e.conftest import DESKTOP, PHONE, sign_in


def signed_in(open_browser, viewport, language, username):
    page = open_browser(viewport)
    page.goto("/login/")
    if language == "en":
        page.get_by_role("button", name="English").click()
    sign_in(page, username, DEMO_PASSWORD)
    return page


def test_the_demo_leader_follows_the_new_nurses_and_the_employee_reads_my_plan(open_browser):
    build_municipality(300, seed=1)
    plan = LearningPlan.objects.get(title=NEW_NURSES)

    leader = signed_in(open_browser, PHONE, "en", "leder")
    leader.get_by_role("link", name="Learning plan follow-up").click()
    leader.get_by_role("link", name=NEW_NURSES).click()
    expect(leader.get_by_role("heading", name=NEW_NURSES, level=1)).to_be_visible()
    people = leader.get_by_role("region", name="Per person")
    expect(people.get_by_text("Overdue").first).to_be_visible()
    people.get_by_role("link").first.click()
    expect(leader.get_by_role("heading", level=1)).to_be_visible()
    assert f"/plans/follow-up/{plan.pk}/people/" in leader.url
    assert leader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    employee = signed_in(open_browser, PHONE, "en", "ansatt")
    employee.get_by_role("link", name="My plan", exact=True).click()
    expect(employee.get_by_role("heading", name="My plan", level=1)).to_be_visible()
    first = employee.locator("ul.card-grid li").first
    expect(first).to_contain_text("Overdue")
    expect(employee.get_by_role("link").filter(has_text="Data protection")).to_be_visible()
    assert employee.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_follow_up_pages_pass_axe_and_fit_the_screen(open_browser, language, viewport):
    build_municipality(300, seed=1)
    plan = LearningPlan.objects.get(title=NEW_NURSES)
    person = plan.assignments.order_by("person__employee_number").first().person_id
    found = {
        "follow-up": ("leder", "/plans/follow-up/"),
        "overview": ("leder", f"/plans/follow-up/{plan.pk}/"),
        "overview, bad filter": ("leder", f"/plans/follow-up/{plan.pk}/?unit=0&state=x"),
        "person": ("leder", f"/plans/follow-up/{plan.pk}/people/{person}/"),
        "my plan": ("ansatt", "/plans/follow-up/mine/"),
        "home": ("ansatt", "/"),
    }
    problems = {}
    for username in ("leder", "ansatt"):
        page = signed_in(open_browser, viewport, language, username)
        for name, (owner, url) in sorted(found.items()):
            if owner != username:
                continue
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("h1").count() == 1, name
            page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
            check(page, viewport, problems, name)
    assert problems == {}
