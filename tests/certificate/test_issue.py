"""Issuing a learner list: good rows issued whatever the bad ones, hostile data, refusals, determinism, the CLI."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

import unadocs
from tests.certificate.conftest import Issued, Keys, flat, pdftotext
from tests.conftest import EXAMPLE_LEARNERS
from unadocs.filenames import safe_name
from unadocs.issuing import IssueResult, issue_certificates
from unadocs.cli import main
from unadocs.errors import LearnerError, SealError
from unadocs.model import Consortium
from unadocs.seal.keys import generate_key, load_signer

HEADER = "learner_id,given_names,family_name,issued,date_of_birth,email,grade\n"

HOSTILE = [
    ("<b>x</b>", "<script>alert(1)</script>", "O'Neil & Sons", "<script>alert(1)</script> O'Neil & Sons"),
    ("../../x", "{{ 7*7 }}", "{% if true %}yes{% endif %}", "{{ 7*7 }} {% if true %}yes{% endif %}"),
    ("/etc/passwd", "Ευαγγελία", "Παπαδοπούλου", "Ευαγγελία Παπαδοπούλου"),
    ("..", "Анастасия", "Иванова-Śliwińska", "Анастасия Иванова-Śliwińska"),
    ("C:\\x\\..\\y", "Ő", "Szőke &amp; Árpád", "Ő Szőke &amp; Árpád"),
]


@pytest.fixture(scope="module")
def hostile(approved: Consortium, keys: Keys, tmp_path_factory: pytest.TempPathFactory) -> Issued:
    root = tmp_path_factory.mktemp("hostile")
    source = root / "learners.csv"
    lines = [HEADER] + [f'"{i}","{g}","{f}",2026-01-20,,,\n' for i, g, f, _ in HOSTILE]
    source.write_text("".join(lines), encoding="utf-8")
    out = root / "deep" / "out"
    return Issued(out, list(issue_certificates(approved, source, keys.signer, out)))


def test_hostile_learner_data_is_issued(hostile: Issued) -> None:
    assert [r.ok for r in hostile.results] == [True] * len(HOSTILE)


@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_hostile_learner_data_is_printed_literally(hostile: Issued, index: int) -> None:
    learner_id, _, _, full_name = HOSTILE[index]
    result = hostile.results[index]
    assert result.pdf is not None
    text = flat(pdftotext(result.pdf))
    assert full_name in text
    assert f"Learner id {learner_id}" in text
    assert "49" not in text.replace(result.credential_id or "", "")  # {{ 7*7 }} was never evaluated


def test_hostile_learner_ids_never_write_outside_the_directory(hostile: Issued) -> None:
    root = hostile.out_dir.parent.parent
    written = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
    inside = sorted(p.relative_to(root) for p in hostile.out_dir.iterdir())
    assert written == sorted([Path("learners.csv"), *inside])
    # A PDF and a JSON per learner, and the run's manifest, error list and links.
    assert len(inside) == 2 * len(HOSTILE) + 3
    assert {"manifest.jsonl", "errors.csv", "links.csv"} <= {p.name for p in inside}
    assert not any(p.name.startswith(".") for p in hostile.out_dir.iterdir())  # no temporary file left


def test_hostile_certificates_are_valid_pdfs_that_verify(hostile: Issued, keys: Keys) -> None:
    for result in hostile.results:
        assert result.pdf is not None
        with pikepdf.open(result.pdf) as pdf:
            assert len(pdf.pages) == 2
            assert pdf.check_pdf_syntax() == []
        assert unadocs.verify(result.pdf, keys.trust_path).valid


def test_safe_name_keeps_plain_ids_and_separates_unsafe_ones() -> None:
    assert safe_name("UH-2025-0001") == "UH-2025-0001"
    names = {safe_name(i) for i in ("../../x", "x", "._x", "a/b", "a_b", "..", "", "CON", "con")}
    assert len(names) == 9
    for name in names:
        assert "/" not in name and "\\" not in name and not name.startswith(".") and name


# -- bad rows -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed(approved: Consortium, keys: Keys, tmp_path_factory: pytest.TempPathFactory) -> Issued:
    root = tmp_path_factory.mktemp("mixed")
    source = root / "learners.csv"
    source.write_text(HEADER + "\n".join([
        "G-1,Ann,Smith,2026-01-20,,,",     # row 2: good
        "G-2,,Smith,2026-01-20,,,",        # row 3: missing given names
        "G-3,Bo,Lund,2026-02-31,,,",       # row 4: invalid date
        "G-1,Cy,Berg,2026-01-20,,,",       # row 5: duplicate id
        "G-5,Di,Moor,2024-06-01,,,",       # row 6: before the term
        "G-6,Ed,Hall,2031-01-01,,,",       # row 7: after the term and its teach-out
        "G-7,Flo,Ek,2026-03-01,,,merit",   # row 8: good
    ]) + "\n", encoding="utf-8")
    out = root / "out"
    return Issued(out, list(issue_certificates(approved, source, keys.signer, out, combined=root / "print.pdf")))


def test_bad_rows_are_reported_with_row_and_reason(mixed: Issued) -> None:
    failed = {r.row: r.reason for r in mixed.results if not r.ok}
    assert sorted(failed) == [3, 4, 5, 6, 7]
    assert "given_names is missing" in (failed[3] or "")
    assert "'2026-02-31' is not a date" in (failed[4] or "")
    assert "duplicate learner id 'G-1' (first on row 2)" in (failed[5] or "")
    assert "outside the agreement's term and its teach-out period (2025-09-01 to 2030-08-31)" in (failed[6] or "")
    assert "outside the agreement's term" in (failed[7] or "")


def test_good_rows_are_issued_despite_bad_ones(mixed: Issued) -> None:
    issued = [r for r in mixed.results if r.ok]
    assert [(r.row, r.learner_id) for r in issued] == [(2, "G-1"), (8, "G-7")]
    assert sorted(p.name for p in mixed.out_dir.iterdir()) == ["G-1.json", "G-1.pdf", "G-7.json", "G-7.pdf",
                                                               "errors.csv", "links.csv", "manifest.jsonl"]


def test_every_bad_row_is_listed_in_errors_csv(mixed: Issued) -> None:
    import csv

    with (mixed.out_dir / "errors.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["learner_id"]) for r in rows] == [("3", "G-2"), ("4", "G-3"), ("5", "G-1"), ("6", "G-5"),
                                                           ("7", "G-6")]
    reasons = {r.row: r.reason for r in mixed.results if not r.ok}
    assert [r["reason"] for r in rows] == [reasons[int(r["row"])] for r in rows]


def test_combined_pdf_holds_the_issued_certificates_in_list_order(mixed: Issued) -> None:
    combined = mixed.out_dir.parent / "print.pdf"
    with pikepdf.open(combined) as pdf:
        assert len(pdf.pages) == 4
    text = pdftotext(combined)
    assert text.index("Ann Smith") < text.index("Flo Ek")


def test_example_combined_pdf_has_two_pages_per_learner(example_issued: Issued) -> None:
    with pikepdf.open(example_issued.out_dir / "print.pdf") as pdf:
        assert len(pdf.pages) == 12


# -- refusals -------------------------------------------------------------------------


def test_key_of_another_issuer_is_refused_before_anything_is_written(
    approved: Consortium, tmp_path: Path
) -> None:
    info = generate_key("UNIBO", tmp_path / "keys", valid_from=date(2025, 9, 1), valid_until=date(2029, 8, 31))
    out = tmp_path / "out"
    with pytest.raises(SealError, match="belongs to 'UNIBO'.*issued by 'UH'"):
        issue_certificates(approved, EXAMPLE_LEARNERS, load_signer(info.private_key_path), out)
    assert not out.exists()


def test_missing_column_is_refused_before_anything_is_written(
    approved: Consortium, keys: Keys, write_csv: Callable[..., Path], tmp_path: Path
) -> None:
    source = write_csv("learner_id,given_names,issued\nA,B,2026-01-20\n")
    out = tmp_path / "out"
    with pytest.raises(LearnerError, match="no column family_name"):
        issue_certificates(approved, source, keys.signer, out)
    assert not out.exists()


def test_issue_date_outside_the_key_validity_fails_the_row(approved: Consortium, tmp_path: Path) -> None:
    info = generate_key("UH", tmp_path / "keys", valid_from=date(2026, 2, 1), valid_until=date(2029, 8, 31))
    source = tmp_path / "l.csv"
    source.write_text(HEADER + "K-1,Ann,Smith,2026-01-20,,,\nK-2,Bo,Lund,2026-02-02,,,\n", encoding="utf-8")
    early, late = issue_certificates(approved, source, load_signer(info.private_key_path), tmp_path / "out",
                                     sealed_on=date(2026, 3, 1))
    assert not early.ok and "is before key" in (early.reason or "") and late.ok


def test_a_key_that_can_seal_none_of_the_list_is_one_error_with_the_fix(approved: Consortium, tmp_path: Path) -> None:
    info = generate_key("UH", tmp_path / "keys", valid_from=date(2026, 2, 1), valid_until=date(2029, 8, 31))
    source = tmp_path / "l.csv"
    source.write_text(HEADER + "".join(f"K-{n},Ann,Smith,2026-01-{n + 10},,,\n" for n in range(1, 10)),
                      encoding="utf-8")
    with pytest.raises(SealError, match=r"none of the 9 learners can be sealed: they are issued 2026-01-11 to "
                                        r"2026-01-19, and the issue date 2026-01-11 is before key .* is valid "
                                        r"\(2026-02-01\); generate a key valid from then: unadocs keys generate "
                                        r"--issuer UH --valid-from 2026-01-11"):
        issue_certificates(approved, source, load_signer(info.private_key_path), tmp_path / "out",
                           sealed_on=date(2026, 3, 1))
    assert not (tmp_path / "out").exists()


# -- determinism ----------------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reissuing_gives_byte_identical_files(approved: Consortium, keys: Keys, example_issued: Issued,
                                              tmp_path: Path) -> None:
    again = list(issue_certificates(approved, EXAMPLE_LEARNERS, keys.signer, tmp_path,
                                    combined=tmp_path / "print.pdf"))
    for first, second in zip(example_issued.results, again, strict=True):
        assert first.pdf is not None and second.pdf is not None and first.json is not None and second.json is not None
        assert _digest(first.pdf) == _digest(second.pdf)
        assert _digest(first.json) == _digest(second.json)
    assert _digest(example_issued.out_dir / "print.pdf") == _digest(tmp_path / "print.pdf")


def test_a_fresh_process_gives_byte_identical_files(keys: Keys, example_issued: Issued, approved_data: dict,  # type: ignore[type-arg]
                                                    write_spec: Callable[..., Path], tmp_path: Path) -> None:
    spec = write_spec(approved_data)
    out = tmp_path / "cli"
    run = subprocess.run(
        [sys.executable, "-m", "unadocs.cli", "certificates", str(spec), str(EXAMPLE_LEARNERS),
         "--key", str(keys.key_path), "-o", str(out)], capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    for result in example_issued.results:
        assert result.pdf is not None
        assert _digest(out / result.pdf.name) == _digest(result.pdf)


# -- command line ---------------------------------------------------------------------


def test_cli_reports_bad_rows_and_exits_1(keys: Keys, approved_data: dict, write_spec: Callable[..., Path],  # type: ignore[type-arg]
                                          write_csv: Callable[..., Path], tmp_path: Path) -> None:
    spec = write_spec(approved_data)
    source = write_csv(HEADER + "C-1,Ann,Smith,2026-01-20,,,\nC-2,,Smith,2026-01-20,,,\n")
    result = CliRunner().invoke(main, ["certificates", str(spec), str(source), "--key", str(keys.key_path),
                                       "-o", str(tmp_path / "out"), "--combined", str(tmp_path / "all.pdf")])
    assert result.exit_code == 1
    assert "error: row 3 (C-2): given_names is missing" in result.output
    assert "1 issued, 0 unchanged, 1 failed" in result.output
    assert (tmp_path / "out" / "C-1.pdf").is_file() and (tmp_path / "all.pdf").is_file()


def test_cli_missing_key_is_an_error_and_writes_nothing(approved_data: dict, write_spec: Callable[..., Path],  # type: ignore[type-arg]
                                                        tmp_path: Path) -> None:
    spec = write_spec(approved_data)
    result = CliRunner().invoke(main, ["certificates", str(spec), str(EXAMPLE_LEARNERS),
                                       "--key", str(tmp_path / "none.pem"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "error:" in result.output and "key file not found" in result.output
    assert not (tmp_path / "out").exists()


def test_cli_invalid_spec_writes_nothing(keys: Keys, approved_data: dict, write_spec: Callable[..., Path],  # type: ignore[type-arg]
                                         tmp_path: Path) -> None:
    approved_data = {**approved_data, "term": {**approved_data["term"], "duration_years": 9}}
    spec = write_spec(approved_data)
    result = CliRunner().invoke(main, ["certificates", str(spec), str(EXAMPLE_LEARNERS),
                                       "--key", str(keys.key_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "term" in result.output
    assert not (tmp_path / "out").exists()


def test_issue_result_says_where_or_why() -> None:
    assert str(IssueResult(3, "A", reason="given_names is missing")) == "row 3 (A): given_names is missing"


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    from unadocs.files import atomic_write

    target = tmp_path / "A.pdf"
    atomic_write(target, b"%PDF-old")
    with pytest.raises(TypeError):
        atomic_write(target, "not bytes")  # type: ignore[arg-type]  # fails after the temporary file exists
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in tmp_path.iterdir()] == ["A.pdf"]
