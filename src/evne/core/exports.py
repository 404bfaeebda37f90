"""Tables out to files: CSV and formatted XLSX, for every export of Evne.

Municipalities live in Excel. A CSV is written the way Norwegian Excel opens it with a double
click (UTF-8 with a byte order mark, semicolons); an XLSX gets one sheet per table with the
header row frozen, filters on, columns wide enough for their contents, and real dates and
numbers rather than text.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.text import get_valid_filename
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATE_FORMAT = "%d.%m.%Y"
XLSX_DATE_FORMAT = "dd.mm.yyyy"
MAX_COLUMN_WIDTH = 60
# Excel's limit on a sheet's name, and the characters it refuses in one.
MAX_SHEET_TITLE = 31
SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass
class Table:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]


def csv_value(value) -> str:
    """A cell as the import reads it back: dates as dd.mm.yyyy, decimal commas, ja/nei."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, datetime.datetime):
        return value.strftime(f"{DATE_FORMAT} %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, Decimal | float):
        text = format(value.normalize() if isinstance(value, Decimal) else value, "f")
        return text.replace(".", ",")
    return str(value)


def write_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([csv_value(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_value(value):
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):  # a lazily translated label
        return str(value)
    return value


def write_xlsx(tables: Sequence[Table]) -> bytes:
    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    titles: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, titles))
        sheet.append(list(table.headers))
        widths = [len(str(header)) for header in table.headers]
        for row in table.rows:
            values = [xlsx_value(value) for value in row]
            sheet.append(values)
            for index, value in enumerate(values):
                if isinstance(value, datetime.date):
                    sheet.cell(row=sheet.max_row, column=index + 1).number_format = XLSX_DATE_FORMAT
                    length = 10
                else:
                    length = len(str(value)) if value is not None else 0
                if index < len(widths):
                    widths[index] = max(widths[index], length)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        if table.headers:
            last = get_column_letter(len(table.headers))
            sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 1)}"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(
                width + 2, MAX_COLUMN_WIDTH
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_bytes(tables: Sequence[Table], file_format: str) -> bytes:
    """The file's bytes; a CSV holds the first table only (a CSV has no sheets)."""
    if file_format == "csv":
        return write_csv(tables[0])
    if file_format == "xlsx":
        return write_xlsx(tables)
    raise ValueError(f"unknown export format {file_format!r}")


def export_response(tables: Sequence[Table], file_format: str, basename: str) -> HttpResponse:
    """A download of the tables as `basename.csv` or `basename.xlsx`."""
    response = HttpResponse(
        export_bytes(tables, file_format), content_type=CONTENT_TYPES[file_format]
    )
    filename = get_valid_filename(f"{basename}.{file_format}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _sheet_title(title: str, taken: set[str]) -> str:
    base = str(title).translate(SHEET_TITLE_FORBIDDEN).strip()[:MAX_SHEET_TITLE] or "Sheet"
    candidate, number = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({number})"
        candidate = base[: MAX_SHEET_TITLE - len(suffix)] + suffix
        number += 1
    taken.add(candidate.casefold())
    return candidate
