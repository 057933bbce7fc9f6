"""Reading learner lists as Excel and European users write them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import EXAMPLE_LEARNERS
from unadocs.load.learners import read_learners
from unadocs.errors import LearnerError

HEADER = "learner_id,given_names,family_name,issued,date_of_birth,email,grade\n"


def test_example_list_reads_six_learners_with_file_row_numbers() -> None:
    rows = list(read_learners(EXAMPLE_LEARNERS))
    assert [r.row for r in rows] == [2, 3, 4, 5, 6, 7]
    assert all(r.learner is not None for r in rows)
    assert rows[1].learner is not None and rows[1].learner.full_name == "Łukasz Żółkiewski"


def test_utf8_with_bom_and_semicolons_as_european_excel_writes(write_csv: Callable[..., Path]) -> None:
    path = write_csv("\ufeffLearner_ID ; Given_Names;FAMILY_NAME; Issued \r\nA-1;Zoë;Ő'Brien;2026-01-20\r\n")
    [row] = list(read_learners(path))
    assert row.learner is not None
    assert (row.learner.learner_id, row.learner.full_name, row.learner.issued) == ("A-1", "Zoë Ő'Brien",
                                                                                    date(2026, 1, 20))


def test_comma_separated_with_quoted_commas(write_csv: Callable[..., Path]) -> None:
    path = write_csv(HEADER + 'A-1,"Ann, Marie",Smith,2026-01-20,,,"pass, with merit"\n')
    [row] = list(read_learners(path))
    assert row.learner is not None
    assert row.learner.given_names == "Ann, Marie"
    assert row.learner.grade == "pass, with merit"
    assert row.learner.date_of_birth is None and row.learner.email is None


def test_names_are_nfc_normalised(write_csv: Callable[..., Path]) -> None:
    path = write_csv(HEADER + "A-1,Zoe\u0308,Mu\u0308ller,2026-01-20,,,\n")
    [row] = list(read_learners(path))
    assert row.learner is not None and row.learner.full_name == "Zoë Müller"


def test_missing_required_column_is_one_error_before_any_row(write_csv: Callable[..., Path]) -> None:
    path = write_csv("learner_id,given_names,issued\nA-1,Ann,2026-01-20\n")
    with pytest.raises(LearnerError, match="no column family_name in row 1"):
        next(iter(read_learners(path)))


@pytest.mark.parametrize(("line", "reason"), [
    ("A-2,,Smith,2026-01-20,,,", "given_names is missing"),
    ("A-2,Ann,,2026-01-20,,,", "family_name is missing"),
    ("A-2,Ann,Smith,20/13/2026,,,", "issued '20/13/2026' is not a date"),
    ("A-2,Ann,Smith,01/02/2026,,,", "issued '01/02/2026' could be 1 February 2026 or 2 January 2026; give the "
                                    "list's date format (--date-format DD/MM/YYYY or MM/DD/YYYY)"),
    ("A-2,Ann,Smith,2026-01-20,1990-02-30,,", "date_of_birth '1990-02-30' is not a date"),
    ("A-2,Ann,Smith,2026-01-20,,not-an-email,", "email"),
    ("A-1,Ann,Smith,2026-01-20,,,", "duplicate learner id 'A-1' (first on row 2)"),
    ("A-2,Ann,Smith,2026-01-20,,,pa\x00ss", "grade: contains a control character (U+0000)"),
    ("A-2,An\x01n,Smith,2026-01-20,,,", "given_names: contains a control character (U+0001)"),
])
def test_bad_row_is_reported_with_its_row_and_reason(write_csv: Callable[..., Path], line: str, reason: str) -> None:
    path = write_csv(HEADER + "A-1,Ann,Smith,2026-01-20,,,\n" + line + "\nA-3,Bo,Lund,2026-01-20,,,\n")
    rows = list(read_learners(path))
    assert [r.row for r in rows] == [2, 3, 4]
    bad = rows[1]
    assert bad.learner is None and bad.error is not None
    assert bad.error.row == 3
    assert reason in bad.error.reason
    assert rows[0].learner is not None and rows[2].learner is not None


def test_dates_as_european_excel_writes_them_are_read_day_first(write_csv: Callable[..., Path]) -> None:
    path = write_csv("learner_id;given_names;family_name;issued;date_of_birth\nA-1;Ann;Smith;20.01.2026;4.5.1990\n"
                     "A-2;Bo;Lund;31.02.2026;\nA-3;Cy;Berg;01/02/2026;\n")
    first, second, third = read_learners(path)
    assert first.learner is not None
    assert (first.learner.issued, first.learner.date_of_birth) == (date(2026, 1, 20), date(1990, 5, 4))
    assert second.error is not None and "issued '31.02.2026' is not a date" in second.error.reason
    assert third.error is not None and "issued '01/02/2026' could be 1 February 2026 or 2 January 2026" in (
        third.error.reason)


def test_blank_lines_are_skipped_but_rows_keep_their_numbers(write_csv: Callable[..., Path]) -> None:
    path = write_csv(HEADER + "A-1,Ann,Smith,2026-01-20,,,\n,,,,,,\nA-2,Bo,Lund,2026-01-20,,,\n")
    assert [r.row for r in read_learners(path)] == [2, 4]


def test_a_cell_with_a_line_break_is_one_spreadsheet_row(write_csv: Callable[..., Path]) -> None:
    path = write_csv(HEADER + 'A-1,Ann,Smith,2026-01-20,,,"pass\nwith merit"\nA-2,,Lund,2026-01-20,,,\n')
    first, second = read_learners(path)
    assert first.learner is not None and first.learner.grade == "pass\nwith merit"
    assert second.error is not None and second.error.row == 3


def test_not_utf8_is_a_clear_error(write_csv: Callable[..., Path]) -> None:
    path = write_csv(HEADER + "A-1,Zoë,Smith,2026-01-20,,,\n", encoding="latin-1")
    with pytest.raises(LearnerError, match="not UTF-8"):
        list(read_learners(path))


def test_xlsx_is_read_with_dates_numbers_and_header_case(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([" LEARNER_ID", "Given_Names", "family_name", "Issued", "Date_of_Birth", "grade"])
    sheet.append([1001, "Ελένη", "Παπαδοπούλου", datetime(2026, 1, 20), datetime(1990, 5, 4), 5])
    sheet.append(["1002", "Иван", "Петров", "2026-01-21", None, None])
    sheet.append(["1003", None, "Nobody", "2026-01-21", None, None])
    path = tmp_path / "learners.xlsx"
    book.save(path)
    rows = list(read_learners(path))
    assert [r.row for r in rows] == [2, 3, 4]
    first, second, third = rows
    assert first.learner is not None and second.learner is not None
    assert first.learner.learner_id == "1001"
    assert first.learner.issued == date(2026, 1, 20) and first.learner.date_of_birth == date(1990, 5, 4)
    assert first.learner.grade == "5"
    assert second.learner.full_name == "Иван Петров"
    assert third.error is not None and "given_names is missing" in third.error.reason


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LearnerError, match="no such learner file"):
        read_learners(tmp_path / "nope.csv")
