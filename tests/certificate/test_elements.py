"""Every Annex I element is printed on the certificate with its label and its value: one test per element."""

from __future__ import annotations

import pytest

from tests.certificate.conftest import Issued, flat, pdftotext
from unadocs.record import MANDATORY_LABELS, OPTIONAL_LABELS

# Łukasz Żółkiewski, row 3 of examples/learners.csv, issued 2026-01-20.
LEARNER = "UH-2025-0002"

#: (element key, values that must be printed on the back page), from examples/sustainability.yaml and learners.csv.
ELEMENTS = [
    ("learner", ["Łukasz Żółkiewski", "learner id UH-2025-0002", "born 2 November 1993"]),
    ("title", ["Micro-credential in Sustainability"]),
    ("countries", ["Finland, Italy, Poland"]),
    ("awarding_bodies", ["University of Helsinki", "University of Bologna", "Jagiellonian University"]),
    ("issued", ["20 January 2026"]),
    ("learning_outcomes", [
        "Explain the scientific basis of climate change and biodiversity loss and their interdependence.",
        "Analyse sustainability challenges from environmental, societal and economic perspectives.",
        "Critically evaluate policy and market instruments for a just sustainability transition.",
        "Apply the UN Sustainable Development Goals to frame a problem in the learner's own field.",
    ]),
    ("workload", ["10 ECTS"]),
    ("level", ["EQF level 7, second cycle (QF-EHEA)"]),
    ("assessment", ["Online assessment for each module: automatically graded quizzes and a final written "
                    "assignment reviewed by the teaching staff."]),
    ("participation", ["Online"]),
    ("quality_assurance", ["Internal quality assurance of the lead university for credit-bearing courses, "
                           "complemented by the Una Europa blueprint of internal quality processes for joint "
                           "education and a mandatory learner survey per run."]),
]

OPTIONAL = [
    ("prerequisites", ["A Bachelor's degree or equivalent."]),
    ("supervision", ["Unsupervised with no identity verification"]),
    ("grade", ["pass"]),
    ("stackability", ["Stackable towards: Master's programme in Environmental Change and Global Sustainability "
                      "(University of Helsinki), as optional studies"]),
]


@pytest.fixture(scope="module")
def back_page(example_issued: Issued) -> str:
    return flat(pdftotext(example_issued.pdf(LEARNER), 2))


def test_the_eleven_mandatory_elements_are_all_tested() -> None:
    assert [key for key, _ in ELEMENTS] == list(MANDATORY_LABELS)


@pytest.mark.parametrize(("key", "values"), ELEMENTS, ids=[key for key, _ in ELEMENTS])
def test_mandatory_element_is_printed_with_its_label_and_value(back_page: str, key: str, values: list[str]) -> None:
    assert MANDATORY_LABELS[key] in back_page
    for value in values:
        assert value in back_page


@pytest.mark.parametrize(("key", "values"), OPTIONAL, ids=[key for key, _ in OPTIONAL])
def test_optional_element_given_by_the_spec_or_learner_is_printed(back_page: str, key: str, values: list[str]) -> None:
    assert f"{OPTIONAL_LABELS[key]} (optional)" in back_page
    for value in values:
        assert value in back_page


def test_optional_element_not_given_is_left_out(back_page: str) -> None:
    # The example spec gives no further information.
    assert OPTIONAL_LABELS["further_information"] not in back_page


def test_labels_are_worded_as_in_the_recommendation() -> None:
    assert MANDATORY_LABELS["countries"] == "Country(ies)/Region(s) of the issuer"
    assert MANDATORY_LABELS["awarding_bodies"] == "Awarding body(ies)"
    assert MANDATORY_LABELS["participation"] == "Form of participation in the learning activity"
    assert MANDATORY_LABELS["quality_assurance"] == "Type of quality assurance used to underpin the micro-credential"
    assert OPTIONAL_LABELS["supervision"] == "Supervision and identity verification during assessment"


def test_front_page_carries_the_award(example_issued: Issued) -> None:
    front = flat(pdftotext(example_issued.pdf(LEARNER), 1))
    for text in ("Łukasz Żółkiewski", "Micro-credential in Sustainability", "University of Helsinki",
                 "University of Bologna", "Jagiellonian University", "20 January 2026", "Sari Lindblom", "Rector",
                 "Verify at verify.una-europa.eu", "Una Europa"):
        assert text in front


def test_back_page_lists_the_courses(example_issued: Issued) -> None:
    back = flat(pdftotext(example_issued.pdf(LEARNER), 2))
    for title in ("Introduction to Sustainability (mandatory)", "Climate.now", "Biodiversity.now",
                  "Political Economy of Sustainability", "Sustainability and the Arts"):
        assert title in back
    assert "Conditions of award: Successful assessment of modules totalling at least 10 ECTS" in back
