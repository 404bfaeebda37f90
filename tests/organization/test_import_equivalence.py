"""However the payroll system happens to write the file, the same data imports the same way."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.organization.importing import HEADERS, ROWS, csv_bytes, dump, import_people

HEADER_SPELLINGS = [
    str.lower,
    str.upper,
    lambda header: f"  {header} ",
    lambda header: header.replace("ø", "o").replace("Ø", "O").replace("å", "aa"),
    lambda header: f"{header[:3]} {header[3:]}",
]


def imported(data: bytes) -> dict:
    """What the file imports to, rolled back afterwards so every example starts empty."""
    with transaction.atomic():
        import_people(data)
        result = dump()
        transaction.set_rollback(True)
    return result


@pytest.fixture
def reference(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return imported(csv_bytes(ROWS))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    spellings=st.lists(
        st.sampled_from(HEADER_SPELLINGS), min_size=len(HEADERS), max_size=len(HEADERS)
    ),
    order=st.permutations(range(len(ROWS))),
    blank_lines=st.booleans(),
)
def test_delimiter_encoding_header_spelling_and_row_order_do_not_change_the_result(
    reference, delimiter, encoding, spellings, order, blank_lines
):
    headers = [spell(header) for spell, header in zip(spellings, HEADERS, strict=True)]
    rows = [ROWS[index] for index in order]
    if blank_lines:
        rows = [cells for row in rows for cells in (row, [""] * len(HEADERS))]
    data = csv_bytes(rows, headers=headers, delimiter=delimiter, encoding=encoding)
    assert imported(data) == reference
