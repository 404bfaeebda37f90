"""My gaps: what the signed-in employee must get or renew, by when, and what is met."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evne.competence.models import (
    RecordStatus,
    Requirement,
    RequirementKind,
)
from evne.organization.models import Employment
from tests.conftest import make_record

ON = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)
URL = reverse("my_gaps")


def record(person, competence, *, obtained=ON - 100 * DAY, **extra):
    return make_record(person, competence, obtained, **extra)


@pytest.fixture
def eva(municipality, catalog):
    """Eva, a nurse at Solsiden since 2020, with one requirement of each status."""
    m, c = municipality, catalog.competences
    nurse, home = m.roles["nurse"], m.units["HA"]
    for code in ("HLR", "LEGEMIDDEL", "SYKEPLEIER"):
        Requirement.objects.create(competence=c[code], job_role=nurse)
    Requirement.objects.create(competence=c["DEMENS"], unit=home, level=3)
    Requirement.objects.create(
        competence=c["DIGITAL"], unit=home, level=2, kind=RequirementKind.DESIRED
    )
    person = m.people["employee"]
    record(person, c["SYKEPLEIER"])  # met, and implies LEGEMIDDEL
    record(person, c["HLR"], expires=ON + 20 * DAY)  # expiring
    record(person, c["DEMENS"], level=1)  # below level
    record(person, c["DIGITAL"], level=2, status=RecordStatus.PENDING)
    return person


def get_page(client, **query):
    client.cookies["django_language"] = "en"
    query.setdefault("on", ON.isoformat())
    response = client.get(URL, query)
    assert response.status_code == 200
    return response


def test_users_without_a_person_find_nothing(client_for, municipality):
    for username in ("hr", "union_rep", "analyst", "admin"):
        assert client_for(municipality.users[username]).get(URL).status_code == 404


def test_employee_sees_only_their_own_requirements(client_for, eva, municipality, catalog):
    response = get_page(client_for(municipality.users["employee"]))
    person_ids = {row.assessment.person_id for row in response.context["todo"]}
    assert person_ids == {eva.pk}
    page = response.content.decode()
    assert municipality.people["ha0"].full_name not in page


def test_each_status_is_shown_in_words(client_for, eva, municipality, catalog):
    response = get_page(client_for(municipality.users["employee"]))
    statuses = {
        row.competence.code: row.status.label
        for row in [*response.context["todo"], *response.context["met"]]
    }
    assert statuses == {
        "HLR": "Expiring",
        "LEGEMIDDEL": "Met",
        "SYKEPLEIER": "Met",
        "DEMENS": "Below level",
        "DIGITAL": "Pending verification",
    }
    page = response.content.decode()
    assert "waits for your leader's verification" in page
    assert "Valid until 21.06.2026: renew before then." in page
    assert "level 3 Advanced or above" in page
    assert reverse("competence", args=[catalog.competences["HLR"].pk]) in page
    assert reverse("my_competences") in page


def test_summary_counts_what_needs_the_employee(client_for, eva, municipality):
    page = get_page(client_for(municipality.users["employee"])).content.decode()
    # Expiring and below level need Eva; the pending one waits for her leader.
    assert "2 of 5 requirements need something from you." in page
    assert "1 waits for your leader's verification." in page
    assert "Met: 2 requirements" in page


def test_overdue_comes_first_and_says_so(client_for, eva, municipality):
    response = get_page(client_for(municipality.users["employee"]))
    todo = response.context["todo"]
    # Eva started in 2020 with no grace period: the dementia level was due then.
    assert [(row.competence.code, row.overdue) for row in todo] == [
        ("DEMENS", True),
        ("DIGITAL", True),
        ("HLR", False),
    ]
    assert "Overdue: due 01.01.2020." in response.content.decode()


def test_a_new_hire_has_until_the_grace_period_ends(client_for, municipality, catalog):
    person = municipality.people["employee"]
    Employment.objects.filter(person=person).update(start_date=ON - 10 * DAY)
    Requirement.objects.create(
        competence=catalog.competences["HLR"], job_role=municipality.roles["nurse"], grace_days=30
    )
    response = get_page(client_for(municipality.users["employee"]))
    [row] = response.context["todo"]
    assert (row.status.label, row.assessment.due_on, row.overdue) == (
        "Missing",
        ON + 20 * DAY,
        False,
    )
    assert "Due 21.06.2026." in response.content.decode()


def test_a_later_reference_date_shows_what_will_have_expired(client_for, eva, municipality):
    response = get_page(client_for(municipality.users["employee"]), on=(ON + 30 * DAY).isoformat())
    statuses = {row.competence.code: row.status for row in response.context["todo"]}
    assert statuses["HLR"] == "expired"


def test_export_lists_every_requirement_with_its_status(client_for, eva, municipality):
    client = client_for(municipality.users["employee"])
    page = get_page(client)
    export = get_page(client, export="xlsx")
    header, *rows = load_workbook(io.BytesIO(export.content)).active.values
    found = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert len(found) == len(page.context["todo"]) + len(page.context["met"]) == 5
    assert found["HLR"]["Status"] == "Expiring"
    assert found["HLR"]["Last valid day"].date() == ON + 20 * DAY
    assert found["DEMENS"]["Level"] == "3 Advanced"
    assert found["SYKEPLEIER"]["Status"] == "Met"
    csv = get_page(client, export="csv").content.decode("utf-8-sig")
    assert "Cardiopulmonary resuscitation;HLR;;ja;Expiring;21.06.2026;nei;21.06.2026;" in csv


def test_export_links_keep_the_date(client_for, eva, municipality):
    response = get_page(client_for(municipality.users["employee"]))
    assert f"on={ON.isoformat()}" in response.context["exports"]["csv"]
    assert "export=csv" in response.context["exports"]["csv"]


def test_query_count_does_not_grow_with_the_requirements(
    client_for, eva, municipality, catalog, django_assert_max_num_queries
):
    client = client_for(municipality.users["employee"])
    get_page(client)
    with CaptureQueriesContext(connection) as few:
        get_page(client)
    for code in ("HLR", "LEGEMIDDEL", "DIGITAL"):
        Requirement.objects.create(
            competence=catalog.competences[code], unit=municipality.units["H"], level=1
        )
    with CaptureQueriesContext(connection) as more:
        get_page(client)
    assert len(more) == len(few)
    with django_assert_max_num_queries(14):
        get_page(client)
