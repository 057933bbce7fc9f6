"""The command line: `check` (text and JSON), `schema` and `--version`, through
click's runner and through the real installed console script."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

import unadocs
from tests.conftest import EXAMPLE_SPEC, ROOT
from unadocs.cli import main

EXAMPLE_LINES = EXAMPLE_SPEC.read_text(encoding="utf-8").splitlines()
ERROR_LINE = re.compile(r"^error: (?P<source>.+?): (?P<path>[\w.\[\]-]+) \(line (?P<line>\d+)\): (?P<message>.+)$")
WARNING_LINE = re.compile(r"^warning (?P<code>[a-z0-9-]+) (?P<path>[\w.\[\]-]+) \(line (?P<line>\d+)\): "
                          r"(?P<message>.+) \(framework §(?P<section>[\d.]+)\)$")


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def example_line(prefix: str) -> int:
    [n] = [n for n, text in enumerate(EXAMPLE_LINES, start=1) if text.startswith(prefix)]
    return n


#: The example's advisories: (code, path, line, framework section).
EXAMPLE_ADVISORIES = {
    ("single-language", "credential.languages", example_line("  languages: [en]"), "3.2.8"),
    ("draft-specimens", "agreement.status", example_line("  status: draft"), "3.1"),
    ("party-details-missing", "partners[0]", example_line("  - id: UH"), "5"),
    ("party-details-missing", "partners[1]", example_line("  - id: UNIBO"), "5"),
    ("party-details-missing", "partners[2]", example_line("  - id: UJ"), "5"),
    ("common-costs-not-listed", "finance.common_costs", example_line("finance:"), "3.4.3"),
    ("lower-case-party", "governance.management_committee", example_line("  management_committee:"), "5"),
    ("lower-case-party", "finance.costs", example_line("  costs:"), "5"),
    ("lower-case-party", "intellectual_property.third_party_content", example_line("  third_party_content:"), "5"),
}


@pytest.fixture
def bad_spec(tmp_path: Path) -> Path:
    """The reference spec with three errors, at known lines."""
    text = EXAMPLE_SPEC.read_text(encoding="utf-8")
    text = (text.replace("eqf_level: 7 ", "eqf_level: 4 ").replace("duration_years: 4 ", "duration_years: 5 ")
            .replace("verification_url: https://", "verification_url: http://"))
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- check ------------------------------------------------------------------------


def test_check_on_the_example_prints_the_summary_and_exits_0() -> None:
    result = run("check", str(EXAMPLE_SPEC))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Micro-credential in Sustainability" in out
    for partner in ("UH", "University of Helsinki", "UNIBO", "University of Bologna", "UJ", "Jagiellonian University"):
        assert partner in out
    assert re.search(r"UH .*University of Helsinki \(FI\) · lead, certificate issuer", out)
    assert "2025-09-01 to 2029-08-31" in out
    assert "centralised collected by UH" in out
    assert f"valid: {EXAMPLE_SPEC} ({len(EXAMPLE_ADVISORIES)} advisories)" in out
    assert result.stderr == ""


def test_check_prints_each_advisory_with_code_path_line_and_section() -> None:
    out = run("check", str(EXAMPLE_SPEC)).stdout
    warnings = [WARNING_LINE.match(line) for line in out.splitlines() if line.startswith("warning")]
    assert all(warnings), out
    found = {(m["code"], m["path"], int(m["line"]), m["section"]) for m in warnings if m}
    assert found == EXAMPLE_ADVISORIES


def test_check_prints_every_error_with_path_and_line_and_exits_1(bad_spec: Path) -> None:
    result = run("check", str(bad_spec))
    assert result.exit_code == 1
    errors = [ERROR_LINE.match(line) for line in result.stderr.splitlines() if line.startswith("error:")]
    assert all(errors), result.stderr
    found = {(m["source"], m["path"], int(m["line"])) for m in errors if m}
    assert found == {
        (str(bad_spec), "credential.eqf_level", example_line("  eqf_level: 7")),
        (str(bad_spec), "term.duration_years", example_line("  duration_years: 4")),
        (str(bad_spec), "certificate.verification_url", example_line("  verification_url:")),
    }
    assert "3 errors" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    ("", "the spec is empty"),
    ("- a\n- b\n", "not a list"),
    ("a: [1\n", "YAML syntax error"),
])
def test_check_turns_unusable_files_into_one_line_and_exit_1(content: str | None, message: str,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"error: {path}: ")
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_check_on_a_directory_is_an_error_not_a_crash(tmp_path: Path) -> None:
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    assert "is a directory" in result.stderr


def test_check_json_on_the_example(write_spec: Callable[[dict[str, Any]], Path]) -> None:
    result = run("check", "--json", str(EXAMPLE_SPEC))
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["valid"] is True and report["errors"] == []
    summary = report["summary"]
    assert summary["credential"]["title"] == "Micro-credential in Sustainability"
    assert [(p["id"], p["role"]) for p in summary["partners"]] == [("UH", "lead"), ("UNIBO", "partner"),
                                                                  ("UJ", "partner")]
    assert summary["term"]["end"] == "2029-08-31"
    assert summary["finance"]["model"] == "centralised"
    assert {(a["code"], a["path"], a["line"], a["section"]) for a in report["advisories"]} == EXAMPLE_ADVISORIES


def test_check_json_on_a_bad_spec_lists_every_error(bad_spec: Path) -> None:
    result = run("check", "--json", str(bad_spec))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert {(e["path"], e["line"]) for e in report["errors"]} == {
        ("credential.eqf_level", example_line("  eqf_level: 7")),
        ("term.duration_years", example_line("  duration_years: 4")),
        ("certificate.verification_url", example_line("  verification_url:")),
    }
    assert all(e["message"] for e in report["errors"])


def test_check_json_on_a_missing_file_is_json_too(tmp_path: Path) -> None:
    result = run("check", "--json", str(tmp_path / "missing.yaml"))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False and report["errors"][0]["message"] == "no such file"


# -- schema -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spec_schema() -> dict[str, Any]:
    result = run("schema")
    assert result.exit_code == 0
    schema: dict[str, Any] = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def as_json_data(data: dict[str, Any]) -> Any:
    """YAML data as an editor's YAML language server sees it: dates are strings."""
    return json.loads(json.dumps(data, default=str))


