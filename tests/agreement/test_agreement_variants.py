"""Every variant of every option (clauses/variants.yaml): chosen by a spec, its wording present, the other
variants' wording absent, the choice explained, the drafting lint clean, and LibreOffice's PDF whole."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import unadocs
from tests.agreement.conftest import OPTIONS, VARIANTS, build, flat, one_line
from tests.conftest import EXAMPLE_SPEC
from unadocs.agreement import lint_library
from unadocs.agreement.variants import Variant

BROKEN_REFERENCE = ("Error!", "Reference source not found", "Error: Reference", "Annex .", "clause ?")


@pytest.mark.parametrize("v", VARIANTS, ids=[v.name for v in VARIANTS])
def test_each_variant_has_its_wording_not_the_others_and_is_explained(
    v: Variant, variant: Callable[[dict[str, Any]], unadocs.Consortium]
) -> None:
    consortium = variant(dict(v.changes))
    text = one_line(build(consortium, final=True))
    if v.wording:
        assert v.wording in text
    for other in OPTIONS[v.option] if v.exclusive else ():
        if other is not v and other.wording and other.wording not in (v.wording or ""):
            assert other.wording not in text, f"{other.name!r} wording leaked into {v.name!r}"
    # `unadocs clauses` says why: a condition that tests a changed field shows the value the spec gave
    reasons = " ".join(c.reason for c in unadocs.chosen_clauses(consortium))
    for path, value in v.changes.items():
        if isinstance(value, str) and f"{path} " in reasons:
            assert f"{path}: {value}" in reasons or f'{path} == "{value}"' in reasons, (path, reasons)


def test_the_variants_select_every_clause_file_and_the_lint_finds_nothing(example_data: dict[str, Any]) -> None:
    assert lint_library(example_data) == []


@pytest.mark.parametrize("v", VARIANTS, ids=[v.name for v in VARIANTS])
def test_each_variant_as_libreoffice_prints_it(v: Variant, variant_pdfs: dict[str, str]) -> None:
    text = flat(variant_pdfs[v.name])
    for broken in BROKEN_REFERENCE:
        assert broken not in text, broken
    assert "[Drafting note:" in text  # drafts: the notes were inline for this conversion
    if v.wording:
        assert " ".join(v.wording.split()) in text


def test_decentralised_without_shares_shares_no_revenue(variant: Callable[..., unadocs.Consortium]) -> None:
    c = variant({"finance.model": "decentralised", "finance.collecting_partner": None, "finance.revenue_shares": None})
    text = one_line(build(c, final=True))  # final: no drafting notes, which name the term
    assert "No revenue is shared and no payment is due between the Parties" in text
    assert "Collecting Party" not in text and "Collecting Partner" not in text
    assert "Net Revenue" not in text


def test_centralised_without_shares_distributes_nothing(variant: Callable[..., unadocs.Consortium]) -> None:
    text = one_line(build(variant({"finance.revenue_shares": None}), final=True))
    assert "uses the fees received for the Micro-credential in the following Editions" in text
    assert "No revenue is distributed to the Parties" in text
    assert "Net Revenue" not in text and "pays each Party its share" not in text


def test_mixed_without_shares_reinvests(variant: Callable[..., unadocs.Consortium]) -> None:
    text = one_line(build(variant({
        "finance.model": "mixed", "finance.revenue_shares": None, "finance.joint_activities": ["the joint module"],
        "finance.fees.1.joint_part": "100 EUR"})))
    assert "reinvests the fees for the joint activities" in text
    assert "distributes the resulting Net Revenue" not in text


def test_creative_commons_licence_is_named_with_its_url(variant: Callable[..., unadocs.Consortium]) -> None:
    c = variant({"intellectual_property.teaching_materials.licence": "CC-BY-SA-4.0"})
    text = one_line(build(c))
    assert "Creative Commons Attribution-ShareAlike 4.0 International licence (CC-BY-SA-4.0)" in text
    assert "https://creativecommons.org/licenses/by-sa/4.0/legalcode" in text


def test_data_protection_reference_names_the_agreement(variant: Callable[..., unadocs.Consortium]) -> None:
    c = variant({"data_protection.mode": "reference", "data_protection.reference": "Alliance DPA of 1 May 2024"})
    text = one_line(build(c))
    assert "governed by the Alliance DPA of 1 May 2024, which is incorporated" in text
    assert "within forty-eight (48) hours" not in text  # the full terms are left to that agreement


@pytest.mark.parametrize("roles", ["joint-controllers", "controller-processor", "independent-controllers"])
def test_full_data_protection_covers_categories_purposes_retention_security_breach_and_rights(
    roles: str, variant: Callable[..., unadocs.Consortium]
) -> None:
    text = one_line(build(variant({"data_protection.mode": "full", "data_protection.roles": roles})))
    for wording in ("identification and contact data", "processed only to admit, teach, assess",
                    "kept no longer than needed", "Article 32 of the GDPR", "within forty-eight (48) hours",
                    "rights of access, rectification, erasure"):
        assert wording in text


def test_meetings_once_a_year(variant: Callable[..., unadocs.Consortium]) -> None:
    assert "meets at least once a year" in one_line(build(variant({"governance.meetings_per_year": 1})))


def test_without_accession_no_acceding_party_is_mentioned(variant: Callable[..., unadocs.Consortium]) -> None:
    text = one_line(build(variant({"accession.enabled": False}), final=True))
    assert "Acceding Party" not in text
    assert text.count("Accession Form") == 2  # the heading of Annex 4, in the table of contents and above it
    assert "Annex 4 \u2014 Accession Form This Agreement does not provide for accession" in text


@pytest.mark.parametrize(("supervision", "shown"), [
    ("unsupervised-no-identity-check", "Unsupervised, without identity verification"),
    ("supervised-online-identity-check", "Supervised online, with identity verification"),
])
def test_optional_elements_read_as_words(supervision: str, shown: str,
                                         variant: Callable[..., unadocs.Consortium]) -> None:
    text = one_line(build(variant({"credential.supervision": supervision, "credential.participation": "blended"})))
    assert shown in text
    assert "The form of participation is blended, and the language of instruction is English." in text


def test_example_is_the_first_variant_of_every_option() -> None:
    example = unadocs.load_spec(EXAMPLE_SPEC)
    text = one_line(build(example, final=True))
    for option, variants in OPTIONS.items():
        first = variants[0]
        if first.exclusive and first.wording:
            assert first.wording in text, option
