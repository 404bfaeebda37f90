"""Every documented header name of the people and units files is recognised."""

import pytest

from evne.core.imports.headers import match_headers
from evne.organization.importers.people import FIELDS as PEOPLE_FIELDS
from evne.organization.importers.units import FIELDS as UNIT_FIELDS


def every_alias(fields):
    return [(field.name, alias) for field in fields for alias in field.names]


def headers_with(fields, field_name, alias):
    """A header row of each field's first name, with `alias` standing in for one field."""
    return [alias if field.name == field_name else field.aliases[0] for field in fields]


@pytest.mark.parametrize(("field_name", "alias"), every_alias(PEOPLE_FIELDS))
def test_every_people_alias_is_recognised(field_name, alias):
    headers = headers_with(PEOPLE_FIELDS, field_name, alias)
    columns = match_headers(headers, PEOPLE_FIELDS)
    assert columns[field_name] == headers.index(alias)


@pytest.mark.parametrize(("field_name", "alias"), every_alias(UNIT_FIELDS))
def test_every_units_alias_is_recognised(field_name, alias):
    headers = headers_with(UNIT_FIELDS, field_name, alias)
    columns = match_headers(headers, UNIT_FIELDS)
    assert columns[field_name] == headers.index(alias)


@pytest.mark.parametrize(
    "header",
    ["Ansattnummer", "Ansattnr", "employee_number", "ANSATTNR.", " ansatt nr "],
)
def test_the_issues_spellings_of_the_employee_number_are_recognised(header):
    headers = headers_with(PEOPLE_FIELDS, "employee_number", header)
    assert match_headers(headers, PEOPLE_FIELDS)["employee_number"] == headers.index(header)
