"""Every variant of every option: chosen by a spec, its wording present, the other variants' wording absent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import unadocs
from tests.agreement.conftest import VARIANTS, docx_text

CASES = [(option, name) for option, variants in VARIANTS.items() for name in variants]


@pytest.mark.parametrize(("option", "name"), CASES, ids=[f"{o}: {n}" for o, n in CASES])
def test_each_variant_has_its_wording_not_the_others_and_is_explained(
    option: str, name: str, variant: Callable[[dict[str, Any]], unadocs.Consortium]
) -> None:
    changes, wording = VARIANTS[option][name]
    consortium = variant(changes)
    text = " ".join(docx_text(unadocs.build_agreement(consortium)).split())
    assert wording in text
    for other, (_, other_wording) in VARIANTS[option].items():
        if other != name and other_wording not in wording:
            assert other_wording not in text, f"{option}: {other!r} wording leaked into {name!r}"
    # `unadocs clauses` says why: the condition that held, with the value the spec gave
    reasons = [c.reason for c in unadocs.chosen_clauses(consortium)]
    for path, value in changes.items():
        if isinstance(value, str) and path not in ("law.venue", "law.arbitration_rules", "law.applicable"):
            assert any(f"{path} = {value}" in r for r in reasons), (path, reasons)


def test_decentralised_without_shares_shares_no_revenue(variant: Callable[..., unadocs.Consortium]) -> None:
    c = variant({"finance.model": "decentralised", "finance.collecting_partner": None, "finance.revenue_shares": None})
    text = docx_text(unadocs.build_agreement(c, final=True))  # final: no drafting notes, which name the term
    assert "No revenue is shared and no payment is due between the Parties" in text
    assert "Collecting Partner" not in text
    assert "Net Revenue" not in text


def test_centralised_without_shares_distributes_nothing(variant: Callable[..., unadocs.Consortium]) -> None:
    text = docx_text(unadocs.build_agreement(variant({"finance.revenue_shares": None}), final=True))
    assert "uses the remainder for the Micro-credential" in text
    assert "No revenue is distributed to the Parties" in text
    assert "Net Revenue" not in text and "pays each Party its share" not in text


def test_mixed_without_shares_reinvests(variant: Callable[..., unadocs.Consortium]) -> None:
    text = docx_text(unadocs.build_agreement(variant({"finance.model": "mixed", "finance.revenue_shares": None})))
    assert "reinvests the fees for the joint activities" in text
    assert "distributes the resulting Net Revenue" not in text


def test_creative_commons_licence_is_named_with_its_url(variant: Callable[..., unadocs.Consortium]) -> None:
    c = variant({"intellectual_property.teaching_materials.licence": "CC-BY-SA-4.0"})
    text = docx_text(unadocs.build_agreement(c))
    assert "Creative Commons Attribution-ShareAlike 4.0 International licence (CC-BY-SA-4.0)" in text
    assert "https://creativecommons.org/licenses/by-sa/4.0/legalcode" in text


def test_data_protection_reference_names_the_agreement(variant: Callable[..., unadocs.Consortium]) -> None:
    c = variant({"data_protection.mode": "reference", "data_protection.reference": "Alliance DPA of 1 May 2024"})
    text = docx_text(unadocs.build_agreement(c))
    assert "governed by the Alliance DPA of 1 May 2024, which is incorporated" in text
    assert "within forty-eight (48) hours" not in text  # the full terms are left to that agreement


@pytest.mark.parametrize("roles", ["joint-controllers", "controller-processor", "independent-controllers"])
def test_full_data_protection_covers_categories_purposes_retention_security_breach_and_rights(
    roles: str, variant: Callable[..., unadocs.Consortium]
) -> None:
    text = docx_text(unadocs.build_agreement(variant({"data_protection.mode": "full", "data_protection.roles": roles})))
    for wording in ("identification and contact data", "processed only to admit, teach, assess",
                    "kept no longer than needed", "Article 32 of the GDPR", "within forty-eight (48) hours",
                    "rights of access, rectification, erasure"):
        assert wording in text


def test_no_disclaimer_and_no_reference(variant: Callable[..., unadocs.Consortium]) -> None:
    c = variant({"branding.una_europa_reference": False, "branding.disclaimer": None})
    text = docx_text(unadocs.build_agreement(c))
    assert "do not carry the name or logo of Una Europa." in text
    assert "following statement" not in text
    assert "Una Europa reference under clause" not in text


def test_meetings_once_a_year(variant: Callable[..., unadocs.Consortium]) -> None:
    text = docx_text(unadocs.build_agreement(variant({"governance.meetings_per_year": 1})))
    assert "meets at least once a year" in text


def test_without_a_responsibilities_table_the_committee_allocates_tasks(
    variant: Callable[..., unadocs.Consortium]
) -> None:
    text = docx_text(unadocs.build_agreement(variant({"governance.responsibilities": {}})))
    assert "allocated to it in this Agreement and by the Management Committee under clause 4.3;" in text
    assert "The Management Committee allocates the tasks" in text
    assert "in the table in clause" not in text


def test_without_accession_no_acceding_party_is_mentioned(variant: Callable[..., unadocs.Consortium]) -> None:
    text = docx_text(unadocs.build_agreement(variant({"accession.enabled": False}), final=True))
    assert "Acceding Party" not in text
    assert "does not provide for accession" in text  # Annex 4


@pytest.mark.parametrize(("supervision", "shown"), [
    ("unsupervised-no-identity-check", "Unsupervised, without identity verification"),
    ("supervised-online-identity-check", "Supervised online, with identity verification"),
])
def test_optional_elements_read_as_words(supervision: str, shown: str,
                                         variant: Callable[..., unadocs.Consortium]) -> None:
    text = docx_text(unadocs.build_agreement(variant({"credential.supervision": supervision,
                                                      "credential.participation": "blended"})))
    assert shown in text
    assert "The form of participation is blended, and the language of instruction is English." in text
