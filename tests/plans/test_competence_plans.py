"""The plan pages: the list, a new plan, the plan page with its goals, measures and
consultation, editing goals and measures, and who sees what."""

import datetime

import pytest
from django.urls import reverse

from evne.plans.models import (
    Assignment,
    AssignmentStatus,
    CompetencePlan,
    Consultation,
    FundingSource,
    Goal,
    LearningPlan,
    LearningPlanItem,
    Measure,
    MeasureKind,
    PlanComment,
    PlanStatus,
)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def in_consultation(plans, municipality, meeting=None):
    plan = plans.unit
    plan.status = PlanStatus.CONSULTATION
    plan.save()
    return Consultation.objects.create(
        plan=plan, revision=1, opened_by=municipality.users["leader"], meeting_on=meeting
    )


# The list


def test_the_list_shows_the_plans_the_user_may_read_by_unit(municipality, plans, client_for):
    page = client_for(municipality.users["leader"]).get("/plans/").content.decode()
    assert plans.unit.title in page and plans.area.title in page
    assert "New plan" in page or "Ny plan" in page


def test_union_representatives_see_no_drafts_and_cannot_make_plans(municipality, plans, client_for):
    page = client_for(municipality.users["union_rep"]).get("/plans/").content.decode()
    assert plans.area.title in page
    assert plans.unit.title not in page
    assert "/plans/new/" not in page


def test_the_menu_shows_plans_to_those_who_may_read_them(municipality, client_for):
    assert "/plans/" in client_for(municipality.users["union_rep"]).get("/").content.decode()


def test_the_list_has_a_fixed_number_of_queries(
    municipality, plans, client_for, django_assert_max_num_queries
):
    client = client_for(municipality.users["hr"])
    for year in range(2030, 2040):
        CompetencePlan.objects.create(
            unit=municipality.units["O"],
            title=f"Plan {year}",
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )
    with django_assert_max_num_queries(12):
        assert client.get("/plans/").status_code == 200


# A new plan


def test_a_leader_makes_a_plan_becomes_its_owner_and_it_serves_the_plan_above(
    municipality, plans, client_for
):
    leader = municipality.users["leader"]
    response = client_for(leader).post(
        "/plans/new/",
        {
            "unit": municipality.units["HA1"].pk,
            "title": "Kompetanseplan Avdeling Øst",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "summary": "Demens og HLR.",
        },
    )
    plan = CompetencePlan.objects.get(title="Kompetanseplan Avdeling Øst")
    assert response.status_code == 302
    assert response.url == f"/plans/{plan.pk}/"
    assert plan.status == PlanStatus.DRAFT
    assert list(plan.owners.all()) == [leader]
    # The nearest unit above with a plan of an overlapping period: Solsiden, not the area.
    assert plan.parent == plans.unit


