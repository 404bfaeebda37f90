"""Who has X: implication and level rules, who sees names and who sees only figures, the
exports, and a query count that does not grow with the number of holders."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from evne.competence.models import (
    Competence,
    CompetenceKind,
    RecordStatus,
)
from tests.conftest import add_staff, employ, make_record

ON = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)
URL = "/analysis/who-has/"


def record(person, competence, *, obtained=ON - 100 * DAY, **extra):
    return make_record(person, competence, obtained, **extra)


def query(competence, level=None, **extra):
    params = {"competence": competence.pk, "on": ON.isoformat(), **extra}
    if level is not None:
        params["level"] = f"{competence.scale_id}:{level}"
    return params


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def names_on(response) -> set[str]:
    return {row.person.full_name for row in response.context.get("rows") or []}


class TestImplicationAndLevel:
    def test_a_record_of_an_implying_competence_counts_and_says_via_what(
        self, municipality, catalog, client_for, english
    ):
        p, c = municipality.people, catalog.competences
        record(p["employee"], c["LEGEMIDDEL"], expires=ON + 300 * DAY)
        record(p["ha0"], c["SYKEPLEIER"])
        response = client_for(municipality.users["hr"]).get(URL, query(c["LEGEMIDDEL"]))
        assert names_on(response) == {p["employee"].full_name, p["ha0"].full_name}
        assert "via Nursing degree" in response.content.decode()
        assert "28.03.2027" in response.content.decode()

    def test_the_level_is_a_minimum_and_an_implying_record_without_level_meets_any(
        self, municipality, catalog, client_for
    ):
        p, c = municipality.people, catalog.competences
        specialist = Competence.objects.create(
            code="SPES-DEMENS",
            name="Spesialsykepleier demens",
            kind=CompetenceKind.FORMAL_EDUCATION,
        )
        specialist.implies.add(c["DEMENS"])
        record(p["employee"], c["DEMENS"], level=2)
        record(p["ha0"], c["DEMENS"], level=4)
        record(p["ha1"], c["DEMENS"], level=3)
        record(p["ha2"], specialist)
        record(p["ha3"], c["DEMENS"])  # no level on a scaled competence: level 0
        response = client_for(municipality.users["hr"]).get(URL, query(c["DEMENS"], level=3))
        assert names_on(response) == {
            p["ha0"].full_name,
            p["ha1"].full_name,
            p["ha2"].full_name,
        }
        response = client_for(municipality.users["hr"]).get(URL, query(c["DEMENS"]))
        assert p["ha3"].full_name in names_on(response)
        assert p["employee"].full_name in names_on(response)

    def test_pending_expired_and_future_records_do_not_count(
        self, municipality, catalog, client_for, english
    ):
        p, c = municipality.people, catalog.competences
        record(p["employee"], c["HLR"], obtained=ON - 5 * DAY, status=RecordStatus.PENDING)
        record(p["ha0"], c["HLR"], obtained=ON - 500 * DAY, expires=ON - DAY)
        record(p["ha1"], c["HLR"], obtained=ON + 10 * DAY, expires=ON + 375 * DAY)
        record(p["ha2"], c["HLR"], obtained=ON - 10 * DAY, expires=ON)
        record(p["ha3"], c["HLR"], status=RecordStatus.REJECTED)
        client = client_for(municipality.users["hr"])
        response = client.get(URL, query(c["HLR"]))
        assert names_on(response) == {p["ha2"].full_name}
        assert "1 more person has registered it and is waiting for verification" in (
            response.content.decode()
        )
        later = client.get(URL, query(c["HLR"], on=(ON + 10 * DAY).isoformat()))
        assert names_on(later) == {p["ha1"].full_name}

    def test_a_level_from_another_scale_is_refused(self, municipality, catalog, client_for):
        c = catalog.competences
        params = query(c["HLR"])
        params["level"] = f"{catalog.scale.pk}:2"
        response = client_for(municipality.users["hr"]).get(URL, params)
        assert response.context["form"].errors["level"]
        assert not response.context.get("rows")

    def test_a_person_shows_once_with_their_main_position(
        self, municipality, catalog, client_for, english
    ):
        p, c, u = municipality.people, catalog.competences, municipality.units
        record(p["ha0"], c["DEMENS"], level=2)
        record(p["ha0"], c["DEMENS"], level=3, obtained=ON - 10 * DAY)
        employ(p["ha0"], u["OC"], municipality.roles["teacher"], fte=20)
        response = client_for(municipality.users["hr"]).get(URL, query(c["DEMENS"]))
        (row,) = response.context["rows"]
        assert (row.unit_name, row.job_role, row.level) == (
            "Solsiden sykehjem",
            "Sykepleier",
            "3 Advanced",
        )


class TestWhoSeesWhat:
    def test_leader_sees_only_the_people_of_their_units(self, municipality, catalog, client_for):
        p, c = municipality.people, catalog.competences
        for key in ("employee", "ha1", "hb", "oc", "gx"):
            record(p[key], c["HLR"])
        response = client_for(municipality.users["leader"]).get(URL, query(c["HLR"]))
        assert names_on(response) == {p["employee"].full_name, p["ha1"].full_name}

    def test_a_unit_narrows_the_list_to_its_subtree(self, municipality, catalog, client_for):
        p, c, u = municipality.people, catalog.competences, municipality.units
        for key in ("employee", "ha1", "hb"):
            record(p[key], c["HLR"])
        response = client_for(municipality.users["hr"]).get(URL, query(c["HLR"], unit=u["HA1"].pk))
        assert names_on(response) == {p["ha1"].full_name}

    def test_union_rep_gets_counts_per_unit_with_small_units_hidden(
        self, municipality, catalog, client_for, english
    ):
        p, c = municipality.people, catalog.competences
        for key in ("employee", "ha0", "ha1", "hb"):
            record(p[key], c["HLR"])
        response = client_for(municipality.users["union_rep"]).get(URL, query(c["HLR"]))
        html = response.content.decode()
        assert "rows" not in response.context
        assert p["employee"].full_name not in html
        counts = {count.unit.code: count for count in response.context["counts"]}
        assert set(counts) == {"H", "HA", "HA1", "HB"}
        # Solsiden: leader, Eva, four nurses, and Avdeling Øst's two below it.
        assert (counts["HA"].people, counts["HA"].holders, counts["HA"].shown) == (8, 3, True)
        assert (counts["H"].people, counts["H"].holders) == (11, 4)
        assert not counts["HB"].shown
        assert not counts["HA1"].shown
        assert "Hidden: fewer than five people." in html

    def test_employee_gets_the_figures_of_their_own_unit_only(
        self, municipality, catalog, client_for
    ):
        c = catalog.competences
        response = client_for(municipality.users["employee"]).get(URL, query(c["HLR"]))
        assert [count.unit.code for count in response.context["counts"]] == ["HA"]

    def test_outsider_sees_nothing_of_testvik(self, municipality, catalog, client_for):
        p, c, u = municipality.people, catalog.competences, municipality.units
        record(p["employee"], c["HLR"])
        record(p["gx"], c["HLR"])
        client = client_for(municipality.users["outsider"])
        response = client.get(URL, query(c["HLR"]))
        assert names_on(response) == {p["gx"].full_name}
        response = client.get(URL, query(c["HLR"], unit=u["HA"].pk))
        assert response.context["form"].errors["unit"]
        assert not response.context.get("rows")
        assert p["employee"].full_name not in response.content.decode()
        export = client.get(URL, query(c["HLR"], export="csv"))
        assert p["employee"].full_name not in export.content.decode("utf-8-sig")


class TestExports:
    def test_csv_and_xlsx_hold_the_columns_of_the_page(
        self, municipality, catalog, client_for, english
    ):
        p, c = municipality.people, catalog.competences
        record(p["employee"], c["LEGEMIDDEL"], expires=ON + 300 * DAY)
        record(p["ha0"], c["SYKEPLEIER"])
        client = client_for(municipality.users["hr"])
        response = client.get(URL, query(c["LEGEMIDDEL"], export="csv"))
        assert response["Content-Disposition"] == 'attachment; filename="who-has-LEGEMIDDEL.csv"'
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0] == [
            "Name", "Unit", "Job role", "Competence", "Via", "Level", "Valid until"
        ]  # fmt: skip
        assert sorted(rows[1:]) == sorted(
            [
                ["Eva Ansatt", "Solsiden sykehjem", "Sykepleier", "Medicine handling", "", "",
                 "28.03.2027"],
                [p["ha0"].full_name, "Solsiden sykehjem", "Sykepleier", "Medicine handling",
                 "Nursing degree", "", ""],
            ]
        )  # fmt: skip
        response = client.get(URL, query(c["LEGEMIDDEL"], export="xlsx"))
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        assert values[0][0] == "Name" and len(values) == 3
        assert datetime.date(2027, 3, 28) in [row[6].date() for row in values[1:] if row[6]]

    def test_the_figures_export_hides_what_the_page_hides(
        self, municipality, catalog, client_for, english
    ):
        p, c = municipality.people, catalog.competences
        record(p["hb"], c["HLR"])
        response = client_for(municipality.users["union_rep"]).get(
            URL, query(c["HLR"], export="csv")
        )
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert rows[0] == ["Unit code", "Unit", "People", "Holders"]
        assert ["HB", "Hjemmetjenesten", "", ""] in rows
        assert ["H", "Helse og mestring", "11", "1"] in rows


def test_the_page_opens_empty_with_a_form(municipality, catalog, client_for, english):
    response = client_for(municipality.users["leader"]).get(URL)
    assert response.status_code == 200
    assert "Choose a competence to see who has it." in response.content.decode()


@pytest.mark.parametrize("username", ["hr", "union_rep"])
def test_query_count_does_not_grow_with_the_holders(
    municipality, catalog, client_for, username, django_assert_max_num_queries
):
    c, u = catalog.competences, municipality.units
    client = client_for(municipality.users[username])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, query(c["HLR"])).status_code == 200
        return len(queries)

    for person in municipality.people.values():
        record(person, c["HLR"])
    small = count()
    for person in add_staff(u["HA"], municipality.roles["nurse"], 80, "many"):
        record(person, c["HLR"])
        record(person, c["HLR"], obtained=ON - 30 * DAY)
    assert count() == small
    with django_assert_max_num_queries(16):
        client.get(URL, query(c["HLR"]))
