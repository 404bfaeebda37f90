"""What went wrong in an imported file, kept together so the user sees every problem at once
instead of fixing a file one error at a time (DESIGN.md, "Quality bars").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext

# Longer cell values are cut when shown: a binary blob must not flood the terminal.
MAX_SHOWN_VALUE = 60


def _interpolate(message: str | Promise, params: dict) -> str:
    return str(message) % params if params else str(message)


_lazy_interpolate = lazy(_interpolate, str)


def lazy_message(message: str | Promise, **params) -> Promise:
    """A message with %(name)s placeholders that is translated when shown, not when made.

    `gettext_lazy("…") % {...}` would translate at once, in whatever language is active while
    the file is read; problems are often shown later (preview page, command line).
    """
    return _lazy_interpolate(message, params)


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One problem: where (file row as Excel shows it, column header, cell value) and what."""

    message: str | Promise
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def format(self) -> str:
        """One line for the command line: "row 7, Stillingsprosent '120': FTE must be …"."""
        where = []
        if self.row is not None:
            where.append(gettext("row %(row)d") % {"row": self.row})
        cell = []
        if self.column is not None:
            cell.append(self.column)
        if self.value is not None:
            cell.append(f"'{shorten(self.value)}'")
        if cell:
            where.append(" ".join(cell))
        message = str(self.message)
        return f"{', '.join(where)}: {message}" if where else message


class ImportProblems(Exception):
    """Raised with every problem found, so callers can show them all and change nothing."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(self.problems)

    def format(self) -> str:
        return "\n".join(problem.format() for problem in self.problems)

    def __str__(self) -> str:
        return self.format()


def shorten(value: str) -> str:
    if len(value) <= MAX_SHOWN_VALUE:
        return value
    return value[: MAX_SHOWN_VALUE - 1] + "…"
