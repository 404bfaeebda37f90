"""The employee's own plan ("min plan"): what is due next first, what to do, what is done
folded away, and the card on the home page."""

from django.urls import reverse

from evne.plans.models import AssignmentStatus
from tests.plans.test_overview import DAY, TODAY, build_case


def test_my_plan_puts_the_overdue_first_and_says_what_to_do(client_for, municipality, catalog):
    case = build_case(municipality, catalog)
    response = client_for(municipality.users["employee"]).get(reverse("my_plan"))
    assert response.status_code == 200
    todo = response.context["todo"]
    assert [a.item for a in todo] == [case.competence, case.task]
    assert todo[0].status == AssignmentStatus.OVERDUE
    assert [a.item for a in response.context["done"]] == [case.course]
    page = response.content.decode()
    assert reverse("competence", args=[catalog.competences["DEMENS"].pk]) in page
    assert reverse("my_competences") in page
    assert (TODAY - 5 * DAY).strftime("%d.%m.%Y") in page
    assert "<details" in page


def test_my_plan_shows_only_my_own_assignments(client_for, municipality, catalog):
    build_case(municipality, catalog)
    response = client_for(municipality.users["employee"]).get(reverse("my_plan"))
    people = {a.person_id for a in response.context["todo"] + response.context["done"]}
    assert people == {municipality.people["employee"].pk}


def test_items_left_behind_drop_out_of_the_to_do(client_for, municipality, catalog):
    case = build_case(municipality, catalog)
    case.plan.assignments.filter(person=municipality.people["employee"]).update(left_on=TODAY)
    response = client_for(municipality.users["employee"]).get(reverse("my_plan"))
    assert response.context["todo"] == []
    assert len(response.context["done"]) == 1


def test_a_user_without_a_person_has_no_plan(client_for, municipality):
    response = client_for(municipality.users["union_rep"]).get(reverse("my_plan"))
    assert response.status_code == 404


def test_an_employee_without_a_plan_is_told_so(client_for, municipality):
    response = client_for(municipality.users["employee"]).get(
        reverse("my_plan"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["todo"] == []


def test_my_plan_costs_a_fixed_number_of_queries(
    client_for, municipality, catalog, django_assert_max_num_queries
):
    build_case(municipality, catalog)
    client = client_for(municipality.users["employee"])
    with django_assert_max_num_queries(12):
        client.get(reverse("my_plan"))


def test_the_home_page_card_counts_what_is_open_and_overdue(client_for, municipality, catalog):
    build_case(municipality, catalog)
    client = client_for(municipality.users["employee"])
    response = client.get(reverse("home"))
    assert response.context["own_plan"] == {"open": 2, "overdue": 1}
    assert reverse("my_plan") in response.content.decode()
    leader_home = client_for(municipality.users["leader"]).get(reverse("home"))
    assert reverse("learning_plans_followup") in leader_home.content.decode()
