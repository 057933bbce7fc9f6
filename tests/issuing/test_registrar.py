"""A registrar's real exports and re-runs, through the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from tests.issuing.conftest import Setup, run

EXPORT = (
    "Student system export - Faculty of Science - 2026-07-01\n"
    "\n"
    "Matrikelnummer;Given Names;FAMILY-NAME;Date Issued;E-mail;Grade\n"
    "S-1;Ana;Lopez;20.01.2026;ana@example.org;pass\n"
    "S-2;Bo;Berg;21/01/2026;bo@example.org;pass\n"
)


def _export(setup: Setup, text: str = EXPORT, name: str = "export.csv") -> Path:
    path = setup.root / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_real_export_with_a_title_row_other_names_and_a_column_map(setup: Setup) -> None:
    out = setup.root / "out"
    columns = setup.root / "columns.yaml"
    columns.write_text("Matrikelnummer: learner_id\nDate Issued: issued\n", encoding="utf-8")
    result = run("certificates", str(setup.spec), str(_export(setup)), "--key", str(setup.key), "-o", str(out),
                 "--columns", str(columns), "--quiet", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "2 issued, 0 unchanged, 0 failed" in result.stdout
    record = json.loads((out / "S-2.json").read_bytes())
    assert (record["issued"], record["learner"]["given_names"]) == ("2026-01-21", "Bo")


def test_the_column_map_on_the_command_line_and_the_header_row(setup: Setup) -> None:
    out = setup.root / "out"
    result = run("certificates", str(setup.spec), str(_export(setup)), "--key", str(setup.key), "-o", str(out),
                 "--column", "Matrikelnummer=learner_id", "--column", "Date Issued=issued", "--header-row", "3",
                 "--quiet", "--jobs", "1")
    assert result.exit_code == 0, result.output


def test_an_unknown_header_is_named_with_the_fix(setup: Setup) -> None:
    result = run("certificates", str(setup.spec), str(_export(setup)), "--key", str(setup.key), "-o",
                 str(setup.root / "out"), "--quiet")
    assert result.exit_code == 1
    assert "no column learner_id, issued in row 3" in result.stderr
    assert "(which holds: Matrikelnummer, Given Names, FAMILY-NAME, Date Issued, E-mail, Grade)" in result.stderr
    text = EXPORT.replace("Matrikelnummer", "learner_id").replace("Date Issued", "issued").replace("Grade", "Grades")
    result = run("certificates", str(setup.spec), str(_export(setup, text)), "--key", str(setup.key), "-o",
                 str(setup.root / "out"), "--quiet")
    assert result.exit_code == 1
    assert "column 'Grades' looks like grade: if it is, map it with --column \"Grades=grade\"" in result.stderr
    assert not (setup.root / "out").exists()


def test_dates_that_could_be_read_both_ways_need_the_date_format(setup: Setup) -> None:
    text = "learner_id,given_names,family_name,issued\nS-1,Ana,Lopez,01/02/2026\nS-2,Bo,Berg,13/01/2026\n"
    out = setup.root / "out"
    result = run("certificates", str(setup.spec), str(_export(setup, text)), "--key", str(setup.key), "-o",
                 str(out), "--quiet", "--jobs", "1")
    assert result.exit_code == 1
    assert "error: row 2 (S-1): issued '01/02/2026' could be 1 February 2026 or 2 January 2026" in result.stderr
    result = run("certificates", str(setup.spec), str(_export(setup, text)), "--key", str(setup.key), "-o",
                 str(out), "--quiet", "--jobs", "1", "--date-format", "DD/MM/YYYY")
    assert result.exit_code == 0 and json.loads((out / "S-1.json").read_bytes())["issued"] == "2026-02-01"
    result = run("certificates", str(setup.spec), str(_export(setup, text)), "--key", str(setup.key), "-o",
                 str(out), "--date-format", "YYYY/DD")
    assert result.exit_code == 2 and "a date format is DD, MM and YYYY" in result.output


def test_an_xlsx_export_with_a_title_row(setup: Setup) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Export of 2026-07-01"])
    sheet.append(["Learner ID", "Given names", "Family name", "Issued"])
    sheet.append(["X-1", "Ana", "Lopez", "20.01.2026"])
    path = setup.root / "export.xlsx"
    book.save(path)
    result = setup.issue(path, setup.root / "out")
    assert result.exit_code == 0, result.output


def test_a_re_run_says_what_it_did_and_prints_only_the_corrections(setup: Setup) -> None:
    out = setup.root / "out"
    first = _export(setup, "learner_id,given_names,family_name,issued,email\nA,Ana,Lopez,2026-02-01,a@x.org\n"
                           "B,Bo,Berg,2026-02-01,b@x.org\nC,Cy,Lund,2026-02-01,c@x.org\n", "first.csv")
    assert setup.issue(first, out).exit_code == 0
    second = _export(setup, first.read_text(encoding="utf-8").replace("Bo,Berg", "Bob,Berg"), "second.csv")
    result = setup.issue(second, out, "--combined-new", str(setup.root / "corrections.pdf"))
    assert "1 issued, 2 unchanged, 0 failed" in result.stdout
    import pikepdf

    with pikepdf.open(setup.root / "corrections.pdf") as combined:
        assert len(combined.pages) == 2  # Bob's corrected certificate alone
    with (out / "links.csv").open(encoding="utf-8", newline="") as handle:
        links = list(csv.reader(handle))
    assert links[0] == ["learner_id", "email", "link"]
    assert [(row[0], row[1]) for row in links[1:]] == [("A", "a@x.org"), ("B", "b@x.org"), ("C", "c@x.org")]
    assert all(row[2].startswith("https://") and "#" in row[2] for row in links[1:])
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert manifest[-1]["link"] == links[2][2]


def test_learners_dropped_from_the_list_are_reported_and_can_be_withdrawn(setup: Setup) -> None:
    out = setup.root / "out"
    assert setup.issue(setup.learners("A,Ana,Lopez,2026-02-01\nB,Bo,Berg,2026-02-01\n"), out).exit_code == 0
    shorter = setup.learners("A,Ana,Lopez,2026-02-01\n", "shorter.csv")
    result = setup.issue(shorter, out)
    assert result.exit_code == 0
    assert f"1 learner(s) have files in {out} but are not in this list: B; --withdraw-missing" in result.stderr
    assert (out / "B.pdf").exists()
    result = setup.issue(shorter, out, "--withdraw-missing")
    assert f"moved the files of 1 learner(s) no longer in the list to {out}/withdrawn/: B" in result.stderr
    assert not (out / "B.pdf").exists() and (out / "withdrawn" / "B.pdf").exists()
    assert "not in this list" not in setup.issue(shorter, out).stderr  # withdrawn learners are no longer missing


def test_a_key_valid_from_today_and_a_cohort_dated_last_week_is_one_error_with_the_fix(setup: Setup) -> None:
    keys = setup.root / "new-keys"
    assert run("keys", "generate", "--issuer", "UH", "--out", str(keys), "--valid-from", "2026-07-01").exit_code == 0
    cohort = "".join(f"L-{n},Ana,Lopez,2026-06-2{n},\n" for n in range(1, 8))
    result = setup.issue(setup.learners(cohort), setup.root / "out", key=next(keys.glob("UH-*.pem")))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert "none of the 7 learners can be sealed: they are issued 2026-06-21 to 2026-06-27" in errors[0]
    assert "unadocs keys generate --issuer UH --valid-from 2026-06-21" in errors[0]


def test_verify_names_the_awarding_bodies_and_gives_the_link(setup: Setup) -> None:
    out = setup.root / "out"
    assert setup.issue(setup.learners("A,Ana,Lopez,2026-02-01\n"), out).exit_code == 0
    shown = run("verify", str(out / "A.pdf"), "--trust", str(setup.trust))
    assert "University of Helsinki (UH), University of Bologna (UNIBO)" in shown.stdout
    verdict = json.loads(run("verify", str(out / "A.pdf"), "--trust", str(setup.trust), "--json").stdout)
    assert verdict["names"]["UJ"] == "Jagiellonian University"
    with (out / "links.csv").open(encoding="utf-8") as handle:
        links = list(csv.reader(handle))
    assert verdict["link"] == links[1][2]


@pytest.mark.parametrize(("flag", "value"), [("--column", "no-equals"), ("--column", "=learner_id")])
def test_a_bad_column_option_is_a_usage_error(setup: Setup, flag: str, value: str) -> None:
    result = setup.issue(setup.learners("A,Ana,Lopez,2026-02-01\n"), setup.root / "out", flag, value)
    assert result.exit_code == 2 and "write NAME=COLUMN" in result.output


def test_a_column_mapped_to_an_unknown_column_is_named(setup: Setup) -> None:
    result = setup.issue(setup.learners("A,Ana,Lopez,2026-02-01\n"), setup.root / "out", "--column", "X=given_name")
    assert result.exit_code == 1 and "'X' maps to 'given_name'" in result.stderr and "did you mean 'given_names'" in (
        result.stderr)


def test_an_issuer_whose_native_name_is_its_name_is_named_once(tmp_path: Path) -> None:
    """Freie Universität Berlin is its own native name: the certificate's header names it once."""
    import subprocess
    from datetime import date

    from unadocs.starter import StarterAnswers, starter_spec

    spec = tmp_path / "spec.yaml"
    answers = StarterAnswers(members=("berlin", "bologna", "krakow"), start=date(2026, 3, 1))
    spec.write_text(starter_spec(answers).replace("status: draft", "status: approved"), encoding="utf-8")
    keys = tmp_path / "keys"
    assert run("keys", "generate", "--issuer", "BERLIN", "--out", str(keys), "--valid-from", "2026-01-01").exit_code == 0
    learners = tmp_path / "l.csv"
    learners.write_text("learner_id,given_names,family_name,issued\nA,Ana,Lopez,2026-06-01\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("certificates", str(spec), str(learners), "--key", str(next(keys.glob("*.pem"))), "-o", str(out),
                 "--quiet", "--jobs", "1")
    assert result.exit_code == 0, result.output
    front = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(out / "A.pdf"), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "Freie Universität Berlin" in front
    assert "Freie Universität Berlin\nFreie Universität Berlin" not in front
