"""Parsers for the cell values importers share: dates, numbers, percentages, yes/no, gender.

Each takes the stripped cell text and returns the value, or raises InvalidValue (a ValueError)
whose message says what is accepted; the row, column and value are added by the caller, so the
messages do not repeat them. An empty cell gives None ("" for gender, which is stored blank):
whether a value is required is the importer's decision.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evne.core.imports.problems import lazy_message

DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
TWO_DIGIT_YEAR = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2}")
SPACES = re.compile(r"[\s\u202f]+")  # Excel and payroll exports use (narrow) no-break spaces

YES = {"ja", "j", "yes", "y", "true", "sann", "1", "x"}
NO = {"nei", "n", "no", "false", "usann", "0"}
# Values of organization.models.Gender (kjønn).
GENDERS = {
    "k": "female",
    "kvinne": "female",
    "f": "female",
    "female": "female",
    "m": "male",
    "mann": "male",
    "male": "male",
    "annet": "other",
    "other": "other",
}


class InvalidValue(ValueError):
    """A cell that cannot be read; `message` is translated when shown."""

    def __init__(self, message: str | Promise):
        super().__init__(message)
        self.message = message


def parse_date(text: str) -> datetime.date | None:
    """dd.mm.yyyy or d.m.yyyy as Norwegian Excel writes dates, or ISO yyyy-mm-dd.

    Two-digit years are refused: 01.01.50 could be 1950 or 2050.
    """
    if not text:
        return None
    if match := DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = match.groups()
    elif match := ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif TWO_DIGIT_YEAR.fullmatch(text):
        raise InvalidValue(_("Write the year with four digits (dd.mm.yyyy)."))
    else:
        raise InvalidValue(_("Not a date: write it as dd.mm.yyyy or yyyy-mm-dd."))
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError as error:
        raise InvalidValue(_("This date does not exist.")) from error


def parse_percentage(text: str) -> Decimal | None:
    """Stillingsprosent and the like, 0 to 100: "50", "50,5", "50.5", "50 %", "100%"."""
    if not text:
        return None
    number = SPACES.sub("", text).removesuffix("%").replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", number):
        raise InvalidValue(_("Not a percentage: write a number from 0 to 100, such as 50 or 37,5."))
    try:
        value = Decimal(number)
    except InvalidOperation as error:  # pragma: no cover - the pattern above admits only numbers
        raise InvalidValue(_("Not a percentage.")) from error
    if not 0 <= value <= 100:
        raise InvalidValue(_("The percentage must be between 0 and 100."))
    return value


def parse_decimal(text: str, *, maximum: Decimal | None = None) -> Decimal | None:
    """A number that is not negative, with a decimal comma or point: "7,5", "7.5", "30"."""
    if not text:
        return None
    number = SPACES.sub("", text).replace(",", ".")
    if not re.fullmatch(r"\+?(\d+(\.\d*)?|\.\d+)", number):
        raise InvalidValue(_("Not a number: write it such as 30 or 7,5."))
    value = Decimal(number)
    if maximum is not None and value > maximum:
        raise InvalidValue(
            lazy_message(_("The number may be at most %(maximum)s."), maximum=maximum)
        )
    return value


def parse_whole_number(text: str, *, maximum: int = 32767) -> int | None:
    """A whole number from 0 to `maximum`: "12", "12,0" (as Excel may write it)."""
    value = parse_decimal(text)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise InvalidValue(_("Write a whole number, such as 12."))
    if value > maximum:
        raise InvalidValue(
            lazy_message(_("The number may be at most %(maximum)s."), maximum=maximum)
        )
    return int(value)


def parse_yes_no(text: str) -> bool | None:
    """Ja/nei, yes/no, j/n, true/false (sann/usann from Norwegian Excel), 1/0; "x" ticks yes."""
    if not text:
        return None
    value = text.casefold()
    if value in YES:
        return True
    if value in NO:
        return False
    raise InvalidValue(_("Write ja or nei (also accepted: yes, no, j, n, true, false, 1, 0, x)."))


def parse_gender(text: str) -> str:
    """Kjønn as the Gender choices: K, Kvinne, F, Female → "female"; M, Mann, Male → "male";
    Annet, Other → "other"; empty → "" (not stated)."""
    if not text:
        return ""
    try:
        return GENDERS[text.casefold()]
    except KeyError:
        raise InvalidValue(
            _("Unknown gender. Accepted: K, Kvinne, F, Female, M, Mann, Male, Annet, Other.")
        ) from None
