import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from evne.core.imports.problems import ImportProblems
from evne.core.models import ImportBatch, ImportChange
from evne.organization.models import Employment, EmploymentKind, JobRole, OrgUnit, Person
from tests.organization.importing import (
    HEADERS,
    ROWS,
    csv_bytes,
    dump,
    import_people,
    preview_people,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English, the source language; nb is tested elsewhere."""
    with translation.override("en"):
        yield


def problems_of(data, **options):
    with pytest.raises(ImportProblems) as raised:
        import_people(data, **options)
    return raised.value.problems


def test_norwegian_semicolon_windows_1252_export_imports_without_mapping():
    batch = import_people(csv_bytes(ROWS))
    assert batch.counts == {
        "units": {"create": 6, "update": 0},
        "people": {"create": 5, "update": 0},
        "employments": {"create": 6, "update": 0, "end": 0},
    }
    kari = Person.objects.get(employee_number="1003")
    assert (kari.given_name, kari.family_name, kari.gender) == ("Kari", "Nordmann", "female")
    assert kari.birth_date == datetime.date(1990, 6, 5)
    nursing = Employment.objects.get(person=kari, unit__code="210")
    assert nursing.fte == Decimal("80.5")
    assert nursing.is_primary
    department = Employment.objects.get(person=kari, unit__code="211")
    assert department.kind == EmploymentKind.TEMPORARY
    assert department.end_date == datetime.date(2030, 12, 31)
    assert not department.is_primary


def test_the_unit_tree_and_leaders_come_from_the_rows():
    import_people(csv_bytes(ROWS))
    department = OrgUnit.objects.get(code="211")
    assert [OrgUnit.objects.get(pk=pk).code for pk in department.ancestor_ids] == [
        "100",
        "200",
        "210",
    ]
    assert list(department.leaders.values_list("employee_number", flat=True)) == ["1004"]
    assert list(OrgUnit.objects.get(code="100").leaders.values_list("employee_number", flat=True))


def test_a_parent_named_only_as_parent_is_created_unnamed_with_a_warning():
    plan = preview_people(csv_bytes(ROWS))
    assert [warning.value for warning in plan.warnings] == ["300"]
    batch = import_people(csv_bytes(ROWS))
    assert batch.warnings == [plan.warnings[0].format()]
    unnamed = OrgUnit.objects.get(code="300")
    assert unnamed.name == "(uten navn) 300"
    assert OrgUnit.objects.get(code="310").parent == unnamed


def test_job_codes_set_styrk_or_occupation_code_on_new_roles():
    rows = [row.copy() for row in ROWS]
    rows[5][9] = "2341001"  # a 7-digit occupation code for the teacher
    import_people(csv_bytes(rows))
    assert JobRole.objects.get(name="Sykepleier").styrk_code == "2223"
    assert JobRole.objects.get(name="Lærer").occupation_code == "2341001"


def test_a_job_code_alone_finds_the_job_role_by_its_code():
    import_people(csv_bytes(ROWS))
    rows = [["1006", "Ny", "Sykepleier", "", "", "", "210", "", "", "2223", "", "50", "",
             "01.01.2024", "", ""]]  # fmt: skip
    import_people(csv_bytes(rows))
    assert Employment.objects.get(person__employee_number="1006").job_role.name == "Sykepleier"


def test_the_same_file_twice_changes_nothing_the_second_time():
    import_people(csv_bytes(ROWS))
    before = dump()
    second = import_people(csv_bytes(ROWS))
    assert dump() == before
    assert all(number == 0 for actions in second.counts.values() for number in actions.values())
    assert not second.changes.exists()
    assert not second.file  # nothing changed, so no copy of the workforce is kept


def test_a_changed_row_updates_and_records_before_and_after():
    first = import_people(csv_bytes(ROWS))
    rows = [row.copy() for row in ROWS]
    rows[3][11] = "60"  # Kari's FTE in the nursing home
    rows[3][2] = "Nordmann-Berg"
    rows[4][2] = "Nordmann-Berg"
    batch = import_people(csv_bytes(rows))
    assert batch.counts["employments"]["update"] == 1
    assert batch.counts["people"]["update"] == 1
    change = batch.changes.get(action=ImportChange.Action.UPDATE, changes__has_key="fte")
    assert change.changes["fte"] == ["80.50", "60.00"]
    assert change.row == 5  # the header is row 1
    person_change = batch.changes.get(changes__has_key="family_name")
    assert person_change.changes["family_name"] == ["Nordmann", "Nordmann-Berg"]
    assert first.changes.count() == 6 + 5 + 6 + 4  # units, people, positions, led units


def test_the_batch_keeps_the_file_and_who_imported_it(municipality):
    data = csv_bytes(ROWS)
    from evne.core.imports.pipeline import apply_import

    batch = apply_import("people", data, "lønn.csv", user=municipality.users["hr"])
    batch.refresh_from_db()
    assert batch.created_by == municipality.users["hr"]
    assert batch.filename == "lønn.csv"
    assert batch.file.read() == data


def test_without_a_primary_column_the_largest_position_is_primary():
    rows = [row.copy() for row in ROWS]
    rows[3][11], rows[4][11] = "20", "80"  # now the department position is larger
    import_people(csv_bytes(rows))
    primary = Employment.objects.get(person__employee_number="1003", is_primary=True)
    assert primary.unit.code == "211"


def test_a_primary_column_decides_the_primary_position():
    headers = [*HEADERS, "Hovedstilling"]
    rows = [[*row, "ja" if index != 3 else "nei"] for index, row in enumerate(ROWS)]
    rows[4][-1] = "ja"
    import_people(csv_bytes(rows, headers=headers))
    primary = Employment.objects.get(person__employee_number="1003", is_primary=True)
    assert primary.unit.code == "211"


EVERY_KIND_OF_ERROR = [
    (3, 11, "120", "between 0 and 100"),
    (3, 13, "32.01.2020", "does not exist"),
    (3, 13, "2020/01/01", "Not a date"),
    (3, 14, "01.01.2000", "ends before it starts"),
    (3, 4, "X", "Unknown gender"),
    (3, 5, "not-an-email", "Not an email address"),
    (3, 12, "kanskje", "fast or midlertidig"),
    (3, 9, "12", "4-digit STYRK-08"),
    (3, 0, "", "employee number is missing"),
    (3, 1, "", "given name is missing"),
    (3, 6, "", "unit code is missing"),
    (3, 11, "", "FTE percentage is missing"),
    (4, 15, "9999", "leader is neither in the file nor in Evne"),  # the only row of unit 211
]


@pytest.mark.parametrize(("index", "column", "value", "message"), EVERY_KIND_OF_ERROR)
def test_every_kind_of_bad_cell_is_reported_with_row_column_and_value_and_nothing_is_written(
    index, column, value, message
):
    rows = [row.copy() for row in ROWS]
    rows[index][column] = value
    problems = problems_of(csv_bytes(rows))
    matching = [problem for problem in problems if message in str(problem.message)]
    assert matching, [problem.format() for problem in problems]
    assert matching[0].row == index + 2
    assert matching[0].column == HEADERS[column]
    assert Person.objects.count() == 0
    assert OrgUnit.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_conflicting_names_for_one_employee_number_are_reported():
    rows = [row.copy() for row in ROWS]
    rows[4][1] = "Karin"
    problems = problems_of(csv_bytes(rows))
    assert [(p.row, p.column, p.value) for p in problems] == [(6, "Fornavn", "Karin")]
    assert "another value on row 5" in str(problems[0].message)


def test_a_unit_with_two_names_is_reported():
    rows = [row.copy() for row in ROWS]
    rows[3][7] = "Solsiden bo- og behandlingssenter"
    problems = problems_of(csv_bytes(rows))
    assert [(p.row, p.column) for p in problems] == [(5, "Enhet")]


def test_a_cycle_in_the_unit_tree_is_reported():
    rows = [row.copy() for row in ROWS]
    rows[0][8] = "211"  # the municipality under its own department
    problems = problems_of(csv_bytes(rows))
    assert any("cycle" in str(problem.message) for problem in problems)


def test_the_same_position_twice_is_reported():
    rows = [*ROWS, ROWS[3]]
    problems = problems_of(csv_bytes(rows))
    assert [problem.row for problem in problems] == [8]


def test_every_problem_of_a_broken_file_is_reported_at_once():
    rows = [row.copy() for row in ROWS]
    rows[0][11] = "abc"
    rows[2][13] = "1.1.20"
    rows[5][4] = "?"
    problems = problems_of(csv_bytes(rows))
    assert [problem.row for problem in problems] == [2, 4, 7]


def test_a_missing_required_column_names_the_accepted_headers():
    headers = [header for header in HEADERS if header != "Stillingsprosent"]
    dropped = HEADERS.index("Stillingsprosent")
    rows = [row[:dropped] + row[dropped + 1 :] for row in ROWS]
    problems = problems_of(csv_bytes(rows, headers=headers))
    assert "Stillingsprosent" in str(problems[0].message)


def test_a_file_with_a_header_and_no_rows_is_refused():
    problems = problems_of(csv_bytes([]))
    assert "no rows" in str(problems[0].message)


def test_a_large_binary_file_is_refused_cleanly():
    blob = bytes(range(256)) * (10 * 1024 * 1024 // 256)
    problems = problems_of(blob)
    assert problems
    assert Person.objects.count() == 0


def test_full_sync_ends_positions_missing_from_the_file(settings):
    settings.EVNE_FULL_SYNC_LIMIT_PERCENT = 50
    import_people(csv_bytes(ROWS))
    today = datetime.date(2026, 11, 23)
    without_department = [*ROWS[:4], *ROWS[5:]]
    batch = import_people(csv_bytes(without_department), full_sync=True, today=today)
    assert batch.counts["employments"]["end"] == 1
    ended = Employment.objects.get(person__employee_number="1003", unit__code="211")
    assert ended.end_date == today
    ending = batch.changes.get(action=ImportChange.Action.END)
    assert ending.changes["end_date"] == ["2030-12-31", "2026-11-23"]


def test_full_sync_refuses_to_end_more_than_the_limit_unless_forced():
    import_people(csv_bytes(ROWS))
    problems = problems_of(csv_bytes(ROWS[:3]), full_sync=True)
    # Kari's two positions of the five in Kommunen; Lia skole is under another root.
    assert "Full sync would end 2 of 5 current positions" in str(problems[0].message)
    assert not Employment.objects.filter(end_date__lt=datetime.date(2030, 1, 1)).exists()
    batch = import_people(csv_bytes(ROWS[:3]), full_sync=True, force=True)
    assert batch.counts["employments"]["end"] == 2
    assert batch.forced


def test_full_sync_leaves_other_organisations_alone(municipality, settings):
    settings.EVNE_FULL_SYNC_LIMIT_PERCENT = 100
    import_people(csv_bytes(ROWS))
    import_people(csv_bytes(ROWS[:3]), full_sync=True)
    assert Employment.objects.filter(unit__code="310", end_date__isnull=True).exists()
    # Testvik and Gamlevik (the fixture's municipalities) are other roots than the file's.
    assert Employment.objects.filter(unit__code="GX", end_date__isnull=True).exists()


def test_fte_with_more_decimals_than_stored_reimports_without_changes():
    rows = [row.copy() for row in ROWS]
    rows[3][11] = "33,333"
    import_people(csv_bytes(rows))
    assert Employment.objects.get(person__employee_number="1003", unit__code="210").fte == Decimal(
        "33.33"
    )
    again = import_people(csv_bytes(rows))
    assert again.counts["employments"]["update"] == 0


def test_values_longer_than_evne_holds_are_reported_not_crashed_on():
    rows = [row.copy() for row in ROWS]
    rows[0][0] = "1" * 40
    rows[1][7] = "Helse " * 40
    problems = problems_of(csv_bytes(rows))
    too_long = [(p.row, p.column) for p in problems if "At most" in str(p.message)]
    assert too_long == [(2, "Ansattnr"), (3, "Enhet")]
    assert Person.objects.count() == 0


def test_a_job_code_finds_roles_by_occupation_code_too():
    import_people(csv_bytes(ROWS))
    JobRole.objects.filter(name="Lærer").update(occupation_code="2341001")
    rows = [["1007", "Ny", "Lærer", "", "", "", "310", "", "", "2341001", "", "50", "",
             "01.01.2024", "", ""]]  # fmt: skip
    import_people(csv_bytes(rows))
    assert Employment.objects.get(person__employee_number="1007").job_role.name == "Lærer"
