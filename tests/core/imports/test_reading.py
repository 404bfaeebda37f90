import csv
import datetime
import io
import os
import time

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from evne.core.imports import reading
from evne.core.imports.headers import normalise
from evne.core.imports.problems import ImportProblems
from evne.core.imports.reading import Row, read_table

HEADERS = ["Ansattnr", "Fornavn", "Etternavn", "Stillingsprosent"]
ROWS = [["1001", "Åse", "Ødegård", "50,5"], ["1002", "Bjørn", "Ærø", "100"]]


def csv_bytes(rows, delimiter=";", encoding="utf-8", line_end="\r\n"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(sheets):
    """sheets: {name: rows}; the first is the active, first sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problem_texts(error):
    with translation.override("en"):
        return [problem.format() for problem in error.value.problems]


def refused(data, filename="people.csv", sheet=None):
    with pytest.raises(ImportProblems) as error:
        read_table(data, filename, sheet)
    return problem_texts(error)


# CSV


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter_is_detected(delimiter):
    table = read_table(csv_bytes([HEADERS, *ROWS], delimiter=delimiter), "people.csv")
    assert table.headers == HEADERS
    assert [row.cells for row in table.rows] == ROWS


def test_semicolon_file_with_decimal_commas_is_split_on_semicolons():
    data = csv_bytes([["Ansattnr", "Stillingsprosent"], ["1", "50,5"], ["2", "37,5"]])
    assert read_table(data, "people.csv").rows[0].cells == ["1", "50,5"]


def test_comma_file_with_quoted_decimal_commas_is_split_on_commas():
    data = b'Ansattnr,Navn,Stillingsprosent\n1,"Hansen, Ola","50,5"\n'
    assert read_table(data, "people.csv").rows[0].cells == ["1", "Hansen, Ola", "50,5"]


def test_single_column_file_is_one_column():
    table = read_table(b"Ansattnr\n1\n2\n", "people.csv")
    assert table.headers == ["Ansattnr"]
    assert [row.cells for row in table.rows] == [["1"], ["2"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_each_encoding_reads_norwegian_letters(encoding):
    table = read_table(csv_bytes([HEADERS, *ROWS], encoding=encoding), "people.csv")
    assert table.headers == HEADERS  # no byte order mark left on the first header
    assert [row.cells for row in table.rows] == ROWS


def test_rows_are_numbered_as_excel_shows_them():
    data = b"Ansattnr;Navn\n1;Ola\n\n;\n2;Kari\n"
    table = read_table(data, "people.csv")
    assert table.header_row == 1
    assert table.rows == [Row(number=2, cells=["1", "Ola"]), Row(number=5, cells=["2", "Kari"])]


def test_blank_lines_before_the_header_are_skipped_but_counted():
    table = read_table(b"\n\n;;\nAnsattnr;Navn\n1;Ola\n", "people.csv")
    assert table.header_row == 4
    assert table.headers == ["Ansattnr", "Navn"]
    assert table.rows == [Row(number=5, cells=["1", "Ola"])]


def test_quoted_line_breaks_stay_in_one_row():
    table = read_table(b'Ansattnr;Merknad\n1;"two\nlines"\n2;x\n', "people.csv")
    assert [row.number for row in table.rows] == [2, 3]
    assert table.rows[0].cells == ["1", "two\nlines"]


def test_surrounding_spaces_are_stripped_from_headers_and_cells():
    data = " Ansattnr ;\tNavn  \n  1 ; Ola Nordmann \u00a0\n".encode()
    table = read_table(data, "people.csv")
    assert table.headers == ["Ansattnr", "Navn"]
    assert table.rows[0].cells == ["1", "Ola Nordmann"]


def test_short_rows_are_padded_with_empty_cells():
    table = read_table(b"A;B;C\n1\n1;2\n", "people.csv")
    assert [row.cells for row in table.rows] == [["1", "", ""], ["1", "2", ""]]


def test_trailing_empty_cells_beyond_the_header_are_ignored():
    table = read_table(b"A;B;\n1;2;;\n", "people.csv")
    assert table.headers == ["A", "B"]
    assert table.rows[0].cells == ["1", "2"]


def test_every_row_with_more_cells_than_headers_is_reported():
    data = b"A;B\n1;2\n1;2;3\n4;5\n1;2;3;4;\n"
    assert refused(data) == [
        "row 3: The row has 3 cells but the header has 2.",
        "row 5: The row has 4 cells but the header has 2.",
    ]


def test_header_without_rows_gives_an_empty_table():
    table = read_table(b"Ansattnr;Navn\r\n", "people.csv")
    assert table.headers == ["Ansattnr", "Navn"]
    assert table.rows == []


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf", b";;;\n;;\n"])
def test_empty_file_is_refused(data):
    assert refused(data) == ["The file is empty."]


def test_nul_bytes_in_a_csv_are_refused_as_binary():
    data = b"Ansattnr;Navn\n1;Ola\x00\x00\n"
    assert refused(data) == ["The file is not a CSV or XLSX table: it contains binary data."]


def test_control_characters_in_a_csv_are_refused_as_binary():
    assert refused(b"Ansattnr;Navn\n1;Ola\x01\x02\n") == [
        "The file is not a CSV or XLSX table: it contains binary data."
    ]


def test_ten_megabytes_of_random_bytes_are_refused_quickly():
    data = os.urandom(10 * 1024 * 1024)
    started = time.monotonic()
    for filename in ("people.csv", "people.xlsx", "people"):
        with pytest.raises(ImportProblems) as error:
            read_table(data, filename)
        assert len(error.value.problems) == 1
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("keep_nul", [True, False])
def test_ten_megabyte_csv_with_a_binary_blob_is_refused(keep_nul):
    blob = os.urandom(10 * 1024 * 1024)
    if not keep_nul:
        blob = blob.replace(b"\x00", b"")
    data = csv_bytes([HEADERS, *ROWS]) + blob + b"\r\n"
    started = time.monotonic()
    assert refused(data) == ["The file is not a CSV or XLSX table: it contains binary data."]
    assert time.monotonic() - started < 1


def test_a_dos_end_of_file_mark_is_allowed():
    table = read_table(b"Ansattnr;Navn\r\n1;Ola\r\n\x1a", "people.csv")
    assert table.rows == [Row(number=2, cells=["1", "Ola"])]


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    assert read_table(b"A\n1\n2\n\n3\n", "people.csv").rows[-1].number == 5
    assert refused(b"A\n1\n2\n3\n4\n") == ["The file has more than 3 rows."]


def test_too_many_rows_in_a_workbook_are_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    data = xlsx_bytes({"Ark1": [["A"], [1], [2], [3], [4]]})
    assert refused(data, "people.xlsx") == ["The file has more than 3 rows."]


def test_file_over_the_size_limit_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_SIZE", 100)
    data = csv_bytes([HEADERS, *ROWS] * 5)
    assert refused(data) == ["The file is larger than 0 MB."]


def test_file_over_the_real_size_limit_names_the_limit():
    data = b"A\n" + b"1\n" * (reading.MAX_FILE_SIZE // 2)
    assert refused(data) == ["The file is larger than 50 MB."]


def test_old_excel_files_are_refused_with_advice():
    data = reading.OLE_SIGNATURE + b"\x00" * 100
    assert refused(data, "people.xls") == [
        "Old Excel files (.xls) cannot be read. Save the file as XLSX or CSV and try again."
    ]


def test_undecodable_text_is_refused():
    # 0x81 is neither valid UTF-8 here nor defined in Windows-1252.
    assert refused(b"Ansattnr;Navn\n1;\x81\n") == [
        "The file's characters cannot be read: save it as UTF-8 or Windows-1252 text."
    ]


# XLSX


def test_xlsx_first_sheet_is_read():
    data = xlsx_bytes({"Ansatte": [HEADERS, *ROWS], "Enheter": [["Enhetskode"], ["K"]]})
    table = read_table(data, "people.xlsx")
    assert table.headers == HEADERS
    assert table.rows == [Row(number=2, cells=ROWS[0]), Row(number=3, cells=ROWS[1])]


def test_xlsx_is_recognised_by_content_whatever_its_name():
    data = xlsx_bytes({"Ansatte": [HEADERS, *ROWS]})
    assert read_table(data, "eksport.dat").headers == HEADERS


def test_xlsx_named_sheet_is_read():
    data = xlsx_bytes({"Ansatte": [HEADERS, *ROWS], "Enheter": [["Enhetskode"], ["K"]]})
    table = read_table(data, "people.xlsx", sheet="Enheter")
    assert table.headers == ["Enhetskode"]
    assert table.rows == [Row(number=2, cells=["K"])]


def test_xlsx_sheet_name_ignores_case_and_spaces_around():
    data = xlsx_bytes({"Ansatte": [HEADERS], "Enheter": [["Enhetskode"]]})
    assert read_table(data, "people.xlsx", sheet=" enheter").headers == ["Enhetskode"]


def test_xlsx_missing_sheet_names_the_sheets_there_are():
    data = xlsx_bytes({"Ansatte": [HEADERS], "Enheter": [["Enhetskode"]]})
    assert refused(data, "people.xlsx", sheet="Personer") == [
        "The workbook has no sheet named 'Personer'. Its sheets are: Ansatte, Enheter."
    ]


def test_xlsx_dates_and_numbers_read_as_excel_shows_them():
    midnight = datetime.datetime(2024, 3, 1, 0, 0)  # noqa: DTZ001 - Excel has no time zones
    morning = datetime.datetime(2024, 3, 1, 8, 30)  # noqa: DTZ001
    rows = [
        ["Startdato", "Tidspunkt", "Ansattnr", "Stillingsprosent", "Andel", "Tom"],
        [datetime.date(2024, 1, 5), midnight, 1001, 100.0, 37.5, None],
        [morning, None, 1002.0, 0.1 + 0.2, -2.5, ""],
    ]
    table = read_table(xlsx_bytes({"Ark1": rows}), "people.xlsx")
    assert [row.cells for row in table.rows] == [
        ["05.01.2024", "01.03.2024", "1001", "100", "37.5", ""],
        ["01.03.2024 08:30", "", "1002", "0.3", "-2.5", ""],
    ]


def test_xlsx_percentage_cells_read_as_percent():
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.append(["Stillingsprosent"])
    worksheet.append([0.5])
    worksheet.append([0.375])
    for row in (2, 3):
        worksheet.cell(row, 1).number_format = "0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "people.xlsx")
    assert [row.cells for row in table.rows] == [["50%"], ["37.5%"]]


def test_xlsx_blank_rows_spaces_and_too_many_cells():
    rows = [
        [" Ansattnr ", "Navn", None],
        ["1", " Ola ", None],
        [],
        [None, None],
        ["2", "Kari", "x"],
    ]
    assert refused(xlsx_bytes({"Ark1": rows}), "people.xlsx") == [
        "row 5: The row has 3 cells but the header has 2."
    ]
    table = read_table(xlsx_bytes({"Ark1": rows[:4]}), "people.xlsx")
    assert table.headers == ["Ansattnr", "Navn"]
    assert table.rows == [Row(number=2, cells=["1", "Ola"])]


def test_empty_xlsx_is_refused():
    assert refused(xlsx_bytes({"Ark1": []}), "people.xlsx") == ["The file is empty."]


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is not really a zip",
        b"Ansattnr;Navn\n1;Ola\n",  # a CSV named .xlsx
    ],
)
def test_xlsx_that_cannot_be_opened_is_refused(data):
    assert refused(data, "people.xlsx") == ["The file cannot be opened as an XLSX workbook."]


def test_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(buffer.getvalue(), "people.xlsx") == [
        "The file cannot be opened as an XLSX workbook."
    ]


def test_xlsx_unpacking_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNPACKED_SIZE", 1000)
    data = xlsx_bytes({"Ark1": [HEADERS, *ROWS] * 20})
    assert refused(data, "people.xlsx") == ["The file cannot be opened as an XLSX workbook."]


# Any small table written as CSV reads back the same


CP1252_TEXT = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789æøåÆØÅéü -.,;'\"/\t"),
    min_size=0,
    max_size=12,
)
HEADER = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=1, max_size=10)


def vary_header(draw, header):
    """The same header as an export might write it: other case, spaces around."""
    case = draw(st.sampled_from([str.upper, str.lower, str.title, str]))
    return draw(st.sampled_from(["", " ", "  "])) + case(header) + draw(st.sampled_from(["", " "]))


@st.composite
def tables(draw):
    # Two columns at least: in a file of one column a cell "a;b" could be two cells.
    headers = draw(st.lists(HEADER, min_size=2, max_size=6, unique_by=normalise))
    width = len(headers)
    rows = draw(
        st.lists(st.lists(CP1252_TEXT, min_size=width, max_size=width), min_size=0, max_size=8)
    )
    written_headers = [vary_header(draw, header) for header in headers]
    return headers, written_headers, rows


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=tables(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    line_end=st.sampled_from(["\r\n", "\n"]),
)
def test_any_small_csv_table_reads_back_the_same(table, delimiter, encoding, line_end):
    headers, written_headers, rows = table
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(written_headers)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)

    result = read_table(data, "people.csv")

    assert [normalise(header) for header in result.headers] == [normalise(h) for h in headers]
    expected = [
        (number, [cell.strip() for cell in row])
        for number, row in enumerate(rows, start=2)
        if any(cell.strip() for cell in row)
    ]
    assert [(row.number, row.cells) for row in result.rows] == expected
