"""`GET /api/coverage/`: the rows of `evne coverage`, with FTE coverage, seen with the caller's
visibility: suppressed for figures-only callers under five people, 404 outside their scope."""

# The API's token fixtures are imported from its conftest, and taken as test arguments.
# ruff: noqa: F811

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from evne.organization.models import Person
from tests.analysis.conftest import DAY, ON, give
from tests.api.conftest import api_for, issue_token  # noqa: F401 - fixtures
from tests.conftest import employ


def coverage(api, unit, **params):
    return api.get("/api/coverage/", {"unit": unit, "on": "2026-06-01", **params})


def test_an_integration_can_read_the_coverage_of_a_unit_with_a_scoped_token(api_for, health):
    response = coverage(api_for("token:hr:H"), "HA")
    assert response.status_code == 200
    body = response.json()
    assert body["unit"] == {"id": health.units["HA"].pk, "code": "HA", "name": "Solsiden sykehjem"}
    assert body["on"] == "2026-06-01"
    [row] = body["rows"]
    assert row == {
        "unit_code": "HA",
        "competence_code": "HLR",
        "requirement": "mandatory",
        "applicable": 8,
        "met": 2,
        "expiring": 1,
        "pending": 0,
        "below_level": 0,
        "expired": 1,
        "missing": 4,
        "coverage": 0.375,
        # 80 + 50 + 50 of 630 % FTE in Solsiden sykehjem and Avdeling Øst
        "fte_coverage": 0.2857,
        "suppressed": False,
    }


def test_the_rows_are_those_of_the_command(api_for, health):
    out = io.StringIO()
    call_command(
        "coverage",
        "--unit",
        "H",
        "--on",
        "01.06.2026",
        "--include-desired",
        "--format",
        "json",
        stdout=out,
    )
    expected = json.loads(out.getvalue())["rows"]
    rows = coverage(api_for("token:hr:K"), "H", include_desired="true").json()["rows"]
    assert [row["competence_code"] for row in rows] == ["HLR", "DEMENS"]
    assert [
        {key: value for key, value in row.items() if key not in {"fte_coverage", "suppressed"}}
        for row in rows
    ] == expected


def test_the_unit_may_be_given_by_id(api_for, health):
    response = coverage(api_for("token:analyst:K"), str(health.units["H"].pk))
    assert response.json()["unit"]["code"] == "H"


def test_without_a_date_the_reference_date_is_today(api_for, health):
    response = api_for("token:hr:K").get("/api/coverage/", {"unit": "H"})
    assert response.json()["on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("who", ["token:analyst:K", "token:union_representative:H", "union_rep"])
def test_figures_only_callers_get_small_groups_suppressed(api_for, health, who):
    api = api_for(who)
    [row] = coverage(api, "HB").json()["rows"]  # Hjemmetjenesten: 3 people
    assert row["suppressed"] is True
    for field in ("applicable", "met", "expiring", "pending", "missing", "coverage"):
        assert row[field] is None
    assert row["fte_coverage"] is None
    [row] = coverage(api, "H").json()["rows"]  # 11 people
    assert (row["suppressed"], row["applicable"], row["pending"]) == (False, 11, 1)


def test_those_who_may_see_the_people_see_small_groups(api_for, health):
    [row] = coverage(api_for("token:hr:H"), "HB").json()["rows"]
    assert (row["suppressed"], row["applicable"], row["pending"]) == (False, 3, 1)


@pytest.mark.parametrize(
    ("who", "unit"),
    [
        ("token:hr:H", "O"),  # beside the token's unit
        ("token:hr:H", "K"),  # above it
        ("token:analyst:HA", "H"),
        ("token:hr:K", "GX"),  # another municipality
        ("token:hr:K", "NOPE"),  # no such unit
        ("outsider", "H"),
        ("leader", "H"),  # leads Solsiden sykehjem only
        ("employee", "H"),
    ],
)
def test_units_outside_the_callers_scope_are_not_found(api_for, health, who, unit):
    response = coverage(api_for(who), unit)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_unit_outside_the_scope_is_not_found_by_id_either(api_for, health):
    response = coverage(api_for("token:hr:H"), str(health.units["OC"].pk))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "unit"),
    [("admin", "K"), ("hr", "H"), ("leader", "HA"), ("employee", "HA"), ("analyst", "OC")],
)
def test_signed_in_users_read_coverage_as_far_as_they_may_see(api_for, health, who, unit):
    assert coverage(api_for(who), unit).status_code == 200


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"unit": "H", "on": "01.06.2026"}, "on"),
        ({"unit": "H", "on": "2026-02-31"}, "on"),
        ({"unit": "H", "on": "9999-12-31"}, "on"),
        ({"on": "2026-06-01"}, "unit"),
        ({"unit": "H", "include_desired": "maybe"}, "include_desired"),
    ],
)
def test_invalid_parameters_are_refused_with_the_field_named(api_for, health, params, field):
    response = api_for("token:hr:K").get("/api/coverage/", params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_no_key_is_not_authenticated(health):
    response = APIClient().get("/api/coverage/", {"unit": "H"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_query_count_does_not_grow_with_the_people(
    api_for, health, catalog, django_assert_max_num_queries
):
    api = api_for("token:analyst:K")
    with django_assert_max_num_queries(12) as small:
        coverage(api, "K", include_desired="true")
    unit, nurse = health.units["HA1"], health.roles["nurse"]
    for index in range(60):
        person = Person.objects.create(
            employee_number=f"x{index}", given_name="Ny", family_name=f"Ansatt{index}"
        )
        employ(person, unit, nurse)
        give(person, catalog.competences["HLR"], expires=ON + 100 * DAY)
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = coverage(api, "K", include_desired="true").json()["rows"]
    assert rows[0]["applicable"] == 11 + 60  # CPR is required in Helse og mestring only


def test_the_schema_documents_the_parameters_and_the_answer():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/coverage/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"unit", "on", "include_desired"}
    assert "200" in operation["responses"]
    assert "404" in operation["responses"]
    row = schema["components"]["schemas"]["CoverageRow"]["properties"]
    assert {"fte_coverage", "suppressed", "coverage", "missing"} <= set(row)
