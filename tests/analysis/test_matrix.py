"""The coverage matrix and its drill-down to people: cells against the engine, links down the
tree, suppression, scope, the reference date, exports and query counts."""

import csv
import datetime
import io
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from evne.analysis.engine import coverage_for
from evne.competence.models import (
    RecordStatus,
    Requirement,
    RequirementKind,
)
from evne.organization.models import OrgUnit
from tests.conftest import add_staff, make_record

ON = datetime.date(2026, 6, 1)
DAY = datetime.timedelta(days=1)
MATRIX = reverse("coverage_matrix")
PEOPLE = reverse("coverage_people")


class Tables(HTMLParser):
    """The rows of a page's tables as lists of cell texts, and the links in each cell."""

    def __init__(self, html):
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
            self.links.append([])
        elif tag in ("td", "th") and self.rows:
            self._cell = []
            self.links[-1].append([])
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "a" and self._cell is not None:
            self.links[-1][-1].append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def grid(response) -> dict[str, dict[str, str]]:
    """The matrix as {row header: {column header: cell text}}."""
    rows = Tables(response.content.decode()).rows
    header, *body = rows
    return {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in body}


def record(person, competence, *, obtained=ON - 400 * DAY, **extra):
    return make_record(person, competence, obtained, **extra)


def build_case(municipality, catalog):
    """CPR required everywhere in Testvik, dementia care desired in Helse og mestring; one
    nurse met, one expiring in 30 days, one expired, one pending."""
    m, c = municipality, catalog.competences
    Requirement.objects.create(competence=c["HLR"], unit=m.units["K"])
    Requirement.objects.create(
        competence=c["DEMENS"], unit=m.units["H"], level=2, kind=RequirementKind.DESIRED
    )
    record(m.people["employee"], c["HLR"], expires=ON + 200 * DAY)
    record(m.people["ha0"], c["HLR"], expires=ON + 30 * DAY)
    record(m.people["ha1"], c["HLR"], expires=ON - 10 * DAY)
    record(m.people["hb"], c["HLR"], obtained=ON - 3 * DAY, status=RecordStatus.PENDING)
    record(m.people["employee"], c["DEMENS"], level=3)
    return m


@pytest.fixture
def case(municipality, catalog):
    return build_case(municipality, catalog)


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def open_matrix(client_for, user, **params):
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client.get(MATRIX, {"on": ON.isoformat(), **params})


CPR, DEMENTIA, ALL = "Cardiopulmonary resuscitation", "Dementia care", "All requirements"


def test_cells_show_the_engines_tallies(case, catalog, client_for):
    units = case.units
    response = open_matrix(client_for, case.users["hr"], unit=units["K"].pk)
    assert response.status_code == 200
    cells = grid(response)
    assert list(cells) == ["Testvik kommune, total", "Helse og mestring", "Oppvekst"]
    coverage = coverage_for(units["K"], on=ON)
    for row, unit in [
        ("Testvik kommune, total", units["K"]),
        ("Helse og mestring", units["H"]),
        ("Oppvekst", units["O"]),
    ]:
        for column, competence in [(CPR, catalog.competences["HLR"]), (ALL, None)]:
            tally = coverage.tally(unit, competence)
            percent = tally.covered * 100 // tally.applicable
            assert cells[row][column] == f"{percent} % {tally.covered} of {tally.applicable}"
    # Met and expiring count; expired and pending do not.
    assert cells["Testvik kommune, total"][CPR] == "13 % 2 of 15"
    assert cells["Helse og mestring"][DEMENTIA] == "9 % 1 of 11"
    assert cells["Oppvekst"][DEMENTIA] == "–Not required"


def test_fte_weighting_shows_full_time_equivalents(case, client_for):
    response = open_matrix(client_for, case.users["hr"], unit=case.units["HA"].pk, weight="fte")
    tally = coverage_for(case.units["HA"], on=ON).tally(case.units["HA"])
    covered = tally.fte["met"] + tally.fte["expiring"]
    percent = int(tally.fte_coverage * 100)
    cell = grid(response)["Solsiden sykehjem, total"][ALL]
    assert cell == f"{percent} % {covered:.1f} of {tally.fte_applicable:.1f} FTE"
    by_people = open_matrix(client_for, case.users["hr"], unit=case.units["HA"].pk)
    assert not grid(by_people)["Solsiden sykehjem, total"][ALL].endswith("FTE")


