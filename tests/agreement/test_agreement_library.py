"""The clause library: files parse, errors name the clause file and line, conditions are explained."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import unadocs
from tests.agreement.conftest import library_with
from tests.conftest import EXAMPLE_SPEC, ROOT
from unadocs.agreement.document import plan_agreement
from unadocs.agreement.library import load_library


@pytest.fixture(scope="module")
def example() -> unadocs.Consortium:
    return unadocs.load_spec(EXAMPLE_SPEC)


def test_every_clause_file_parses_and_ids_are_unique() -> None:
    library = load_library(ROOT / "clauses")
    assert len(library.files) >= 60
    assert len({f.id for f in library.files}) == len(library.files)
    assert {f.annex for f in library.files if f.kind == "annex"} == {1, 2, 3, 4, 5, 6}


def test_every_clause_file_has_a_heading_and_variants_have_notes() -> None:
    for f in load_library(ROOT / "clauses").files:
        assert f.heading.strip()
        if f.group and f.kind == "part":
            assert f.condition, f"{f.path.name}: a variant needs a condition"


def test_a_clause_naming_a_missing_field_fails_with_file_and_line(tmp_path: Path,
                                                                  example: unadocs.Consortium) -> None:
    text = ("---\nid: broken\norder: 185\nheading: Broken\n---\nThe first line is fine.\n\n"
            "The fee is {{ finance.no_such_field }}.\n")
    library = load_library(library_with(tmp_path, "185-broken.md", text))
    with pytest.raises(unadocs.TemplateError, match=r"clause file 185-broken\.md, line 8: .*no_such_field"):
        plan_agreement(example, True, library)


def test_a_jinja_syntax_error_names_file_and_line(tmp_path: Path, example: unadocs.Consortium) -> None:
    text = "---\nid: broken\norder: 185\nheading: Broken\n---\nFine.\n\n{% if finance.model %}\nNo end.\n"
    library = load_library(library_with(tmp_path, "185-broken.md", text))
    with pytest.raises(unadocs.TemplateError, match=r"clause file 185-broken\.md, line \d+: .*endif"):
        plan_agreement(example, True, library)


def test_a_broken_condition_names_file_and_its_line(tmp_path: Path, example: unadocs.Consortium) -> None:
    text = "---\nid: broken\norder: 185\nheading: Broken\ncondition: finance.nothing.deeper\n---\nText.\n"
    library = load_library(library_with(tmp_path, "185-broken.md", text))
    with pytest.raises(unadocs.TemplateError, match=r"clause file 185-broken\.md, line 5: "):
        plan_agreement(example, True, library)


def test_printing_an_empty_field_is_an_error(tmp_path: Path, example: unadocs.Consortium) -> None:
    text = "---\nid: broken\norder: 185\nheading: Broken\n---\nRules: {{ law.arbitration_rules }}.\n"
    library = load_library(library_with(tmp_path, "185-broken.md", text))
    with pytest.raises(unadocs.TemplateError, match=r"185-broken\.md, line 6: .*empty"):
        plan_agreement(example, True, library)


def test_unknown_front_matter_field_is_an_error(tmp_path: Path) -> None:
    text = "---\nid: x\norder: 1\nheading: X\nconditon: true\n---\nText.\n"
    with pytest.raises(unadocs.TemplateError, match=r"185-typo\.md, line 5: unknown field 'conditon'"):
        load_library(library_with(tmp_path, "185-typo.md", text))


def test_duplicate_ids_are_an_error(tmp_path: Path) -> None:
    text = "---\nid: purpose\norder: 21\nheading: Again\n---\nText.\n"
    with pytest.raises(unadocs.TemplateError, match=r"'purpose' is already used"):
        load_library(library_with(tmp_path, "021-again.md", text))


def test_two_variants_that_both_apply_are_an_error(tmp_path: Path, example: unadocs.Consortium) -> None:
    text = ("---\nid: finance.also-centralised\nkind: part\npart_of: finance\ngroup: financial model\norder: 11\n"
            "heading: Also\ncondition: finance.model == \"centralised\"\n---\nText.\n")
    library = load_library(library_with(tmp_path, "071b-also.md", text))
    with pytest.raises(unadocs.TemplateError, match=r"071-finance-centralised\.md and 071b-also\.md are both"):
        plan_agreement(example, True, library)


def test_clause_markup_in_user_data_is_never_interpreted(tmp_path: Path, variant: Callable[..., Any]) -> None:
    consortium = variant({"law.venue": "**x** [[ref:law]] [#lbl] - (a) | y"})
    text = "---\nid: echo\norder: 185\nheading: Echo\n---\nValue: {{ law.venue }}.\n"
    plan = plan_agreement(consortium, True, load_library(library_with(tmp_path, "185-echo.md", text)))
    section = next(s for s in plan.sections if s.clause.id == "echo")
    (block,) = section.pieces[0].blocks
    assert block.kind == "clause2" and block.label is None
    assert [(s.text, s.bold, s.literal) for s in block.spans] == [
        ("Value: ", False, False), ("**x** [[ref:law]] [#lbl] - (a) | y", False, True), (".", False, False)]


def test_chosen_clauses_numbers_and_reasons(example: unadocs.Consortium) -> None:
    chosen = {c.id: c for c in unadocs.chosen_clauses(example)}
    assert chosen["definitions"].number == "1"
    assert chosen["finance.centralised"].number == "7.2\u20137.3"
    assert chosen["finance.centralised"].reason == 'finance.model == "centralised"'
    assert chosen["annex.accession-form"].number == "Annex 4"
    assert chosen["term.survival"].number == "14.9"  # a part spans its sub-clauses, not their items
    assert "finance.decentralised" not in chosen and "finance.mixed" not in chosen


def test_a_reference_must_say_what_it_cites_in_plain_words(tmp_path: Path, example: unadocs.Consortium) -> None:
    text = "---\nid: broken\norder: 185\nheading: Broken\n---\nSee {{ ref('law', 'a | b') }}.\n"
    library = load_library(library_with(tmp_path, "185-broken.md", text))
    with pytest.raises(unadocs.TemplateError, match=r"185-broken\.md, line 6: .*plain words"):
        plan_agreement(example, True, library)


@pytest.mark.parametrize(("phrase", "shown"), [("public university", "a public university"),
                                                ("independent foundation", "an independent foundation"),
                                                ("university with legal personality", "a university with"),
                                                ("établissement public", "an établissement public"),
                                                ("European research centre", "a European research centre")])
def test_a_legal_form_takes_the_right_article(phrase: str, shown: str) -> None:
    from unadocs.agreement.formatting import indefinite

    assert indefinite(phrase).startswith(shown)
