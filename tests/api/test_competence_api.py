"""The catalog, records, requirements and staffing targets over the API."""

import datetime

import pytest
from django.utils import timezone

from evne.competence.models import (
    CompetenceRecord,
    RecordSource,
    RecordStatus,
    Requirement,
    StaffingTarget,
)


def pending_record(person, competence, **extra):
    values = {"obtained_on": datetime.date(2025, 3, 1), "status": RecordStatus.PENDING, **extra}
    return CompetenceRecord.objects.create(
        person=person, competence=competence, source=RecordSource.SELF, **values
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("hr", 201),
        ("token:hr:HA", 201),
        ("admin", 201),
        ("leader", 403),
        ("employee", 403),
        ("union_rep", 403),
        ("token:analyst:K", 403),
    ],
)
def test_everyone_reads_the_catalog_and_hr_keep_it(api_for, catalog, who, status):
    api = api_for(who)
    assert api.get("/api/competences/").json()["count"] == 5
    assert api.get("/api/scales/").json()["results"][0]["levels"][0]["name"] == "Grunnleggende"
    new = {"code": "TRYKKSAR", "name": "Trykksår", "kind": "course"}
    assert api.post("/api/competences/", new, format="json").status_code == status


def test_a_competence_code_already_in_use_is_refused(api_for, catalog):
    new = {"code": "HLR", "name": "HLR igjen", "kind": "course"}
    response = api_for("hr").post("/api/competences/", new, format="json")
    assert response.status_code == 400
    assert "code" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("admin", {"employee", "oc", "gx"}),
        ("hr", {"employee", "oc"}),
        ("leader", {"employee"}),
        ("employee", {"employee"}),
        ("union_rep", set()),
        ("analyst", set()),
        ("outsider", {"gx"}),
        ("token:hr:HA", {"employee"}),
        ("token:union_representative:H", set()),
    ],
)
def test_records_are_listed_as_far_as_the_caller_may_see_the_people(
    api_for, municipality, catalog, who, seen
):
    people = municipality.people
    records = {
        pending_record(people[name], catalog.competences["HLR"]).pk: name
        for name in ["employee", "oc", "gx"]
    }
    listed = api_for(who).get("/api/records/").json()["results"]
    assert {records[record["id"]] for record in listed} == seen


def test_an_employee_registers_their_own_record_and_it_waits_for_verification(
    api_for, municipality, catalog
):
    new = {
        "person": municipality.people["employee"].pk,
        "competence": "DEMENS",
        "level": 2,
        "obtained_on": "2025-05-02",
    }
    response = api_for("employee").post("/api/records/", new, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert response.json()["source"] == "self"


def test_a_token_registers_verified_records_signed_by_its_creator(api_for, municipality, catalog):
    new = {
        "person": municipality.people["employee"].pk,
        "competence": "HLR",
        "obtained_on": "2025-05-02",
    }
    response = api_for("token:hr:K").post("/api/records/", new, format="json")
    assert response.status_code == 201
    record = CompetenceRecord.objects.get(pk=response.json()["id"])
    assert record.status == RecordStatus.VERIFIED
    assert record.source == RecordSource.HR
    assert record.created_by == municipality.users["admin"]
    assert record.expires_on == datetime.date(2026, 5, 2)  # HLR is valid 12 months


@pytest.mark.parametrize("who", ["union_rep", "token:analyst:K", "outsider"])
def test_a_record_for_someone_the_caller_cannot_see_is_refused(api_for, municipality, catalog, who):
    new = {
        "person": municipality.people["employee"].pk,
        "competence": "HLR",
        "obtained_on": "2025-05-02",
    }
    response = api_for(who).post("/api/records/", new, format="json")
    assert response.status_code == 400
    assert "person" in response.json()["error"]["fields"]
    assert not CompetenceRecord.objects.exists()


def test_wrong_values_are_reported_by_field_all_at_once_and_nothing_is_saved(
    api_for, municipality, catalog
):
    new = {
        "person": municipality.people["employee"].pk,
        "competence": "DEMENS",
        "level": 7,
        "obtained_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
    }
    response = api_for("leader").post("/api/records/", new, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"level", "obtained_on"}
    assert not CompetenceRecord.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("leader", 200),
        ("hr", 200),
        ("token:hr:K", 200),
        ("employee", 403),  # her own record
        ("union_rep", 404),
        ("outsider", 404),
    ],
)
def test_a_pending_record_is_verified_by_a_leader_or_hr_only(
    api_for, municipality, catalog, who, status
):
    record = pending_record(municipality.people["employee"], catalog.competences["HLR"])
    response = api_for(who).post(f"/api/records/{record.pk}/verify/")
    assert response.status_code == status
    record.refresh_from_db()
    expected = RecordStatus.VERIFIED if status == 200 else RecordStatus.PENDING
    assert record.status == expected


