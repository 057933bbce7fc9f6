"""Hostile inputs end in a clear error naming what is wrong: never a traceback, a half-written file or all the memory.

The sizes here are small versions of the attacks (each crosses the same limit
as the full one); ``bench/hostile_inputs.py`` reads the full ones and prints
their peak memory.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.conftest import EXAMPLE_SPEC
from tests.load.hostile_workbooks import blank_cells, long_cell, long_shared_string, workbook
from unadocs.cli import main
from unadocs.errors import LearnerError
from unadocs.load import read_learners


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _rows(path: Path) -> list[Any]:
    return list(read_learners(path))


# -- workbooks ---------------------------------------------------------------------------------------------------


def test_a_row_of_cells_beyond_excels_last_column_is_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "wide.xlsx", blank_cells(100_000))
    with pytest.raises(LearnerError, match=r"row 2 has cells beyond column 16,384 \(XFD\), Excel's last "
                                           r"\(xl/worksheets/sheet1.xml\)"):
        _rows(path)


@pytest.mark.parametrize("character", [b" ", b"x"])
def test_a_cell_longer_than_a_cell_can_hold_is_refused(tmp_path: Path, character: bytes) -> None:
    path = workbook(tmp_path / "long.xlsx", long_cell(2 * 1024 * 1024, character))
    with pytest.raises(LearnerError, match="row 2 holds a text longer than 32,767 characters"):
        _rows(path)


def test_a_shared_string_longer_than_a_cell_can_hold_is_refused(tmp_path: Path) -> None:
    sheet, strings = long_shared_string(2 * 1024 * 1024)
    with pytest.raises(LearnerError, match=r"a text longer than 32,767 characters.*\(xl/sharedStrings.xml\)"):
        _rows(workbook(tmp_path / "strings.xlsx", sheet, strings))


def test_a_workbook_with_a_dtd_is_refused(tmp_path: Path) -> None:
    def sheet() -> Iterator[bytes]:
        yield (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><worksheet '
               b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')

    with pytest.raises(LearnerError, match="declares a DTD, which no spreadsheet needs"):
        _rows(workbook(tmp_path / "dtd.xlsx", sheet()))


def test_reading_stops_at_the_last_row_with_a_value(tmp_path: Path) -> None:
    def sheet() -> Iterator[bytes]:
        yield (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b'<sheetData><row r="1">' + b"".join(
                   f'<c t="inlineStr"><is><t>{n}</t></is></c>'.encode()
                   for n in ("learner_id", "given_names", "family_name", "issued")) + b"</row>"
               b'<row r="2"><c t="inlineStr"><is><t>L-1</t></is></c><c t="inlineStr"><is><t>Ana</t></is></c>'
               b'<c t="inlineStr"><is><t>Lopez</t></is></c><c t="inlineStr"><is><t>2026-02-01</t></is></c></row>')
        yield b"".join(f'<row r="{n}" s="1" customFormat="1"/>'.encode() for n in range(3, 200_000))
        yield b"</sheetData></worksheet>"

    rows = _rows(workbook(tmp_path / "formatted.xlsx", sheet()))
    assert [r.learner.learner_id for r in rows if r.learner] == ["L-1"] and len(rows) == 1


def test_a_broken_zip_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(LearnerError, match="cannot read the workbook"):
        _rows(path)


# -- CSV ---------------------------------------------------------------------------------------------------------


def test_a_csv_line_longer_than_any_learner_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "line.csv"
    path.write_bytes(b"learner_id,given_names,family_name,issued\n" + b"," * 3_000_000 + b"\n")
    with pytest.raises(LearnerError, match="a line is longer than 2 MB; this is not a learner list"):
        _rows(path)


def test_a_csv_row_with_more_cells_than_excel_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cells.csv"
    path.write_bytes(b"learner_id,given_names,family_name,issued\n" + b"," * 20_000 + b"\n")
    with pytest.raises(LearnerError, match="row 2 has 20,001 cells; a learner list has at most 16,384 columns"):
        _rows(path)


def test_the_cli_reports_a_hostile_list_in_one_line_before_writing(tmp_path: Path) -> None:
    path = workbook(tmp_path / "wide.xlsx", blank_cells(100_000))
    keys = tmp_path / "keys"
    assert run("keys", "generate", "--issuer", "UH", "--out", str(keys)).exit_code == 0
    result = run("certificates", str(EXAMPLE_SPEC), str(path), "--key", str(next(keys.glob("*.pem"))), "-o",
                 str(tmp_path / "out"), "--jobs", "1", "--quiet")
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.exit_code == 1 and len(errors) == 1 and "Traceback" not in result.output
    assert "beyond column 16,384" in errors[0] and not (tmp_path / "out").exists()


# -- the spec ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "message"), [
    ("a: " + "[" * 500 + "]" * 500 + "\n", "line 1: the spec nests more than 50 levels deep"),
    ("a: " + "9" * 5000 + "\n", "line 1: invalid value: a number of 5000 digits is not a value any field takes"),
    ("# " + "x" * 2_000_000 + "\n", "larger than 1024 kB: not a spec"),
    ("a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n" + "".join(f"d{n}: [" + ", ".join(["*c"] * 1000) + "]\n"
                                                                 for n in range(101)), "more than 100000 values"),
])
def test_a_hostile_spec_is_refused_before_it_is_built(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output


def test_an_endless_file_is_not_read_as_a_spec() -> None:
    result = run("check", "/dev/zero")
    assert result.exit_code == 1 and "larger than 1024 kB: not a spec" in result.stderr


@pytest.mark.parametrize(("section", "change", "message"), [
    ("finance", {"fees": [{"learners": "all", "amount": "12345678901234567890123456789012 EUR"}]},
     "an amount has at most 12 digits before the decimal point and 4 after"),
    ("finance", {"fees": [{"learners": "all", "amount": "300.123456 EUR"}]},
     "an amount has at most 12 digits before the decimal point and 4 after"),
    ("credential", {"title": "T" * 300}, "credential.title (line"),
    ("agreement", {"reference": "R" * 300}, "agreement.reference (line"),
])
def test_values_that_would_break_an_output_are_refused_by_check_and_agreement(
    spec_data: dict[str, Any], write_spec: Callable[[dict[str, Any]], Path], tmp_path: Path,
    section: str, change: dict[str, Any], message: str,
) -> None:
    spec_data[section].update(change)
    spec = write_spec(spec_data)
    checked = run("check", str(spec))
    assert checked.exit_code == 1 and message in checked.stderr and "Traceback" not in checked.output
    drafted = run("agreement", str(spec), "-o", str(tmp_path / "agreement.docx"))
    assert drafted.exit_code == 1 and message in drafted.stderr
    assert not (tmp_path / "agreement.docx").exists()


# -- what verify reads -------------------------------------------------------------------------------------------


def test_an_unsigned_jwt_of_a_thousand_nested_arrays_is_malformed(tmp_path: Path) -> None:
    def part(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    body = base64.urlsafe_b64encode(b'{"vc":' + b"[" * 100_000 + b"]" * 100_000 + b"}").rstrip(b"=").decode()
    token = f"{part({'alg': 'EdDSA', 'kid': 'AAAAAAAAAAA'})}.{body}.AAAA"
    trust = tmp_path / "trust.json"
    trust.write_text('{"format": "unadocs-trust-list/1", "keys": [], "revoked": []}', encoding="utf-8")
    result = run("verify", token, "--trust", str(trust), "--json")
    assert result.exit_code == 1 and json.loads(result.stdout)["reason"] == "malformed"


@pytest.mark.parametrize("option", ["--record", "--trust"])
def test_verify_does_not_read_an_endless_file(tmp_path: Path, option: str) -> None:
    trust = tmp_path / "trust.json"
    trust.write_text('{"format": "unadocs-trust-list/1", "keys": [], "revoked": []}', encoding="utf-8")
    args = ["verify", "not-a-token", "--trust", str(trust), option, "/dev/zero"]
    result = run(*args)
    assert result.exit_code == 1 and "/dev/zero: larger than" in result.stderr
