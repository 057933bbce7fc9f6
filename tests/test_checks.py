"""Advisories: every code fires on a spec that departs from the framework, and
stays silent on a near miss. Advisories never make a spec invalid."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from unadocs import Advisory, load_spec
from unadocs.checks import advisories as advisories_of

Spec = dict[str, Any]

#: Every advisory code unadocs knows; each one has a trigger and a near miss below.
ALL_CODES = {
    "madrid-ects", "leiden-ects", "leiden-ects-preferred", "zurich-ects", "dublin-ects",
    "edinburgh-course-size", "berlin-course-size", "leuven-course-size", "helsinki-fee-cap", "leuven-fee-cap",
    "language-level", "single-language", "stackable-without-target", "bip-minimum-ects",
    "no-derivatives-licence", "issuer-not-lead", "draft-specimens", "applicable-law", "paris-arbitration",
    "party-details-missing", "teaching-without-course", "party-without-task", "recognition-missing",
    "common-costs-not-listed", "lower-case-party",
}


def advisories(data: Spec) -> dict[str, list[Advisory]]:
    """The advisories of a spec (which must be valid), by code."""
    found: dict[str, list[Advisory]] = {}
    for advisory in advisories_of(load_spec(data)):
        found.setdefault(advisory.code, []).append(advisory)
    return found


def the_advisory(data: Spec, code: str) -> Advisory:
    found = advisories(data).get(code, [])
    assert len(found) == 1, f"expected one {code} advisory, got {found}"
    return found[0]


def add_member(data: Spec, partner_id: str, code: str) -> None:
    data["partners"].append({
        "id": partner_id,
        "member": code,
        "coordinator": {"name": f"Coordinator {partner_id}", "email": f"mc@{code}.example.eu"},
        "signatory": {"name": f"Rector {partner_id}", "title": "Rector"},
    })


def add_course(data: Spec, provider: str, ects: float | str) -> int:
    """Add an elective course; returns its index."""
    courses = data["credential"]["courses"]
    courses.append({"title": f"Elective by {provider}", "ects": ects, "provider": provider})
    return len(courses) - 1


def set_total_ects(data: Spec, total: float | str) -> None:
    """Award ``total`` ECTS, adding an elective (by UH) or dropping the mandatory flag so the spec stays valid."""
    credential = data["credential"]
    credential["ects"] = total
    offered = sum(Decimal(str(c["ects"])) for c in credential["courses"])
    if Decimal(str(total)) > offered:
        add_course(data, "UH", str(Decimal(str(total)) - offered))
    if Decimal(str(total)) < 3:
        credential["courses"][0]["mandatory"] = False


# -- members' credit limits (framework §2.2) -----------------------------------------

ECTS_RULES = [
    # code, member, total that triggers, total just inside
    ("madrid-ects", "madrid", "15", "14.5"),
    ("madrid-ects", "madrid", "20", "14"),
    ("leiden-ects", "leiden", "2.5", "3"),
    ("leiden-ects", "leiden", "31", "30"),
    ("leiden-ects-preferred", "leiden", "16", "15"),
    ("zurich-ects", "zurich", "9.5", "9"),
    ("dublin-ects", "dublin", "0.5", "1"),
    ("dublin-ects", "dublin", "31", "30"),
]


@pytest.mark.parametrize(("code", "member", "total", "near_miss"), ECTS_RULES)
def test_member_credit_limit_is_advised_when_the_total_is_outside(code: str, member: str, total: str,
                                                                  near_miss: str, spec_data: Spec) -> None:
    add_member(spec_data, "NEW", member)
    set_total_ects(spec_data, total)
    advisory = the_advisory(spec_data, code)
    assert (advisory.path, advisory.section) == ("credential.ects", "2.2")
    assert "(NEW)" in advisory.message and total in advisory.message


@pytest.mark.parametrize(("code", "member", "total", "near_miss"), ECTS_RULES)
def test_member_credit_limit_is_silent_just_inside(code: str, member: str, total: str, near_miss: str,
                                                   spec_data: Spec) -> None:
    add_member(spec_data, "NEW", member)
    set_total_ects(spec_data, near_miss)
    assert code not in advisories(spec_data)


@pytest.mark.parametrize(("code", "member", "total"), [(c, m, t) for c, m, t, _ in ECTS_RULES])
def test_credit_limit_of_a_member_that_is_not_a_partner_does_not_apply(code: str, member: str, total: str,
                                                                       spec_data: Spec) -> None:
    set_total_ects(spec_data, total)
    assert code not in advisories(spec_data)


def test_leiden_range_outside_is_not_also_reported_as_a_preference(spec_data: Spec) -> None:
    add_member(spec_data, "UL", "leiden")
    set_total_ects(spec_data, 31)
    assert "leiden-ects" in advisories(spec_data)
    assert "leiden-ects-preferred" not in advisories(spec_data)


# -- course sizes for stackable credentials (framework §3.2.6) ---------------------------

COURSE_RULES = [
    # code, member, course ECTS that triggers, course ECTS that does not
    ("edinburgh-course-size", "edinburgh", "3", "10"),
    ("edinburgh-course-size", "edinburgh", "7.5", "5"),
    ("berlin-course-size", "berlin", "7.5", "5"),
    ("berlin-course-size", "berlin", "20", "15"),
    ("leuven-course-size", "leuven", "2.5", "3"),
]


@pytest.mark.parametrize(("code", "member", "size", "near_miss"), COURSE_RULES)
def test_course_size_rule_is_advised_for_a_course_the_member_provides(code: str, member: str, size: str,
                                                                      near_miss: str, spec_data: Spec) -> None:
    add_member(spec_data, "NEW", member)
    index = add_course(spec_data, "NEW", size)
    advisory = the_advisory(spec_data, code)
    assert (advisory.path, advisory.section) == (f"credential.courses[{index}].ects", "3.2.6")
    assert "provided by NEW" in advisory.message


@pytest.mark.parametrize(("code", "member", "size", "near_miss"), COURSE_RULES)
def test_course_size_rule_is_silent_for_an_allowed_size(code: str, member: str, size: str, near_miss: str,
                                                        spec_data: Spec) -> None:
    add_member(spec_data, "NEW", member)
    add_course(spec_data, "NEW", near_miss)
    assert code not in advisories(spec_data)


@pytest.mark.parametrize(("code", "member", "size"), [(c, m, s) for c, m, s, _ in COURSE_RULES])
def test_course_size_rule_is_silent_for_a_standalone_credential(code: str, member: str, size: str,
                                                                spec_data: Spec) -> None:
    spec_data["credential"]["stackability"] = {"mode": "standalone"}
    add_member(spec_data, "NEW", member)
    add_course(spec_data, "NEW", size)
    assert code not in advisories(spec_data)


@pytest.mark.parametrize(("code", "member", "size"), [(c, m, s) for c, m, s, _ in COURSE_RULES])
def test_course_size_rule_is_silent_for_courses_other_partners_provide(code: str, member: str, size: str,
                                                                       spec_data: Spec) -> None:
    add_member(spec_data, "NEW", member)
    add_course(spec_data, "UNIBO", size)
    assert code not in advisories(spec_data)


# -- fee caps per ECTS (framework §3.4.2) ---------------------------------------------

def test_helsinki_fee_cap_is_advised_above_45_eur_per_ects(spec_data: Spec, write_spec: Callable[[Spec], Path]
                                                          ) -> None:
    spec_data["finance"]["fees"][1]["amount"] = "460 EUR"  # 46 EUR/ECTS for 10 ECTS
    advisory = the_advisory(spec_data, "helsinki-fee-cap")
    assert (advisory.path, advisory.section) == ("finance.fees[1].amount", "3.4.2")
    assert "46.00 EUR/ECTS" in advisory.message and "45.00 EUR/ECTS" in advisory.message
    spec = write_spec(spec_data)
    [from_file] = [a for a in advisories_of(load_spec(spec)) if a.code == "helsinki-fee-cap"]
    lines = spec.read_text(encoding="utf-8").splitlines()
    assert from_file.line == lines.index("    amount: 460 EUR") + 1


@pytest.mark.parametrize("amount", ["450 EUR", "9999 CHF"])
def test_helsinki_fee_cap_is_silent_at_the_cap_or_in_another_currency(amount: str, spec_data: Spec) -> None:
    spec_data["finance"]["fees"][1]["amount"] = amount
    assert "helsinki-fee-cap" not in advisories(spec_data)


def test_helsinki_fee_cap_is_silent_when_helsinki_provides_no_course(spec_data: Spec) -> None:
    for course in spec_data["credential"]["courses"]:
        if course["provider"] == "UH":
            course["provider"] = "UNIBO"
    spec_data["finance"]["fees"][1]["amount"] = "900 EUR"
    assert "helsinki-fee-cap" not in advisories(spec_data)


def test_leuven_fee_cap_is_advised_above_12_10_eur_per_ects(spec_data: Spec) -> None:
    add_member(spec_data, "KUL", "leuven")
    add_course(spec_data, "KUL", 5)
    spec_data["finance"]["fees"][1]["amount"] = "122 EUR"  # 12.20 EUR/ECTS for 10 ECTS
    advisory = the_advisory(spec_data, "leuven-fee-cap")
    assert (advisory.path, advisory.section) == ("finance.fees[1].amount", "3.4.2")
    assert "12.20 EUR/ECTS" in advisory.message and "12.10 EUR/ECTS" in advisory.message


def test_leuven_fee_cap_is_silent_at_the_cap(spec_data: Spec) -> None:
    add_member(spec_data, "KUL", "leuven")
    add_course(spec_data, "KUL", 5)
    spec_data["finance"]["fees"][1]["amount"] = "121 EUR"  # exactly 12.10 EUR/ECTS
    assert "leuven-fee-cap" not in advisories(spec_data)


def test_leuven_fee_cap_is_silent_when_leuven_provides_no_course(spec_data: Spec) -> None:
    add_member(spec_data, "KUL", "leuven")
    spec_data["finance"]["fees"][1]["amount"] = "122 EUR"
    assert "leuven-fee-cap" not in advisories(spec_data)


# -- the framework's recommendations ------------------------------------------------------

@pytest.mark.parametrize("level", ["A1", "A2"])
def test_language_level_below_b1_is_advised(level: str, spec_data: Spec) -> None:
    spec_data["credential"]["language_level"] = level
    advisory = the_advisory(spec_data, "language-level")
    assert (advisory.path, advisory.section) == ("credential.language_level", "3.2.8")
    assert "B1" in advisory.message


@pytest.mark.parametrize("level", ["B1", "C2", None])
def test_language_level_b1_or_above_or_unset_is_not_advised(level: str | None, spec_data: Spec) -> None:
    spec_data["credential"]["language_level"] = level
    assert "language-level" not in advisories(spec_data)


def test_single_language_of_instruction_is_advised(spec_data: Spec) -> None:
    advisory = the_advisory(spec_data, "single-language")  # the reference spec is taught in English only
    assert (advisory.path, advisory.section) == ("credential.languages", "3.2.8")
    assert "subtitles" in advisory.message


def test_two_languages_of_instruction_are_not_advised(spec_data: Spec) -> None:
    spec_data["credential"]["languages"] = ["en", "fi"]
    assert "single-language" not in advisories(spec_data)


def test_an_elective_in_another_language_is_not_advised(spec_data: Spec) -> None:
    spec_data["credential"]["courses"][4]["language"] = "it"
    assert "single-language" not in advisories(spec_data)


def test_stackable_towards_nothing_is_advised(spec_data: Spec) -> None:
    spec_data["credential"]["stackability"]["towards"] = []
    advisory = the_advisory(spec_data, "stackable-without-target")
    assert (advisory.path, advisory.section) == ("credential.stackability.towards", "3.2.6")


def test_standalone_towards_nothing_is_not_advised(spec_data: Spec) -> None:
    spec_data["credential"]["stackability"] = {"mode": "standalone"}
    assert "stackable-without-target" not in advisories(spec_data)


def test_stackable_towards_a_programme_is_not_advised(spec_data: Spec) -> None:
    assert "stackable-without-target" not in advisories(spec_data)


@pytest.mark.parametrize("participation", ["blended", "hybrid"])
def test_blended_or_hybrid_under_3_ects_is_advised(participation: str, spec_data: Spec) -> None:
    spec_data["credential"]["participation"] = participation
    set_total_ects(spec_data, "2.5")
    advisory = the_advisory(spec_data, "bip-minimum-ects")
    assert (advisory.path, advisory.section) == ("credential.ects", "3.4.2")
    assert "at least 3 ECTS" in advisory.message


@pytest.mark.parametrize(("participation", "total"), [("blended", "3"), ("hybrid", "10"), ("online", "2"),
                                                      ("on-site", "2")])
def test_bip_minimum_is_silent_from_3_ects_or_for_online_and_on_site(participation: str, total: str,
                                                                     spec_data: Spec) -> None:
    spec_data["credential"]["participation"] = participation
    set_total_ects(spec_data, total)
    assert "bip-minimum-ects" not in advisories(spec_data)


@pytest.mark.parametrize("licence", ["CC-BY-ND-4.0", "CC-BY-NC-ND-4.0", "CC-BY-ND-3.0"])
def test_no_derivatives_licence_is_advised(licence: str, spec_data: Spec) -> None:
    spec_data["intellectual_property"]["teaching_materials"]["licence"] = licence
    advisory = the_advisory(spec_data, "no-derivatives-licence")
    assert (advisory.path, advisory.section) == ("intellectual_property.teaching_materials.licence", "3.4.2")
    assert licence in advisory.message


@pytest.mark.parametrize("licence", ["CC-BY-NC-SA-4.0", "CC-BY-4.0", "CC0-1.0", "non-exclusive-royalty-free"])
def test_licence_allowing_adaptations_is_not_advised(licence: str, spec_data: Spec) -> None:
    spec_data["intellectual_property"]["teaching_materials"]["licence"] = licence
    assert "no-derivatives-licence" not in advisories(spec_data)


def test_certificate_issuer_other_than_the_lead_is_advised(spec_data: Spec) -> None:
    spec_data["certificate"]["issuer"] = "UNIBO"
    advisory = the_advisory(spec_data, "issuer-not-lead")
    assert (advisory.path, advisory.section) == ("certificate.issuer", "3.3.3")
    assert "UNIBO" in advisory.message and "UH" in advisory.message


def test_lead_as_certificate_issuer_is_not_advised(spec_data: Spec) -> None:
    assert "issuer-not-lead" not in advisories(spec_data)


def test_draft_agreement_is_advised_that_certificates_are_specimens(spec_data: Spec) -> None:
    advisory = the_advisory(spec_data, "draft-specimens")
    assert (advisory.path, advisory.section) == ("agreement.status", "3.1")
    assert "SPECIMENS" in advisory.message


@pytest.mark.parametrize("status", ["approved", "signed"])
def test_approved_or_signed_agreement_is_not_advised(status: str, spec_data: Spec) -> None:
    spec_data["agreement"]["status"] = status
    assert "draft-specimens" not in advisories(spec_data)


@pytest.mark.parametrize("country", ["DE", "US"])
def test_law_of_a_country_without_a_partner_is_advised(country: str, spec_data: Spec) -> None:
    spec_data["law"]["applicable"] = country
    advisory = the_advisory(spec_data, "applicable-law")
    assert (advisory.path, advisory.section) == ("law.applicable", "5")
    assert country in advisory.message


@pytest.mark.parametrize("country", ["BE", "FI", "IT", "pl"])
def test_belgian_law_or_a_partners_law_is_not_advised(country: str, spec_data: Spec) -> None:
    spec_data["law"]["applicable"] = country
    assert "applicable-law" not in advisories(spec_data)


def test_scots_law_is_a_partners_law_when_edinburgh_is_a_partner(spec_data: Spec) -> None:
    spec_data["law"]["applicable"] = "GB-SCT"
    assert "applicable-law" in advisories(spec_data)
    add_member(spec_data, "UOE", "edinburgh")
    assert "applicable-law" not in advisories(spec_data)


# -- what the agreement needs from the spec -------------------------------------------------


def complete(data: Spec) -> Spec:
    """The reference spec with every detail the agreement needs, so that only the change under test advises."""
    for i, partner in enumerate(data["partners"]):
        partner.update(legal_form="public university", address=f"Street {i}, City",
                       identifier={"scheme": "VAT number", "value": f"XX{i:09d}"})
    data["governance"]["management_committee"] = "one representative per Party"
    data["finance"]["costs"] = "Each Party bears the cost of its own modules."
    data["finance"]["common_costs"] = ["joint student administration"]
    data["intellectual_property"]["third_party_content"] = "each Party clears the rights in what it contributes"
    return data


def move_courses(data: Spec, provider: str, to: str) -> None:
    """Give the courses of one provider to another."""
    for course in data["credential"]["courses"]:
        if course["provider"] == provider:
            course["provider"] = to


def test_a_complete_spec_has_no_drafting_advisory(spec_data: Spec) -> None:
    found = advisories(complete(spec_data))
    assert set(found) == {"single-language", "draft-specimens"}


@pytest.mark.parametrize("missing", ["legal_form", "address", "identifier"])
def test_a_party_without_its_legal_details_is_advised(missing: str, spec_data: Spec,
                                                      write_spec: Callable[[Spec], Path]) -> None:
    complete(spec_data)
    del spec_data["partners"][1][missing]
    advisory = the_advisory(spec_data, "party-details-missing")
    assert (advisory.path, advisory.section) == ("partners[1]", "5")
    assert "University of Bologna (UNIBO)" in advisory.message
    assert {"legal_form": "legal form", "address": "registered address",
            "identifier": "official identifier"}[missing] in advisory.message
    [from_file] = [a for a in advisories_of(load_spec(write_spec(spec_data))) if a.code == "party-details-missing"]
    assert from_file.line is not None


def test_a_party_missing_all_details_is_advised_once_naming_them_all(spec_data: Spec) -> None:
    advisory = advisories(spec_data)["party-details-missing"][0]
    assert "no legal form, registered address or official identifier" in advisory.message


def test_teaching_given_to_a_party_without_courses_is_advised(spec_data: Spec) -> None:
    complete(spec_data)
    move_courses(spec_data, "UJ", "UH")
    advisory = the_advisory(spec_data, "teaching-without-course")
    assert advisory.path == "governance.responsibilities.UJ"
    assert "teaching" in advisory.message and "no course" in advisory.message
    spec_data["governance"]["responsibilities"]["UJ"] = ["assessment"]
    assert "teaching-without-course" not in advisories(spec_data)


def test_a_party_with_no_task_is_advised(spec_data: Spec) -> None:
    complete(spec_data)
    move_courses(spec_data, "UJ", "UH")
    del spec_data["governance"]["responsibilities"]["UJ"]
    advisory = the_advisory(spec_data, "party-without-task")
    assert advisory.path == "governance.responsibilities"
    assert "Jagiellonian University (UJ) has no task" in advisory.message


def test_a_party_whose_only_task_is_listed_has_a_task(spec_data: Spec) -> None:
    complete(spec_data)
    move_courses(spec_data, "UJ", "UH")
    spec_data["governance"]["responsibilities"]["UJ"] = ["marketing"]
    assert "party-without-task" not in advisories(spec_data)


def test_a_party_without_a_recognition_rule_is_advised(spec_data: Spec) -> None:
    complete(spec_data)
    del spec_data["recognition"]["UNIBO"]
    advisory = the_advisory(spec_data, "recognition-missing")
    assert (advisory.path, advisory.section) == ("recognition", "5")
    assert "UNIBO" in advisory.message and "UJ" not in advisory.message
    spec_data["recognition"] = {}
    assert "UH, UNIBO and UJ" in the_advisory(spec_data, "recognition-missing").message


@pytest.mark.parametrize(("model", "shares", "advised"), [
    ("centralised", True, True), ("centralised", False, True), ("decentralised", True, False),
])
def test_centralised_finance_without_common_costs_is_advised(model: str, shares: bool, advised: bool,
                                                             spec_data: Spec) -> None:
    complete(spec_data)
    finance = spec_data["finance"]
    finance.update(model=model, common_costs=[])
    if not shares:
        finance.pop("revenue_shares")
    found = advisories(spec_data).get("common-costs-not-listed", [])
    assert bool(found) is advised
    if found:
        assert ("shared" if shares else "reinvested") in found[0].message


@pytest.mark.parametrize(("path", "text", "word"), [
    (("governance", "management_committee"), "one representative per partner", "partner"),
    (("finance", "costs"), "Each partner bears its costs; the parties agree.", "partner"),
    (("certificate", "conditions"), "Pass every module of the partners.", "partners"),
    (("branding", "logo_licence", "scope"), "use by each party", "party"),
    (("intellectual_property", "third_party_content"), "the parties clear it", "parties"),
])
def test_lower_case_partner_or_party_in_a_text_of_the_agreement_is_advised(path: tuple[str, ...], text: str,
                                                                           word: str, spec_data: Spec) -> None:
    complete(spec_data)
    node = spec_data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = text
    advisory = the_advisory(spec_data, "lower-case-party")
    assert advisory.path == ".".join(path)
    assert f"writes {word!r} in lower case" in advisory.message and "'Party'" in advisory.message


@pytest.mark.parametrize("text", ["Each Party bears its costs.", "third-party material", "a third party's rights",
                                  "the partnership of the Parties"])
def test_capitalised_party_or_third_party_is_not_advised(text: str, spec_data: Spec) -> None:
    complete(spec_data)
    spec_data["finance"]["costs"] = text
    assert "lower-case-party" not in advisories(spec_data)


def test_the_quoted_disclaimer_may_say_partner(spec_data: Spec) -> None:
    complete(spec_data)
    spec_data["branding"]["disclaimer"] = "Created by the partners of the Una Europa alliance."
    assert "lower-case-party" not in advisories(spec_data)


def test_arbitration_with_a_french_public_university_is_advised(spec_data: Spec) -> None:
    complete(spec_data)
    add_member(spec_data, "P1", "paris")
    spec_data["law"]["disputes"] = "arbitration"
    advisory = the_advisory(spec_data, "paris-arbitration")
    assert (advisory.path, advisory.section) == ("law.disputes", "5")
    assert "Paris 1 Panthéon-Sorbonne University (P1)" in advisory.message and "2060" in advisory.message


@pytest.mark.parametrize("disputes", ["amicable-then-courts", "amicable-then-mediation-then-courts"])
def test_courts_with_a_french_public_university_are_not_advised(disputes: str, spec_data: Spec) -> None:
    add_member(spec_data, "P1", "paris")
    spec_data["law"]["disputes"] = disputes
    assert "paris-arbitration" not in advisories(spec_data)


def test_arbitration_without_a_public_body_restricted_by_its_law_is_not_advised(spec_data: Spec) -> None:
    spec_data["law"]["disputes"] = "arbitration"
    assert "paris-arbitration" not in advisories(spec_data)


# -- as a whole ---------------------------------------------------------------------------


def test_every_advisory_code_is_covered_here() -> None:
    from unadocs.model.registry import members

    registry_codes = {rule.code for m in members().values() for rule in m.constraints}
    derived = {f"{rule.code}-preferred" for m in members().values() for rule in m.constraints
               if getattr(rule, "preferred_max", None) is not None}
    recommendations = {"language-level", "single-language", "stackable-without-target", "bip-minimum-ects",
                       "no-derivatives-licence", "issuer-not-lead", "draft-specimens", "applicable-law"}
    drafting = {"party-details-missing", "teaching-without-course", "party-without-task", "recognition-missing",
                "common-costs-not-listed", "lower-case-party"}
    assert registry_codes | derived | recommendations | drafting == ALL_CODES


def test_many_advisories_never_make_a_spec_invalid(spec_data: Spec) -> None:
    add_member(spec_data, "UCM", "madrid")
    add_member(spec_data, "UZH", "zurich")
    add_course(spec_data, "UZH", 4)
    set_total_ects(spec_data, 16)
    spec_data["credential"].update(language_level="A2", participation="blended")
    spec_data["credential"]["stackability"]["towards"] = []
    spec_data["intellectual_property"]["teaching_materials"]["licence"] = "CC-BY-ND-4.0"
    spec_data["certificate"]["issuer"] = "UNIBO"
    spec_data["law"]["applicable"] = "US"
    spec_data["finance"]["fees"][1]["amount"] = "5000 EUR"
    found = advisories(spec_data)  # loads: advisories are never errors
    assert {"madrid-ects", "zurich-ects", "helsinki-fee-cap", "language-level", "single-language",
            "stackable-without-target", "no-derivatives-licence", "issuer-not-lead", "draft-specimens",
            "applicable-law"} <= set(found)


def test_advisories_come_in_a_stable_order(spec_data: Spec) -> None:
    complete(spec_data)
    spec_data["law"]["applicable"] = "US"
    first = [a.code for a in advisories_of(load_spec(spec_data))]
    assert first == [a.code for a in advisories_of(load_spec(spec_data))]
    assert first == ["single-language", "draft-specimens", "applicable-law"]


def test_advisory_prints_as_warning_code_path_line_message_section() -> None:
    advisory = Advisory("x-code", ("credential", "ects"), "too many", "2.2", line=14)
    assert str(advisory) == "warning x-code credential.ects (line 14): too many (framework §2.2)"
    assert advisory.as_dict() == {"code": "x-code", "path": "credential.ects", "line": 14, "message": "too many",
                                  "section": "2.2"}