def test_child_rows_link_down_and_keep_the_filters(case, client_for):
    units = case.units
    response = open_matrix(client_for, case.users["hr"], unit=units["H"].pk, weight="fte")
    tables = Tables(response.content.decode())
    pairs = zip(tables.rows, tables.links, strict=True)
    links = {row[0]: cell_links[0] for row, cell_links in pairs if row}
    solsiden = links["Solsiden sykehjem"][0]
    assert f"unit={units['HA'].pk}" in solsiden
    assert "weight=fte" in solsiden and f"on={ON.isoformat()}" in solsiden
    assert links["Helse og mestring, total"] == []
    page = response.content.decode()
    # Breadcrumbs up to the top the user may see.
    assert f"unit={units['K'].pk}" in page
    assert "weight=fte&amp;export=xlsx" in page  # the export keeps the filters
    # HR may see people: the drill-down ends at them.
    assert f"{PEOPLE}?" in page and "People in Helse og mestring" in page


def test_the_default_unit_is_the_users_top_unit(case, client_for, municipality):
    hr = open_matrix(client_for, case.users["hr"])
    assert "Coverage in Testvik kommune" in hr.content.decode()
    leader = open_matrix(client_for, case.users["leader"])
    assert "Coverage in Solsiden sykehjem" in leader.content.decode()
    # An administrator sees both municipalities: the first by name.
    admin = open_matrix(client_for, case.users["admin"])
    assert "Coverage in Gamlevik kommune" in admin.content.decode()


def test_suppression_shows_to_the_union_representative_and_analyst_not_to_hr(case, client_for):
    hb = "Hjemmetjenesten"
    for username in ("union_rep", "analyst"):
        cells = grid(open_matrix(client_for, case.users[username], unit=case.units["H"].pk))
        assert cells[hb][CPR] == "<5Hidden: fewer than five people.", username
        assert cells["Solsiden sykehjem"][CPR] == "25 % 2 of 8", username
    page = open_matrix(client_for, case.users["analyst"], unit=case.units["H"].pk)
    assert "People in" not in page.content.decode()  # figures only
    cells = grid(open_matrix(client_for, case.users["hr"], unit=case.units["H"].pk))
    assert cells[hb][CPR] == "0 % 0 of 3"


def test_a_leader_cannot_open_a_unit_outside_their_scope(case, client_for):
    units = case.units
    for unit in ("O", "H", "G"):
        response = open_matrix(client_for, case.users["leader"], unit=units[unit].pk)
        assert response.status_code == 404, unit
    assert open_matrix(client_for, case.users["leader"], unit="nonsense").status_code == 404
    assert open_matrix(client_for, case.users["leader"], unit=units["HA1"].pk).status_code == 200
    assert open_matrix(client_for, case.users["outsider"], unit=units["K"].pk).status_code == 404


def test_people_need_personal_detail(case, client_for):
    units = case.units
    for username, unit, status in [
        ("leader", "HA", 200),
        ("hr", "H", 200),
        ("leader", "HB", 404),
        ("union_rep", "HA", 404),
        ("analyst", "K", 404),
        ("employee", "HA", 404),
        ("outsider", "K", 404),
    ]:
        response = client_for(case.users[username]).get(PEOPLE, {"unit": units[unit].pk})
        assert response.status_code == status, (username, unit)
    assert client_for(case.users["hr"]).get(PEOPLE).status_code == 404


def test_people_show_each_status_in_words(case, client_for):
    client = client_for(case.users["leader"])
    client.cookies["django_language"] = "en"
    response = client.get(PEOPLE, {"unit": case.units["HA"].pk, "on": ON.isoformat()})
    cells = grid(response)
    eva = cells["Eva Ansatt"]
    assert eva[CPR] == "Met, valid until 18.12.2026"
    assert eva[DEMENTIA] == "Met, level 2, desired"
    assert cells["Ansatt0 Hasen"][CPR].startswith("Expiring")
    expired = cells["Ansatt0 Haesen Avdeling Øst"][CPR]
    assert expired == "Expired, expired 22.05.2026, due 01.01.2020"
    # People whose positions have ended are not listed.
    assert "Frode Sluttet" not in response.content.decode()


def test_the_reference_date_changes_what_is_expired(case, client_for):
    later = ON + 31 * DAY
    cells = grid(open_matrix(client_for, case.users["hr"], unit=case.units["HA"].pk))
    assert cells["Solsiden sykehjem, total"][CPR] == "25 % 2 of 8"
    cells = grid(
        open_matrix(client_for, case.users["hr"], unit=case.units["HA"].pk, on=later.isoformat())
    )
    assert cells["Solsiden sykehjem, total"][CPR] == "12 % 1 of 8"
    client = client_for(case.users["leader"])
    client.cookies["django_language"] = "en"
    people = client.get(PEOPLE, {"unit": case.units["HA"].pk, "on": later.isoformat()})
    assert grid(people)["Ansatt0 Hasen"][CPR].startswith("Expired")


