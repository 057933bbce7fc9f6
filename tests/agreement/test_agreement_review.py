"""The legal review of the generated agreement (issue 15): each finding, and each missing clause, pinned.

Every test builds the agreement a spec gives and reads it as a lawyer would:
the text (DOCX), the numbers, the annexes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

import unadocs
from tests.agreement.conftest import KUL, build, numbered_text, one_line
from unadocs.agreement.lint import lint_agreement

Variant = Callable[[dict[str, Any]], unadocs.Consortium]


def text_of(consortium: unadocs.Consortium) -> str:
    """The final agreement's text with its numbers (drafting notes would repeat the words under test). The DOCX
    holds the same paragraphs (test_agreement_document.py::test_the_docx_holds_the_planned_text)."""
    return numbered_text(consortium)


def between(text: str, start: str, end: str) -> str:
    """The text from ``start`` (its last occurrence before ``end``) up to ``end``."""
    stop = text.index(end, text.index(start))
    return text[text.rindex(start, 0, stop):stop]


def annex(text: str, number: int) -> str:
    title = f"Annex {number} \u2014 "
    start = text.rindex(title)  # the annex itself, not its line in a table of contents
    following = text.find(f"Annex {number + 1} \u2014 ", start)
    return text[start:following if following > 0 else None]


# -- decentralised and mixed finance: Annex 3 says, Party by Party, what each collects and keeps ---------------


def test_decentralised_annex_3_says_what_each_party_collects_for_its_courses_with_totals(variant: Variant) -> None:
    c = variant({"finance.model": "decentralised", "finance.collecting_partner": None,
                 "finance.revenue_shares": None})
    text = text_of(c)
    clause = between(text, "7.2", "7.3")
    assert "from each Learner who takes one of its courses, the part of the fee for that course set out in " \
           "Annex 3" in text
    table = annex(text, 3)
    assert "What each Party collects and keeps" in table
    assert "For each of the external learners (fee EUR 300.00): each course costs EUR 30.00 per ECTS credit." in table
    assert ("University of Helsinki EUR 90.00 for Introduction to Sustainability; EUR 60.00 for Climate.now; "
            "EUR 60.00 for Biodiversity.now EUR 210.00") in table
    assert "University of Bologna EUR 90.00 for Sustainability and the Arts EUR 90.00" in table
    assert "Jagiellonian University EUR 60.00 for Political Economy of Sustainability EUR 60.00" in table
    assert "A Learner who takes courses worth 10 ECTS credits pays EUR 300.00 in total." in table
    assert "one fee" not in clause and "Collecting" not in text


def test_centralised_annex_3_says_who_collects_and_keeps_what(variant: Variant) -> None:
    table = annex(text_of(variant({})), 3)
    assert "The Collecting Party collects every fee in full" in table
    assert ("University of Helsinki all fees EUR 150.00 University of Bologna nothing EUR 75.00 "
            "Jagiellonian University nothing EUR 75.00 Total all fees EUR 300.00") in table
    assert "Revenue shares" in table and "Total 100%" in table


MIXED = {"finance.model": "mixed",
         "finance.joint_activities": ["the joint online module", "joint certification"],
         "finance.common_costs": ["joint student administration"],
         "finance.fees.1.joint_part": "100 EUR"}


def test_mixed_finance_lists_the_joint_activities_and_common_costs_that_clause_7_cites(variant: Variant) -> None:
    text = text_of(variant(MIXED))
    assert "the part of each fee for the joint activities listed in Annex 3" in text
    assert "deducts from the fees for the joint activities the common costs listed in Annex 3" in text
    table = annex(text, 3)
    assert "Joint activities The Collecting Party collects the part of each fee for the following joint " \
           "activities: the joint online module joint certification" in table
    assert "Common costs The following common costs are deducted from the fees for the joint activities " \
           "before the Net Revenue is shared: joint student administration" in table
    assert "external learners EUR 300.00 EUR 100.00" in table  # the fee and its joint part
    assert ("University of Helsinki EUR 100.00 for the joint activities; EUR 60.00 for Introduction to "
            "Sustainability") in table


def test_without_listed_common_costs_nothing_is_said_to_be_deducted(variant: Variant) -> None:
    text = text_of(variant({}))
    assert "common costs listed in Annex 3" not in text
    assert "No common costs are deducted." in annex(text, 3)


# -- clause 5.3: electives only when there are electives ---------------------------------------------------------


@pytest.mark.parametrize(("changes", "said", "not_said"), [
    ({}, "takes the mandatory courses (3 ECTS credits) and completes the workload of 10 ECTS credits with "
         "elective courses", None),
    ({"credential.ects": 3, "credential.courses": [
        {"title": "Introduction", "ects": 3, "provider": "UH", "mandatory": True}]},
     "Every Learner takes all the courses, which are mandatory.", "elective"),
    ({"credential.ects": 3}, "Every Learner takes the mandatory courses, which make up the whole workload of 3 ECTS "
                             "credits; the other courses may be taken in addition.", "with elective courses"),
])
def test_clause_5_3_speaks_of_electives_only_when_there_are_some(changes: dict[str, Any], said: str,
                                                                 not_said: str | None, variant: Variant) -> None:
    text = text_of(variant(changes))
    clause = between(text, "5.3", "5.4")
    assert said in clause
    if not_said:
        assert not_said not in clause


# -- obligations: tasks follow from courses and roles -----------------------------------------------------------


def test_teaching_goes_only_to_parties_that_teach_and_not_to_a_party_that_accedes_later(variant: Variant) -> None:
    c = variant({"credential.courses.3.provider": "UNIBO", "partners.3": KUL,
                 "accession.accessions": [{"partner": "KUL", "date": "2026-09-01"}],
                 "governance.responsibilities.KUL": ["teaching", "marketing"]})
    text = text_of(c)
    table = between(text, "4.3", "5 THE MICRO-CREDENTIAL")
    assert "Jagiellonian University assessment and platform" in table  # listed teaching, but no course
    assert "University of Bologna teaching, assessment and platform" in table
    assert "KU Leuven" not in table
    assert "The tasks of a Party whose accession is planned are set out in its Accession Form" in table


# -- liability: a floor, and what stays uncapped ---------------------------------------------------------------


def test_liability_has_a_floor_and_leaves_wilful_misconduct_and_data_protection_fines_uncapped(
        variant: Variant) -> None:
    text = text_of(variant({"finance.revenue_shares": {"UH": 100}}))  # UNIBO and UJ receive nothing
    cap = between(text, "16.3", "16.4")
    assert "limited to the higher of: (a) EUR 50,000.00; and (b) the amounts it received" in cap
    uncapped = between(text, "16.4", "17 FORCE MAJEURE")
    assert "clause 16.2 and clause 16.3 do not apply" in uncapped
    assert "wilful misconduct or gross negligence" in uncapped
    assert "Article 83 of the GDPR" in uncapped and "Article 82 of the GDPR" in uncapped
    floor = text_of(variant({"liability": {"floor": "250000 CHF"}}))
    assert "(a) CHF 250,000.00; and" in floor


# -- accessions after the agreement's date are planned, not done ----------------------------------------------


def test_an_accession_after_the_version_date_is_planned_and_one_before_is_done(variant: Variant) -> None:
    planned = text_of(variant({"agreement.date": "2026-01-10", "partners.3": KUL,
                               "accession.accessions": [{"partner": "KUL", "date": "2027-09-01"}]}))
    assert "acceded on" not in planned and "The following Parties have acceded" not in planned
    assert "The following accessions are planned" in annex(planned, 5)
    assert "KU Leuven Belgium 1 September 2027" in annex(planned, 5)
    assert "Una Europa member; accession planned for 1 September 2027" in annex(planned, 2)
    done = text_of(variant({"agreement.date": "2028-01-10", "partners.3": KUL,
                            "accession.accessions": [{"partner": "KUL", "date": "2027-09-01"}]}))
    assert "The following Parties have acceded to this Agreement" in annex(done, 5)
    assert "planned" not in annex(done, 5)
    assert "Party by accession since 1 September 2027" in annex(done, 2)


# -- teach-out ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("months", "said"), [
    (12, "until the end of the teach-out period of twelve (12) months after the End Date, that is until "
         "31 August 2030. No Certificate is issued after that date."),
    (6, "teach-out period of six (6) months after the End Date, that is until 28 February 2030"),
    (0, "The Issuing Party issues the Certificates of these Learners until the End Date; no Certificate is issued "
        "after it"),
])
def test_teach_out_says_until_when_certificates_are_issued(months: int, said: str, variant: Variant) -> None:
    c = variant({"term.teach_out_months": months})
    assert said in text_of(c)
    assert c.term.issuing_end.isoformat() == {12: "2030-08-31", 6: "2030-02-28", 0: "2029-08-31"}[months]


# -- survival ---------------------------------------------------------------------------------------------------


def test_survival_lists_the_register_and_every_surviving_clause_by_reference(variant: Variant) -> None:
    c = variant({})
    data, text = build(c, final=True), text_of(c)
    survival = between(text, "14.9", "15 BREACH AND EXCLUSION")
    assert survival.startswith("14.9 The end of this Agreement")
    for cited in ("clause 1 (Definitions)", "clause 7.7 (payment of the shares", "clause 10.4 (the register of "
                  "Certificates", "clause 11 (Intellectual property)", "clause 12 (Protection of personal data)",
                  "clause 14.7 and clause 14.8 (enrolled Learners", "clause 15.4 (consequences of exclusion)",
                  "clause 16 (Liability)", "clause 18 (Confidentiality)", "clause 19 (Applicable law",
                  "clause 20.1 and clause 20.2 (notices)"):
        assert cited in survival, cited
    assert "10.4 Anyone may verify" in text and "for at least fifty (50) years" in between(text, "10.4", "10.5")
    assert "The following provisions survive the end of this Agreement" in one_line(data)


# -- logo licence and the Una Europa logo -------------------------------------------------------------------


def test_logo_licence_ends_once_and_the_una_europa_logo_is_used_with_its_permission(variant: Variant) -> None:
    text = text_of(variant({}))
    duration = between(text, "9.3", "9.4")
    assert "The licence starts on the Effective Date and ends when this Agreement ends. For a Party that " \
           "withdraws or is excluded" in duration
    assert "with the agreement" not in duration and "It ends in any case" not in duration
    assert "The name and logo of Una Europa are not the Parties' to license" in text
    assert "used with the permission of Una Europa, which the Lead University obtains" in text
    earlier = text_of(variant({"branding.logo_licence.ends": "on 31 December 2027"}))
    assert "ends when this Agreement ends or, if earlier, on 31 December 2027." in earlier


# -- the Defaulting Party has a clause of its own ------------------------------------------------------------


def test_defaulting_party_is_defined_in_a_clause_with_procedure_and_consequences(variant: Variant) -> None:
    text = text_of(variant({}))
    assert "(d) a finding that a Party is a Defaulting Party, and the measures taken, under clause 15;" in text
    assert '"Defaulting Party" has the meaning given in clause 15.2.' in text
    breach = between(text, "15 BREACH AND EXCLUSION OF A PARTY", "16 LIABILITY")
    assert 'that the Party is in breach (the "Defaulting Party")' in breach
    for step in ("asking the Party to remedy it within sixty (60) days", "is heard before the decision",
                 "excluding the Defaulting Party from this Agreement", "ceases to be a Party on the date of its "
                 "exclusion", "keeps its obligations towards the Learners enrolled at that date under clause 14.7"):
        assert step in breach
    termination = between(text, "14.6", "14.7")
    assert "Defaulting" not in termination and "exclu" not in termination


# -- notices: a durable form for what matters, and an address for notices ------------------------------------


def test_formal_notices_need_a_durable_form_and_each_party_an_address_for_notices(variant: Variant) -> None:
    c = variant({"partners.1.notice_address": "Legal Office, Via Zamboni 33, 40126 Bologna, Italy"})
    text = text_of(c)
    formal = between(text, "20.2", "20.3")
    assert "A notice of withdrawal, of a breach, of exclusion, of termination or of a dispute is valid only if" \
           in formal
    assert "registered letter with acknowledgement of receipt" in formal and "qualified electronic signature" in formal
    assert "by notice to all other Parties, given in the form required by clause 20.2" in text  # withdrawal
    parties = annex(text, 2)
    assert "Address for notices Legal Office, Via Zamboni 33, 40126 Bologna, Italy" in parties
    assert parties.count("Address for notices") == 3


# -- defined terms --------------------------------------------------------------------------------------------


def test_the_collecting_party_is_a_party_and_annex_4_cites_the_lead_power_to_sign(variant: Variant) -> None:
    text = text_of(variant({}))
    assert "Collecting Partner" not in text and '"Collecting Party" means University of Helsinki' in text
    signing = between(text, "13.3", "13.4")
    assert "Each Party authorises the Lead University to sign Accession Forms on its behalf" in signing
    assert "signs this Accession Form on behalf of all Parties under clause 13.3 of the Agreement" in text
    assert lint_agreement(variant({})) == []


# -- governing law ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "law"), [("GB-SCT", "Scots law"), ("GB-ENG", "the law of England and Wales"),
                                           ("GB-NIR", "the law of Northern Ireland"), ("NL", "the law of the "
                                                                                              "Netherlands")])
def test_governing_law_is_named_as_lawyers_name_it(code: str, law: str, variant: Variant) -> None:
    assert f"This Agreement is governed by {law}." in text_of(variant({"law.applicable": code}))


# -- the Accession Form --------------------------------------------------------------------------------------


def test_the_accession_form_names_the_version_and_carries_what_is_decided_with_the_accession(
        variant: Variant) -> None:
    c = variant({"partners.3": {**KUL, "legal_form": "university", "address": "Oude Markt 13, 3000 Leuven",
                                "identifier": {"scheme": "enterprise number", "value": "[test] 0000.000.000"}},
                 "accession.accessions": [{"partner": "KUL", "date": "2026-09-01"}],
                 "finance.revenue_shares": {"UH": 40, "UNIBO": 20, "UJ": 20, "KUL": 20},
                 "credential.courses.3.provider": "KUL", "recognition.KUL": "recognised by the faculty board"})
    form = one_line(unadocs.build_accession_form(c, "KUL"))
    assert ("ACCESSION FORM to the Consortium Agreement UNA-MC-SUST-2025 on the Micro-credential in Sustainability, "
            "version 0.3 of 15 May 2025") in form
    assert ("KU Leuven (Katholieke Universiteit Leuven), a university with its registered address at Oude Markt 13, "
            "3000 Leuven, Belgium, registered under enterprise number [test] 0000.000.000") in form
    assert "with effect from 1 September 2026" in form
    assert "its tasks under clause 4.3 are: teaching and assessment;" in form
    assert "which are added to Annex 1: Political Economy of Sustainability (2 ECTS credits);" in form
    assert "as follows: recognised by the faculty board;" in form
    assert "its share of revenue is 20%, as set out in Annex 3;" in form
    assert ("accepts the terms of the Una Europa Data Protection Agreement of 2023 for the purposes of the "
            "Micro-credential, as clause 12.3 of the Agreement provides") in form
    full = one_line(unadocs.build_accession_form(variant({"data_protection.mode": "full", "partners.3": KUL,
                                                          "accession.accessions": [{"partner": "KUL",
                                                                                    "date": "2026-09-01"}]}), "KUL"))
    assert "accepts the provisions of the Agreement on the protection of personal data in clause 12" in full


@pytest.mark.parametrize(("spec", "partner", "message"), [
    ({}, "UJ", "UJ is an original party: it signs the agreement itself"),
    ({}, "UH", "UH is the lead university: it signs the agreement itself"),
    ({"agreement.date": "2026-10-01", "partners.3": KUL,
      "accession.accessions": [{"partner": "KUL", "date": "2026-09-01"}]}, "KUL",
     "KUL acceded on 2026-09-01, on or before the date of this version"),
])
def test_no_accession_form_for_a_party_that_signed_already(spec: dict[str, Any], partner: str, message: str,
                                                            variant: Variant) -> None:
    with pytest.raises(unadocs.UnadocsError, match=message):
        unadocs.build_accession_form(variant(spec), partner)


# -- the missing clauses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("participation", "on_site"), [("online", False), ("blended", True), ("on-site", True)])
def test_force_majeure(participation: str, on_site: bool, variant: Variant) -> None:
    text = text_of(variant({"credential.participation": participation}))
    clause = between(text, "17 FORCE MAJEURE", "18 CONFIDENTIALITY")
    assert '"Force Majeure" means an event beyond the reasonable control of a Party' in clause
    assert "is not in breach of this Agreement for as long as Force Majeure prevents it" in clause
    assert ("by teaching on-site parts online" in clause) is on_site


def test_entry_into_force_at_the_last_signature_and_board_approval_before_recruiting(variant: Variant) -> None:
    text = text_of(variant({}))
    assert "enters into force on the date on which the last of the Parties named in the preamble signs it" in text
    assert ("no Party recruits Learners or launches communications about the Micro-credential before the Board of "
            "Directors of Una Europa has approved this Agreement") in text
    approved = text_of(variant({"agreement.board_approval": "2025-06-20"}))
    assert "The Board of Directors of Una Europa approved this Agreement on 20 June 2025" in approved


def test_parties_block_gives_legal_form_registered_address_and_identifier(variant: Variant) -> None:
    complete = text_of(variant({"partners.0.legal_form": "public university",
                                "partners.0.address": "Yliopistonkatu 3, 00014 Helsinki",
                                "partners.0.identifier": {"scheme": "Business ID", "value": "[test] 0000000-0"}}))
    assert ("University of Helsinki (Helsingin yliopisto), a public university with its registered address at "
            "Yliopistonkatu 3, 00014 Helsinki, Finland, registered under Business ID [test] 0000000-0, represented "
            "for the signature of this Agreement by Sari Lindblom, Rector") in complete
    assert ("University of Bologna (Alma Mater Studiorum \u2013 Universit\u00e0 di Bologna), a [legal form] with its "
            "registered address at [registered address], Italy, registered under [official identifier]") in complete
    assert "an independent foundation with" in text_of(variant({"partners.0.legal_form": "independent foundation"}))


def test_background_is_listed_in_an_annex_or_none_is_said_to_be_listed(variant: Variant) -> None:
    assert "No Party lists any Background at the date of this version." in annex(text_of(variant({})), 6)
    listed = annex(text_of(variant({"intellectual_property.listed_background": {
        "UH": ["the course template of courses.mooc.fi", "the Climate.now videos"]}})), 6)
    assert ("University of Helsinki the course template of courses.mooc.fi; the Climate.now videos "
            "University of Bologna None listed.") in listed
