"""Measuring a workbook before openpyxl reads it: hostile ``.xlsx`` files are refused in bounded memory and time.

An XLSX file is a zip of XML parts. A 195 kB file can unpack to a row of 50
million blank cells, which openpyxl's streaming reader still builds as one
list (12 GB); a cell can hold a gigabyte of text; a sharedStrings part is
loaded whole. So before openpyxl opens the file, every XML part is streamed
through expat, without building anything, and the file is refused (with
what and where) when any of these is exceeded:

* the number of parts, and each part's size once unpacked;
* XML nesting depth, and any DTD (no workbook has one: it is how entity
  expansion attacks start);
* cells in a row and the column of a cell (Excel's own limits: 16,384);
* rows (Excel's 1,048,576) and the length of one text (Excel's 32,767
  characters per cell);
* shared strings.

The scan also finds the used range, the last row and column that hold a
value, so that reading stops there instead of walking a million formatted but
empty rows.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from unadocs.errors import LearnerError

__all__ = ["MAX_CELLS_PER_ROW", "MAX_ROWS", "MAX_TEXT", "UsedRange", "scan_workbook"]

#: Excel's limits: 16,384 columns (XFD), 1,048,576 rows, 32,767 characters in a cell.
MAX_CELLS_PER_ROW = 16_384
MAX_ROWS = 1_048_576
MAX_TEXT = 32_767
#: Unpacked sizes: a sheet of 100,000 learners is about 40 MB of XML.
MAX_SHEET_BYTES = 256 * 1024 * 1024
MAX_STRINGS_BYTES = 64 * 1024 * 1024
MAX_PART_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_PARTS = 10_000
MAX_SHARED_STRINGS = 1_000_000
_MAX_DEPTH = 32
_CHUNK = 1024 * 1024
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})\Z")


@dataclass(frozen=True)
class UsedRange:
    """The last row and column (1-based) that hold a value in any worksheet; 0 when there is none."""

    rows: int
    columns: int


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def scan_workbook(path: Path) -> UsedRange:
    """Check every part of an XLSX file against the limits above; :class:`LearnerError` naming what is exceeded.

    Returns the used range, for reading no further than it.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LearnerError(f"{path}: cannot read the workbook ({exc})") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_PARTS:
            raise LearnerError(f"{path}: the workbook has {len(members)} parts; a learner list has a few dozen")
        rows = columns = 0
        total = 0
        for member in members:
            name = member.filename
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            kind = _kind(name)
            scanner = _Scanner(kind)
            try:
                total += _feed(archive, member, scanner, _limit(kind), MAX_TOTAL_BYTES - total)
            except _Refused as refused:
                raise LearnerError(f"{path}: {refused.message} ({name}); save the list again with only the learners' "
                                   "rows and columns") from None
            except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                raise LearnerError(f"{path}: cannot read the workbook ({name}: {exc})") from None
            rows, columns = max(rows, scanner.last_row), max(columns, scanner.last_column)
    return UsedRange(rows, columns)


def _kind(name: str) -> str:
    if name.startswith("xl/worksheets/"):
        return "sheet"
    if name.rsplit("/", 1)[-1].lower().startswith("sharedstrings"):
        return "strings"
    return "part"


def _limit(kind: str) -> int:
    return {"sheet": MAX_SHEET_BYTES, "strings": MAX_STRINGS_BYTES}.get(kind, MAX_PART_BYTES)


def _feed(archive: zipfile.ZipFile, member: zipfile.ZipInfo, scanner: _Scanner, limit: int, left: int) -> int:
    """Stream one part through the scanner, counting the unpacked bytes; return how many there were."""
    size = 0
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise _Refused(f"a part unpacks to more than {limit // (1024 * 1024)} MB")
            if size > left:
                raise _Refused(f"the workbook unpacks to more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB")
            scanner.parser.Parse(chunk, False)
    scanner.parser.Parse(b"", True)
    return size


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


class _Scanner:
    """Counts what one XML part holds, with expat's callbacks, keeping nothing but counters."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = False
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype
        self.depth = 0
        self.rows = 0
        self.row = 0
        self.cells = 0
        self.column = 0
        self.text = 0
        self.strings = 0
        self.in_value = False
        self.has_value = False
        self.last_row = 0
        self.last_column = 0

    def _doctype(self, *args: Any) -> None:
        raise _Refused("the workbook declares a DTD, which no spreadsheet needs")

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Refused(f"its XML nests more than {_MAX_DEPTH} levels deep")
        self.text = 0
        local = tag.rsplit(" ", 1)[-1]
        if self.kind == "strings" and local == "si":
            self.strings += 1
            if self.strings > MAX_SHARED_STRINGS:
                raise _Refused(f"it holds more than {MAX_SHARED_STRINGS:,} different texts")
        if self.kind != "sheet":
            return
        if local == "row":
            self.rows += 1
            number = attributes.get("r")
            self.row = int(number) if number is not None and number.isdigit() else self.row + 1
            if self.rows > MAX_ROWS or self.row > MAX_ROWS:
                raise _Refused(f"it has more than {MAX_ROWS:,} rows")
            self.cells = 0
            self.column = 0
        elif local == "c":
            self.cells += 1
            reference = _CELL_REF.match(attributes.get("r", ""))
            self.column = _column(reference.group(1)) if reference else self.column + 1
            if self.cells > MAX_CELLS_PER_ROW or self.column > MAX_CELLS_PER_ROW:
                raise _Refused(f"row {self.row} has cells beyond column {MAX_CELLS_PER_ROW:,} (XFD), Excel's last")
            self.has_value = False
        elif local in ("v", "t", "is"):
            self.in_value = True

    def _text(self, data: str) -> None:
        self.text += len(data)
        if self.text > MAX_TEXT:
            where = f"row {self.row}" if self.kind == "sheet" else "a text"
            raise _Refused(f"{where} holds a text longer than {MAX_TEXT:,} characters, more than a cell can hold")
        if self.in_value and not self.has_value and data.strip():
            self.has_value = True

    def _end(self, tag: str) -> None:
        self.depth -= 1
        self.text = 0
        local = tag.rsplit(" ", 1)[-1]
        if local in ("v", "t", "is"):
            self.in_value = False
        elif local == "c" and self.has_value:
            self.last_row = max(self.last_row, self.row)
            self.last_column = max(self.last_column, self.column)