def test_a_plan_for_a_unit_the_leader_does_not_lead_is_refused_and_nothing_is_saved(
    municipality, plans, client_for
):
    response = client_for(municipality.users["leader"]).post(
        "/plans/new/",
        {
            "unit": municipality.units["OC"].pk,
            "title": "Lia skole",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert response.status_code == 400
    assert not CompetencePlan.objects.filter(title="Lia skole").exists()


def test_a_period_that_ends_before_it_starts_is_refused_with_a_clear_error(
    municipality, client_for, english
):
    response = client_for(municipality.users["leader"]).post(
        "/plans/new/",
        {
            "unit": municipality.units["HA"].pk,
            "title": "Baklengs",
            "period_start": "2026-12-31",
            "period_end": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert "The period cannot end before it starts." in response.content.decode()
    assert not CompetencePlan.objects.filter(title="Baklengs").exists()


def test_union_representatives_and_employees_cannot_make_plans(municipality, client_for):
    for username in ("union_rep", "employee", "analyst"):
        response = client_for(municipality.users[username]).get("/plans/new/")
        assert response.status_code == 302, username


# The plan page


def test_the_plan_page_shows_goals_measures_costs_and_the_plan_above(
    municipality, plans, client_for
):
    Measure.objects.create(
        plan=plans.area,
        title="Tilskudd til videreutdanning",
        kind=MeasureKind.DEVELOPMENT,
        cost=80000,
        funding=FundingSource.GRANT,
        funding_note="Kompetanseløftet",
    )
    page = client_for(municipality.users["hr"]).get(f"/plans/{plans.area.pk}/").content.decode()
    assert plans.area_goal.title in page
    assert plans.area_measure.title in page
    assert "Kompetanseløftet" in page
    assert "200" in page and "000" in page  # the total, 200 000
    # The goal below that serves this one.
    assert plans.unit_goal.title in page


def test_the_plan_page_shows_a_measures_learning_plans_with_their_completion(
    municipality, plans, client_for, english
):
    learning = LearningPlan.objects.create(
        title="HLR for alle", unit=municipality.units["HA"], measure=plans.area_measure
    )
    item = LearningPlanItem.objects.create(plan=learning, kind="task", title="Øv")
    people = [municipality.people[key] for key in ("employee", "ha0", "ha1", "ha2", "ha3")]
    for index, person in enumerate(people):
        Assignment.objects.create(
            plan=learning,
            item=item,
            person=person,
            assigned_on=datetime.date(2026, 1, 1),
            status=AssignmentStatus.DONE if index < 2 else AssignmentStatus.NOT_STARTED,
        )
    client = client_for(municipality.users["hr"])
    page = client.get(f"/plans/{plans.area.pk}/")
    assert "HLR for alle" in page.content.decode()
    assert "2 of 5 assignments done" in page.content.decode()


def test_the_plan_page_has_a_fixed_number_of_queries(
    municipality, plans, catalog, client_for, django_assert_max_num_queries
):
    client = client_for(municipality.users["hr"])
    client.get(f"/plans/{plans.area.pk}/")
    for index in range(15):
        goal = Goal.objects.create(
            plan=plans.area,
            title=f"Mål {index}",
            competence=catalog.competences["DEMENS" if index % 2 else "HLR"],
            level=index % 3 or None,
            target_kind=["coverage", "people", "fte"][index % 3],
            target_value=5,
        )
        Measure.objects.create(
            plan=plans.area, goal=goal, title=f"Tiltak {index}", kind="mobilisation"
        )
    with django_assert_max_num_queries(30):
        assert client.get(f"/plans/{plans.area.pk}/").status_code == 200


def test_people_who_may_not_read_a_plan_get_404(municipality, plans, client_for):
    for username in ("outsider", "union_rep", "employee"):
        response = client_for(municipality.users[username]).get(f"/plans/{plans.unit.pk}/")
        assert response.status_code == 404, username


def test_union_representatives_see_figures_but_no_personal_records(municipality, plans, client_for):
    in_consultation(plans, municipality)
    page = client_for(municipality.users["union_rep"]).get(f"/plans/{plans.unit.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    for person in municipality.people.values():
        assert person.full_name not in text
        assert f"/people/{person.pk}/" not in text


# Goals and measures


def test_owners_add_edit_reorder_and_delete_goals_in_a_draft(
    municipality, plans, catalog, client_for
):
    client = client_for(municipality.users["leader"])
    plan = plans.unit
    response = client.post(
        f"/plans/{plan.pk}/goals/new/",
        {
            "title": "Alle har HLR",
            "competence": catalog.competences["HLR"].pk,
            "target_kind": "coverage",
            "target_value": "95",
            "target_date": "2027-06-30",
            "serves": [plans.area_goal.pk],
        },
    )
    assert response.status_code == 302
    goal = plan.goals.get(title="Alle har HLR")
    assert list(goal.serves.all()) == [plans.area_goal]
    assert goal.position == 2
    client.post(f"/plans/goals/{goal.pk}/move/", {"direction": "up"})
    assert list(plan.goals.values_list("title", flat=True)) == [
        "Alle har HLR",
        plans.unit_goal.title,
    ]
    client.post(f"/plans/goals/{goal.pk}/delete/")
    assert not plan.goals.filter(pk=goal.pk).exists()


def test_a_level_the_competence_does_not_have_is_refused_and_nothing_is_saved(
    municipality, plans, catalog, client_for, english
):
    response = client_for(municipality.users["leader"]).post(
        f"/plans/{plans.unit.pk}/goals/new/",
        {
            "title": "HLR nivå 3",
            "competence": catalog.competences["HLR"].pk,
            "level": "3",
            "target_kind": "coverage",
            "target_value": "120",
        },
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "This competence has no levels: leave it empty." in text
    assert "Coverage is at most 100 %." in text
    assert not Goal.objects.filter(title="HLR nivå 3").exists()


def test_only_owners_edit_goals(municipality, plans, client_for, english):
    response = client_for(municipality.users["hr"]).post(
        f"/plans/goals/{plans.unit_goal.pk}/delete/"
    )
    assert response.status_code == 302
    assert Goal.objects.filter(pk=plans.unit_goal.pk).exists()
    follow = client_for(municipality.users["hr"]).get(response.url)
    assert "Only the plan&#x27;s owners may change it." in follow.content.decode()


def test_an_adopted_plan_is_locked(municipality, plans, client_for):
    plans.area.owners.add(municipality.users["leader"])
    client = client_for(municipality.users["hr"])
    response = client.post(
        f"/plans/measures/{plans.area_measure.pk}/edit/",
        {"title": "Endret", "kind": "development", "status": "planned"},
    )
    assert response.status_code == 302
    plans.area_measure.refresh_from_db()
    assert plans.area_measure.title == "HLR-kurs i alle enheter"


def test_owners_add_a_measure_with_cost_and_funding(municipality, plans, client_for):
    response = client_for(municipality.users["leader"]).post(
        f"/plans/{plans.unit.pk}/measures/new/",
        {
            "title": "Demensomsorgens ABC",
            "kind": "development",
            "goal": plans.unit_goal.pk,
            "owner": "Fagutviklingssykepleier",
            "cost": "45000",
            "funding": "grant",
            "starts_on": "2026-02-01",
            "ends_on": "2026-12-31",
            "status": "planned",
        },
    )
    assert response.status_code == 302
    measure = plans.unit.measures.get()
    assert measure.cost == 45000 and measure.goal == plans.unit_goal


# Consultation on the page


def test_union_representatives_comment_on_a_plan_in_consultation(municipality, plans, client_for):
    in_consultation(plans, municipality)
    client = client_for(municipality.users["union_rep"])
    response = client.post(
        f"/plans/{plans.unit.pk}/comments/",
        {"body": "Vi savner tiltak for deltidsansatte.", "goal": plans.unit_goal.pk},
    )
    assert response.status_code == 302
    comment = PlanComment.objects.get()
    assert comment.author == municipality.users["union_rep"]
    assert comment.goal == plans.unit_goal
    page = client.get(f"/plans/{plans.unit.pk}/").content.decode()
    assert "Vi savner tiltak for deltidsansatte." in page


def test_an_empty_comment_is_refused_with_a_message(municipality, plans, client_for, english):
    in_consultation(plans, municipality)
    client = client_for(municipality.users["union_rep"])
    response = client.post(f"/plans/{plans.unit.pk}/comments/", {"body": "   "})
    assert not PlanComment.objects.exists()
    page = client.get(response.url).content.decode()
    assert "This field is required." in page or "Write the comment." in page


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_printable_version_and_the_pdf(municipality, plans, client_for, language):
    in_consultation(plans, municipality, meeting=datetime.date(2026, 3, 1))
    client = client_for(municipality.users["leader"])
    client.cookies["django_language"] = language
    page = client.get(
        f"/plans/{plans.unit.pk}/print/",
    )
    assert page.status_code == 200
    assert plans.unit_goal.title in page.content.decode()
    assert "01.03.2026" in page.content.decode()
    pdf = client.get(
        f"/plans/{plans.unit.pk}/pdf/",
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_the_administration_lists_plans_consultations_and_revisions(
    municipality, plans, client_for
):
    client = client_for(municipality.users["admin"])
    for url in (
        "/admin/plans/competenceplan/",
        f"/admin/plans/competenceplan/{plans.area.pk}/change/",
        "/admin/plans/consultation/",
        "/admin/plans/planrevision/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_plans_page_leads_to_the_other_plan_pages_by_role(municipality, plans, client_for):
    leader = client_for(municipality.users["leader"]).get(reverse("plans")).content.decode()
    for name in ("my_plan", "learning_plans_followup", "learning_plans", "cycle"):
        assert reverse(name) in leader
    union_rep = client_for(municipality.users["union_rep"]).get(reverse("plans")).content.decode()
    assert reverse("learning_plans") not in union_rep
    assert reverse("my_plan") not in union_rep
    assert reverse("cycle") in union_rep
