"""The spreadsheets a run leaves for people: ``errors.csv`` (every bad row and why).

They are opened in Excel or LibreOffice, so a cell is never a formula: a
value that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is written with a leading apostrophe, as OWASP recommends against CSV
injection (a learner id ``=HYPERLINK(...)`` stays text). The JSON records keep
the data exactly as it is.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path

from unadocs.files import new_temporary

__all__ = ["ERRORS", "CsvReport", "spreadsheet_safe"]

ERRORS = "errors.csv"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """The text of a cell that a spreadsheet shows as text, never evaluates (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class CsvReport:
    """A CSV file written row by row into a temporary file and put in place whole when the run ends."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        self.path = path
        self._temporary, raw = new_temporary(path)
        self._file = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        self._writer = csv.writer(self._file)
        self._writer.writerow(header)

    def add(self, *cells: object) -> None:
        self._writer.writerow([spreadsheet_safe(cell) for cell in cells])

    def close(self) -> None:
        self._file.close()
        os.replace(self._temporary, self.path)

    def abort(self) -> None:
        self._file.close()
        self._temporary.unlink(missing_ok=True)
