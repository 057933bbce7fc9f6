"""The agreements as LibreOffice renders them (one batched headless conversion, then pdftotext).

Checks what a reader sees: every clause heading, every party's official
name, the computed end date, a page number for every entry of the table of
contents (the page the heading is on), resolved cross-references and
literal hostile names. Every variant is converted too
(test_agreement_variants.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import unadocs
from tests.agreement.conftest import ELEVEN, HOSTILE, flat, hostile_spec, pdf_text, with_accession
from tests.conftest import EXAMPLE_SPEC

BROKEN_REFERENCE = ("Error!", "Reference source not found", "Error: Reference", "Annex .", "clause ?")


def _consortia(example_data: dict[str, Any]) -> dict[str, unadocs.Consortium]:
    return {
        "example": unadocs.load_spec(EXAMPLE_SPEC),
        "hostile": unadocs.load_spec(hostile_spec(example_data)),
        "eleven": unadocs.load_spec(ELEVEN),
        "accession": unadocs.load_spec(with_accession(example_data)),
    }


NAMES = ["example", "hostile", "eleven", "accession"]
_TOC_LINE = re.compile(r"^(?:(\d+)\s+)?(\S.*?)\s*\.{3,}\s*(\d+)\s*$")


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


@pytest.mark.parametrize("name", NAMES)
def test_the_contents_give_the_page_of_every_clause_and_annex(
    name: str, pdfs: dict[str, Path], example_data: dict[str, Any]
) -> None:
    """The table of contents in LibreOffice's PDF has a page number for every entry, and it is the page on which
    the heading is printed (the footer counts the cover as page 1)."""
    pages = pdf_text(pdfs[name]).split("\f")
    contents = next(i for i, page in enumerate(pages) if "CONTENTS" in page)
    entries = [m.groups() for line in pages[contents].splitlines() if (m := _TOC_LINE.match(line))]
    chosen = [c for c in unadocs.chosen_clauses(_consortia(example_data)[name]) if c.kind in ("clause", "annex")]
    assert [(number, title) for number, title, _ in entries] == [
        (c.number, c.heading) if c.kind == "clause" else (None, f"{c.number} \u2014 {c.heading}") for c in chosen]
    for number, title, page in entries:
        shown = f"{number} {title.upper()}" if number else title
        index = int(page) - 1
        lines = [" ".join(line.split()) for line in pages[index].splitlines()]
        assert index != contents and any(line.startswith(shown) for line in lines), (shown, page)
        assert f"Page {page} of " in pages[index]


@pytest.mark.parametrize("name", NAMES + ["example-final", "example-inline", "accession-form", "accession-blank"])
def test_cross_references_resolve(name: str, pdf_texts: dict[str, str]) -> None:
    for broken in BROKEN_REFERENCE:
        assert broken not in pdf_texts[name]


def test_cross_reference_numbers_as_printed(pdf_texts: dict[str, str]) -> None:
    text = flat(pdf_texts["example"])
    assert "vote on a decision under clause 3.6(b) or 3.6(d) that concerns it" in text
    assert "in the table in clause 4.3;" in text
    assert "the Una Europa reference under clause 8.3." in text
    assert "(d) clause 10.4 (the register of Certificates and their verification);" in text
    assert "signs this Accession Form on behalf of all Parties under clause 13.3 of the Agreement" in text


def test_hostile_names_are_printed_literally(pdf_texts: dict[str, str]) -> None:
    text = flat(pdf_texts["hostile"])
    assert f"Signed for and on behalf of {HOSTILE}" in text
    assert "Title & <b>{{ z }}</b>" in text
    assert "REF-<&>-{{ y }} Consortium Agreement" in pdf_texts["hostile"]


def test_draft_and_final_as_printed(pdf_texts: dict[str, str]) -> None:
    assert "[Drafting note:" in pdf_texts["example-inline"]
    assert "Drafting note" not in pdf_texts["example"]  # Word comments, which a PDF leaves out
    assert "Drafting note" not in pdf_texts["example-final"]
    assert "Page 1 of " in pdf_texts["example"]
    assert "UNA-MC-SUST-2025 Consortium Agreement \u2014 version 0.3 \u2014 15 May 2025" in pdf_texts["example"]


def test_acceding_partner_signs_no_page_and_is_listed_in_annex_5(pdf_texts: dict[str, str]) -> None:
    text = flat(pdf_texts["accession"])
    assert "Signed for and on behalf of KU Leuven" not in text
    assert text.count("Signed for and on behalf of") == 3
    annex5 = text[text.rindex("Annex 5 \u2014 Acceded and acceding Parties"):]
    assert "The following accessions are planned" in annex5 and "KU Leuven" in annex5


def test_accession_form_as_printed(pdf_texts: dict[str, str]) -> None:
    text = flat(pdf_texts["accession-form"])
    assert "Accession Form" in text
    assert "KU Leuven" in text and "with effect from 1 September 2026" in text
    assert "under clause 13.5 of the Agreement" in text and "under clause 13.3 of the Agreement" in text
    blank = flat(pdf_texts["accession-blank"])
    assert "[official name of the Acceding Party]" in blank and "[effective date" in blank
