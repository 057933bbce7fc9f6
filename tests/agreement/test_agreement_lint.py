"""The drafting lint: each kind of defect it reports, on a clause library broken on purpose, and its CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import unadocs
from tests.agreement.conftest import library_with
from tests.conftest import EXAMPLE_SPEC
from unadocs.agreement import LintFinding, lint_agreement, lint_library
from unadocs.agreement.library import load_library
from unadocs.agreement.variants import Variant, load_variants
from unadocs.cli import main

Variant_ = Callable[[dict[str, Any]], unadocs.Consortium]


def clause(body: str, name: str = "185-test.md") -> tuple[str, str]:
    return name, f"---\nid: test\norder: 185\nheading: Test\n---\n{body}\n"


def findings(tmp_path: Path, consortium: unadocs.Consortium, name: str = "", text: str = "",
             replace: dict[str, tuple[str, str]] | None = None) -> list[LintFinding]:
    return lint_agreement(consortium, load_library(library_with(tmp_path, name, text, replace)))


def codes(found: list[LintFinding]) -> list[str]:
    return [f.code for f in found]


@pytest.fixture
def example() -> unadocs.Consortium:
    return unadocs.load_spec(EXAMPLE_SPEC)


def test_the_example_agreement_has_no_finding(example: unadocs.Consortium) -> None:
    assert lint_agreement(example) == []


def test_a_term_of_another_variant_used_where_it_is_not_defined(tmp_path: Path, variant: Variant_) -> None:
    decentralised = variant({"finance.model": "decentralised", "finance.collecting_partner": None,
                             "finance.revenue_shares": None})
    [found] = findings(tmp_path, decentralised, *clause("The Collecting Party reports to the Parties."))
    assert (found.code, found.file, found.where) == ("undefined-term", "185-test.md", "clause 21.1")
    assert '"Collecting Party"' in found.message


def test_a_defined_term_never_used(tmp_path: Path, example: unadocs.Consortium) -> None:
    [found] = findings(tmp_path, example, *clause('= **"Widget"** means a small device.'))
    assert found.code == "unused-term" and '"Widget" is defined but never used' in found.message


def test_a_term_defined_twice(tmp_path: Path, example: unadocs.Consortium) -> None:
    [found] = findings(tmp_path, example, *clause('= **"Learner"** means anyone.'))
    assert found.code == "term-defined-twice" and "010-definitions.md" in found.message


def test_a_pointer_to_where_a_term_is_defined_is_not_a_second_definition(tmp_path: Path,
                                                                          example: unadocs.Consortium) -> None:
    assert findings(tmp_path, example, *clause(
        '= **"Widget"** means a small device. Every Party has a Widget.\n\n'
        '= **"Widget"** has the meaning given in {{ ref("test", "Widget") }}.')) == []


def test_a_reference_to_a_clause_the_agreement_does_not_have(tmp_path: Path, example: unadocs.Consortium) -> None:
    [found] = findings(tmp_path, example, *clause('See {{ ref("nowhere", "anything") }}.'))
    assert found.code == "reference-target" and "'nowhere'" in found.message


def test_a_reference_that_does_not_say_what_it_cites(tmp_path: Path, example: unadocs.Consortium) -> None:
    [found] = findings(tmp_path, example, *clause('See {{ ref("law") }}.'))
    assert found.code == "reference-unexplained"


def test_annex_4_citing_the_procedure_for_the_power_to_sign_is_found(tmp_path: Path,
                                                                      example: unadocs.Consortium) -> None:
    """The review's finding: Annex 4 cited 13.1 for the lead's power to sign, which is in 13.3."""
    broken = {"204-annex-4.md": ('num("accession.signing", "sign Accession Forms")',
                                 'num("accession.procedure", "sign Accession Forms")')}
    [found] = findings(tmp_path, example, replace=broken)
    assert (found.code, found.file, found.where) == ("reference-subject", "204-annex-4.md", "Annex 4")
    assert "cites clause 13.1 (accession.procedure) for 'sign Accession Forms', which clause 13.1 does not say" \
           in found.message


def test_clause_7_citing_joint_activities_that_annex_3_does_not_hold_is_found(tmp_path: Path,
                                                                               variant: Variant_) -> None:
    """The review's finding: 7.2 cited joint activities 'as identified in Annex 3', which Annex 3 lacked."""
    mixed = variant({"finance.model": "mixed", "finance.joint_activities": ["the joint module"],
                     "finance.fees.1.joint_part": "100 EUR"})
    broken = {"203-annex-3.md": ('{% if finance.model == "mixed" %}\n## Joint activities', '{% if false %}\n##')}
    found = findings(tmp_path, mixed, replace=broken)
    assert ("reference-subject", "073-finance-mixed.md", "clause 7.2") in [(f.code, f.file, f.where) for f in found]
    assert any("for 'following joint activities', which Annex 3 does not say" in f.message for f in found)


