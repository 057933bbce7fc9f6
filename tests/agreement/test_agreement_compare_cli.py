"""`unadocs compare`: the summary of what changed, the redline with -o, and the checks of both specs first."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner

import unadocs
from tests.agreement.test_agreement_compare import versions
from unadocs.cli import main


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def specs(example_data: dict[str, Any], write_spec: Callable[..., Path]) -> tuple[Path, Path]:
    old, new = versions(example_data)
    return write_spec(old, "v1.0.yaml"), write_spec(new, "v1.1.yaml")


def test_without_out_it_prints_what_changed_and_writes_nothing(
        example_data: dict[str, Any], write_spec: Callable[..., Path], tmp_path: Path) -> None:
    old, new = specs(example_data, write_spec)
    result = run("compare", str(old), str(new))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"version 1.1 ({new}), compared with 1.0 ({old})"
    assert any(line.startswith("  agreement.version (line ") and line.endswith("): 1.0 \u2192 1.1") for line in lines)
    assert any(line.startswith("  finance.fees[1].amount (line ") and line.endswith("): 300 EUR \u2192 350 EUR")
               for line in lines)
    assert "  removed   19.3 Courts  [171-law-courts.md]" in lines
    assert "  added     19.3 Arbitration under the CEPANI rules  [174-law-arbitration-cepani.md]" in lines
    assert "  reworded  Signature pages: \u201cName: Jan Kowalski\u201d  [190-signatures.md]" in lines
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v1.0.yaml", "v1.1.yaml"]


def test_json_for_tools(example_data: dict[str, Any], write_spec: Callable[..., Path]) -> None:
    old, new = specs(example_data, write_spec)
    result = run("compare", str(old), str(new), "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["old"] == str(old) and payload["redline"] is None and payload["unchanged"] is False
    fees = next(f for f in payload["fields"] if f["path"] == "finance.fees[1].amount")
    assert (fees["change"], fees["old"], fees["new"]) == ("changed", "300 EUR", "350 EUR")
    added = next(f for f in payload["fields"] if f["path"] == "partners[3]")
    assert added["change"] == "added" and added["new"]["id"] == "KUL"
    assert {"change": "removed", "number": "19.3", "file": "171-law-courts.md"}.items() <= next(
        c for c in payload["clauses"] if c["change"] == "removed").items()


def test_a_removed_field_names_the_line_of_the_old_spec(
        example_data: dict[str, Any], write_spec: Callable[..., Path]) -> None:
    """A removed field is found in the old spec only: its line must say so, or a reader looks at that line of
    the new spec, which holds something else."""
    newer, older = specs(example_data, write_spec)  # compared the other way round: KU Leuven removed
    lines = run("compare", str(older), str(newer)).stdout.splitlines()
    removed = next(line for line in lines if line.startswith("  partners[3] "))
    line = int(re.search(r"\(line (\d+)", removed).group(1))  # type: ignore[union-attr]
    assert removed == f"  partners[3] (line {line} of the old spec): removed KUL (KU Leuven)"
    assert older.read_text(encoding="utf-8").splitlines()[line - 1].lstrip("- ").startswith("id: KUL")
    changed = next(line for line in lines if line.startswith("  finance.fees[1].amount "))
    assert "of the old spec" not in changed
    payload = json.loads(run("compare", str(older), str(newer), "--json").stdout)
    fields = {f["path"]: f for f in payload["fields"]}
    assert (fields["partners[3]"]["line"], fields["partners[3]"]["line_in"]) == (line, "old")
    assert fields["finance.fees[1].amount"]["line_in"] == "new"


def test_specs_of_two_agreements_are_compared_with_a_warning(
        example_data: dict[str, Any], write_spec: Callable[..., Path]) -> None:
    """Another reference is another agreement: a redline between two agreements is most likely the wrong pair of
    files, so the command says so (it still compares: a reference may have been corrected)."""
    other = copy.deepcopy(example_data)
    other["agreement"]["reference"] = "UNA-MC-AI-2026"
    old, new = write_spec(example_data, "sustainability.yaml"), write_spec(other, "ai.yaml")
    result = run("compare", str(old), str(new))
    assert result.exit_code == 0
    assert (f"warning: {new} is agreement UNA-MC-AI-2026 and {old} agreement UNA-MC-SUST-2025: are these two "
            f"versions of one agreement?") in result.stderr
    assert "warning" not in run("compare", *map(str, specs(example_data, write_spec))).stderr


def test_out_writes_the_redline_by_the_author(
        example_data: dict[str, Any], write_spec: Callable[..., Path], tmp_path: Path) -> None:
    old, new = specs(example_data, write_spec)
    out = tmp_path / "redline.docx"
    result = run("compare", str(old), str(new), "-o", str(out), "--author", "Legal cluster", "--toc-pages",
                 "on-open")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith(f"redline: {out}")
    assert out.read_bytes() == unadocs.compare_agreements(unadocs.load_spec(old), unadocs.load_spec(new),
                                                          author="Legal cluster", toc_pages="on-open")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["redline.docx", "v1.0.yaml", "v1.1.yaml"]


def test_both_specs_are_checked_first_and_every_error_names_its_file(
        example_data: dict[str, Any], write_spec: Callable[..., Path], tmp_path: Path) -> None:
    old, new = versions(example_data)
    old["term"]["duration_years"] = 5
    new["finance"]["revenue_shares"]["UH"] = 60
    old_path, new_path = write_spec(old, "old.yaml"), write_spec(new, "new.yaml")
    out = tmp_path / "redline.docx"
    result = run("compare", str(old_path), str(new_path), "-o", str(out))
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    checked = [run("check", str(path)).stderr.splitlines()[:-1] for path in (old_path, new_path)]
    assert errors[:-1] == checked[0] + checked[1]
    assert errors[0].startswith(f"error: {old_path}: term.duration_years (line ")
    assert any(e.startswith(f"error: {new_path}: finance.revenue_shares") for e in errors)
    assert errors[-1] == f"{len(errors) - 1} errors; nothing was written."
    assert not out.exists() and "Traceback" not in result.output
    as_json = json.loads(run("compare", str(old_path), str(new_path), "--json").stdout)
    assert as_json["valid"] is False and {e["source"] for e in as_json["errors"]} == {str(old_path), str(new_path)}


def test_a_redline_never_replaces_a_spec(example_data: dict[str, Any], write_spec: Callable[..., Path]) -> None:
    old, new = specs(example_data, write_spec)
    before = new.read_bytes()
    result = run("compare", str(old), str(new), "-o", str(new))
    assert result.exit_code == 1
    assert result.stderr == f"error: {new} is one of the specs compared; write the redline to another file\n"
    assert new.read_bytes() == before


def test_identical_specs_and_specs_given_the_wrong_way_round(
        example_data: dict[str, Any], write_spec: Callable[..., Path]) -> None:
    old, new = specs(example_data, write_spec)
    same = run("compare", str(old), str(write_spec(copy.deepcopy(versions(example_data)[0]), "copy.yaml")))
    assert same.exit_code == 0 and "no differences: the two specs give the same agreement" in same.stdout
    reversed_ = run("compare", str(new), str(old))
    assert reversed_.exit_code == 0
    assert f"warning: {old} is dated 2025-05-15, before {new} (2026-03-02); is the older version given first?" \
        in reversed_.stderr


def test_a_bad_author_is_a_message_not_a_traceback(
        example_data: dict[str, Any], write_spec: Callable[..., Path], tmp_path: Path) -> None:
    old, new = specs(example_data, write_spec)
    out = tmp_path / "redline.docx"
    result = run("compare", str(old), str(new), "-o", str(out), "--author", "a\u0007b", "--toc-pages", "on-open")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the author of the changes contains the invisible or control character "
                                    "U+0007")
    assert not out.exists()
