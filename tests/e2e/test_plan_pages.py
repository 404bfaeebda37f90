"""axe-core and the phone width on every competence plan page, in both languages: as an owner
of a draft (with its forms), as HR evaluating an adopted plan, and as a union representative
commenting on a plan in consultation (figures hidden for a small unit)."""

import datetime

import pytest

from evne.plans.models import CompetencePlan, Consultation, Goal, Measure, PlanComment, PlanStatus
from tests.e2e.checks import check, open_signed_in
from tests.e2e.conftest import DESKTOP, PHONE
from tests.plans.conftest import plans  # noqa: F401 (a fixture)


@pytest.fixture
def in_consultation(municipality, catalog):
    hr = municipality.users["hr"]
    plan = CompetencePlan.objects.create(
        unit=municipality.units["HB"],
        title="Kompetanseplan Hjemmetjenesten 2026",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        status=PlanStatus.CONSULTATION,
    )
    plan.owners.add(hr)
    goal = Goal.objects.create(
        plan=plan,
        title="Alle har gyldig HLR",
        competence=catalog.competences["HLR"],
        target_kind="coverage",
        target_value=100,
    )
    Measure.objects.create(plan=plan, goal=goal, title="HLR-trening", kind="development")
    consultation = Consultation.objects.create(plan=plan, revision=1, opened_by=hr)
    PlanComment.objects.create(
        consultation=consultation, author=municipality.users["union_rep"], body="Husk nattevakter."
    )
    return plan


def pages(plans, in_consultation) -> dict[str, tuple[str, str]]:  # noqa: F811
    draft, area = plans.unit, plans.area
    return {
        "list (leader)": ("leader", "/plans/"),
        "new plan (leader)": ("leader", "/plans/new/"),
        "draft plan (leader)": ("leader", f"/plans/{draft.pk}/"),
        "edit plan (leader)": ("leader", f"/plans/{draft.pk}/edit/"),
        "new goal (leader)": ("leader", f"/plans/{draft.pk}/goals/new/"),
        "edit goal (leader)": ("leader", f"/plans/goals/{plans.unit_goal.pk}/edit/"),
        "delete goal (leader)": ("leader", f"/plans/goals/{plans.unit_goal.pk}/delete/"),
        "new measure (leader)": ("leader", f"/plans/{draft.pk}/measures/new/"),
        "adopted plan (hr)": ("hr", f"/plans/{area.pk}/"),
        "evaluate (hr)": ("hr", f"/plans/{area.pk}/evaluate/"),
        "printable (hr)": ("hr", f"/plans/{area.pk}/print/"),
        "in consultation (hr)": ("hr", f"/plans/{in_consultation.pk}/"),
        "in consultation (union rep)": ("union_rep", f"/plans/{in_consultation.pk}/"),
        "list (union rep)": ("union_rep", "/plans/"),
    }


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "360px"])
@pytest.mark.parametrize("language", ["nb", "en"])
def test_plan_pages_pass_axe_and_fit_the_screen(
    municipality,
    plans,  # noqa: F811
    in_consultation,
    open_browser,
    language,
    viewport,
):
    found = pages(plans, in_consultation)
    problems = {}
    for username in sorted({username for username, _url in found.values()}):
        page = open_signed_in(open_browser, viewport, language, username)
        for name, (owner, url) in sorted(found.items()):
            if owner != username:
                continue
            response = page.goto(url)
            assert response.status == 200, name
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("h1").count() == 1, name
            check(page, viewport, problems, name)
    assert problems == {}


def test_a_union_representative_comments_on_a_phone(municipality, in_consultation, open_browser):
    page = open_signed_in(open_browser, PHONE, "en", "union_rep")
    page.goto(f"/plans/{in_consultation.pk}/")
    page.get_by_label("Comment").fill("Vi trenger flere kursdager på kveldstid.")
    page.get_by_role("button", name="Add the comment").click()
    page.wait_for_url(f"**/plans/{in_consultation.pk}/#consultation")
    assert page.get_by_text("Vi trenger flere kursdager på kveldstid.").is_visible()
