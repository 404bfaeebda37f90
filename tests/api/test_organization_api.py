"""Units, job roles, people and positions over the API: each persona and token sees what the
pages would show them, and writes only within their scope."""

import pytest
from rest_framework.test import APIClient

PEOPLE_SEEN = {
    "admin": 17,  # everyone, former employees and Gamlevik included
    "hr": 15,  # Testvik's current staff
    "leader": 8,  # Solsiden sykehjem and Avdeling Øst
    "employee": 1,  # herself
    "union_rep": 0,
    "analyst": 0,
    "outsider": 1,  # Gamlevik's one employee
    "token:hr:K": 15,
    "token:hr:HA": 8,
    "token:union_representative:H": 0,
    "token:analyst:K": 0,
}
UNITS_SEEN = {
    "admin": 9,
    "hr": 7,
    "leader": 2,
    "employee": 1,
    "union_rep": 4,
    "analyst": 7,
    "outsider": 2,
    "token:hr:HA": 2,
    "token:union_representative:H": 4,
    "token:analyst:K": 7,
}


@pytest.mark.parametrize(("who", "count"), PEOPLE_SEEN.items())
def test_people_and_their_positions_are_listed_as_far_as_the_caller_may_see(api_for, who, count):
    api = api_for(who)
    assert api.get("/api/people/").json()["count"] == count
    employments = api.get("/api/employments/").json()["results"]
    people = {employment["person"] for employment in employments}
    assert len(people) == count


@pytest.mark.parametrize(("who", "count"), UNITS_SEEN.items())
def test_units_are_listed_as_far_as_the_caller_may_open_them(api_for, who, count):
    assert api_for(who).get("/api/units/").json()["count"] == count


def test_someone_outside_the_callers_units_is_not_found(api_for, municipality):
    gamlevik = municipality.people["gx"]
    assert api_for("hr").get(f"/api/people/{gamlevik.pk}/").status_code == 404
    response = api_for("token:hr:K").patch(f"/api/people/{gamlevik.pk}/", {"email": "x@y.no"})
    assert response.status_code == 404
    gamlevik.refresh_from_db()
    assert gamlevik.email == ""


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 201),
        ("hr", 201),
        ("token:hr:HA", 201),
        ("leader", 403),
        ("employee", 403),
        ("union_rep", 403),
        ("analyst", 403),
        ("token:analyst:K", 403),
        ("token:union_representative:H", 403),
    ],
)
def test_hr_and_administrators_add_people_and_others_may_not(api_for, who, status):
    new = {"employee_number": "9001", "given_name": "Nina", "family_name": "Ny"}
    assert api_for(who).post("/api/people/", new, format="json").status_code == status


def test_hr_changes_people_in_their_units_but_a_leader_only_reads_them(api_for, municipality):
    employee = municipality.people["employee"]
    url = f"/api/people/{employee.pk}/"
    assert (
        api_for("leader").patch(url, {"email": "ny@testvik.no"}, format="json").status_code == 403
    )
    response = api_for("hr").patch(url, {"email": "ny@testvik.no"}, format="json")
    assert response.status_code == 200
    employee.refresh_from_db()
    assert employee.email == "ny@testvik.no"


def test_hr_hires_a_new_person_into_their_units_but_not_into_another_municipality(
    api_for, municipality
):
    api = api_for("token:hr:K")
    person = api.post(
        "/api/people/",
        {"employee_number": "9002", "given_name": "Per", "family_name": "Ny"},
        format="json",
    ).json()
    position = {
        "person": person["id"],
        "job_role": municipality.roles["nurse"].pk,
        "fte": "75.00",
        "start_date": "2026-01-01",
    }
    elsewhere = {**position, "unit": municipality.units["GX"].pk}
    assert api.post("/api/employments/", elsewhere, format="json").status_code == 403
    here = {**position, "unit": municipality.units["HA"].pk}
    assert api.post("/api/employments/", here, format="json").status_code == 201
    assert api.get(f"/api/people/{person['id']}/").status_code == 200


def test_hr_cannot_give_a_position_to_someone_seen_only_elsewhere(api_for, municipality):
    position = {
        "person": municipality.people["gx"].pk,
        "unit": municipality.units["HA"].pk,
        "job_role": municipality.roles["nurse"].pk,
        "fte": "50",
        "start_date": "2026-01-01",
    }
    assert api_for("hr").post("/api/employments/", position, format="json").status_code == 403