def test_a_number_typed_instead_of_cited(tmp_path: Path, example: unadocs.Consortium) -> None:
    found = findings(tmp_path, example, *clause("The fees are in Annex 3 and the tasks in clause 4.3."))
    assert codes(found) == ["typed-reference", "typed-reference"]


def test_lower_case_party_in_clause_text(tmp_path: Path, example: unadocs.Consortium) -> None:
    found = findings(tmp_path, example, *clause("Each partner informs the other parties of third-party claims."))
    assert codes(found) == ["lower-case-party"] and "'partner'" in found[0].message


def test_a_sentence_starting_in_lower_case(tmp_path: Path, example: unadocs.Consortium) -> None:
    found = findings(tmp_path, example, *clause("The Parties agree. the Learners too.\n\nthey do."))
    assert codes(found) == ["sentence-case", "sentence-case"]


def test_a_paragraph_continuing_the_sentence_before_it_may_start_in_lower_case(
        tmp_path: Path, example: unadocs.Consortium) -> None:
    text = "= The Parties, namely the Lead University and the others,\n\n= each of them, agree."
    assert findings(tmp_path, example, *clause(text)) == []


def test_the_spec_s_own_words_are_not_the_lint_s_business(tmp_path: Path, variant: Variant_) -> None:
    c = variant({"law.venue": "the partner's town. see Annex 3"})
    assert findings(tmp_path, c, *clause("The venue is {{ law.venue }}.")) == []


def test_the_accession_form_filled_in_for_a_planned_accession_is_linted(tmp_path: Path, variant: Variant_) -> None:
    planned = variant({"partners.3": {"id": "KUL", "member": "leuven", "coordinator": {"name": "A", "email": "a@k.be"},
                                      "signatory": {"name": "B", "title": "Rector"}},
                       "accession.accessions": [{"partner": "KUL", "date": "2026-09-01"}]})
    broken = {"204-annex-4.md": ("- its tasks under clause {{ num(\"obligations.tasks\", \"tasks\") }} are: {{",
                                 "- its tasks under clause {{ num(\"obligations.tasks\", \"chairs\") }} are: {{")}
    found = findings(tmp_path, planned, replace=broken)
    assert [(f.code, f.where) for f in found] == [("reference-subject", "Accession Form of KUL")]


# -- over every variant -------------------------------------------------------------------------------------


def test_the_library_lint_reports_a_clause_file_no_variant_selects(tmp_path: Path,
                                                                   example_data: dict[str, Any]) -> None:
    library = load_library(library_with(tmp_path, "185-orphan.md", "---\nid: orphan\norder: 185\nheading: Orphan\n"
                                        "condition: law.venue == 'Atlantis'\n---\nText.\n"))
    found = lint_library(example_data, library)
    assert [(f.code, f.file) for f in found] == [("not-selected", "185-orphan.md")]


def test_the_library_lint_reports_wording_missing_or_leaking_and_an_invalid_variant(
        example_data: dict[str, Any]) -> None:
    variants = [
        Variant("review", "annual", {"term.review": "annual"}, "once, at the middle of the Term"),
        Variant("review", "mid-term", {"term.review": "mid-term"}, "the Management Committee reviews"),
        Variant("term", "too long", {"term.duration_years": 9}),
    ]
    found = lint_library(example_data, variants=variants)
    messages = [(f.code, f.variant, f.message) for f in found if f.code != "not-selected"]
    assert ("variant-wording", "review: annual", "the agreement does not say 'once, at the middle of the Term'") \
        in messages
    assert any(code == "variant-wording" and variant == "review: mid-term" and "printed for review: annual" in m
               for code, variant, m in messages)
    assert any(code == "variant-invalid" and variant == "term: too long" for code, variant, _ in messages)


def test_variants_yaml_errors_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "variants.yaml").write_text("options:\n  review:\n    annual: {wording: x}\n", encoding="utf-8")
    with pytest.raises(unadocs.TemplateError, match=r"variants.yaml: review: annual: give 'changes'"):
        load_variants(tmp_path)
    (tmp_path / "variants.yaml").write_text("options: [\n", encoding="utf-8")
    with pytest.raises(unadocs.TemplateError, match=r"variants.yaml: .*line"):
        load_variants(tmp_path)


# -- the command line ---------------------------------------------------------------------------------------


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_clauses_lint_on_every_variant_and_on_a_spec() -> None:
    everything = run("clauses", "--lint")
    assert everything.exit_code == 0, everything.output
    assert "0 findings in every variant in clauses/variants.yaml" in everything.stderr
    one = run("clauses", str(EXAMPLE_SPEC), "--lint")
    assert one.exit_code == 0 and f"0 findings in the agreement of {EXAMPLE_SPEC}" in one.stderr


def test_clauses_without_a_spec_or_lint_is_a_usage_error() -> None:
    result = run("clauses")
    assert result.exit_code == 2 and "give a SPEC, or --lint" in result.output