def test_schema_validates_the_example(spec_schema: dict[str, Any], spec_data: dict[str, Any]) -> None:
    errors = list(jsonschema.Draft202012Validator(spec_schema).iter_errors(as_json_data(spec_data)))
    assert errors == []


def test_schema_rejects_an_unknown_key(spec_schema: dict[str, Any], spec_data: dict[str, Any]) -> None:
    spec_data["term"]["duraton_years"] = 4
    with pytest.raises(jsonschema.ValidationError, match="'duraton_years' was unexpected"):
        jsonschema.validate(as_json_data(spec_data), spec_schema, cls=jsonschema.Draft202012Validator)


def test_schema_offers_the_enum_values(spec_schema: dict[str, Any]) -> None:
    assert spec_schema["$defs"]["FinanceModel"]["enum"] == ["centralised", "decentralised", "mixed"]
    assert spec_schema["$defs"]["Renewal"]["enum"] == ["by-written-agreement", "none"]


def test_schema_requires_name_and_country_only_of_a_non_member(spec_schema: dict[str, Any],
                                                              spec_data: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(spec_schema)
    del spec_data["partners"][2]["member"]
    assert list(validator.iter_errors(as_json_data(spec_data)))
    spec_data["partners"][2].update(name="Jagiellonian University", country="PL")
    assert list(validator.iter_errors(as_json_data(spec_data))) == []


def test_schema_completes_member_codes(spec_schema: dict[str, Any], spec_data: dict[str, Any]) -> None:
    member = spec_schema["$defs"]["Partner"]["properties"]["member"]
    assert "helsinki" in member["anyOf"][0]["enum"] and len(member["anyOf"][0]["enum"]) == 11
    spec_data["partners"][0]["member"] = "helsinky"
    assert list(jsonschema.Draft202012Validator(spec_schema).iter_errors(as_json_data(spec_data)))


# -- version and the real console script ------------------------------------------------


def test_version_option_prints_the_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"unadocs, version {unadocs.__version__}"


def _console_script() -> str:
    script = Path(sys.executable).parent / "unadocs"
    assert script.exists(), f"the unadocs console script is not installed next to {sys.executable}"
    return str(script)


def test_real_console_script_checks_the_example(tmp_path: Path) -> None:
    done = subprocess.run([_console_script(), "check", str(EXAMPLE_SPEC)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "2025-09-01 to 2029-08-31" in done.stdout
    assert "warning draft-specimens agreement.status (line" in done.stdout


def test_real_console_script_fails_cleanly_on_a_bad_spec(bad_spec: Path) -> None:
    done = subprocess.run([_console_script(), "check", str(bad_spec)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert len([line for line in done.stderr.splitlines() if ERROR_LINE.match(line)]) == 3


def test_module_entry_point_prints_the_version() -> None:
    done = subprocess.run([sys.executable, "-m", "unadocs.cli", "--version"], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 0
    assert done.stdout.strip() == f"unadocs, version {unadocs.__version__}"



def test_the_certificates_help_names_every_column_a_learner_list_may_have() -> None:
    """A registrar maps an export's columns from the help: a column it leaves out (name_latin) cannot be mapped."""
    from unadocs.cli import main
    from unadocs.load.learners import OPTIONAL_COLUMNS, REQUIRED_COLUMNS

    result = CliRunner().invoke(main, ["certificates", "--help"])
    assert result.exit_code == 0
    help_text = " ".join(result.output.split())
    described, column_option = help_text.split("Options:")
    column_option = column_option.split("--column NAME=COLUMN")[1].split("--columns")[0]
    for column in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
        assert column in described and column in column_option, column
