"""Reading the learner list: CSV (as Excel writes it, anywhere in Europe) or XLSX, as a student system exports it.

Rows are streamed, one :class:`LearnerRow` at a time, so that a list of any
size is read in flat memory, and a bad row never stops the good ones: it
carries its row number (as the user sees it in the file) and the reason.
A missing required column, by contrast, is one error for the whole file,
raised before the first row is yielded.

Real exports differ from the documented columns, so a :class:`ListLayout`
says how to read one:

* the header is the first of the first rows that holds every required column
  (a title row above it is skipped), or the row the user names;
* column names match without regard to case, spaces, hyphens and
  underscores (``Given Names`` is ``given_names``);
* a column map renames the columns of other systems and languages
  (``Matrikelnummer`` is ``learner_id``); an empty target ignores a column;
* dates written as text follow :mod:`unadocs.load.dates`, with the list's
  date format when day and month could be swapped.

A column that looks like a known one but is not (``Famly name``) is an error
that says how to map it: a date of birth or a grade silently left out would
be a wrong certificate.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from unadocs.errors import LearnerError
from unadocs.load.dates import DateFormat, parse_date_text
from unadocs.load.workbook import UsedRange, scan_workbook
from unadocs.model import Learner

__all__ = ["LearnerRow", "ListLayout", "ListSurvey", "OPTIONAL_COLUMNS", "REQUIRED_COLUMNS",
           "learner_rows", "read_column_map", "read_learners", "survey_learners"]

REQUIRED_COLUMNS = ("learner_id", "given_names", "family_name", "issued")
OPTIONAL_COLUMNS = ("date_of_birth", "email", "grade", "name_latin")
_DATE_COLUMNS = ("issued", "date_of_birth")
#: How many rows from the top the header is looked for in (title rows, notes, an empty line).
HEADER_SEARCH = 20
#: How alike a column's name must be to a known one to be taken for a misspelling of it (difflib ratio).
_NEAR = 0.8
_MAX_MAP_BYTES = 64 * 1024


def column_key(name: str) -> str:
    """A column name as compared: ``Given-Names``, ``given names`` and ``GIVEN_NAMES`` are all ``givennames``."""
    return re.sub(r"[\s_\-]+", "", name.casefold())


_KNOWN = {column_key(name): name for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)}


@dataclass(frozen=True)
class ListLayout:
    """How to read one learner list (see the module's docstring); the default reads documented exports."""

    header_row: int | None = None
    """The header's row number as a spreadsheet shows it; None looks for it among the first rows."""
    columns: Mapping[str, str] = field(default_factory=dict)
    """The export's column name -> ``learner_id``, ``given_names``, ... or ``""`` to ignore the column."""
    date_format: DateFormat | None = None
    """The format of dates written as text whose day and month could be swapped (``DD/MM/YYYY``)."""

    def __post_init__(self) -> None:
        for name, target in self.columns.items():
            if target and target not in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
                close = difflib.get_close_matches(target, (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise LearnerError(f"column map: {name!r} maps to {target!r}, which is not a column of a learner "
                                   f"list ({', '.join((*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS))}){hint}")
        if self.header_row is not None and self.header_row < 1:
            raise LearnerError(f"the header row is a row number from 1, not {self.header_row}")


@dataclass(frozen=True)
class LearnerRow:
    """One data row: a valid learner, or the error that stops it."""

    row: int
    """Row number in the file as a spreadsheet shows it."""
    learner: Learner | None = None
    error: LearnerError | None = None

    @property
    def learner_id(self) -> str | None:
        return self.learner.learner_id if self.learner else (self.error.learner_id if self.error else None)


def read_learners(source: str | Path, layout: ListLayout | None = None) -> Iterator[LearnerRow]:
    """Stream the learners of a CSV or XLSX file, checking every row.

    Raises :class:`LearnerError` (without a row) when the file cannot be read
    or lacks a required column; both happen before the first row is yielded,
    as soon as the iterator is started.
    """
    path = Path(source)
    if not path.is_file():
        raise LearnerError(f"{path}: no such learner file")
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        rows = _xlsx_rows(path)
    else:
        rows = _csv_rows(path)
    return _learners(path, rows, layout or ListLayout())


def read_column_map(path: str | Path) -> dict[str, str]:
    """A column map kept in a small YAML file (``Matrikelnummer: learner_id``); :class:`LearnerError` if broken."""
    import yaml

    from unadocs.files import read_bounded

    file = Path(path)
    text = read_bounded(file, _MAX_MAP_BYTES, "column map", LearnerError)
    try:
        data = yaml.safe_load(text.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as exc:
        raise LearnerError(f"{file}: not a YAML mapping of column names ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str | None) for k, v in data.items()):
        raise LearnerError(f"{file}: a column map maps each column name of the export to a learner list column, "
                           "like 'Matrikelnummer: learner_id'")
    return {key: value or "" for key, value in data.items()}


@dataclass(frozen=True)
class ListSurvey:
    """What a whole learner list holds, read once before issuing: its rows, the good ones and their issue dates."""

    rows: int
    """Data rows that are not blank (each gives one result)."""
    issued: Counter[date]
    """How many valid learners are issued on each date."""

    @property
    def learners(self) -> int:
        """Rows that are valid learners."""
        return sum(self.issued.values())


def survey_learners(source: str | Path | Iterable[Learner], layout: ListLayout | None = None) -> ListSurvey:
    """Count the rows of a list and the issue dates of its good ones (so that a run can check its key once)."""
    rows = read_learners(source, layout) if isinstance(source, str | Path) else learner_rows(source)
    total, issued = 0, Counter[date]()
    for row in rows:
        total += 1
        if row.learner is not None:
            issued[row.learner.issued] += 1
    return ListSurvey(total, issued)


def learner_rows(learners: Iterable[Learner]) -> Iterator[LearnerRow]:
    """Rows for learners given in code (numbered from 1), with the same duplicate check as a file."""
    seen: dict[str, int] = {}
    for number, learner in enumerate(learners, start=1):
        if learner.learner_id in seen:
            reason = f"duplicate learner id {learner.learner_id!r} (first on row {seen[learner.learner_id]})"
            yield LearnerRow(number, error=LearnerError(reason, number, learner.learner_id))
            continue
        seen[learner.learner_id] = number
        yield LearnerRow(number, learner=learner)


def _learners(path: Path, rows: Iterator[tuple[int, list[Any]]], layout: ListLayout) -> Iterator[LearnerRow]:
    columns = _header(path, rows, layout)
    seen: dict[str, int] = {}
    for number, cells in rows:
        if all(_blank(c) for c in cells):
            continue
        values = {name: cells[i] if i < len(cells) else None for name, i in columns.items()}
        yield _learner_row(number, values, seen, layout.date_format)


def _header(path: Path, rows: Iterator[tuple[int, list[Any]]], layout: ListLayout) -> dict[str, int]:
    """Find the header row (consuming the rows up to it) and the column of each field."""
    mapped = {column_key(name): target for name, target in layout.columns.items()}
    best: tuple[int, list[Any], dict[str, int]] | None = None
    for number, cells in rows:
        if layout.header_row is not None and number < layout.header_row:
            continue
        columns = _match(cells, mapped)
        if layout.header_row is not None or all(name in columns for name in REQUIRED_COLUMNS):
            _check_columns(path, number, cells, columns, mapped)
            return columns
        if best is None or (len(columns), _filled(cells)) > (len(best[2]), _filled(best[1])):
            best = (number, cells, columns)
        if number >= HEADER_SEARCH:
            break
    if best is None:
        where = f" (row {layout.header_row} is past its end)" if layout.header_row is not None else ""
        raise LearnerError(f"{path}: the learner file is empty{where}")
    _check_columns(path, *best, mapped)
    raise AssertionError("unreachable: a header without the required columns is refused above")


def _match(cells: list[Any], mapped: Mapping[str, str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if _blank(cell):
            continue
        key = column_key(str(cell))
        target = mapped[key] if key in mapped else _KNOWN.get(key, "")
        if target and target not in columns:
            columns[target] = index
    return columns


def _check_columns(path: Path, number: int, cells: list[Any], columns: dict[str, int],
                   mapped: Mapping[str, str]) -> None:
    """Refuse a header that lacks a required column, or has a column that looks like a known one but is not."""
    unknown = [str(c).strip() for c in cells
               if not _blank(c) and column_key(str(c)) not in mapped and column_key(str(c)) not in _KNOWN]
    near = {}
    for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
        if name in columns:
            continue
        for cell in unknown:
            if difflib.SequenceMatcher(None, column_key(cell), column_key(name)).ratio() >= _NEAR:
                near[name] = cell
                break
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if not missing and not near:
        return
    found = ", ".join(str(c).strip() for c in cells if not _blank(c)) or "nothing"
    problems = []
    if missing:
        problems.append(f"no column {', '.join(missing)} in row {number} (which holds: {found})")
    for name, cell in near.items():
        problems.append(f"column {cell!r} looks like {name}: if it is, map it with --column \"{cell}={name}\", "
                        f"else ignore it with --column \"{cell}=\"")
    hint = "" if len(problems) > 1 or not missing else (
        "; if the export names it otherwise, map it with --column \"NAME=" + missing[0] + "\"")
    raise LearnerError(f"{path}: " + "; ".join(problems) + hint)


def _filled(cells: list[Any]) -> int:
    return sum(not _blank(cell) for cell in cells)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _learner_row(number: int, values: dict[str, Any], seen: dict[str, int],
                 date_format: DateFormat | None) -> LearnerRow:
    learner_id = None if _blank(values.get("learner_id")) else str(values["learner_id"]).strip()
    data: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in values.items():
        if _blank(value):
            continue
        if isinstance(value, datetime):
            value = value.date()
        elif isinstance(value, float) and value.is_integer() and name not in _DATE_COLUMNS:
            value = str(int(value))  # a numeric id or grade in a spreadsheet cell
        elif not isinstance(value, date):
            value = str(value)
            if name in _DATE_COLUMNS:
                try:
                    value = parse_date_text(value, date_format)
                except ValueError as exc:
                    problems.append(f"{name} {exc}")
                    continue
        data[name] = value
    if problems:
        return LearnerRow(number, error=LearnerError("; ".join(problems), number, learner_id))
    try:
        learner = Learner.model_validate(data)
    except LearnerError as exc:
        return LearnerRow(number, error=LearnerError(exc.reason, number, learner_id))
    if learner.learner_id in seen:
        reason = f"duplicate learner id {learner.learner_id!r} (first on row {seen[learner.learner_id]})"
        return LearnerRow(number, error=LearnerError(reason, number, learner.learner_id))
    seen[learner.learner_id] = number
    return LearnerRow(number, learner=learner)


# -- CSV -------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a CSV file; the file is opened when the first row is asked for, and closed however it ends."""
    # utf-8-sig reads both plain UTF-8 and Excel's UTF-8 with a byte order mark.
    try:
        handle = path.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise LearnerError(f"{path}: cannot read ({exc.strerror})") from None
    with handle:
        try:
            sample = handle.read(64 * 1024)
            handle.seek(0)
        except UnicodeDecodeError:
            raise LearnerError(f"{path}: not UTF-8 text; save the list as 'CSV UTF-8' or as .xlsx") from None
        yield from _csv_iter(path, handle, _delimiter(sample))


def _delimiter(sample: str) -> str:
    """',' or ';' (Excel in most of Europe writes ';'): the one that splits more of the first lines into as many
    cells as a learner list has columns (a title line above the header may hold either, or neither)."""
    lines = [line for line in sample.splitlines()[:HEADER_SEARCH + 5] if line.strip()]

    def rows_split(delimiter: str) -> int:
        return sum(len(cells) >= len(REQUIRED_COLUMNS) for cells in csv.reader(lines, delimiter=delimiter))

    try:
        comma, semicolon = rows_split(","), rows_split(";")
    except csv.Error:
        comma = semicolon = 0
    if comma != semicolon:
        return "," if comma > semicolon else ";"
    header = lines[0] if lines else ""
    return ";" if header.count(";") > header.count(",") else ","


#: The longest line of a CSV learner list: a row of 16,384 cells of a hundred characters.
MAX_CSV_LINE = 2 * 1024 * 1024
#: Excel's last column; a row with more cells is not a learner list.
MAX_CSV_CELLS = 16_384


def _bounded_lines(path: Path, handle: io.TextIOWrapper) -> Iterator[str]:
    """The file's lines, refusing one longer than :data:`MAX_CSV_LINE` before it is read whole."""
    while line := handle.readline(MAX_CSV_LINE + 1):
        if len(line) > MAX_CSV_LINE:
            raise LearnerError(f"{path}: a line is longer than {MAX_CSV_LINE // (1024 * 1024)} MB; "
                               "this is not a learner list")
        yield line


def _csv_iter(path: Path, handle: io.TextIOWrapper, delimiter: str) -> Iterator[tuple[int, list[Any]]]:
    reader = csv.reader(_bounded_lines(path, handle), delimiter=delimiter)
    try:
        # Rows are numbered as a spreadsheet shows the file (header = row 1): a cell holding a
        # line break is still one row, and a blank line is a row too.
        for number, cells in enumerate(reader, start=1):
            if len(cells) > MAX_CSV_CELLS:
                raise LearnerError(f"{path}: row {number} has {len(cells):,} cells; a learner list has at most "
                                   f"{MAX_CSV_CELLS:,} columns")
            yield number, list(cells)
    except UnicodeDecodeError:
        raise LearnerError(f"{path}: not UTF-8 text; save the list as 'CSV UTF-8' or as .xlsx") from None
    except csv.Error as exc:
        raise LearnerError(f"{path}: CSV error on line {reader.line_num}: {exc}") from None


# -- XLSX ------------------------------------------------------------------


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a workbook's first sheet; read when the first row is asked for, and closed however it ends."""
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # stubs are a separate package

    used = scan_workbook(path)  # first: a hostile workbook is refused before openpyxl builds anything
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise LearnerError(f"{path}: cannot read the workbook ({exc})") from None
    yield from _xlsx_iter(book, used)


def _xlsx_iter(book: Any, used: UsedRange) -> Iterator[tuple[int, list[Any]]]:
    try:
        sheet = book.worksheets[0]
        if not used.rows:
            return
        # Only the used range: no row past the last one with a value, no column past the last such column.
        rows: Iterable[Any] = sheet.iter_rows(max_row=used.rows, max_col=max(used.columns, 1))
        for cells in rows:
            if not cells:
                continue
            number = next((c.row for c in cells if getattr(c, "row", None)), None)
            if number is None:
                continue
            yield number, [c.value for c in cells]
    finally:
        book.close()
