"""`unadocs agreement`, `unadocs clauses` and `unadocs accession`, and the Accession Form itself."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import unadocs
from tests.agreement.conftest import docx_text, one_line, with_accession
from tests.conftest import EXAMPLE_SPEC
from unadocs.cli import main


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_agreement_command_writes_the_docx(tmp_path: Path) -> None:
    out = tmp_path / "agreement.docx"
    result = run("agreement", str(EXAMPLE_SPEC), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"agreement: {out}" in result.output
    assert zipfile.is_zipfile(out)
    assert out.read_bytes() == unadocs.build_agreement(unadocs.load_spec(EXAMPLE_SPEC))
    assert [p.name for p in tmp_path.iterdir()] == ["agreement.docx"]  # no temporary file left behind
    assert "warning" not in result.stderr  # the drafting lint finds nothing


def test_agreement_command_options_for_notes_and_page_numbers(tmp_path: Path) -> None:
    out = tmp_path / "agreement.docx"
    result = run("agreement", str(EXAMPLE_SPEC), "-o", str(out), "--notes", "inline", "--toc-pages", "on-open")
    assert result.exit_code == 0, result.output
    consortium = unadocs.load_spec(EXAMPLE_SPEC)
    assert out.read_bytes() == unadocs.build_agreement(consortium, notes="inline", toc_pages="on-open")
    assert "[Drafting note:" in docx_text(out.read_bytes())
    bad = run("agreement", str(EXAMPLE_SPEC), "-o", str(out), "--notes", "margin")
    assert bad.exit_code == 2 and "'margin' is not one of 'comments', 'inline'" in bad.output


def test_final_flag_removes_the_draft_marking(tmp_path: Path) -> None:
    out = tmp_path / "final.docx"
    assert run("agreement", str(EXAMPLE_SPEC), "-o", str(out), "--final").exit_code == 0
    assert "Drafting note" not in docx_text(out.read_bytes())
    assert b"DRAFT" not in zipfile.ZipFile(out).read("word/header1.xml")


def test_invalid_spec_is_refused_with_the_check_messages_and_nothing_is_written(
    tmp_path: Path, spec_data: dict[str, Any]
) -> None:
    spec_data["term"]["duration_years"] = 5
    spec_data["finance"]["revenue_shares"]["UH"] = 60
    spec = tmp_path / "bad.yaml"
    spec.write_text(yaml.safe_dump(spec_data, sort_keys=False), encoding="utf-8")
    out = tmp_path / "agreement.docx"
    checked = run("check", str(spec))
    result = run("agreement", str(spec), "-o", str(out))
    assert result.exit_code == 1 == checked.exit_code
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors and "finance.revenue_shares" in errors[0] and "term.duration_years" in errors[1]  # by line
    assert errors == [line for line in checked.output.splitlines() if line.startswith("error:")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_existing_file_is_kept_when_the_spec_is_invalid(tmp_path: Path, spec_data: dict[str, Any]) -> None:
    spec_data["term"]["duration_years"] = 9
    spec = tmp_path / "bad.yaml"
    spec.write_text(yaml.safe_dump(spec_data, sort_keys=False), encoding="utf-8")
    out = tmp_path / "agreement.docx"
    out.write_bytes(b"previous version")
    assert run("agreement", str(spec), "-o", str(out)).exit_code == 1
    assert out.read_bytes() == b"previous version"


def test_unwritable_output_is_a_one_line_error(tmp_path: Path) -> None:
    result = run("agreement", str(EXAMPLE_SPEC), "-o", str(tmp_path / "missing-dir" / "a.docx"))
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot write ")


def test_clauses_command_lists_numbers_and_why(tmp_path: Path) -> None:
    result = run("clauses", str(EXAMPLE_SPEC))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("1 ") and "DEFINITIONS" in line for line in lines)
    assert any("7.2\u20137.3" in line and "Centralised model" in line for line in lines)
    assert any(line.strip().startswith("14.9 ") and "Survival" in line for line in lines)
    assert 'because finance.model == "centralised"\n' in result.output  # the condition names its value once
    assert "(branding.una_europa_reference: true)" in result.output
    assert "Annex 4" in result.output
    assert "Decentralised" not in result.output


def test_accession_form_is_prefilled_with_partner_and_date(tmp_path: Path, spec_data: dict[str, Any]) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(with_accession(spec_data), sort_keys=False), encoding="utf-8")
    out = tmp_path / "accession-KUL.docx"
    result = run("accession", str(spec), "--partner", "KUL", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = one_line(out.read_bytes())
    assert ("KU Leuven (Katholieke Universiteit Leuven), a [legal form] with its registered address at "
            "[registered address], Belgium, registered under [official identifier], represented by Severine "
            "Vermeire, Rector") in text
    assert "with effect from 1 September 2026" in text
    assert "Drafting note" not in text
    assert "lies.peeters@kuleuven.be" in text
    assert "under clause 13.5 of the Agreement" in text  # the number as plain text: no bookmark in this file
    assert b"REF " not in zipfile.ZipFile(out).read("word/document.xml")
    assert "[effective date" not in text and "[official name" not in text


def test_accession_without_a_partner_writes_the_blank_form(tmp_path: Path) -> None:
    out = tmp_path / "accession.docx"
    result = run("accession", str(EXAMPLE_SPEC), "-o", str(out))
    assert result.exit_code == 0, result.output
    text = one_line(out.read_bytes())
    assert "[official name of the Acceding Party]" in text
    assert "[effective date, within the term of the Agreement]" in text


@pytest.mark.parametrize(("partner", "message"), [
    ("NOPE", "no partner 'NOPE' in the spec; the partners are UH, UNIBO, UJ"),
    ("UH", "UH is the lead university: it signs the agreement itself"),
    ("UJ", "UJ is an original party: it signs the agreement itself, so it has no Accession Form"),
])
def test_accession_refuses_unknown_partner_the_lead_and_an_original_party(partner: str, message: str,
                                                                          tmp_path: Path) -> None:
    result = run("accession", str(EXAMPLE_SPEC), "--partner", partner, "-o", str(tmp_path / "a.docx"))
    assert result.exit_code == 1
    assert message in result.output
    assert not (tmp_path / "a.docx").exists()


def test_accession_refused_when_the_spec_disables_it(spec_data: dict[str, Any]) -> None:
    spec_data["accession"]["enabled"] = False
    with pytest.raises(unadocs.UnadocsError, match="accession is disabled"):
        unadocs.build_accession_form(unadocs.load_spec(spec_data))


def test_demo_writes_the_agreement_and_an_accession_form(tmp_path: Path) -> None:
    result = run("demo", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert f"agreement:              {tmp_path / 'agreement.docx'}" in result.output
    assert f"accession form (blank): {tmp_path / 'accession-blank.docx'}" in result.output
    assert "[official name of the Acceding Party]" in docx_text((tmp_path / "accession-blank.docx").read_bytes())
    assert (tmp_path / "agreement.docx").read_bytes() == unadocs.build_agreement(unadocs.load_spec(EXAMPLE_SPEC))