def test_the_export_holds_what_the_page_shows(case, client_for):
    params = {"unit": case.units["H"].pk}
    page = grid(open_matrix(client_for, case.users["union_rep"], **params))
    response = open_matrix(client_for, case.users["union_rep"], export="xlsx", **params)
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Coverage", "Matrix"]

    header, *rows = workbook["Matrix"].iter_rows(values_only=True)
    assert header[2:] == (ALL, CPR, DEMENTIA)
    for row in rows:
        name = row[1] if row[0] != "H" else "Helse og mestring, total"
        shown = [page[name][column] for column in header[2:]]
        assert [f"{value} %" if value is not None else None for value in row[2:]] == [
            text.split(" ", 2)[0] + " %" if text[0].isdigit() else None for text in shown
        ]

    header, *rows = workbook["Coverage"].iter_rows(values_only=True)
    assert header == (
        "Unit code",
        "Unit",
        "Competence",
        "Applicable",
        "Met",
        "Expiring",
        "Pending verification",
        "Below level",
        "Expired",
        "Missing",
        "Coverage %",
        "FTE coverage %",
        "Suppressed",
    )
    found = {(row[0], row[2]): row for row in rows}
    assert found[("H", CPR)][3:11] == (11, 1, 1, 1, 0, 1, 7, 18)
    assert found[("HB", CPR)][3:] == (None,) * 9 + ("ja",)
    assert page["Hjemmetjenesten"][CPR].startswith("<5")
    assert ("HB", DEMENTIA) in found and ("O", CPR) not in found

    text = open_matrix(client_for, case.users["union_rep"], export="csv", **params)
    lines = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][0] == "Unit code" and len(lines) == len(found) + 1


def test_people_export_lists_every_requirement(case, client_for):
    client = client_for(case.users["leader"])
    client.cookies["django_language"] = "en"
    response = client.get(
        PEOPLE, {"unit": case.units["HA"].pk, "on": ON.isoformat(), "export": "xlsx"}
    )
    header, *rows = load_workbook(io.BytesIO(response.content))["People"].iter_rows(
        values_only=True
    )
    assert header[:4] == ("Employee number", "Name", "Unit", "Competence")
    # Eight people with CPR and dementia care each.
    assert len(rows) == 16
    eva = [row for row in rows if row[1] == "Eva Ansatt" and row[3] == CPR][0]
    assert eva[4:7] == ("Mandatory", None, "Met")
    assert eva[7].date() == datetime.date(2026, 12, 18)


def grow(municipality, catalog, units: int, people: int):
    """More units under Oppvekst, each with staff, to check that counts do not grow."""
    oppvekst = municipality.units["O"]
    for index in range(units):
        unit = OrgUnit.objects.create(code=f"S{index}", name=f"Skole {index}", parent=oppvekst)
        for person in add_staff(unit, municipality.roles["teacher"], people, f"s{index}-"):
            record(person, catalog.competences["HLR"], expires=ON + 100 * DAY)


def count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "username", "unit"),
    [(MATRIX, "hr", "K"), (MATRIX, "analyst", "O"), (PEOPLE, "hr", "O")],
)
def test_query_counts_do_not_grow_with_people_and_units(
    case, catalog, client_for, django_assert_max_num_queries, url, username, unit
):
    client = client_for(case.users[username])
    params = {"unit": case.units[unit].pk, "on": ON.isoformat(), "kind": "course"}
    small = count_queries(client, url, params)
    grow(case, catalog, units=8, people=7)
    with django_assert_max_num_queries(small):
        client.get(url, params)
    with django_assert_max_num_queries(14):
        client.get(url, params)


def test_people_come_fifty_to_a_page_and_the_links_keep_the_filters(case, catalog, client_for):
    grow(case, catalog, units=1, people=60)
    client = client_for(case.users["hr"])
    client.cookies["django_language"] = "en"
    params = {"unit": case.units["O"].pk, "on": ON.isoformat(), "mandatory_only": "on"}
    first = client.get(PEOPLE, params)
    assert len(grid(first)) == 50
    page = first.content.decode()
    assert "Page 1 of 2" in page and "64 people" in page
    assert f"?unit={case.units['O'].pk}&amp;on=2026-06-01&amp;mandatory_only=on&amp;page=2" in page
    assert "mandatory_only=on&amp;export=xlsx" in page
    second = client.get(PEOPLE, {**params, "page": 2})
    assert len(grid(second)) == 14
