"""Exports open in Excel as they are, and read back by the import as they were written."""

import datetime
import io
from decimal import Decimal

import openpyxl
from django.utils import translation
from django.utils.translation import gettext_lazy

from evne.core.exports import Table, export_bytes, export_response
from evne.core.imports.reading import read_table

TABLE = Table(
    title="Kompetanse: liste/utvalg",
    headers=["Kode", "Oppnådd", "Studiepoeng", "Lovpålagt", "Merknad"],
    rows=[
        ["HLR", datetime.date(2025, 3, 1), Decimal("7.50"), True, "Semikolon; og «sitat»"],
        ["ÆØÅ", None, None, False, ""],
    ],
)


def test_a_csv_export_is_read_back_by_the_import_unchanged():
    data = export_bytes([TABLE], "csv")
    assert data.startswith("\ufeff".encode())  # Excel needs the BOM to see UTF-8
    table = read_table(data, "export.csv")
    assert table.headers == TABLE.headers
    assert [row.cells for row in table.rows] == [
        ["HLR", "01.03.2025", "7,5", "ja", "Semikolon; og «sitat»"],
        ["ÆØÅ", "", "", "nei", ""],
    ]


def test_an_xlsx_export_is_read_back_by_the_import_unchanged():
    table = read_table(export_bytes([TABLE], "xlsx"), "export.xlsx")
    assert table.headers == TABLE.headers
    # A number cell comes back with a decimal point, which the parsers read like a comma.
    assert [row.cells for row in table.rows][0][:4] == ["HLR", "01.03.2025", "7.5", "ja"]


def test_an_xlsx_export_has_a_frozen_bold_header_filters_dates_and_widths():
    tables = [TABLE, Table(title="Kompetanse: liste/utvalg", headers=["A"], rows=[[1]])]
    workbook = openpyxl.load_workbook(io.BytesIO(export_bytes(tables, "xlsx")))
    first, second = workbook.worksheets
    # Excel refuses ":" and "/" in a sheet name, and two sheets may not share one.
    assert first.title == "Kompetanse  liste utvalg"
    assert second.title == "Kompetanse  liste utvalg (2)"
    assert first.freeze_panes == "A2"
    assert first.auto_filter.ref == "A1:E3"
    assert first["A1"].font.bold
    assert first["B2"].value.date() == datetime.date(2025, 3, 1)
    assert first["B2"].number_format == "dd.mm.yyyy"
    assert first.column_dimensions["E"].width > first.column_dimensions["A"].width


def test_a_download_is_an_attachment_with_a_safe_file_name():
    response = export_response([TABLE], "csv", "evne-catalog 2026/11")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="evne-catalog_202611.csv"'


def test_translated_labels_are_written_in_the_active_language():
    table = Table(
        title=gettext_lazy("Staffing targets"), headers=["Status"], rows=[[gettext_lazy("Expired")]]
    )
    with translation.override("nb"):
        workbook = openpyxl.load_workbook(io.BytesIO(export_bytes([table], "xlsx")))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Bemanningsmål"
    assert sheet["A2"].value == "Utløpt"
