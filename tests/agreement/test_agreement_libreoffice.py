"""The agreements as LibreOffice renders them (one batched headless conversion, then pdftotext).

Checks what a reader sees: every clause heading, every party's official
name, the computed end date, the chosen variant wording, resolved
cross-references and literal hostile names.
"""

from __future__ import annotations

from typing import Any

import pytest

import unadocs
from tests.agreement.conftest import (
    ELEVEN, HOSTILE, VARIANTS, apply_changes, combination, combination_changes, flat, hostile_spec, with_accession,
)
from tests.conftest import EXAMPLE_SPEC

BROKEN_REFERENCE = ("Error!", "Reference source not found", "Error: Reference")


def _consortia(example_data: dict[str, Any]) -> dict[str, unadocs.Consortium]:
    out = {
        "example": unadocs.load_spec(EXAMPLE_SPEC),
        "hostile": unadocs.load_spec(hostile_spec(example_data)),
        "eleven": unadocs.load_spec(ELEVEN),
        "accession": unadocs.load_spec(with_accession(example_data)),
    }
    for pick in (1, 2, 3):
        out[f"variants-{pick}"] = unadocs.load_spec(apply_changes(example_data, combination_changes(pick)))
    return out


NAMES = ["example", "hostile", "eleven", "accession", "variants-1", "variants-2", "variants-3"]


@pytest.mark.parametrize("name", NAMES)
def test_every_heading_party_and_the_end_date_are_printed(
    name: str, pdf_texts: dict[str, str], example_data: dict[str, Any]
) -> None:
    consortium = _consortia(example_data)[name]
    text = flat(pdf_texts[name])
    for clause in unadocs.chosen_clauses(consortium):
        if clause.kind == "clause":
            assert f"{clause.number} {clause.heading.upper()}" in text, clause.heading
        elif clause.kind == "annex":
            assert f"{clause.number} \u2014 {clause.heading}" in text
    for party in consortium.partners:
        assert party.name in text
    assert f"End Date\" means {consortium.term.end.day} " in text
    assert "31 August 2029" in text


@pytest.mark.parametrize("name", NAMES + ["example-final", "accession-form"])
def test_cross_references_resolve(name: str, pdf_texts: dict[str, str]) -> None:
    for broken in BROKEN_REFERENCE:
        assert broken not in pdf_texts[name]


def test_cross_reference_numbers_as_printed(pdf_texts: dict[str, str]) -> None:
    text = flat(pdf_texts["example"])
    assert "vote on a decision under clause 3.6(b) or (d) that concerns it" in text
    assert "in the table in clause 4.3;" in text
    assert "the Una Europa reference under clause 8.3." in text
    assert "Clause 11, clause 12, clause 15, clause 16 and clause 17, and clause 14.6 survive" in text.replace(
        "clause 11,", "Clause 11,", 1)


@pytest.mark.parametrize("name", ["variants-1", "variants-2", "variants-3"])
def test_variant_wording_as_printed(name: str, pdf_texts: dict[str, str]) -> None:
    text = flat(pdf_texts[name])
    for option, chosen_name in combination(int(name[-1])).items():
        wording = VARIANTS[option][chosen_name][1]
        assert wording in text, f"{option}: {chosen_name}"
        for other, (_, other_wording) in VARIANTS[option].items():
            if other != chosen_name and other_wording not in wording:
                assert other_wording not in text, f"{option}: {other} printed in {name}"


def test_example_variant_wording_as_printed(pdf_texts: dict[str, str]) -> None:
    text = flat(pdf_texts["example"])
    for option, variants in VARIANTS.items():
        chosen_name, (_, wording) = next(iter(variants.items()))
        if option == "licence":  # the example licenses CC-BY-NC-SA-4.0
            wording = "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International licence (CC-BY-NC-SA-4.0)"
        assert wording in text, f"{option}: {chosen_name}"


def test_hostile_names_are_printed_literally(pdf_texts: dict[str, str]) -> None:
    text = flat(pdf_texts["hostile"])
    assert f"Signed for and on behalf of {HOSTILE}" in text
    assert "Title & <b>{{ z }}</b>" in text
    assert "REF-<&>-{{ y }} Consortium Agreement" in pdf_texts["hostile"]


def test_draft_and_final_as_printed(pdf_texts: dict[str, str]) -> None:
    assert "[Drafting note:" in pdf_texts["example"]
    assert "Drafting note" not in pdf_texts["example-final"]
    assert "Page 1 of " in pdf_texts["example"]
    assert "UNA-MC-SUST-2025 Consortium Agreement \u2014 version 0.3 \u2014 15 May 2025" in pdf_texts["example"]


def test_acceded_partner_signs_no_page_and_is_listed_in_annex_5(pdf_texts: dict[str, str]) -> None:
    text = flat(pdf_texts["accession"])
    assert "Signed for and on behalf of KU Leuven" not in text
    assert text.count("Signed for and on behalf of") == 3
    annex5 = text[text.rindex("Annex 5 \u2014 Acceded partners"):]
    assert "KU Leuven" in annex5


def test_accession_form_as_printed(pdf_texts: dict[str, str]) -> None:
    text = flat(pdf_texts["accession-form"])
    assert "Accession Form" in text
    assert "KU Leuven" in text and "with effect from 1 September 2026" in text
    assert "under clause 13.4 of the Agreement" in text
