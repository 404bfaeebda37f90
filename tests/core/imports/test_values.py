import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from evne.core.imports.values import (
    InvalidValue,
    parse_date,
    parse_decimal,
    parse_gender,
    parse_percentage,
    parse_whole_number,
    parse_yes_no,
)
from evne.organization.models import Gender


def error_text(parse, text):
    with pytest.raises(InvalidValue) as caught, translation.override("en"):
        parse(text)
    assert isinstance(caught.value, ValueError)
    with translation.override("en"):
        return str(caught.value.message)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05.01.2024", datetime.date(2024, 1, 5)),
        ("5.1.2024", datetime.date(2024, 1, 5)),
        ("31.12.1965", datetime.date(1965, 12, 31)),
        ("2024-01-05", datetime.date(2024, 1, 5)),
        ("29.02.2024", datetime.date(2024, 2, 29)),
    ],
)
def test_parse_date_reads_norwegian_and_iso_dates(text, expected):
    assert parse_date(text) == expected


def test_parse_date_gives_none_for_an_empty_cell():
    assert parse_date("") is None


@pytest.mark.parametrize("text", ["05.01.24", "5.1.24", "05/01/24"])
def test_parse_date_refuses_two_digit_years(text):
    assert error_text(parse_date, text) == "Write the year with four digits (dd.mm.yyyy)."


@pytest.mark.parametrize("text", ["5 januar 2024", "2024/01/05", "05.01.2024 12:00", "abc"])
def test_parse_date_refuses_other_formats(text):
    assert error_text(parse_date, text) == "Not a date: write it as dd.mm.yyyy or yyyy-mm-dd."


@pytest.mark.parametrize("text", ["31.02.2024", "29.02.2023", "2024-13-01", "00.01.2024"])
def test_parse_date_refuses_dates_that_do_not_exist(text):
    assert error_text(parse_date, text) == "This date does not exist."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100", Decimal("100")),
        ("50,5", Decimal("50.5")),
        ("50.5", Decimal("50.5")),
        ("37,5 %", Decimal("37.5")),
        ("80%", Decimal("80")),
        ("0", Decimal("0")),
        ("1 00", Decimal("100")),
        ("33,33\u00a0%", Decimal("33.33")),
        (",5", Decimal("0.5")),
    ],
)
def test_parse_percentage_reads_decimal_comma_or_point_with_or_without_percent(text, expected):
    assert parse_percentage(text) == expected


def test_parse_percentage_gives_none_for_an_empty_cell():
    assert parse_percentage("") is None


@pytest.mark.parametrize("text", ["120", "100,01", "-5", "-0,5"])
def test_parse_percentage_refuses_values_outside_0_to_100(text):
    assert error_text(parse_percentage, text) == "The percentage must be between 0 and 100."


@pytest.mark.parametrize("text", ["full", "50,5,5", "1.000,5", "%", "5e1", "NaN"])
def test_parse_percentage_refuses_what_is_not_a_number(text):
    assert error_text(parse_percentage, text) == (
        "Not a percentage: write a number from 0 to 100, such as 50 or 37,5."
    )


@pytest.mark.parametrize(
    "text", ["ja", "Ja", "JA", "j", "yes", "Y", "true", "TRUE", "sann", "1", "x", "X"]
)
def test_parse_yes_no_reads_yes(text):
    assert parse_yes_no(text) is True


@pytest.mark.parametrize("text", ["nei", "Nei", "n", "no", "false", "FALSE", "usann", "0"])
def test_parse_yes_no_reads_no(text):
    assert parse_yes_no(text) is False


def test_parse_yes_no_gives_none_for_an_empty_cell():
    assert parse_yes_no("") is None


@pytest.mark.parametrize("text", ["kanskje", "2", "jo"])
def test_parse_yes_no_refuses_other_values_listing_the_accepted_ones(text):
    assert error_text(parse_yes_no, text) == (
        "Write ja or nei (also accepted: yes, no, j, n, true, false, 1, 0, x)."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("K", "female"),
        ("k", "female"),
        ("Kvinne", "female"),
        ("F", "female"),
        ("Female", "female"),
        ("M", "male"),
        ("Mann", "male"),
        ("MALE", "male"),
        ("Annet", "other"),
        ("other", "other"),
        ("", ""),
    ],
)
def test_parse_gender_gives_the_gender_choices(text, expected):
    assert parse_gender(text) == expected
    assert expected == "" or expected in Gender.values


@pytest.mark.parametrize("text", ["X", "Ukjent", "kvinner", "2"])
def test_parse_gender_refuses_other_values_listing_the_accepted_ones(text):
    assert error_text(parse_gender, text) == (
        "Unknown gender. Accepted: K, Kvinne, F, Female, M, Mann, Male, Annet, Other."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7,5", Decimal("7.5")), ("7.5", Decimal("7.5")), ("30", Decimal("30")), ("1\u202f000", 1000)],
)
def test_parse_decimal_reads_comma_or_point_and_spaced_thousands(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["-1", "abc", "7,5,1", "1e3"])
def test_parse_decimal_refuses_negative_numbers_and_text(text):
    assert "Not a number" in error_text(parse_decimal, text)


def test_parse_decimal_refuses_values_above_the_maximum():
    assert "at most 60" in error_text(lambda text: parse_decimal(text, maximum=60), "60,5")


@pytest.mark.parametrize(("text", "expected"), [("12", 12), ("12,0", 12), ("", None)])
def test_parse_whole_number_accepts_whole_numbers_as_excel_writes_them(text, expected):
    assert parse_whole_number(text) == expected


def test_parse_whole_number_refuses_fractions_and_too_large_numbers():
    assert "whole number" in error_text(parse_whole_number, "1,5")
    assert "at most 365" in error_text(lambda text: parse_whole_number(text, maximum=365), "400")
