"""Fixtures for the certificate tests: real specs, a real key, certificates rendered once per session."""

from __future__ import annotations

import copy
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import EXAMPLE_LEARNERS
from unadocs.issuing import IssueResult, issue_certificates
from unadocs.load import parse_spec
from unadocs.model import Consortium
from unadocs.seal.keys import Signer, generate_key, load_signer


def pytest_configure(config: pytest.Config) -> None:
    # Used by test_layout.py; registered here too, so that --strict-markers accepts it whether or not the
    # project-wide registration (pyproject.toml) is in place.
    config.addinivalue_line("markers", "allow_log_warnings: the test expects a logged warning")


def consortium_from(data: dict[str, Any]) -> Consortium:
    return parse_spec(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), source="test spec")


@pytest.fixture(scope="session")
def approved_data(example_data: dict[str, Any]) -> dict[str, Any]:
    """The reference spec with its agreement approved: certificates are real, not specimens."""
    data = copy.deepcopy(example_data)
    data["agreement"]["status"] = "approved"
    return data


@pytest.fixture(scope="session")
def approved(approved_data: dict[str, Any]) -> Consortium:
    return consortium_from(approved_data)


@pytest.fixture(scope="session")
def draft(example_data: dict[str, Any]) -> Consortium:
    return consortium_from(example_data)


@dataclass(frozen=True)
class Keys:
    signer: Signer
    key_path: Path
    trust_path: Path


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    """A real UH key, valid over the example agreement's term, and its trust list."""
    directory = tmp_path_factory.mktemp("keys")
    info = generate_key("UH", directory, valid_from=date(2025, 9, 1), valid_until=date(2029, 8, 31))
    return Keys(load_signer(info.private_key_path), info.private_key_path, info.trust_path)


@dataclass(frozen=True)
class Issued:
    out_dir: Path
    results: list[IssueResult]

    def pdf(self, learner_id: str) -> Path:
        return next(r.pdf for r in self.results if r.learner_id == learner_id and r.pdf is not None)


@pytest.fixture(scope="session")
def example_issued(approved: Consortium, keys: Keys, tmp_path_factory: pytest.TempPathFactory) -> Issued:
    """The example learners' certificates under the approved spec, with the combined print file."""
    out = tmp_path_factory.mktemp("issued")
    results = list(issue_certificates(approved, EXAMPLE_LEARNERS, keys.signer, out, combined=out / "print.pdf"))
    return Issued(out, results)


def pdftotext(path: Path, *pages: int) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if pages:
        args += ["-f", str(min(pages)), "-l", str(max(pages))]
    return subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    """Text with every run of white space as one space (labels wrap across lines in the PDF)."""
    return " ".join(text.split())
