"""Reading the learner list: CSV (as Excel writes it, anywhere in Europe) or XLSX.

Rows are streamed, one :class:`LearnerRow` at a time, so that a list of any
size is read in flat memory, and a bad row never stops the good ones: it
carries its row number (as the user sees it in the file) and the reason.
A missing required column, by contrast, is one error for the whole file,
raised before the first row is yielded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from unadocs.errors import LearnerError
from unadocs.load.workbook import UsedRange, scan_workbook
from unadocs.model import Learner

__all__ = ["LearnerRow", "REQUIRED_COLUMNS", "OPTIONAL_COLUMNS", "count_rows", "learner_rows", "read_learners"]

REQUIRED_COLUMNS = ("learner_id", "given_names", "family_name", "issued")
OPTIONAL_COLUMNS = ("date_of_birth", "email", "grade")
_DATE_COLUMNS = ("issued", "date_of_birth")


@dataclass(frozen=True)
class LearnerRow:
    """One data row: a valid learner, or the error that stops it."""

    row: int
    """Row number in the file as a spreadsheet shows it (the header is row 1)."""
    learner: Learner | None = None
    error: LearnerError | None = None

    @property
    def learner_id(self) -> str | None:
        return self.learner.learner_id if self.learner else (self.error.learner_id if self.error else None)


def read_learners(source: str | Path) -> Iterator[LearnerRow]:
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
    return _learners(path, rows)


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


def _learners(path: Path, rows: Iterator[tuple[int, list[Any]]]) -> Iterator[LearnerRow]:
    try:
        _, header = next(rows)
    except StopIteration:
        raise LearnerError(f"{path}: the learner file is empty") from None
    columns = _columns(path, header)
    seen: dict[str, int] = {}
    for number, cells in rows:
        if all(_blank(c) for c in cells):
            continue
        values = {name: cells[i] if i < len(cells) else None for name, i in columns.items()}
        yield _learner_row(number, values, seen)


def _columns(path: Path, header: list[Any]) -> dict[str, int]:
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        found = ", ".join(n for n in names if n) or "none"
        raise LearnerError(f"{path}: missing required column(s) {', '.join(missing)} (found: {found})")
    return {name: names.index(name) for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if name in names}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _learner_row(number: int, values: dict[str, Any], seen: dict[str, int]) -> LearnerRow:
    learner_id = None if _blank(values.get("learner_id")) else str(values["learner_id"]).strip()
    data: dict[str, Any] = {}
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
                value = _dotted_date(value) or value
        data[name] = value
    try:
        learner = Learner.model_validate(data)
    except LearnerError as exc:
        return LearnerRow(number, error=LearnerError(exc.reason, number, learner_id))
    if learner.learner_id in seen:
        reason = f"duplicate learner id {learner.learner_id!r} (first on row {seen[learner.learner_id]})"
        return LearnerRow(number, error=LearnerError(reason, number, learner.learner_id))
    seen[learner.learner_id] = number
    return LearnerRow(number, learner=learner)


def _dotted_date(text: str) -> date | None:
    """20.01.2026, as Excel in much of Europe writes a date to CSV; None for anything else (the model says why)."""
    try:
        return datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError:
        return None


# -- CSV -------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    # utf-8-sig reads both plain UTF-8 and Excel's UTF-8 with a byte order mark.
    try:
        handle = path.open("r", encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise LearnerError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        sample = handle.read(64 * 1024)
        handle.seek(0)
    except UnicodeDecodeError:
        handle.close()
        raise LearnerError(f"{path}: not UTF-8 text; save the list as 'CSV UTF-8' or as .xlsx") from None
    return _csv_iter(path, handle, _delimiter(sample))


def _delimiter(sample: str) -> str:
    """Sniff ',' or ';' (Excel in most of Europe writes ';') from the header line."""
    header = sample.splitlines()[0] if sample else ""
    try:
        return csv.Sniffer().sniff(header, delimiters=",;").delimiter
    except csv.Error:
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
    with handle:
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
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # stubs are a separate package

    used = scan_workbook(path)  # first: a hostile workbook is refused before openpyxl builds anything
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise LearnerError(f"{path}: cannot read the workbook ({exc})") from None
    return _xlsx_iter(book, used)


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


def count_rows(source: str | Path) -> int | None:
    """The number of data rows in a learner file (for progress), or None when it cannot be read.

    Counts without checking the rows: CSV records, or the rows up to the
    last one that holds a value (the bounded scan of the workbook).
    """
    path = Path(source)
    try:
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            return max(0, scan_workbook(path).rows - 1)
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            return max(0, sum(1 for _ in csv.reader(_bounded_lines(path, handle))) - 1)
    except Exception:  # progress only: a file that cannot be read is reported by the real reader
        return None