def test_a_position_ending_before_it_starts_is_refused_with_the_field_named(api_for, municipality):
    position = municipality.people["employee"].employments.get()
    response = api_for("hr").patch(
        f"/api/employments/{position.pk}/", {"end_date": "2019-12-31"}, format="json"
    )
    assert response.status_code == 400
    assert "end_date" in response.json()["error"]["fields"]
    position.refresh_from_db()
    assert position.end_date is None


def test_hr_adds_units_under_their_own_and_only_administrators_add_a_municipality(
    api_for, municipality
):
    under_health = {"code": "HC", "name": "Rehabilitering", "parent": municipality.units["H"].pk}
    assert api_for("outsider").post("/api/units/", under_health, format="json").status_code == 403
    assert api_for("hr").post("/api/units/", under_health, format="json").status_code == 201
    root = {"code": "N", "name": "Nyvik kommune", "parent": None}
    assert api_for("hr").post("/api/units/", root, format="json").status_code == 403
    assert api_for("admin").post("/api/units/", root, format="json").status_code == 201


def test_a_unit_cannot_be_moved_under_itself(api_for, municipality):
    units = municipality.units
    response = api_for("admin").patch(
        f"/api/units/{units['H'].pk}/", {"parent": units["HA1"].pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()["error"]["fields"]


@pytest.mark.parametrize(("who", "status"), [("hr", 201), ("leader", 403), ("analyst", 403)])
def test_job_roles_are_read_by_all_and_kept_by_hr(api_for, who, status):
    api = api_for(who)
    assert api.get("/api/job-roles/").json()["count"] == 3
    new = {"name": "Vernepleier", "styrk_code": "2269"}
    assert api.post("/api/job-roles/", new, format="json").status_code == status


def test_people_are_filtered_by_unit_subtree_and_sorted(api_for, municipality):
    api = api_for("hr")
    within = api.get("/api/people/", {"within": municipality.units["HA"].pk}).json()
    assert within["count"] == 8
    units = api.get("/api/units/", {"ordering": "-code"}).json()["results"]
    assert [unit["code"] for unit in units][:2] == ["OC", "O"]


def test_lists_come_in_pages_with_a_ceiling_on_the_page_size(api_for, settings):
    api = api_for("hr")
    page = api.get("/api/people/", {"page_size": 2}).json()
    assert len(page["results"]) == 2
    assert "page=2" in page["next"]
    huge = api.get("/api/people/", {"page_size": 10**6}).json()
    assert len(huge["results"]) == 15  # capped at the maximum, here above the count


def test_a_signed_in_browser_must_send_the_csrf_token_to_write(municipality):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(municipality.users["hr"], backend="django.contrib.auth.backends.ModelBackend")
    assert api.get("/api/people/").status_code == 200
    new = {"employee_number": "9003", "given_name": "Siri", "family_name": "Ny"}
    response = api.post("/api/people/", new, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize(
    "url", ["/api/units/", "/api/people/", "/api/employments/", "/api/job-roles/"]
)
def test_lists_take_the_same_number_of_queries_whatever_the_number_of_rows(
    api_for, municipality, django_assert_max_num_queries, url
):
    from tests.conftest import add_staff

    api = api_for("token:hr:K")
    for index in range(5):
        unit = municipality.units["OC"]
        add_staff(unit, municipality.roles["teacher"], 10, f"more{index}")
    with django_assert_max_num_queries(8):
        response = api.get(url, {"page_size": 500})
    assert response.status_code == 200


def test_a_leader_who_is_hr_elsewhere_changes_people_only_where_they_are_hr(api_for, municipality):
    from evne.accounts.models import Role, RoleGrant

    RoleGrant.objects.create(
        user=municipality.users["leader"], role=Role.HR, unit=municipality.units["G"]
    )
    api = api_for("leader")
    led = municipality.people["employee"]
    assert api.get(f"/api/people/{led.pk}/").status_code == 200
    change = {"email": "ny@testvik.no"}
    assert api.patch(f"/api/people/{led.pk}/", change, format="json").status_code == 403
    gamlevik = municipality.people["gx"]
    assert api.patch(f"/api/people/{gamlevik.pk}/", change, format="json").status_code == 200
    under_led_unit = {"code": "HA2", "name": "Avdeling Vest", "parent": municipality.units["HA"].pk}
    assert api.post("/api/units/", under_led_unit, format="json").status_code == 403
