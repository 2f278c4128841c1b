"""One record's cells, read column by column; each problem is reported where it is."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from imports.reader import CsvFile, Record

if TYPE_CHECKING:
    from imports.checks import Checks


REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

EARLIEST = date(1900, 1, 1)


class Cells:
    """One record's cells, parsed column by column; each problem is reported where it is."""

    __slots__ = ("imp", "file", "line", "cells", "index", "ok")

    def __init__(self, imp: Checks, file: CsvFile, record: Record):
        self.imp = imp
        self.file = file
        self.line = record.line
        self.cells = record.cells
        self.index = file.index
        self.ok = True

    def problem(self, column: str, message: str) -> None:
        self.ok = False
        self.imp.problem(self.file.name, self.line, column, message)

    def raw(self, column: str) -> str:
        return self.cells[self.index[column]]

    def text(self, column: str, max_length: int, required: bool = False) -> str:
        """Free text: kept exactly as written (never interpreted; see IMPORT.md)."""
        value = self.raw(column)
        if not value.strip():
            if required:
                self.problem(column, "needed; this cell is empty.")
            return ""
        if len(value) > max_length:
            self.problem(column, f"{len(value):,} characters; at most {max_length:,} fit here.")
        return value

    def ref(self, column: str, required: bool = True) -> str:
        value = self.raw(column).strip()
        if not value:
            if required:
                self.problem(column, "needed; this cell is empty.")
            return ""
        if not REF.match(value):
            self.problem(
                column,
                f"'{shown(value)}' is not a reference: use letters, numbers, dots, dashes or "
                "underscores (up to 40).",
            )
            return ""
        return value

    def choice(self, column: str, allowed, required: bool = True) -> str:
        value = self.raw(column).strip()
        if not value:
            if required:
                self.problem(column, f"needed; one of {', '.join(allowed)}.")
            return ""
        if value not in allowed:
            self.problem(column, f"'{shown(value)}' is not one of {', '.join(allowed)}.")
            return ""
        return value

    def date(self, column: str, required: bool = True) -> date | None:
        value = self.raw(column).strip()
        if not value:
            if required:
                self.problem(column, "needed; this cell is empty (dates are YYYY-MM-DD).")
            return None
        if not ISO_DATE.match(value):
            self.problem(column, f"'{shown(value)}' is not a date written YYYY-MM-DD.")
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.problem(column, f"{value} is not a date in the calendar.")
            return None
        if day > self.imp.today:
            self.problem(column, f"{value} is in the future.")
            return None
        if day < EARLIEST:
            self.problem(column, f"{value} is before 1900.")
            return None
        return day

    def yes_no(self, column: str) -> bool | None:
        value = self.raw(column).strip().lower()
        if not value:
            return None
        if value in ("yes", "no"):
            return value == "yes"
        self.problem(column, f"'{shown(value)}' is not yes or no (or empty if not known).")
        return None

    def integer(self, column: str, low: int, high: int, required: bool = True) -> int | None:
        value = self.raw(column).strip()
        if not value:
            if required:
                self.problem(column, "needed; this cell is empty.")
            return None
        if not value.isdigit():
            self.problem(column, f"'{shown(value)}' is not a whole number from {low} to {high}.")
            return None
        number = int(value)
        if not low <= number <= high:
            self.problem(column, f"{number} is outside {low} to {high}.")
            return None
        return number

    def email(self, column: str, required: bool = True) -> str:
        value = self.raw(column).strip().lower()
        if not value:
            if required:
                self.problem(column, "needed; this cell is empty.")
            return ""
        try:
            validate_email(value)
        except ValidationError:
            self.problem(column, f"'{shown(value)}' is not an email address.")
            return ""
        return value

    def refs(self, column: str) -> list[str]:
        """A semicolon-separated list of references."""
        out = []
        for part in self.raw(column).split(";"):
            part = part.strip()
            if not part:
                continue
            if not REF.match(part):
                self.problem(column, f"'{shown(part)}' is not a reference.")
            else:
                out.append(part)
        return out


def listed(names: tuple[str, ...]) -> str:
    """Names in a sentence: "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def shown(value: str, limit: int = 60) -> str:
    """A cell quoted in a message: shortened, and with control characters made visible."""
    value = value if len(value) <= limit else value[:limit] + "…"
    return value.encode("unicode_escape").decode("ascii") if not value.isprintable() else value