def test_a_rejection_needs_a_reason_the_employee_reads(api_for, municipality, catalog):
    record = pending_record(municipality.people["employee"], catalog.competences["HLR"])
    api = api_for("leader")
    response = api.post(f"/api/records/{record.pk}/reject/", {"reason": " "}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    record.refresh_from_db()
    assert record.status == RecordStatus.PENDING
    response = api.post(
        f"/api/records/{record.pk}/reject/", {"reason": "Kursbeviset mangler"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["rejection_reason"] == "Kursbeviset mangler"


def test_records_are_filtered_by_status_competence_and_time(api_for, municipality, catalog):
    people = municipality.people
    pending_record(people["employee"], catalog.competences["HLR"])
    pending_record(people["ha0"], catalog.competences["LEGEMIDDEL"], status=RecordStatus.VERIFIED)
    api = api_for("hr")
    assert api.get("/api/records/", {"status": "pending"}).json()["count"] == 1
    assert api.get("/api/records/", {"competence": "LEGEMIDDEL"}).json()["count"] == 1
    assert api.get("/api/records/", {"registered_since": "2000-01-01T00:00Z"}).json()["count"] == 2
    assert api.get("/api/records/", {"registered_since": "2999-01-01T00:00Z"}).json()["count"] == 0


def test_records_are_filtered_by_whether_people_have_them_now(api_for, municipality, catalog):
    hlr = catalog.competences["HLR"]
    employee = municipality.people["employee"]
    renewal = pending_record(employee, hlr, status=RecordStatus.VERIFIED)
    pending_record(employee, hlr, status=RecordStatus.VERIFIED, superseded_by=renewal)
    pending_record(employee, hlr, status=RecordStatus.REJECTED, rejection_reason="Uleselig")
    # Someone the leader does not see stays out either way.
    pending_record(municipality.people["oc"], hlr, status=RecordStatus.VERIFIED)
    api = api_for("leader")
    now = api.get("/api/records/", {"current": "true"}).json()["results"]
    history = api.get("/api/records/", {"current": "false"}).json()["results"]
    assert [record["id"] for record in now] == [renewal.pk]
    assert len(history) == 2
    assert renewal.pk not in [record["id"] for record in history]


@pytest.mark.parametrize(
    ("who", "unit", "status"),
    [
        ("leader", "HA", 201),
        ("leader", "HB", 403),
        ("hr", "HB", 201),
        ("token:hr:H", "HB", 201),
        ("outsider", "HA", 403),
        ("employee", "HA", 403),
        ("union_rep", "HA", 403),
    ],
)
def test_unit_requirements_and_targets_are_set_within_the_callers_units(
    api_for, municipality, catalog, who, unit, status
):
    api = api_for(who)
    unit_id = municipality.units[unit].pk
    requirement = {"competence": catalog.competences["HLR"].pk, "unit": unit_id}
    assert api.post("/api/requirements/", requirement, format="json").status_code == status
    target = {
        "unit": unit_id,
        "competence": catalog.competences["DEMENS"].pk,
        "level": 2,
        "minimum": "2",
    }
    assert api.post("/api/staffing-targets/", target, format="json").status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("hr", 201), ("admin", 201), ("leader", 403), ("token:hr:H", 403)]
)
def test_a_job_roles_own_requirement_is_set_by_hr_of_a_whole_municipality(
    api_for, municipality, catalog, who, status
):
    requirement = {
        "competence": catalog.competences["HLR"].pk,
        "job_role": municipality.roles["nurse"].pk,
    }
    assert api_for(who).post("/api/requirements/", requirement, format="json").status_code == status


def test_a_second_requirement_of_the_same_competence_and_holder_is_refused(
    api_for, municipality, catalog
):
    requirement = {"competence": catalog.competences["HLR"].pk, "unit": municipality.units["HA"].pk}
    api = api_for("hr")
    assert api.post("/api/requirements/", requirement, format="json").status_code == 201
    response = api.post("/api/requirements/", requirement, format="json")
    assert response.status_code == 400
    assert "competence" in response.json()["error"]["fields"]
    assert Requirement.objects.count() == 1


def test_a_target_in_people_must_be_a_whole_number_on_the_competences_scale(
    api_for, municipality, catalog
):
    target = {
        "unit": municipality.units["HA"].pk,
        "competence": catalog.competences["DEMENS"].pk,
        "minimum": "1.5",
    }
    response = api_for("hr").post("/api/staffing-targets/", target, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"level"}
    response = api_for("hr").post("/api/staffing-targets/", {**target, "level": 1}, format="json")
    assert set(response.json()["error"]["fields"]) == {"minimum"}
    assert not StaffingTarget.objects.exists()


def test_requirements_are_read_for_the_units_the_caller_may_open(api_for, municipality, catalog):
    units = municipality.units
    hlr = catalog.competences["HLR"]
    Requirement.objects.create(competence=hlr, job_role=municipality.roles["nurse"])
    Requirement.objects.create(competence=hlr, unit=units["HA"])
    Requirement.objects.create(competence=hlr, unit=units["GX"])
    assert api_for("union_rep").get("/api/requirements/").json()["count"] == 2
    assert api_for("outsider").get("/api/requirements/").json()["count"] == 2
    assert api_for("admin").get("/api/requirements/").json()["count"] == 3
    requirement = Requirement.objects.get(unit=units["GX"])
    assert api_for("hr").delete(f"/api/requirements/{requirement.pk}/").status_code == 404
    assert api_for("outsider").delete(f"/api/requirements/{requirement.pk}/").status_code == 204


@pytest.mark.parametrize(
    "url",
    [
        "/api/competences/",
        "/api/competence-areas/",
        "/api/scales/",
        "/api/records/",
        "/api/requirements/",
        "/api/staffing-targets/",
    ],
)
def test_competence_lists_take_the_same_number_of_queries_whatever_the_number_of_rows(
    api_for, municipality, catalog, django_assert_max_num_queries, url
):
    people = list(municipality.people.values())
    for person in people:
        for competence in catalog.competences.values():
            pending_record(person, competence)
        catalog.competences["HLR"].implies.add(catalog.competences["LEGEMIDDEL"])
    for unit in municipality.units.values():
        StaffingTarget.objects.create(unit=unit, competence=catalog.competences["HLR"], minimum=1)
        Requirement.objects.create(unit=unit, competence=catalog.competences["HLR"])
    api = api_for("token:hr:K")
    with django_assert_max_num_queries(8):
        response = api.get(url, {"page_size": 500})
    assert response.status_code == 200


def test_a_competence_code_with_a_nul_character_is_no_such_code(api_for, municipality, catalog):
    new = {
        "person": municipality.people["employee"].pk,
        "competence": "HLR\x00",
        "obtained_on": "2025-05-02",
    }
    response = api_for("hr").post("/api/records/", new, format="json")
    assert response.status_code == 400
    assert "competence" in response.json()["error"]["fields"]


def test_a_time_that_does_not_exist_in_utc_is_refused_not_a_server_error(api_for, catalog):
    api = api_for("hr")
    response = api.get("/api/records/", {"registered_since": "0001-01-01T00:00:00+05:00"})
    assert response.status_code == 400
    assert "registered_since" in response.json()["error"]["fields"]
    # PostgreSQL takes offsets up to 15:59 only; the time is turned into UTC first.
    response = api.get("/api/records/", {"registered_since": "0404-11-10T10:32:33-21:51"})
    assert response.status_code == 200
