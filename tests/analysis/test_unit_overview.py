"""The unit overview: coverage, staffing targets and, for leaders, who is missing what; figures
with suppression and no names for those who see figures only; exports with the page's numbers."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evne.competence.models import (
    RecordStatus,
    Requirement,
    RequirementKind,
    StaffingTarget,
)
from tests.conftest import add_staff, make_record

ON = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)


def record(person, competence, *, obtained=ON - 100 * DAY, **extra):
    return make_record(person, competence, obtained, **extra)


@pytest.fixture
def solsiden(municipality, catalog):
    """Solsiden sykehjem (7 people in HA and HA1 with Eva and Liv): CPR for every nurse in
    Helse og mestring, legally; Liv and two nurses hold it, one expires soon, one is pending."""
    m, c = municipality, catalog.competences
    Requirement.objects.create(competence=c["HLR"], unit=m.units["H"], job_role=m.roles["nurse"])
    Requirement.objects.create(
        competence=c["DIGITAL"], unit=m.units["HA"], level=2, kind=RequirementKind.DESIRED
    )
    record(m.people["ha0"], c["HLR"], expires=ON + 300 * DAY)
    record(m.people["ha1"], c["HLR"], expires=ON + 30 * DAY)
    record(m.people["ha2"], c["HLR"], status=RecordStatus.PENDING)
    return m


def overview_url(unit, **query):
    url = reverse("unit_overview", args=[unit.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def get_page(client, unit, **query):
    client.cookies["django_language"] = "en"
    query.setdefault("on", ON.isoformat())
    query.setdefault("mandatory_only", "on")
    response = client.get(overview_url(unit, **query))
    assert response.status_code == 200
    return response


class TestWhoSeesWhat:
    @pytest.mark.parametrize(
        ("username", "unit", "status"),
        [
            ("leader", "HA", 200),
            ("leader", "HA1", 200),
            ("leader", "H", 404),
            ("leader", "HB", 404),
            ("employee", "HA", 200),
            ("employee", "HA1", 404),
            ("union_rep", "H", 200),
            ("union_rep", "HB", 200),
            ("union_rep", "O", 404),
            ("analyst", "K", 200),
            ("hr", "K", 200),
            ("hr", "GX", 404),
            ("outsider", "HA", 404),
            ("admin", "GX", 200),
        ],
    )
    def test_who_may_open_which_unit(self, client_for, solsiden, username, unit, status):
        client = client_for(solsiden.users[username])
        assert client.get(overview_url(solsiden.units[unit])).status_code == status

    def test_leader_sees_their_people_with_what_they_miss(self, client_for, solsiden):
        response = get_page(client_for(solsiden.users["leader"]), solsiden.units["HA"])
        page = response.content.decode()
        assert "People missing what" in page
        assert solsiden.people["employee"].full_name in page
        assert reverse("person_records", args=[solsiden.people["employee"].pk]) in page
        # Liv has no nursing requirement; ha0 holds a valid CPR.
        names = {gap.person.full_name for gap in response.context["gaps"]}
        assert solsiden.people["leader"].full_name not in names
        assert solsiden.people["ha0"].full_name not in names

    def test_union_rep_sees_figures_but_no_names(self, client_for, solsiden):
        response = get_page(client_for(solsiden.users["union_rep"]), solsiden.units["H"])
        page = response.content.decode()
        assert "People missing what" not in page
        for person in solsiden.people.values():
            assert person.full_name not in page
        assert response.context["overall"].tally is not None

    def test_union_rep_sees_a_small_unit_hidden_in_words(self, client_for, solsiden):
        response = get_page(client_for(solsiden.users["union_rep"]), solsiden.units["HB"])
        page = response.content.decode()
        assert "Hidden: fewer than five people." in page
        assert response.context["overall"].people is None
        assert response.context["overall"].tally is None
        [row] = response.context["competence_rows"]
        assert row.tally is None

    def test_total_of_three_people_is_hidden_even_with_several_requirements_each(
        self, client_for, solsiden, catalog
    ):
        # Two requirements for each of Hjemmetjenesten's three nurses make six, over the
        # threshold, but still three people.
        Requirement.objects.create(
            competence=catalog.competences["LEGEMIDDEL"], unit=solsiden.units["HB"]
        )
        response = get_page(client_for(solsiden.users["union_rep"]), solsiden.units["HB"])
        assert response.context["overall"].tally is None

    def test_employee_sees_their_own_unit_as_figures(self, client_for, solsiden):
        page = get_page(client_for(solsiden.users["employee"]), solsiden.units["HA"])
        assert "People missing what" not in page.content.decode()


class TestFigures:
    def test_statuses_are_counted_per_competence(self, client_for, solsiden, catalog):
        response = get_page(client_for(solsiden.users["leader"]), solsiden.units["HA"])
        [row] = response.context["competence_rows"]
        assert row.competence == catalog.competences["HLR"]
        # Nurses in HA and HA1: Eva, ha0–ha3 and two in Avdeling Øst.
        assert row.tally.applicable == 7
        assert dict(row.counts) == {
            "Met": 1,
            "Expiring": 1,
            "Pending verification": 1,
            "Missing": 4,
        }
        # Whole per cent rounded down, as on the coverage matrix.
        assert row.coverage == 28
        page = response.content.decode()
        assert "28 %" in page
        assert "2 of 7" in page
        assert "7 people" in page
        assert "Pending verification: 1" in page

    def test_desired_requirements_count_when_not_only_mandatory(self, client_for, solsiden):
        response = get_page(
            client_for(solsiden.users["leader"]), solsiden.units["HA"], mandatory_only=""
        )
        rows = response.context["competence_rows"]
        assert [(row.competence.code, row.mandatory) for row in rows] == [
            ("HLR", True),
            ("DIGITAL", False),
        ]

    def test_first_visit_counts_mandatory_requirements_only(self, client_for, solsiden):
        client = client_for(solsiden.users["leader"])
        response = client.get(overview_url(solsiden.units["HA"]))
        assert [row.mandatory for row in response.context["competence_rows"]] == [True]
        assert "mandatory_only=on" in response.context["exports"]["xlsx"]

    def test_people_and_fte_counted(self, client_for, solsiden):
        response = get_page(client_for(solsiden.users["leader"]), solsiden.units["HA"])
        overall = response.context["overall"]
        assert "2 of 7 requirements are met." in response.content.decode()
        # Liv 100 %, Eva 80 %, ha0–ha3 50/100/50/100, Avdeling Øst 50 and 100.
        assert overall.people == 8
        assert overall.fte == pytest.approx(6.3)
        assert overall.tally.covered == 2

    def test_what_expires_and_what_waits_for_verification(self, client_for, solsiden):
        response = get_page(client_for(solsiden.users["leader"]), solsiden.units["HA"])
        [(person, row)] = response.context["expiring"]
        assert person == solsiden.people["ha1"]
        assert row.assessment.valid_until == ON + 30 * DAY
        assert response.context["pending_count"] == 1
        assert reverse("verification_queue") in response.content.decode()

    def test_staffing_targets_against_the_qualified(self, client_for, solsiden, catalog):
        StaffingTarget.objects.create(
            unit=solsiden.units["HA"], competence=catalog.competences["HLR"], minimum=3
        )
        response = get_page(client_for(solsiden.users["leader"]), solsiden.units["HA"])
        [result] = response.context["staffing"]
        assert (result.reached, result.shortfall) == (False, 3 - result.qualified)
        assert "Not reached" in response.content.decode()


class TestExport:
    def test_xlsx_holds_the_numbers_of_the_page(self, client_for, solsiden, catalog):
        StaffingTarget.objects.create(
            unit=solsiden.units["HA"], competence=catalog.competences["HLR"], minimum=3
        )
        client = client_for(solsiden.users["leader"])
        page = get_page(client, solsiden.units["HA"])
        export = get_page(client, solsiden.units["HA"], export="xlsx")
        workbook = load_workbook(io.BytesIO(export.content))
        assert workbook.sheetnames == [
            "Coverage by competence",
            "Overall",
            "Staffing targets",
            "People missing what",
            "Expiring soon",
            "Pending verification",
        ]
        header, *rows = workbook["Coverage by competence"].values
        [row] = [dict(zip(header, values, strict=True)) for values in rows]
        [shown] = page.context["competence_rows"]
        assert row["Applicable"] == shown.tally.applicable
        assert row["Missing"] == 4
        assert row["Coverage %"] == shown.coverage
        header, values = workbook["Overall"].values
        overall = dict(zip(header, values, strict=True))
        assert overall["People"] == page.context["overall"].people
        assert overall["Coverage %"] == page.context["overall"].coverage
        gap_rows = list(workbook["People missing what"].values)[1:]
        assert len(gap_rows) == sum(len(gap.rows) for gap in page.context["gaps"])

    def test_aggregate_export_has_no_people(self, client_for, solsiden):
        client = client_for(solsiden.users["union_rep"])
        export = get_page(client, solsiden.units["HB"], export="xlsx")
        workbook = load_workbook(io.BytesIO(export.content))
        assert workbook.sheetnames == ["Coverage by competence", "Overall", "Staffing targets"]
        header, row = workbook["Coverage by competence"].values
        assert row[-1] == "Hidden: fewer than five people."
        assert row[3] is None

    def test_csv_is_the_table_per_competence(self, client_for, solsiden):
        client = client_for(solsiden.users["leader"])
        export = get_page(client, solsiden.units["HA"], export="csv")
        lines = export.content.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("Competence;Code;Mandatory;Applicable;Met;")
        assert lines[1].startswith("Cardiopulmonary resuscitation;HLR;ja;7;1;1;1;0;0;4;28;")


class TestQueries:
    def test_query_count_does_not_grow_with_the_people(
        self, client_for, solsiden, catalog, django_assert_max_num_queries
    ):
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_for(solsiden.users["leader"])
        unit = solsiden.units["HA"]
        get_page(client, unit)  # the session and the caches settle
        cache.clear()  # the page's own work, not the page cache, is counted
        with CaptureQueriesContext(connection) as small:
            get_page(client, unit)
        for person in add_staff(solsiden.units["HA1"], solsiden.roles["nurse"], 40, "big"):
            record(person, catalog.competences["HLR"], expires=ON + 20 * DAY)
            record(person, catalog.competences["DEMENS"], status=RecordStatus.PENDING)
        with CaptureQueriesContext(connection) as large:
            get_page(client, unit)
        assert len(large) == len(small)
        cache.clear()
        with django_assert_max_num_queries(27):
            get_page(client, unit)
