"""The hard errors of a spec (issue 2, section 5), each with its path and YAML line.

Every test starts from the reference spec, breaks one thing, writes it to a
file and checks that loading names the right field, the right line and says
what is wrong in words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE_SPEC
from tests.spec_problems import line_of, load_error, problem_at
from unadocs import load_spec

Spec = dict[str, Any]
WriteSpec = Callable[[Spec], Path]

#: A partner that may join the reference consortium (Leiden, a member).
LEIDEN = {
    "id": "UL",
    "member": "leiden",
    "coordinator": {"name": "Jan de Vries", "email": "j.devries@leiden.nl"},
    "signatory": {"name": "Annetje Ottow", "title": "Rector"},
}


def check(write_spec: WriteSpec, data: Spec, path: str, line_pattern: str, *words: str) -> None:
    """Loading ``data`` fails with a problem at ``path``, on the line matching ``line_pattern``,
    whose message contains every one of ``words``."""
    spec = write_spec(data)
    problem = problem_at(load_error(spec), path)
    assert problem.line == line_of(spec, line_pattern), problem
    for word in words:
        assert word in problem.message, problem


# -- partners -------------------------------------------------------------------


def test_fewer_than_three_member_universities_is_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    uj = spec_data["partners"][2]
    del uj["member"]
    uj.update(name="Jagiellonian University (as an associated partner)", country="PL")
    check(write_spec, spec_data, "partners", r"^partners:", "at least 3", "has 2")


def test_the_same_member_entered_twice_counts_as_one_university(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["partners"][2]["member"] = "bologna"
    check(write_spec, spec_data, "partners", r"^partners:", "at least 3", "has 2")


def test_an_acceded_member_does_not_count_towards_the_three_creators(spec_data: Spec,
                                                                    write_spec: WriteSpec) -> None:
    uj = spec_data["partners"][2]
    del uj["member"]
    uj.update(name="Jagiellonian University (as an associated partner)", country="PL")
    spec_data["partners"].append(LEIDEN)
    spec_data["accession"]["accessions"] = [{"partner": "UL", "date": "2026-09-01"}]
    check(write_spec, spec_data, "partners", r"^partners:", "at least 3", "original parties")


def test_duplicate_partner_ids_are_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["partners"].append({**LEIDEN, "id": "UNIBO"})
    spec = write_spec(spec_data)
    problem = problem_at(load_error(spec), "partners[3].id")
    assert problem.line == line_of(spec, r"member: leiden") - 1, problem  # the second "- id: UNIBO"
    assert "duplicate partner id 'UNIBO'" in problem.message


def test_no_lead_partner_is_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["partners"][0]["role"] = "partner"
    check(write_spec, spec_data, "partners", r"^partners:", "exactly one", "lead", "none")


def test_two_lead_partners_are_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["partners"][1]["role"] = "lead"
    check(write_spec, spec_data, "partners", r"^partners:", "exactly one", "UH, UNIBO")


def test_unknown_member_code_suggests_the_right_one(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["partners"][0]["member"] = "helsinky"
    check(write_spec, spec_data, "partners[0].member", r"member: helsinky", "unknown", "did you mean 'helsinki'?")


def test_non_member_partner_must_give_name_and_country(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["partners"].append({k: v for k, v in LEIDEN.items() if k != "member"})
    spec = write_spec(spec_data)
    error = load_error(spec)
    for field in ("name", "country"):
        problem = problem_at(error, f"partners[3].{field}")
        assert problem.line == line_of(spec, r"^- id: UL"), problem
        assert f"without `member:` must give its {field}" in problem.message


def test_member_fields_override_the_registry(spec_data: Spec) -> None:
    spec_data["partners"][0].update(name="Helsingin yliopisto / University of Helsinki", city="Helsingfors")
    uh = load_spec(spec_data).partner("UH")
    assert (uh.name, uh.city) == ("Helsingin yliopisto / University of Helsinki", "Helsingfors")
    assert (uh.country, uh.native_name) == ("FI", "Helsingin yliopisto")  # still inherited


def test_a_member_partner_inherits_the_registry_facts(spec_data: Spec) -> None:
    unibo = load_spec(spec_data).partner("UNIBO")
    assert (unibo.name, unibo.country, unibo.city) == ("University of Bologna", "IT", "Bologna")
    assert unibo.is_member


def test_norway_stays_a_country_code_not_a_boolean() -> None:
    # Written by hand: a YAML writer would quote NO, and the point is that unquoted NO is Norway.
    text = EXAMPLE_SPEC.read_text(encoding="utf-8").replace(
        "\ngovernance:",
        "\n  - id: UIO\n    name: University of Oslo\n    country: NO\n"
        "    coordinator: { name: Kari Nordmann, email: kari@uio.no }\n"
        "    signatory: { name: Svein Stølen, title: Rector }\n"
        "\ngovernance:",
        1,
    ).replace("languages: [en]", "languages: [en, no]")
    consortium = load_spec(text)
    assert consortium.partner("UIO").country == "NO"
    assert consortium.credential.languages == ["en", "no"]


def test_yes_and_on_stay_strings(spec_data: Spec) -> None:
    text = EXAMPLE_SPEC.read_text(encoding="utf-8").replace("venue: Brussels", "venue: yes")
    assert load_spec(text).law.venue == "yes"
    text = EXAMPLE_SPEC.read_text(encoding="utf-8").replace("venue: Brussels", "venue: on")
    assert load_spec(text).law.venue == "on"


# -- references to partners -----------------------------------------------------


def _set(path: list[str | int], value: Any) -> Callable[[Spec], None]:
    def mutate(data: Spec) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _add_key(path: list[str], key: str, value: Any) -> Callable[[Spec], None]:
    def mutate(data: Spec) -> None:
        target = data
        for part in path:
            target = target[part]
        target[key] = value

    return mutate


UNKNOWN_REFERENCES = {
    "course provider": (_set(["credential", "courses", 1, "provider"], "NOPE"),
                        "credential.courses[1].provider", r"provider: NOPE"),
    "committee chair": (_set(["governance", "chair"], "NOPE"), "governance.chair", r"chair: NOPE"),
    "responsibilities": (_add_key(["governance", "responsibilities"], "NOPE", ["teaching"]),
                         "governance.responsibilities.NOPE", r"^    NOPE:"),
    "recognition": (_add_key(["recognition"], "NOPE", "by the board"), "recognition.NOPE", r"NOPE: by the board"),
    "collecting partner": (_set(["finance", "collecting_partner"], "NOPE"), "finance.collecting_partner",
                           r"collecting_partner: NOPE"),
    "revenue shares": (_set(["finance", "revenue_shares"], {"UH": 50, "UNIBO": 25, "NOPE": 25}),
                       "finance.revenue_shares.NOPE", r"NOPE: 25"),
    "certificate issuer": (_set(["certificate", "issuer"], "NOPE"), "certificate.issuer", r"issuer: NOPE"),
    "certificate signatories": (_set(["certificate", "signatories"], ["UH", "NOPE"]), "certificate.signatories[1]",
                                r"^  - NOPE$"),
    "accessions": (_set(["accession", "accessions"], [{"partner": "NOPE", "date": "2026-09-01"}]),
                   "accession.accessions[0].partner", r"partner: NOPE"),
    "listed background": (_set(["intellectual_property", "listed_background"], {"NOPE": ["software"]}),
                          "intellectual_property.listed_background.NOPE", r"^    NOPE:"),
}


@pytest.mark.parametrize("place", list(UNKNOWN_REFERENCES))
def test_reference_to_an_unknown_partner_is_rejected(place: str, spec_data: Spec, write_spec: WriteSpec) -> None:
    mutate, path, line_pattern = UNKNOWN_REFERENCES[place]
    mutate(spec_data)
    check(write_spec, spec_data, path, line_pattern, "unknown partner 'NOPE'", "UH, UNIBO, UJ")


def test_unknown_partner_close_to_a_real_id_suggests_it(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["governance"]["chair"] = "UNIB0"
    check(write_spec, spec_data, "governance.chair", r"chair: UNIB0", "did you mean 'UNIBO'?")


def test_unknown_partner_without_any_partners_says_there_are_none(spec_data: Spec) -> None:
    spec_data["partners"] = []
    error = load_error(spec_data)
    assert problem_at(error, "governance.chair").message == "unknown partner 'UH'; the partners are none"


# -- the credential ---------------------------------------------------------------


@pytest.mark.parametrize("level", [4, 9])
def test_eqf_level_outside_5_to_8_is_rejected(level: int, spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["credential"]["eqf_level"] = level
    del spec_data["credential"]["cycle"]
    check(write_spec, spec_data, "credential.eqf_level", rf"eqf_level: {level}", "EQF level 5 to 8", str(level))


@pytest.mark.parametrize(("cycle", "level"), [("short", 7), ("first", 7), ("third", 7), ("second", 6)])
def test_cycle_contradicting_the_eqf_level_is_rejected(cycle: str, level: int, spec_data: Spec,
                                                       write_spec: WriteSpec) -> None:
    spec_data["credential"].update(cycle=cycle, eqf_level=level)
    check(write_spec, spec_data, "credential.cycle", rf"cycle: {cycle}", f"{cycle} cycle is EQF level",
          f"eqf_level is {level}")


@pytest.mark.parametrize(("cycle", "level"), [("short", 5), ("first", 6), ("second", 7), ("third", 8)])
def test_cycle_matching_the_eqf_level_is_accepted(cycle: str, level: int, spec_data: Spec) -> None:
    spec_data["credential"].update(cycle=cycle, eqf_level=level)
    assert load_spec(spec_data).credential.cycle.eqf_level == level  # type: ignore[union-attr]


@pytest.mark.parametrize("ects", [0, -5])
def test_total_ects_of_zero_or_less_is_rejected(ects: int, spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["credential"]["ects"] = ects
    check(write_spec, spec_data, "credential.ects", rf"^  ects: {ects}$", "more than 0")


@pytest.mark.parametrize("ects", [0, -1])
def test_course_ects_of_zero_or_less_is_rejected(ects: int, spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["credential"]["courses"][3]["ects"] = ects
    check(write_spec, spec_data, "credential.courses[3].ects", rf"^    ects: {ects}$", "more than 0")


def test_mandatory_courses_above_the_total_are_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    for course in spec_data["credential"]["courses"][:3]:
        course["mandatory"] = True  # 3 + 2 + 2 = 7
    spec_data["credential"]["ects"] = 6
    check(write_spec, spec_data, "credential.courses", r"^  courses:", "mandatory courses add up to 7",
          "more than the 6 ECTS")


def test_mandatory_courses_equal_to_the_total_are_accepted(spec_data: Spec) -> None:
    for course in spec_data["credential"]["courses"][:3]:
        course["mandatory"] = True
    spec_data["credential"]["ects"] = 7
    assert load_spec(spec_data).credential.mandatory_ects == 7


def test_total_above_the_sum_of_all_courses_is_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["credential"]["ects"] = 12.5  # the courses give 12
    check(write_spec, spec_data, "credential.ects", r"^  ects: 12.5$", "12.5 ECTS cannot be earned", "only 12")


def test_total_equal_to_the_sum_of_all_courses_is_accepted(spec_data: Spec) -> None:
    spec_data["credential"]["ects"] = 12
    assert load_spec(spec_data).credential.course_ects == 12


MISSING = object()

#: The Council Recommendation's mandatory elements that a spec gives, each missing or empty.
MANDATORY_ELEMENTS = [
    ("title", MISSING), ("title", ""), ("title", "   "),
    ("learning_outcomes", MISSING), ("learning_outcomes", []), ("learning_outcomes", ""),
    ("learning_outcomes", ["Explain the basis.", ""]),
    ("assessment", MISSING), ("assessment", ""),
    ("participation", MISSING), ("participation", ""),
    ("quality_assurance", MISSING), ("quality_assurance", ""),
    ("eqf_level", MISSING), ("eqf_level", ""),
    ("ects", MISSING), ("ects", ""),
]


@pytest.mark.parametrize(("field", "value"), MANDATORY_ELEMENTS,
                         ids=[f"{f}-{'missing' if v is MISSING else repr(v)}" for f, v in MANDATORY_ELEMENTS])
def test_mandatory_certificate_element_missing_or_empty_is_rejected(field: str, value: Any, spec_data: Spec,
                                                                    write_spec: WriteSpec) -> None:
    credential = spec_data["credential"]
    if value is MISSING:
        del credential[field]
        path, line_pattern, words = f"credential.{field}", r"^credential:", ("required",)
    elif isinstance(value, list) and value:
        credential[field] = value
        path, line_pattern, words = f"credential.{field}[1]", r"^  - ''$", ("must not be empty",)
    else:
        credential[field] = value
        path, line_pattern = f"credential.{field}", rf"^  {field}:"
        words = {
            "learning_outcomes": ("list",),
            "participation": ("must be one of online, on-site, hybrid, blended",),
            "eqf_level": ("is not a whole number: write digits only, like 3",),
            "ects": ("is not a number: write digits only, like 6 or 7.5",),
        }.get(field, ("must not be empty",))
        if value == []:
            words = ("at least 1 item",)
    check(write_spec, spec_data, path, line_pattern, *words)


# -- term ---------------------------------------------------------------------------


def test_term_longer_than_four_years_is_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["term"]["duration_years"] = 5
    check(write_spec, spec_data, "term.duration_years", r"duration_years: 5", "at most 4 years", "not 5")


def test_term_shorter_than_a_year_is_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["term"]["duration_years"] = 0
    check(write_spec, spec_data, "term.duration_years", r"duration_years: 0", "at least 1 year")


@pytest.mark.parametrize("renewal", ["tacit", "automatic", "by-written-agreemnt"])
def test_renewal_other_than_written_agreement_or_none_is_rejected(renewal: str, spec_data: Spec,
                                                                  write_spec: WriteSpec) -> None:
    spec_data["term"]["renewal"] = renewal
    check(write_spec, spec_data, "term.renewal", rf"renewal: {renewal}", "'by-written-agreement' or 'none'",
          repr(renewal))


@pytest.mark.parametrize("renewal", ["by-written-agreement", "none"])
def test_renewal_by_written_agreement_or_none_is_accepted(renewal: str, spec_data: Spec) -> None:
    spec_data["term"]["renewal"] = renewal
    assert load_spec(spec_data).term.renewal.value == renewal


@pytest.mark.parametrize("day", ["2025-08-31", "2029-09-01"])
def test_accession_dated_outside_the_term_is_rejected(day: str, spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["partners"].append(LEIDEN)
    spec_data["accession"]["accessions"] = [{"partner": "UL", "date": day}]
    check(write_spec, spec_data, "accession.accessions[0].date", rf"date: '?{day}", "outside the term",
          "2025-09-01 to 2029-08-31")


@pytest.mark.parametrize("day", ["2025-09-01", "2029-08-31"])
def test_accession_on_the_first_or_last_day_of_the_term_is_accepted(day: str, spec_data: Spec) -> None:
    spec_data["partners"].append(LEIDEN)
    spec_data["accession"]["accessions"] = [{"partner": "UL", "date": day}]
    assert [p.id for p in load_spec(spec_data).acceded_parties] == ["UL"]


def test_term_that_would_end_after_year_9999_is_an_error_not_a_crash(spec_data: Spec,
                                                                    write_spec: WriteSpec) -> None:
    spec_data["term"]["start"] = "9998-09-01"
    check(write_spec, spec_data, "term", r"^term:", "must end by 9999-12-31")


# -- finance --------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["centralised", "mixed"])
def test_centralised_or_mixed_finance_without_collecting_partner_is_rejected(model: str, spec_data: Spec,
                                                                             write_spec: WriteSpec) -> None:
    del spec_data["finance"]["collecting_partner"]
    spec_data["finance"]["model"] = model
    check(write_spec, spec_data, "finance.collecting_partner", r"^finance:", f"the {model} model needs a "
          "collecting_partner")


def test_decentralised_finance_needs_no_collecting_partner(spec_data: Spec) -> None:
    del spec_data["finance"]["collecting_partner"]
    spec_data["finance"]["model"] = "decentralised"
    assert load_spec(spec_data).finance.collecting_partner is None


@pytest.mark.parametrize("shares", [(33.33, 33.33, 33.34), (67.89, 28.35, 3.76), (50, 25, 25)])
def test_revenue_shares_summing_exactly_to_100_are_accepted(shares: tuple[float, ...], spec_data: Spec,
                                                            write_spec: WriteSpec) -> None:
    # 67.89 + 28.35 + 3.76 is 100.00000000000001 in binary floating point: the sum must be exact.
    spec_data["finance"]["revenue_shares"] = dict(zip(["UH", "UNIBO", "UJ"], shares, strict=True))
    assert sum(load_spec(write_spec(spec_data)).finance.revenue_shares.values()) == 100  # type: ignore[union-attr]


@pytest.mark.parametrize(("shares", "total"), [((33.3, 33.3, 33.3), "99.9"), ((50, 25, 25.01), "100.01")])
def test_revenue_shares_not_summing_to_100_are_rejected(shares: tuple[float, ...], total: str, spec_data: Spec,
                                                        write_spec: WriteSpec) -> None:
    spec_data["finance"]["revenue_shares"] = dict(zip(["UH", "UNIBO", "UJ"], shares, strict=True))
    check(write_spec, spec_data, "finance.revenue_shares", r"^  revenue_shares:", "sum to exactly 100",
          f"not {total}")


def test_negative_revenue_share_is_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["finance"]["revenue_shares"] = {"UH": 110, "UNIBO": -5, "UJ": -5}
    check(write_spec, spec_data, "finance.revenue_shares", r"^  revenue_shares:", "negative")


def _mixed(data: Spec) -> Spec:
    data["finance"].update(model="mixed", joint_activities=["the joint online module"])
    data["finance"]["fees"] = [{"learners": "external learners", "amount": "300 EUR", "joint_part": "100 EUR"},
                               {"learners": "students", "amount": "0 EUR"}]
    return data


def test_mixed_finance_with_joint_activities_and_joint_parts_is_accepted(spec_data: Spec) -> None:
    finance = load_spec(_mixed(spec_data)).finance
    assert finance.joint_activities == ["the joint online module"] and str(finance.fees[0].joint_part) == "100 EUR"


def test_mixed_finance_without_joint_activities_is_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    _mixed(spec_data)["finance"]["joint_activities"] = []
    check(write_spec, spec_data, "finance.joint_activities", r"joint_activities: \[\]",
          "the mixed model needs the joint activities")


def test_mixed_finance_without_the_joint_part_of_a_fee_is_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    del _mixed(spec_data)["finance"]["fees"][0]["joint_part"]
    check(write_spec, spec_data, "finance.fees[0].joint_part", r"- learners: external learners",
          "needs the part of the fee of 300 EUR")


@pytest.mark.parametrize(("joint_part", "message"), [("301 EUR", "is more than the fee"),
                                                     ("100 CHF", "must be in the fee's currency, EUR")])
def test_a_joint_part_above_the_fee_or_in_another_currency_is_rejected(joint_part: str, message: str,
                                                                       spec_data: Spec, write_spec: WriteSpec) -> None:
    _mixed(spec_data)["finance"]["fees"][0]["joint_part"] = joint_part
    check(write_spec, spec_data, "finance.fees[0].joint_part", rf"joint_part: {joint_part}", message)


@pytest.mark.parametrize("model", ["centralised", "decentralised"])
def test_joint_activities_and_parts_outside_the_mixed_model_are_rejected(model: str, spec_data: Spec,
                                                                         write_spec: WriteSpec) -> None:
    _mixed(spec_data)["finance"]["model"] = model
    error = load_error(write_spec(spec_data))
    assert "belong to the mixed model" in problem_at(error, "finance.joint_activities").message
    assert "belongs to the mixed model" in problem_at(error, "finance.fees[0].joint_part").message


def test_common_costs_in_the_decentralised_model_are_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["finance"].update(model="decentralised", common_costs=["marketing"])
    check(write_spec, spec_data, "finance.common_costs", r"common_costs:", "has no common costs")


@pytest.mark.parametrize("months", [-1, 37])
def test_teach_out_outside_0_to_36_months_is_rejected(months: int, spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["term"]["teach_out_months"] = months
    check(write_spec, spec_data, "term.teach_out_months", rf"teach_out_months: {months}")


def test_a_negative_liability_floor_is_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["liability"] = {"floor": "-1 EUR"}
    check(write_spec, spec_data, "liability.floor", r"floor: -1 EUR", "cannot be negative")


def test_an_official_identifier_needs_its_scheme(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["partners"][0]["identifier"] = {"value": "0313471-7"}
    check(write_spec, spec_data, "partners[0].identifier.scheme", r"identifier:")


def test_negative_fee_is_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["finance"]["fees"][1]["amount"] = "-300 EUR"
    check(write_spec, spec_data, "finance.fees[1].amount", r"amount: -300 EUR", "cannot be negative")


@pytest.mark.parametrize("currency", ["EUX", "ABC"])
def test_unknown_currency_is_rejected(currency: str, spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["finance"]["fees"][1]["amount"] = f"300 {currency}"
    check(write_spec, spec_data, "finance.fees[1].amount", rf"amount: 300 {currency}",
          f"'{currency}' is not an ISO 4217 currency code")


def test_fee_in_another_known_currency_is_accepted(spec_data: Spec) -> None:
    spec_data["finance"]["fees"][1]["amount"] = "1200.50 pln"
    assert str(load_spec(spec_data).finance.fees[1].amount) == "1200.50 PLN"


def test_fee_without_a_currency_is_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["finance"]["fees"][1]["amount"] = 300
    check(write_spec, spec_data, "finance.fees[1].amount", r"amount: 300$", "'300 EUR'")


# -- data protection, intellectual property, certificate ------------------------------


@pytest.mark.parametrize("reference", [MISSING, ""])
def test_data_protection_by_reference_without_reference_is_rejected(reference: Any, spec_data: Spec,
                                                                    write_spec: WriteSpec) -> None:
    if reference is MISSING:
        del spec_data["data_protection"]["reference"]
        line_pattern = r"^data_protection:"
    else:
        spec_data["data_protection"]["reference"] = reference
        line_pattern = r"^  reference: ''"
    check(write_spec, spec_data, "data_protection.reference", line_pattern, "mode 'reference' needs")


def test_full_data_protection_needs_no_reference(spec_data: Spec) -> None:
    del spec_data["data_protection"]["reference"]
    spec_data["data_protection"]["mode"] = "full"
    assert load_spec(spec_data).data_protection.reference is None


@pytest.mark.parametrize("licence", ["GPL-3.0", "CC-BY-5.0", "royalty-free"])
def test_licence_neither_creative_commons_nor_royalty_free_is_rejected(licence: str, spec_data: Spec,
                                                                      write_spec: WriteSpec) -> None:
    spec_data["intellectual_property"]["teaching_materials"]["licence"] = licence
    check(write_spec, spec_data, "intellectual_property.teaching_materials.licence", rf"licence: {licence}",
          "neither a Creative Commons SPDX id", "non-exclusive-royalty-free")


@pytest.mark.parametrize("licence", ["CC-BY-4.0", "CC0-1.0", "CC-BY-NC-ND-3.0", "non-exclusive-royalty-free"])
def test_creative_commons_or_royalty_free_licence_is_accepted(licence: str, spec_data: Spec) -> None:
    spec_data["intellectual_property"]["teaching_materials"]["licence"] = licence
    assert load_spec(spec_data).intellectual_property.teaching_materials.licence == licence


@pytest.mark.parametrize("url", ["http://verify.una-europa.eu/c/", "verify.una-europa.eu/c/", "https:///c/"])
def test_verification_url_that_is_not_https_is_rejected(url: str, spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["certificate"]["verification_url"] = url
    check(write_spec, spec_data, "certificate.verification_url", r"verification_url:", "must start with https://")


# -- unknown keys ----------------------------------------------------------------------


def test_unknown_top_level_key_suggests_the_right_one(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["finanse"] = {}
    check(write_spec, spec_data, "finanse", r"^finanse:", "unknown key 'finanse'", "did you mean 'finance'?")


def test_unknown_nested_key_suggests_the_right_one(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["term"]["duraton_years"] = 4
    check(write_spec, spec_data, "term.duraton_years", r"duraton_years:", "did you mean 'duration_years'?")


def test_unknown_key_in_a_list_item_suggests_the_right_one(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["credential"]["courses"][2]["provder"] = "UH"
    check(write_spec, spec_data, "credential.courses[2].provder", r"provder: UH", "did you mean 'provider'?")


def test_unknown_key_in_a_partner_suggests_the_right_one(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["partners"][1]["coordinator"]["e-mail"] = "x@unibo.it"
    check(write_spec, spec_data, "partners[1].coordinator.e-mail", r"e-mail: x@unibo.it", "did you mean 'email'?")


def test_unknown_key_far_from_any_lists_the_allowed_keys(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["law"]["zzz"] = 1
    check(write_spec, spec_data, "law.zzz", r"zzz: 1", "expected one of: applicable, disputes, venue")


def test_every_problem_is_reported_not_just_the_first(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["term"]["duration_years"] = 5
    spec_data["credential"]["eqf_level"] = 4
    spec_data["certificate"]["verification_url"] = "http://x.eu/"
    paths = {p.path for p in load_error(write_spec(spec_data)).problems}
    assert {"term.duration_years", "credential.eqf_level", "certificate.verification_url"} <= paths


# -- codes from public standards -------------------------------------------------------


@pytest.mark.parametrize("code", ["EU", "UN", "ZZ", "UK", "XX"])
def test_region_or_unknown_code_is_not_a_country(code: str, spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["partners"][0]["country"] = code
    check(write_spec, spec_data, "partners[0].country", rf"country: {code}", f"'{code}' is not an ISO 3166 country")


@pytest.mark.parametrize(("code", "stored"), [("ch", "CH"), ("GB", "GB"), ("XK", "XK")])
def test_country_codes_are_read_in_any_case(code: str, stored: str, spec_data: Spec) -> None:
    spec_data["partners"][0]["country"] = code
    assert load_spec(spec_data).partners[0].country == stored


@pytest.mark.parametrize("code", ["EU", "UN", "ZZ", "UK", "XX", "GB-XYZ", "FR-75"])
def test_governing_law_of_a_region_or_unknown_code_is_refused(code: str, spec_data: Spec,
                                                              write_spec: WriteSpec) -> None:
    spec_data["law"]["applicable"] = code
    check(write_spec, spec_data, "law.applicable", rf"applicable: {code}",
          f"{code!r} is neither an ISO 3166 country code", "GB-SCT")


def test_the_law_of_the_united_kingdom_is_refused_with_its_three_jurisdictions(spec_data: Spec,
                                                                              write_spec: WriteSpec) -> None:
    spec_data["law"]["applicable"] = "gb"
    check(write_spec, spec_data, "law.applicable", r"applicable: gb", "GB has no single contract law",
          "GB-ENG (England and Wales)", "GB-SCT (Scotland)", "GB-NIR (Northern Ireland)")


@pytest.mark.parametrize(("code", "stored", "country"), [("ch", "CH", "CH"), ("gb-sct", "GB-SCT", "GB"),
                                                         ("GB-ENG", "GB-ENG", "GB"), ("GB-NIR", "GB-NIR", "GB")])
def test_governing_law_is_a_country_or_a_jurisdiction_read_in_any_case(code: str, stored: str, country: str,
                                                                        spec_data: Spec) -> None:
    spec_data["law"]["applicable"] = code
    law = load_spec(spec_data).law
    assert (law.applicable, law.country) == (stored, country)


def test_unknown_language_code_is_rejected(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["credential"]["languages"] = ["en", "english"]
    check(write_spec, spec_data, "credential.languages[1]", r"^  - english$", "not an ISO 639-1 language code")


# -- every error in one pass ------------------------------------------------------


def test_structural_and_cross_field_errors_are_reported_together(spec_data: Spec, write_spec: WriteSpec) -> None:
    """A malformed section does not hide the cross-field problems of the intact ones."""
    spec_data["term"]["duration_years"] = 5  # structural: a field validator
    spec_data["finance"]["revenue_shares"]["UJ"] = 20  # cross-field: shares sum to 95
    spec_data["credential"]["courses"][3]["provider"] = "UX"  # cross-field: unknown partner
    spec = write_spec(spec_data)
    error = load_error(spec)
    assert problem_at(error, "term.duration_years").line == line_of(spec, r"duration_years: 5")
    assert problem_at(error, "finance.revenue_shares").line == line_of(spec, r"revenue_shares:")
    assert "unknown partner 'UX'" in problem_at(error, "credential.courses[3].provider").message


def test_cross_field_rules_on_a_broken_section_are_not_guessed(spec_data: Spec) -> None:
    """Rules that read a malformed section are skipped rather than run on bad data."""
    spec_data["partners"][0]["role"] = "boss"  # partners is malformed
    spec_data["finance"]["revenue_shares"]["UJ"] = 20  # finance alone is still checked
    error = load_error(spec_data)
    assert problem_at(error, "partners[0].role")
    assert problem_at(error, "finance.revenue_shares")
    assert not [p for p in error.problems if "exactly one partner" in p.message or "unknown partner" in p.message]


# -- control characters ----------------------------------------------------------------

@pytest.mark.parametrize(("where", "value", "path", "code"), [
    ("signatory", "Piotr \x1b[31mJedynak", "partners[2].signatory.name", "U+001B"),
    ("title", {"en": "Sustainability", "fi": "Kestävyys\x07"}, "credential.title", "U+0007"),
    ("outcome", "Explain\x00 the basis", "credential.learning_outcomes", "U+0000"),
    ("signatory title", "Rec\x9btor", "partners[0].signatory.title", "U+009B"),  # a C1 control: CSI
])
def test_a_control_character_in_any_text_is_refused_naming_the_field(
        where: str, value: Any, path: str, code: str, spec_data: Spec, write_spec: WriteSpec) -> None:
    """The agreement would drop it silently (and a certificate print a box) while the spec, the record and the
    seal keep it: never a document that says other than its source."""
    if where == "signatory":
        spec_data["partners"][2]["signatory"]["name"] = value
    elif where == "title":
        spec_data["credential"]["title"] = value
    elif where == "outcome":
        spec_data["credential"]["learning_outcomes"][0] = value
    else:
        spec_data["partners"][0]["signatory"]["title"] = value
    problem = next(p for p in load_error(write_spec(spec_data)).problems if p.path.startswith(path))
    assert f"contains a control character ({code})" in problem.message


def test_line_breaks_and_tabs_in_a_text_are_text(spec_data: Spec, write_spec: WriteSpec) -> None:
    spec_data["credential"]["assessment"] = "Online assessment:\n\tone quiz per module,\r\na final assignment."
    assert load_spec(write_spec(spec_data)).credential.assessment.startswith("Online assessment:")
