"""Read an uploaded file into a table of strings, the first step of every import.

Payroll and HR systems (Visma Enterprise HRM and similar) export CSV or XLSX that HR then opens
and saves in Excel, so a file may come with commas, semicolons (Norwegian Excel's choice) or tabs,
in UTF-8 with or without a byte order mark, in Windows-1252, or as a workbook. Everything is
turned into stripped strings here; what the strings mean is decided by the importer.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from evne.core.imports.problems import ImportProblems, Problem, lazy_message

# Larger files are refused before anything is decoded: an export of 100 000 positions with the
# usual 17 columns is about 10 MB, so this leaves room while bounding memory.
MAX_FILE_SIZE = 50 * 1024 * 1024
# A workbook's parts may not unpack to more than this (a zip bomb would otherwise fill memory).
MAX_UNPACKED_SIZE = 10 * MAX_FILE_SIZE
# Oslo, the largest municipality, has about 57 000 positions; more data rows than this is not an
# HR export, and would only fill memory.
MAX_ROWS = 1_000_000
DELIMITERS = ",;\t"
# How much of a CSV file is looked at to choose the delimiter.
SAMPLE_SIZE = 32 * 1024

ZIP_SIGNATURE = b"PK\x03\x04"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Old binary Excel (.xls) and other OLE2 compound documents.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
# Control characters never found in a text export (tab, line feed and carriage return are fine;
# \x1a ends some old DOS files). The bytes are the same characters in UTF-8 and Windows-1252.
BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Row:
    """A data row: its number in the file as Excel shows it (the header is usually row 1) and
    its cells, one per header, "" where empty."""

    number: int
    cells: list[str]


@dataclass
class Table:
    """Headers as written (stripped) and the non-blank data rows below them."""

    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    header_row: int = 1


def read_table(data: bytes, filename: str, sheet: str | None = None) -> Table:
    """Read CSV or XLSX bytes into a table, or raise ImportProblems saying why not.

    XLSX is recognised by its content as well as its name; `sheet` names a worksheet (the first
    one otherwise) and is ignored for CSV.
    """
    if len(data) > MAX_FILE_SIZE:
        raise _refuse(
            lazy_message(
                _("The file is larger than %(limit)d MB."), limit=MAX_FILE_SIZE // (1024 * 1024)
            )
        )
    if not data.strip():
        raise _refuse(_("The file is empty."))
    name = filename.lower()
    if data.startswith(OLE_SIGNATURE) or name.endswith(".xls"):
        raise _refuse(
            _("Old Excel files (.xls) cannot be read. Save the file as XLSX or CSV and try again.")
        )
    if data.startswith(ZIP_SIGNATURE) or name.endswith(XLSX_EXTENSIONS):
        records = _xlsx_records(data, sheet)
    else:
        records = _csv_records(data)
    with contextlib.closing(records):  # closes the workbook if reading stops early
        return _table(records)


def _refuse(message) -> ImportProblems:
    return ImportProblems([Problem(message=message)])


def _table(records) -> Table:
    """Take the first non-blank record as the header; number every record as Excel would."""
    headers: list[str] | None = None
    header_row = 0
    rows: list[Row] = []
    problems: list[Problem] = []
    for number, record in records:
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        if headers is None:
            while cells and not cells[-1]:
                cells.pop()  # formatted but empty columns at the right
            headers, header_row = cells, number
            continue
        if len(cells) > len(headers):
            extra = cells[len(headers) :]
            if any(extra):
                problems.append(
                    Problem(
                        row=number,
                        message=lazy_message(
                            _("The row has %(cells)d cells but the header has %(columns)d."),
                            cells=len(headers) + len(extra) - _trailing_empty(extra),
                            columns=len(headers),
                        ),
                    )
                )
                continue
            cells = cells[: len(headers)]
        cells.extend([""] * (len(headers) - len(cells)))
        rows.append(Row(number=number, cells=cells))
        if len(rows) > MAX_ROWS:
            raise _refuse(lazy_message(_("The file has more than %(limit)d rows."), limit=MAX_ROWS))
    if headers is None:
        raise _refuse(_("The file is empty."))
    if problems:
        raise ImportProblems(problems)
    return Table(headers=headers, rows=rows, header_row=header_row)


def _trailing_empty(cells: list[str]) -> int:
    count = 0
    for cell in reversed(cells):
        if cell:
            break
        count += 1
    return count


# CSV


def _csv_records(data: bytes):
    binary = _("The file is not a CSV or XLSX table: it contains binary data.")
    utf16 = data.startswith(UTF16_BOMS)
    if not utf16 and BINARY_BYTES.search(data.rstrip(b"\x1a")):
        raise _refuse(binary)  # checked on the bytes: a large blob is refused before decoding
    text = _decode(data).rstrip("\x1a")
    if utf16 and BINARY_CHARACTERS.search(text):
        raise _refuse(binary)
    sample = text[:SAMPLE_SIZE]
    if len(text) > SAMPLE_SIZE and "\n" in sample:
        sample = sample[: sample.rfind("\n") + 1]  # no cut-off last line
    delimiter = detect_delimiter(sample)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            yield number, record
    except csv.Error as error:
        raise ImportProblems(
            [
                Problem(
                    row=number + 1,
                    message=lazy_message(
                        _("The row cannot be read as CSV (%(reason)s)."), reason=str(error)
                    ),
                )
            ]
        ) from error


def _decode(data: bytes) -> str:
    """UTF-8 (a byte order mark is dropped); Windows-1252 when the bytes are not valid UTF-8;
    UTF-16 when it says so with a byte order mark (Excel's "Unicode text")."""
    encodings = ["utf-16"] if data.startswith(UTF16_BOMS) else ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _refuse(_("The file's characters cannot be read: save it as UTF-8 or Windows-1252 text."))


def detect_delimiter(sample: str) -> str:
    """Comma, semicolon or tab: what csv.Sniffer finds if it splits the sample into rows of the
    header's width; else the delimiter that does so with the most columns; else the one that
    splits the header into the most columns; else the most frequent one (a sheet of empty cells
    saved as ";;;"). A file of one column gets a comma."""
    widths = {delimiter: _widths(sample, delimiter) for delimiter in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in widths and _consistent(widths[sniffed]):
        return sniffed
    consistent = [d for d in DELIMITERS if _consistent(widths[d])]
    if consistent:
        return max(consistent, key=lambda d: widths[d][0])
    best = max(DELIMITERS, key=lambda d: widths[d][0] if widths[d] else 0)
    if widths[best] and widths[best][0] > 1:
        return best
    return max(DELIMITERS, key=sample.count) if any(d in sample for d in DELIMITERS) else ","


def _widths(sample: str, delimiter: str) -> list[int]:
    """Number of cells in each non-blank record, trailing empty cells not counted."""
    widths = []
    try:
        for record in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter):
            width = len(record) - _trailing_empty([cell.strip() for cell in record])
            if width:
                widths.append(width)
    except csv.Error:
        return []
    return widths


def _consistent(widths: list[int]) -> bool:
    return bool(widths) and widths[0] > 1 and all(width <= widths[0] for width in widths)


# XLSX


def _xlsx_records(data: bytes, sheet: str | None):
    """Yield (row number, cell texts) from a worksheet; openpyxl's read-only mode streams the
    sheet instead of building it in memory."""
    from openpyxl import load_workbook  # only needed for workbooks

    cannot_open = _("The file cannot be opened as an XLSX workbook.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _refuse(cannot_open) from error
    if unpacked > MAX_UNPACKED_SIZE:
        raise _refuse(cannot_open)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged workbook can fail in many ways inside openpyxl
        raise _refuse(cannot_open) from error
    try:
        worksheet = _worksheet(workbook, sheet)
        worksheet.reset_dimensions()  # some exporters write wrong dimensions; read every row
        rows = enumerate(worksheet.iter_rows(), start=1)
        while True:
            try:
                number, row = next(rows)
            except StopIteration:
                return
            except Exception as error:  # damaged sheet XML, found only while reading
                raise _refuse(cannot_open) from error
            yield number, [_cell_text(cell) for cell in row]
    finally:
        workbook.close()


def _worksheet(workbook, sheet: str | None):
    if sheet is None:
        return workbook.worksheets[0]
    for name in workbook.sheetnames:
        if name == sheet or name.strip().casefold() == sheet.strip().casefold():
            return workbook[name]
    raise _refuse(
        lazy_message(
            _("The workbook has no sheet named '%(sheet)s'. Its sheets are: %(sheets)s."),
            sheet=sheet,
            sheets=", ".join(workbook.sheetnames),
        )
    )


def _cell_text(cell) -> str:
    """The cell as the user saw it in Excel: dates as dd.mm.yyyy, 100.0 as "100", 0.5 in a
    percentage cell as "50%"."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return _date_text(value)
        return f"{_date_text(value)} {value:%H:%M}"
    if isinstance(value, datetime.date):
        return _date_text(value)
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float):
        if "%" in (cell.number_format or ""):
            return _number_text(value * 100) + "%"
        return _number_text(value)
    return str(value)


def _date_text(value: datetime.date) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def _number_text(value: int | float) -> str:
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".15g")  # 0.1 + 0.2 shows as 0.3, as in Excel
    return str(value)
