"""Across areas: one competence compared across the areas of a top unit, weakest first, with
suppression, scope, the reference date, the export and query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evne.analysis.engine import coverage_for
from tests.analysis.test_matrix import CPR, DAY, ON, Tables, build_case, count_queries, grow

AREAS = reverse("across_areas")
HEADER = [
    "Unit",
    "People",
    "Applicable",
    "Met",
    "Expiring",
    "Pending verification",
    "Below level",
    "Expired",
    "Missing",
    "Coverage",
    "FTE coverage",
]


@pytest.fixture
def case(municipality, catalog):
    return build_case(municipality, catalog)


def open_areas(client_for, user, **params):
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client.get(AREAS, {"on": ON.isoformat(), **params})


def table(response) -> list[list[str]]:
    header, *rows = Tables(response.content.decode()).rows
    assert header == HEADER
    return rows


def test_areas_are_sorted_weakest_first_under_the_total(case, catalog, client_for):
    response = open_areas(client_for, case.users["hr"])
    assert response.status_code == 200
    page = response.content.decode()
    # Required of the most people: CPR (15) rather than dementia care (11).
    assert f"{CPR} on 01.06.2026, weakest first" in page
    rows = table(response)
    assert [row[0] for row in rows] == ["Testvik kommune, total", "Oppvekst", "Helse og mestring"]
    coverage = coverage_for(case.units["K"], on=ON)
    for row, code in zip(rows, ["K", "O", "H"], strict=True):
        tally = coverage.tally(case.units[code], catalog.competences["HLR"])
        people, _fte = coverage.people(case.units[code])
        counts = [tally[status] for status in ("met", "expiring", "pending")]
        assert row[1:6] == [str(people), str(tally.applicable), *map(str, counts)]
        assert row[9] == f"{tally.covered * 100 // tally.applicable} %"
    assert rows[2][1:10] == ["11", "11", "1", "1", "1", "0", "1", "7", "18 %"]


def test_one_level_deeper_compares_the_units_below_the_areas(case, client_for):
    rows = table(open_areas(client_for, case.users["hr"], depth="2"))
    assert [row[0] for row in rows] == [
        "Testvik kommune, total",
        "Hjemmetjenesten Helse og mestring",
        "Lia skole Oppvekst",
        "Solsiden sykehjem Helse og mestring",
    ]
    assert [row[9] for row in rows] == ["13 %", "0 %", "0 %", "25 %"]


def test_suppressed_figures_show_to_the_analyst_and_go_last(case, client_for):
    rows = table(open_areas(client_for, case.users["analyst"], depth="2"))
    hidden = "<5Hidden: fewer than five people."
    # Hjemmetjenesten has three people and Lia skole four.
    assert [row[0] for row in rows][1:] == [
        "Solsiden sykehjem Helse og mestring",
        "Hjemmetjenesten Helse og mestring",
        "Lia skole Oppvekst",
    ]
    assert rows[1][1:] == ["8", "8", "1", "1", "0", "0", "1", "5", "25 %", rows[1][10]]
    assert rows[2][1:] == [hidden, hidden] and rows[3][1:] == [hidden, hidden]
    rows = table(open_areas(client_for, case.users["hr"], depth="2"))
    assert rows[1][0] == "Hjemmetjenesten Helse og mestring" and rows[1][1] == "3"


def test_another_competence_can_be_chosen(case, catalog, client_for):
    dementia = catalog.competences["DEMENS"]
    response = open_areas(client_for, case.users["hr"], competence=dementia.pk)
    rows = table(response)
    assert "Dementia care on 01.06.2026" in response.content.decode()
    assert rows[0][2] == "11"
    # Not required in Oppvekst: no figure, so it goes last.
    assert rows[2][0] == "Oppvekst" and rows[2][2:] == ["0", "0", "0", "0", "0", "0", "0", "–", "–"]
    # A competence no one needs falls back to the default, and the page says so.
    response = open_areas(
        client_for, case.users["hr"], competence=catalog.competences["DIGITAL"].pk
    )
    assert "is not required of anyone with these filters" in response.content.decode()
    assert f"{CPR} on 01.06.2026" in response.content.decode()


def test_the_reference_date_changes_what_is_expired(case, client_for):
    later = (ON + 31 * DAY).isoformat()
    rows = table(open_areas(client_for, case.users["hr"], on=later))
    total = rows[0]
    assert total[HEADER.index("Expiring")] == "0"
    assert total[HEADER.index("Expired")] == "2"
    assert total[HEADER.index("Coverage")] == "6 %"


def test_who_may_compare_areas(case, client_for):
    units = case.units
    for username, params, status in [
        ("hr", {}, 200),
        ("analyst", {}, 200),
        ("union_rep", {}, 200),
        ("leader", {}, 200),  # the departments of the unit they lead
        ("outsider", {}, 200),
        ("employee", {}, 404),  # no areas below their own unit to see
        ("union_rep", {"root": units["K"].pk}, 404),
        ("hr", {"root": units["G"].pk}, 404),
        ("admin", {"root": units["G"].pk}, 200),
        ("hr", {"root": "x"}, 404),
    ]:
        response = open_areas(client_for, case.users[username], **params)
        assert response.status_code == status, (username, params)
    response = open_areas(client_for, case.users["union_rep"])
    assert [row[0] for row in table(response)][1:] == ["Solsiden sykehjem", "Hjemmetjenesten"]


def test_the_export_holds_what_the_page_shows(case, client_for):
    page = table(open_areas(client_for, case.users["analyst"], depth="2"))
    response = open_areas(client_for, case.users["analyst"], depth="2", export="xlsx")
    header, *rows = load_workbook(io.BytesIO(response.content))["Across areas"].iter_rows(
        values_only=True
    )
    assert header[:5] == ("Unit code", "Unit", "Area", "Competence", "People")
    assert [row[1] for row in rows] == [
        "Testvik kommune",
        "Solsiden sykehjem",
        "Hjemmetjenesten",
        "Lia skole",
    ]
    for shown, exported in zip(page[:2], rows[:2], strict=True):
        assert [str(value) for value in exported[4:12]] == shown[1:9]
        assert f"{exported[12]} %" == shown[9]
        assert exported[-1] == "nei"
    assert rows[2][4:] == rows[3][4:] == (None,) * 10 + ("ja",)
    assert {row[3] for row in rows} == {CPR}
    response = open_areas(client_for, case.users["analyst"], export="csv")
    assert response.content.decode("utf-8-sig").count("\r\n") == 4  # header, total, H, O


@pytest.mark.parametrize("username", ["hr", "analyst"])
def test_query_counts_do_not_grow_with_people_and_units(
    case, catalog, client_for, django_assert_max_num_queries, username
):
    client = client_for(case.users[username])
    params = {"on": ON.isoformat(), "depth": "2"}
    small = count_queries(client, AREAS, params)
    grow(case, catalog, units=8, people=7)
    with django_assert_max_num_queries(small):
        client.get(AREAS, params)
    with django_assert_max_num_queries(14):
        client.get(AREAS, params)
