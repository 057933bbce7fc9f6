"""The output folder: no write through a planted link, the user's umask, one run at a time, safe spreadsheets."""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.issuing.conftest import Setup
from unadocs.files import DirectoryLock

ROW = "L-1,Ana,Lopez,2026-02-01\n"


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def test_a_link_planted_as_the_manifest_is_refused_and_its_target_untouched(setup: Setup) -> None:
    out = setup.root / "out"
    out.mkdir()
    target = setup.root / "outside.txt"
    target.write_text("precious\n", encoding="utf-8")
    (out / "manifest.jsonl").symlink_to(target)
    result = setup.issue(setup.learners(ROW), out)
    assert result.exit_code == 1 and "manifest.jsonl is a symbolic link; unadocs never writes through one" in result.stderr
    assert target.read_text(encoding="utf-8") == "precious\n"


@pytest.mark.parametrize("name", ["L-1.pdf", "L-1.json", "errors.csv"])
def test_a_link_planted_as_an_output_is_replaced_not_followed(setup: Setup, name: str) -> None:
    out = setup.root / "out"
    out.mkdir()
    target = setup.root / "outside.txt"
    target.write_text("precious\n", encoding="utf-8")
    (out / name).symlink_to(target)
    assert setup.issue(setup.learners(ROW), out).exit_code == 0
    assert target.read_text(encoding="utf-8") == "precious\n"
    assert not (out / name).is_symlink()


def test_outputs_get_the_users_umask(setup: Setup, umask: None) -> None:
    out = setup.root / "out"
    assert setup.issue(setup.learners(ROW), out, "--combined", str(out / "print.pdf")).exit_code == 0
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes == {name: 0o600 for name in ("L-1.pdf", "L-1.json", "manifest.jsonl", "errors.csv", "links.csv",
                                              "print.pdf")}


def test_outputs_are_readable_by_all_under_the_usual_umask(setup: Setup) -> None:
    old = os.umask(0o022)
    try:
        out = setup.root / "out"
        assert setup.issue(setup.learners(ROW), out).exit_code == 0
        assert stat.S_IMODE((out / "L-1.json").stat().st_mode) == 0o644
    finally:
        os.umask(old)


def test_a_second_run_into_a_folder_in_use_refuses_and_leaves_the_first_runs_files(setup: Setup) -> None:
    out = setup.root / "out"
    out.mkdir()
    temporary = out / ".L-9.pdf.0123456789ab.tmp"  # a file the first run is writing
    temporary.write_bytes(b"half")
    with DirectoryLock(out, "unadocs (process 4242)"):
        result = setup.issue(setup.learners(ROW), out)
    assert result.exit_code == 1
    assert f"error: {out} is in use by unadocs (process 4242); wait until it ends" in result.stderr
    assert temporary.exists() and not (out / "L-1.pdf").exists() and not (out / "manifest.jsonl").exists()
    assert setup.issue(setup.learners(ROW), out).exit_code == 0  # once it has ended
    assert not temporary.exists() and not (out / DirectoryLock.NAME).exists()


def test_formula_characters_in_errors_csv_stay_text(setup: Setup) -> None:
    out = setup.root / "out"
    hostile = ['=HYPERLINK("http://evil.example","x")', "+F6", "@SUM(A1)", "-2+3"]
    rows = "".join(f'"{h.replace(chr(34), chr(34) * 2)}",,Lopez,2026-02-01\n' for h in hostile)
    assert setup.issue(setup.learners(rows), out).exit_code == 1
    with (out / "errors.csv").open(encoding="utf-8", newline="") as handle:
        cells = [row[1] for row in csv.reader(handle)][1:]
    assert cells == ["'" + h for h in hostile]


@pytest.mark.parametrize(("value", "cell"), [("=1+1", "'=1+1"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=b", "a=b"),
                                            ("", ""), (None, ""), (12, "12")])
def test_a_spreadsheet_cell_never_starts_like_a_formula(value: object, cell: str) -> None:
    from unadocs.issuing.reports import spreadsheet_safe

    assert spreadsheet_safe(value) == cell


def test_a_name_with_a_direction_override_fails_its_row_with_the_field_named(setup: Setup) -> None:
    out = setup.root / "out"
    result = setup.issue(setup.learners("L-1,Alice \u202eredloH,Smith,2026-02-01\nL-2,שרה,כהן,2026-02-01\n"), out)
    assert result.exit_code == 1
    assert ("error: row 2 (L-1): given_names: contains an invisible formatting character (U+202E RIGHT-TO-LEFT "
            "OVERRIDE)") in result.stderr
    assert not (out / "L-1.pdf").exists()
    # Hebrew letters carry their own direction: nothing refuses them as formatting. (The shipped template's font has
    # no Hebrew letters, so the certificate itself still fails, naming them, until templates set Hebrew: issue 19.)
    assert "row 3 (L-2): given_names" not in result.stderr and "row 3 (L-2): family_name" not in result.stderr
