"""Unused competence: a competence someone holds that their own position does not require,
while it is required and short elsewhere in their organisation; what a leader is told about
units they may not see; who may open the page; exports; a query count independent of size."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from evne.competence.models import Requirement, StaffingTarget
from tests.analysis.test_who_has import ON, record
from tests.conftest import add_staff

URL = "/analysis/unused/"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def dementia_short_in_hb(municipality, catalog):
    """Dementia care is required in Hjemmetjenesten (nobody there has it), not in Solsiden,
    where Eva holds it; CPR is required of every nurse, and one nurse in Solsiden holds it."""
    m, c = municipality, catalog.competences
    Requirement.objects.create(competence=c["DEMENS"], unit=m.units["HB"], level=2)
    Requirement.objects.create(competence=c["HLR"], job_role=m.roles["nurse"])
    record(m.people["employee"], c["DEMENS"], level=3)
    record(m.people["ha0"], c["HLR"])
    record(m.people["ha1"], c["DIGITAL"], level=2)  # required nowhere
    return m


def found(response):
    return {(row.person.full_name, row.record.competence.code) for row in response.context["page"]}


def params(**extra):
    return {"on": ON.isoformat(), **extra}


def test_competence_required_and_missing_elsewhere_is_listed(
    dementia_short_in_hb, client_for, english
):
    m = dementia_short_in_hb
    response = client_for(m.users["hr"]).get(URL, params(unit=m.units["K"].pk))
    assert found(response) == {("Eva Ansatt", "DEMENS")}
    (row,) = response.context["page"]
    assert (row.unit.name, row.job_role, row.level) == (
        "Solsiden sykehjem",
        "Sykepleier",
        "3 Advanced",
    )
    assert (row.need.gaps, row.need.unit_count) == (3, 1)
    html = response.content.decode()
    assert "3 gaps in 1 unit" in html
    assert "Hjemmetjenesten" in html


def test_competence_required_of_ones_own_role_is_not_listed(dementia_short_in_hb, client_for):
    m = dementia_short_in_hb
    response = client_for(m.users["hr"]).get(URL, params())
    assert m.people["ha0"].full_name not in {name for name, _ in found(response)}


def test_competence_short_nowhere_is_not_listed(dementia_short_in_hb, client_for):
    m = dementia_short_in_hb
    response = client_for(m.users["hr"]).get(URL, params())
    assert ("Ansatt1 Hasen", "DIGITAL") not in found(response)


def test_an_unreached_staffing_target_makes_it_short(municipality, catalog, client_for, english):
    m, c = municipality, catalog.competences
    StaffingTarget.objects.create(unit=m.units["OC"], competence=c["DIGITAL"], level=3, minimum=2)
    record(m.people["ha1"], c["DIGITAL"], level=3)
    response = client_for(m.users["hr"]).get(URL, params())
    assert found(response) == {(m.people["ha1"].full_name, "DIGITAL")}
    assert "Staffing target not reached in Lia skole: 0 of 2" in response.content.decode()


def test_a_leader_sees_only_safe_facts_about_units_they_may_not_see(
    dementia_short_in_hb, client_for, english
):
    m = dementia_short_in_hb
    response = client_for(m.users["leader"]).get(URL, params())
    assert found(response) == {("Eva Ansatt", "DEMENS")}
    html = response.content.decode()
    assert "3 gaps in 1 unit" in html
    assert "Hjemmetjenesten" not in html
    assert "1 unit you may not see" in html
    (row,) = response.context["page"]
    assert row.need.gap_units == []


def test_the_competence_filter_and_the_unit_subtree_narrow_the_list(
    dementia_short_in_hb, catalog, client_for
):
    m, c = dementia_short_in_hb, catalog.competences
    client = client_for(m.users["hr"])
    assert found(client.get(URL, params(competence=c["HLR"].pk))) == set()
    assert found(client.get(URL, params(unit=m.units["O"].pk))) == set()
    assert found(client.get(URL, params(unit=m.units["HA"].pk, competence=c["DEMENS"].pk)))


@pytest.mark.parametrize("username", ["union_rep", "analyst", "employee"])
def test_users_who_may_not_see_people_get_404(municipality, client_for, username):
    assert client_for(municipality.users[username]).get(URL).status_code == 404


def test_outsider_sees_nothing_of_testvik(dementia_short_in_hb, client_for):
    m = dementia_short_in_hb
    client = client_for(m.users["outsider"])
    response = client.get(URL, params())
    assert found(response) == set()
    assert "Eva Ansatt" not in response.content.decode()
    refused = client.get(URL, params(unit=m.units["HA"].pk))
    assert refused.context["form"].errors["unit"]
    assert "Eva Ansatt" not in refused.content.decode()


def test_exports_hold_the_rows_of_the_page(dementia_short_in_hb, client_for, english):
    m = dementia_short_in_hb
    client = client_for(m.users["hr"])
    response = client.get(URL, params(export="csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == [
        "Name", "Unit", "Job role", "Competence", "Level", "Valid until", "Gaps elsewhere"
    ]  # fmt: skip
    assert rows[1:] == [
        ["Eva Ansatt", "Solsiden sykehjem", "Sykepleier", "Dementia care", "3 Advanced", "",
         "3", "1", "Hjemmetjenesten", "0"],
    ]  # fmt: skip
    response = client.get(URL, params(export="xlsx"))
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert values[1][:4] == ("Eva Ansatt", "Solsiden sykehjem", "Sykepleier", "Dementia care")


def test_query_count_does_not_grow_with_the_people(
    dementia_short_in_hb, catalog, client_for, django_assert_max_num_queries
):
    m, c = dementia_short_in_hb, catalog.competences
    client = client_for(m.users["leader"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params()).status_code == 200
        return len(queries)

    small = count()
    for person in add_staff(m.units["HA1"], m.roles["nurse"], 70, "many"):
        record(person, c["DEMENS"], level=2)
        record(person, c["DIGITAL"], level=1, obtained=ON - datetime.timedelta(days=5))
    assert count() == small
    with django_assert_max_num_queries(30):
        client.get(URL, params())
