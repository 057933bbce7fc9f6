"""Facts derived from the model in one place: the term's end, the parties on a
date (respecting accessions), the awarding bodies and their countries, the lead."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.conftest import EXAMPLE_SPEC
from unadocs import Consortium, load_spec
from unadocs.model import Term

#: Leiden accedes on 1 September 2026, a year into the term.
ACCESSION_DAY = date(2026, 9, 1)


@pytest.fixture
def with_accession(spec_data: dict[str, Any]) -> Consortium:
    """The reference consortium, which Leiden (NL) joins by accession on ACCESSION_DAY."""
    spec_data["partners"].append({
        "id": "UL",
        "member": "leiden",
        "coordinator": {"name": "Jan de Vries", "email": "j.devries@leiden.nl"},
        "signatory": {"name": "Annetje Ottow", "title": "Rector"},
    })
    spec_data["accession"]["accessions"] = [{"partner": "UL", "date": ACCESSION_DAY.isoformat()}]
    return load_spec(spec_data)


def load_spec_example() -> Consortium:
    return load_spec(EXAMPLE_SPEC)


def _term(start: date, years: int) -> Term:
    return Term(start=start, duration_years=years)


@pytest.mark.parametrize(("start", "years", "end"), [
    (date(2025, 9, 1), 4, date(2029, 8, 31)),
    (date(2025, 9, 1), 1, date(2026, 8, 31)),
    (date(2025, 1, 1), 2, date(2026, 12, 31)),
    (date(2024, 2, 29), 4, date(2028, 2, 28)),  # 2028 is a leap year: the anniversary is 29 February
    (date(2024, 2, 29), 1, date(2025, 2, 28)),  # no 29 February in 2025: the anniversary is 1 March
    (date(2024, 3, 1), 1, date(2025, 2, 28)),
])
def test_term_ends_the_day_before_its_anniversary(start: date, years: int, end: date) -> None:
    assert _term(start, years).end == end


def test_reference_term_ends_on_31_august_2029() -> None:
    assert load_spec_example().term.end == date(2029, 8, 31)


def test_term_covers_its_first_and_last_day_only() -> None:
    term = _term(date(2025, 9, 1), 4)
    assert term.covers(date(2025, 9, 1)) and term.covers(date(2029, 8, 31))
    assert not term.covers(date(2025, 8, 31)) and not term.covers(date(2029, 9, 1))


def test_lead_is_the_partner_with_role_lead(spec_data: dict[str, Any]) -> None:
    spec_data["partners"][0]["role"] = "partner"
    spec_data["partners"][2]["role"] = "lead"
    assert load_spec(spec_data).lead.id == "UJ"


def test_partner_by_id() -> None:
    consortium = load_spec_example()
    assert consortium.partner("UNIBO").name == "University of Bologna"


def test_unknown_partner_id_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="UNIVIE"):
        load_spec_example().partner("UNIVIE")


def test_issuer_is_the_certificate_issuer_partner(spec_data: dict[str, Any]) -> None:
    spec_data["certificate"]["issuer"] = "UNIBO"
    assert load_spec(spec_data).issuer.id == "UNIBO"


def test_without_accessions_every_partner_is_a_party_from_the_start() -> None:
    consortium = load_spec_example()
    ids = ["UH", "UNIBO", "UJ"]
    assert [p.id for p in consortium.parties_on(consortium.term.start)] == ids
    assert [p.id for p in consortium.original_parties] == ids
    assert consortium.acceded_parties == []
    assert consortium.issuer_countries_on(date(2026, 1, 1)) == ["FI", "IT", "PL"]


def test_parties_before_an_accession_exclude_the_acceding_partner(with_accession: Consortium) -> None:
    day_before = date(2026, 8, 31)
    assert [p.id for p in with_accession.parties_on(day_before)] == ["UH", "UNIBO", "UJ"]
    assert [p.id for p in with_accession.awarding_bodies_on(day_before)] == ["UH", "UNIBO", "UJ"]
    assert with_accession.issuer_countries_on(day_before) == ["FI", "IT", "PL"]


def test_parties_from_the_accession_date_include_the_acceding_partner(with_accession: Consortium) -> None:
    for day in (ACCESSION_DAY, date(2029, 8, 31)):
        assert [p.id for p in with_accession.parties_on(day)] == ["UH", "UNIBO", "UJ", "UL"]
        assert [p.id for p in with_accession.awarding_bodies_on(day)] == ["UH", "UNIBO", "UJ", "UL"]
        assert with_accession.issuer_countries_on(day) == ["FI", "IT", "PL", "NL"]
    assert with_accession.issuer_country_names_on(ACCESSION_DAY) == ["Finland", "Italy", "Poland", "Netherlands"]


def test_original_parties_exclude_acceded_partners(with_accession: Consortium) -> None:
    assert [p.id for p in with_accession.original_parties] == ["UH", "UNIBO", "UJ"]
    assert [p.id for p in with_accession.acceded_parties] == ["UL"]
    assert with_accession.accession_date("UL") == ACCESSION_DAY
    assert with_accession.accession_date("UH") is None


def test_issuer_countries_are_listed_once_each(spec_data: dict[str, Any]) -> None:
    spec_data["partners"].append({
        "id": "UNIMI", "name": "University of Milan", "country": "IT",
        "coordinator": {"name": "Luca Rossi", "email": "luca.rossi@unimi.it"},
        "signatory": {"name": "Elio Franzini", "title": "Rector"},
    })
    consortium = load_spec(spec_data)
    assert [p.id for p in consortium.awarding_bodies_on(date(2026, 1, 1))] == ["UH", "UNIBO", "UJ", "UNIMI"]
    assert consortium.issuer_countries_on(date(2026, 1, 1)) == ["FI", "IT", "PL"]


def test_acceded_parties_are_in_order_of_accession(spec_data: dict[str, Any]) -> None:
    spec_data["partners"] += [
        {"id": "UL", "member": "leiden", "coordinator": {"name": "A", "email": "a@leiden.nl"},
         "signatory": {"name": "B", "title": "Rector"}},
        {"id": "UCD", "member": "dublin", "coordinator": {"name": "C", "email": "c@ucd.ie"},
         "signatory": {"name": "D", "title": "President"}},
    ]
    spec_data["accession"]["accessions"] = [{"partner": "UL", "date": "2027-09-01"},
                                            {"partner": "UCD", "date": "2026-02-01"}]
    consortium = load_spec(spec_data)
    assert [p.id for p in consortium.acceded_parties] == ["UCD", "UL"]
    assert [p.id for p in consortium.parties_on(date(2026, 6, 1))] == ["UH", "UNIBO", "UJ", "UCD"]


def test_draft_status_makes_the_consortium_a_draft(spec_data: dict[str, Any]) -> None:
    assert load_spec(spec_data).is_draft
    spec_data["agreement"]["status"] = "signed"
    assert not load_spec(spec_data).is_draft


def test_ects_sums_are_exact_decimals(spec_data: dict[str, Any]) -> None:
    credential = load_spec(spec_data).credential
    assert (credential.course_ects, credential.mandatory_ects) == (12, 3)


# -- accessions planned or done, on the date of this version ----------------------------------


@pytest.mark.parametrize(("version_date", "planned"), [
    (date(2026, 8, 31), True), (ACCESSION_DAY, False), (date(2027, 1, 10), False)])
def test_an_accession_after_the_date_of_the_version_is_planned(version_date: date, planned: bool,
                                                                spec_data: dict[str, Any]) -> None:
    spec_data["partners"].append({"id": "UL", "member": "leiden", "coordinator": {"name": "A", "email": "a@l.nl"},
                                  "signatory": {"name": "B", "title": "Rector"}})
    spec_data["accession"]["accessions"] = [{"partner": "UL", "date": ACCESSION_DAY.isoformat()}]
    spec_data["agreement"]["date"] = version_date.isoformat()
    c = load_spec(spec_data)
    assert c.accession_planned("UL") is planned
    assert not c.accession_planned("UH")
    assert [p.id for p in c.planned_accessions] == (["UL"] if planned else [])
    assert [p.id for p in c.parties_at_date] == (["UH", "UNIBO", "UJ"] if planned else ["UH", "UNIBO", "UJ", "UL"])


# -- teach-out: issuing after the end of the term --------------------------------------------


@pytest.mark.parametrize(("start", "months", "last"), [
    (date(2025, 9, 1), 12, date(2030, 8, 31)),
    (date(2025, 9, 1), 0, date(2029, 8, 31)),
    (date(2025, 9, 1), 6, date(2030, 2, 28)),   # 31 August + 6 months: February has no 31st
    (date(2024, 3, 1), 36, date(2031, 2, 28)),
])
def test_certificates_may_be_issued_until_the_end_of_the_teach_out(start: date, months: int, last: date) -> None:
    assert Term(start=start, duration_years=4, teach_out_months=months).issuing_end == last


def test_may_issue_from_the_start_to_the_end_of_the_teach_out_only(spec_data: dict[str, Any]) -> None:
    c = load_spec(spec_data)
    assert c.term.teach_out_months == 12
    assert c.may_issue_on(date(2025, 9, 1)) and c.may_issue_on(date(2029, 9, 1)) and c.may_issue_on(date(2030, 8, 31))
    assert not c.may_issue_on(date(2025, 8, 31)) and not c.may_issue_on(date(2030, 9, 1))
    spec_data["term"]["teach_out_months"] = 0
    assert not load_spec(spec_data).may_issue_on(date(2029, 9, 1))


# -- a Party's tasks follow from its courses and roles -----------------------------------------


def test_tasks_follow_from_courses_roles_and_the_listed_responsibilities(spec_data: dict[str, Any]) -> None:
    spec_data["governance"]["responsibilities"] = {"UNIBO": ["teaching", "platform"], "UJ": ["teaching"]}
    for course in spec_data["credential"]["courses"]:
        if course["provider"] == "UJ":
            course["provider"] = "UNIBO"
    c = load_spec(spec_data)
    words = lambda pid: [t.value for t in c.tasks_of(pid)]  # noqa: E731
    assert words("UH") == ["recruitment", "admission", "registration", "teaching", "assessment", "complaints",
                           "quality-assurance", "certificates", "platform", "marketing", "finance"]
    assert words("UNIBO") == ["teaching", "assessment", "platform"]
    assert words("UJ") == []  # teaching is listed, but UJ provides no course


def test_courses_of_a_party_in_spec_order() -> None:
    c = load_spec_example()
    assert [course.title for course in c.courses_of("UH")] == ["Introduction to Sustainability", "Climate.now",
                                                               "Biodiversity.now"]
    assert c.courses_of("NOBODY") == []


# -- who collects which part of a fee ----------------------------------------------------------


def test_centralised_fee_is_collected_whole_by_the_collecting_party() -> None:
    c = load_spec_example()
    split = c.fee_split(c.finance.fees[1])
    assert str(split.collected_centrally) == "300 EUR" and split.courses == ()


def test_decentralised_fee_is_split_over_the_courses_pro_rata_of_their_ects(spec_data: dict[str, Any]) -> None:
    spec_data["finance"].update(model="decentralised")
    c = load_spec(spec_data)
    split = c.fee_split(c.finance.fees[1])  # 300 EUR for 10 ECTS
    assert split.per_ects == 30 and split.collected_centrally.amount == 0 and split.collector is None
    assert [(p.course.title, str(p.amount)) for p in split.courses_of("UH")] == [
        ("Introduction to Sustainability", "90.00 EUR"), ("Climate.now", "60.00 EUR"),
        ("Biodiversity.now", "60.00 EUR")]
    assert str(split.most_collected_by("UH")) == "210.00 EUR"
    assert str(split.most_collected_by("UJ")) == "60.00 EUR"


def test_mixed_fee_gives_the_joint_part_centrally_and_splits_the_rest(spec_data: dict[str, Any]) -> None:
    spec_data["finance"].update(model="mixed", joint_activities=["the joint online module"])
    spec_data["finance"]["fees"] = [{"learners": "external learners", "amount": "300 EUR", "joint_part": "100 EUR"},
                                    {"learners": "staff", "amount": "100 EUR", "joint_part": "33.33 EUR"}]
    c = load_spec(spec_data)
    split = c.fee_split(c.finance.fees[0])
    assert str(split.collected_centrally) == "100 EUR" and split.per_ects == 20 and split.collector == "UH"
    assert str(split.most_collected_by("UNIBO")) == "60.00 EUR"
    assert str(split.most_collected_by("UH")) == "240.00 EUR"  # the joint part and its three courses
    rounded = c.fee_split(c.finance.fees[1])  # 66.67 EUR over 10 ECTS: 6.667 per ECTS, rounded per course
    assert [str(p.amount) for p in rounded.courses] == ["20.00 EUR", "13.33 EUR", "13.33 EUR", "13.33 EUR",
                                                        "20.00 EUR"]
