"""A redline in LibreOffice, a real client of tracked changes: it opens the file, finds the changes, accepts or
rejects all of them through its UNO API (as Edit ▸ Track Changes ▸ Accept All / Reject All), and prints it.

LibreOffice runs headless with a profile of its own, driven by
``libreoffice_changes.py`` under the Python its UNO bridge belongs to
(Debian's ``python3-uno``; ``.ci/run`` installs it). After accepting or
rejecting, LibreOffice updates every field and the table of contents, and
each paragraph is compared with its list number as LibreOffice computes it:
so the numbering and the cross-references are checked, not only the words.

The drafts compared here carry their drafting notes inline: LibreOffice 7.4
stops when a document with comments is loaded into a view through UNO
headless (converting such a file, as below, works).
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import unadocs
from tests.agreement.conftest import convert_to_pdf, flat, pdf_text, soffice
from tests.agreement.test_agreement_compare import versions

SCRIPT = Path(__file__).with_name("libreoffice_changes.py")


def uno_python() -> str:
    """The Python of LibreOffice's UNO bridge; a hard failure, not a skip, when it is missing."""
    for candidate in ("/usr/bin/python3", shutil.which("python3") or ""):
        if candidate and subprocess.run([candidate, "-c", "import uno"], capture_output=True).returncode == 0:
            return candidate
    raise RuntimeError("LibreOffice's Python UNO bridge is required (Debian: python3-uno); .ci/run installs it")


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory: pytest.TempPathFactory, example_data: dict[str, Any]) -> list[dict[str, Any]]:
    """LibreOffice's reading of: the redline as it is, accepted, rejected; the new and the old agreement; and
    the redline of two identical specs. Built the default way: LibreOffice's page numbers in the contents."""
    old_data, new_data = versions(example_data)
    old, new = unadocs.load_spec(old_data), unadocs.load_spec(new_data)
    work = tmp_path_factory.mktemp("uno")
    files = {
        "redline": unadocs.compare_agreements(old, new, notes="inline"),
        "new": unadocs.build_agreement(new, notes="inline"),
        "old": unadocs.build_agreement(old, notes="inline"),
        "same": unadocs.compare_agreements(old, unadocs.load_spec(copy.deepcopy(old_data)), notes="inline"),
    }
    for name, data in files.items():
        (work / f"{name}.docx").write_bytes(data)
    jobs = [[str(work / f"{name}.docx"), action] for name, action in
            [("redline", "none"), ("redline", "accept"), ("redline", "reject"), ("new", "none"), ("old", "none"),
             ("same", "none")]]
    (work / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    done = subprocess.run([uno_python(), str(SCRIPT), soffice(), str(work / "profile"), str(work / "jobs.json")],
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def test_libreoffice_finds_the_changes(libreoffice: list[dict[str, Any]]) -> None:
    redline, _, _, new, old, same = libreoffice
    assert redline["changes"] > 40
    assert new["changes"] == old["changes"] == same["changes"] == 0


def test_accepting_every_change_in_libreoffice_gives_the_new_agreement(libreoffice: list[dict[str, Any]]) -> None:
    _, accepted, _, new, _, _ = libreoffice
    assert accepted["after"] == 0
    assert accepted["paragraphs"] == new["paragraphs"]


def test_rejecting_every_change_in_libreoffice_gives_the_old_agreement(libreoffice: list[dict[str, Any]]) -> None:
    """Numbers and cross-references included: LibreOffice updates the fields after rejecting."""
    _, _, rejected, _, old, _ = libreoffice
    assert rejected["after"] == 0
    assert rejected["paragraphs"] == old["paragraphs"]
    assert ["19.3", "If the dispute is not settled amicably within sixty (60) days of the notice under clause 19.2, "
            "the competent courts of Brussels have exclusive jurisdiction over it."] in rejected["paragraphs"]


def test_identical_specs_give_the_agreement_itself(libreoffice: list[dict[str, Any]]) -> None:
    _, _, _, _, old, same = libreoffice
    assert same["paragraphs"] == old["paragraphs"]


def test_the_redline_prints_both_versions_of_what_changed(
        tmp_path_factory: pytest.TempPathFactory, example_data: dict[str, Any]) -> None:
    """Converted headless as a user would print it: the drafting notes as comments, the changes shown."""
    old_data, new_data = versions(example_data)
    redline = unadocs.compare_agreements(unadocs.load_spec(old_data), unadocs.load_spec(new_data),
                                         toc_pages="on-open")
    pdfs = convert_to_pdf({"redline": redline}, tmp_path_factory.mktemp("redline-pdf"),
                          tmp_path_factory.mktemp("lo-profile"), processes=1)
    text = pdf_text(pdfs["redline"])
    assert "version 1.1, compared with 1.0" in text
    running = flat(text)
    assert "Name: Piotr JedynakJan Kowalski" in running
    assert "EUR 300.00350.00" in running
    assert "the competent courts of Brussels have exclusive jurisdiction over it" in running
    assert "CEPANI Rules of Arbitration" in running
