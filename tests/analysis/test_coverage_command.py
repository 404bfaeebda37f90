"""`evne coverage`: one row per competence of a unit's subtree, as CSV, JSON or XLSX, and clear
refusals that write nothing."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook


def run(*args) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("coverage", *args, stdout=out)
    return out.getvalue()


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_csv_has_one_row_per_mandatory_competence_with_each_status(health):
    header, *rows = read_csv(run("--unit", "H", "--on", "01.06.2026"))
    assert header == [
        "Unit code",
        "Competence code",
        "Applicable",
        "Met",
        "Expiring",
        "Pending verification",
        "Below level",
        "Expired",
        "Missing",
        "Coverage",
    ]
    # 11 people: 2 met, 1 expiring, 1 pending, 1 expired, 6 missing; coverage 3/11.
    assert rows == [["H", "HLR", "11", "2", "1", "1", "0", "1", "6", "0,2727"]]


def test_iso_and_norwegian_dates_give_the_same_table(health):
    assert run("--unit", "H", "--on", "2026-06-01") == run("--unit", "H", "--on", "01.06.2026")


def test_a_later_date_counts_what_has_expired_by_then(health):
    [_header, row] = read_csv(run("--unit", "H", "--on", "2026-07-15"))
    # The expiring CPR has now expired too.
    assert row[3:9] == ["2", "0", "1", "0", "2", "6"]


def test_desired_requirements_are_rows_of_their_own_with_a_requirement_column(health):
    header, *rows = read_csv(run("--unit", "H", "--on", "2026-06-01", "--include-desired"))
    assert header[:10] == read_csv(run("--unit", "H", "--on", "2026-06-01"))[0]
    assert header[10] == "Requirement"
    assert [row[1] for row in rows] == ["HLR", "DEMENS"]
    assert rows[0][10] == "mandatory"
    # The 10 nurses of Helse og mestring; Eva is below level, nobody has it.
    assert rows[1] == ["H", "DEMENS", "10", "0", "0", "0", "1", "0", "9", "0", "desired"]


def test_json_gives_numbers_and_the_reference_date(health):
    document = json.loads(run("--unit", "HA", "--on", "2026-06-01", "--format", "json"))
    assert document["unit"] == "HA"
    assert document["on"] == "2026-06-01"
    [row] = document["rows"]
    assert row == {
        "unit_code": "HA",
        "competence_code": "HLR",
        "applicable": 8,
        "met": 2,
        "expiring": 1,
        "pending": 0,
        "below_level": 0,
        "expired": 1,
        "missing": 4,
        "coverage": 0.375,
    }


def test_a_unit_where_nothing_applies_gives_an_empty_table(health):
    document = json.loads(run("--unit", "O", "--format", "json"))
    assert document["rows"] == []
    assert read_csv(run("--unit", "O"))[1:] == []


def test_xlsx_is_written_to_the_output_file(health, tmp_path):
    target = tmp_path / "dekning.xlsx"
    printed = run("--unit", "H", "--on", "2026-06-01", "--output", str(target))
    assert str(target) in printed
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Unit code"
    assert rows[1][:3] == ("H", "HLR", 11)
    assert rows[1][9] == pytest.approx(0.2727)


def test_csv_and_json_can_go_to_a_file(health, tmp_path):
    target = tmp_path / "dekning.json"
    run("--unit", "H", "--output", str(target))
    assert json.loads(target.read_text())["rows"][0]["competence_code"] == "HLR"
    target = tmp_path / "dekning.txt"
    run("--unit", "H", "--output", str(target), "--format", "csv")
    assert read_csv(target.read_text(encoding="utf-8"))[1][1] == "HLR"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "NOPE"], "No unit has the code NOPE"),
        (["--unit", "H", "--on", "31.02.2026"], "does not exist"),
        (["--unit", "H", "--on", "01.06.26"], "four digits"),
        (["--unit", "H", "--on", "tomorrow"], "Not a date"),
        (["--unit", "H", "--on", "31.12.9999"], "must be between"),
        (["--unit", "H", "--format", "pdf"], "Unknown format pdf"),
        (["--unit", "H", "--format", "xlsx"], "needs --output"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_written(
    health, tmp_path, args, message
):
    target = tmp_path / "out.csv"
    extra = [] if "xlsx" in args else ["--output", str(target)]
    with pytest.raises(CommandError, match=message), translation.override("en"):
        call_command("coverage", *args, *extra, stdout=io.StringIO())
    assert not target.exists()


def test_an_unwritable_output_is_an_error(health, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"), translation.override("en"):
        call_command(
            "coverage",
            "--unit",
            "H",
            "--output",
            str(tmp_path / "missing" / "x.csv"),
            stdout=io.StringIO(),
        )
