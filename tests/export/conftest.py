"""Fixtures for the export tests: the example spec, and a joint spec with an accession and the optional elements."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from tests.conftest import EXAMPLE_LEARNERS
from unadocs.load.learners import read_learners
from unadocs.record import CertificateRecord, build_record
from unadocs.load import load_spec
from unadocs.model import Consortium, Learner
from unadocs.seal.keys import Signer

#: The day the University of Edinburgh accedes in the joint spec.
ACCESSION_DAY = date(2026, 1, 1)


def example_learners() -> list[Learner]:
    return [row.learner for row in read_learners(EXAMPLE_LEARNERS) if row.learner is not None]


def joint_data(example: dict[str, Any]) -> dict[str, Any]:
    """The reference spec, approved, with five partners: one acceded, one not an Una Europa member."""
    data = copy.deepcopy(example)
    data["agreement"]["status"] = "approved"
    data["partners"] += [
        {"id": "UE", "member": "edinburgh", "coordinator": {"name": "Ailsa Reid", "email": "ailsa.reid@ed.ac.uk"},
         "signatory": {"name": "Peter Mathieson", "title": "Principal"}},
        {"id": "ACME", "name": "Acme Institute of Sustainability", "country": "AT",
         "coordinator": {"name": "Eva Gruber", "email": "eva.gruber@acme.example"},
         "signatory": {"name": "Hans Maier", "title": "Director"}},
    ]
    data["accession"]["accessions"] = [{"partner": "UE", "date": ACCESSION_DAY.isoformat()}]
    data["finance"]["revenue_shares"] = {"UH": 40, "UNIBO": 20, "UJ": 20, "UE": 10, "ACME": 10}
    data["credential"]["further_information"] = "Taught in English across the Una Europa campuses."
    data["credential"]["participation"] = "blended"
    return data


@pytest.fixture(scope="session")
def example(example_data: dict[str, Any]) -> Consortium:
    return load_spec(example_data)


@pytest.fixture(scope="session")
def joint(example_data: dict[str, Any]) -> Consortium:
    return load_spec(joint_data(example_data))


@pytest.fixture(scope="session")
def joint_sealed(example_data: dict[str, Any]) -> Consortium:
    """The joint spec with the issuer's eIDAS legal identifier, as a qualified eSeal would carry it."""
    data = joint_data(example_data)
    data["partners"][0]["eidas_identifier"] = "FI/VATFI-0313471-7"
    return load_spec(data)


@pytest.fixture(scope="session")
def joint_record(joint: Consortium) -> CertificateRecord:
    """A learner with a grade, issued after the accession: five awarding bodies in four countries."""
    learner = next(lr for lr in example_learners() if lr.grade == "pass with distinction")
    assert learner.issued > ACCESSION_DAY
    return build_record(joint, learner)


@pytest.fixture(scope="session")
def signer() -> Signer:
    """UH's test key (from a fixed seed, for tests only), valid over the example agreement's term."""
    return Signer.from_seed(bytes(range(32)), "UH", valid_from=date(2025, 9, 1), valid_until=date(2029, 8, 31))
