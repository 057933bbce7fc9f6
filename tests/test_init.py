"""`unadocs init`: a first spec from a few questions, answered at a real terminal (a pseudo-terminal)."""

from __future__ import annotations

from pathlib import Path

import pexpect
import pytest

from tests.conftest import ROOT
from unadocs.checks import advisories
from unadocs.load import load_spec
from unadocs.starter import StarterAnswers, starter_spec

UNADOCS = str(ROOT / ".venv" / "bin" / "unadocs")


def test_a_lawyer_answers_the_questions_and_gets_a_valid_spec(tmp_path: Path) -> None:
    session = pexpect.spawn(UNADOCS, ["init", "-o", "spec.yaml"], cwd=str(tmp_path), encoding="utf-8", timeout=60,
                            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "dumb"})
    session.expect("Title of the micro-credential")
    session.sendline("Climate & <Law> {{ 7*7 }}")
    session.expect("Partner members")
    session.sendline("complutense, leiden")
    session.expect("not a member code: complutense")
    session.expect("Partner members")
    session.sendline("leiden, madrid, paris, dublin")
    session.expect("The lead")
    session.sendline("madrid")
    session.expect("Workload in ECTS")
    session.sendline("7,5")
    session.expect("EQF level")
    session.sendline("6")
    session.expect("Languages of instruction")
    session.sendline("English, Español")
    session.expect("Participation")
    session.sendline("blended")
    session.expect("Finance model")
    session.sendline("mixed")
    session.expect("Fee for learners from outside the alliance")
    session.sendline("150 EUR")
    session.expect("First day of the agreement")
    session.sendline("")
    session.expect("Duration in years")
    session.sendline("5")
    session.expect("one of 1, 2, 3, 4")
    session.sendline("4")
    session.expect("Governing law")
    session.sendline("Scotland")
    session.expect("GB-SCT")
    session.expect("Governing law")
    session.sendline("GB-SCT")
    session.expect("wrote spec.yaml: valid")
    session.expect(pexpect.EOF)
    session.close()
    assert session.exitstatus == 0, session.before

    consortium = load_spec(tmp_path / "spec.yaml")
    assert consortium.credential.title == "Climate & <Law> {{ 7*7 }}"  # literal: text never becomes structure
    assert [p.id for p in consortium.partners] == ["LEIDEN", "MADRID", "PARIS", "DUBLIN"]
    assert consortium.lead.id == "MADRID" and consortium.certificate.issuer == "MADRID"
    assert (str(consortium.credential.ects), consortium.credential.eqf_level) == ("7.5", 6)
    assert consortium.credential.languages == ["en", "es"] and consortium.finance.model.value == "mixed"
    assert (consortium.term.duration_years, consortium.law.applicable) == (4, "GB-SCT")
    assert any(a.code == "to-complete" for a in advisories(consortium))


def test_defaults_write_a_spec_that_drafts_an_agreement_and_never_overwrite(tmp_path: Path) -> None:
    done = pexpect.run(f"{UNADOCS} init --defaults -o spec.yaml", cwd=str(tmp_path), withexitstatus=True,
                       encoding="utf-8")
    assert done[1] == 0 and "wrote spec.yaml: valid" in done[0]
    again = pexpect.run(f"{UNADOCS} init --defaults -o spec.yaml", cwd=str(tmp_path), withexitstatus=True,
                        encoding="utf-8")
    assert again[1] == 1 and "already exists; it was not overwritten" in again[0]
    drafted = pexpect.run(f"{UNADOCS} agreement spec.yaml -o agreement.docx", cwd=str(tmp_path), withexitstatus=True,
                          encoding="utf-8", timeout=300)
    assert drafted[1] == 0 and (tmp_path / "agreement.docx").stat().st_size > 10_000


@pytest.mark.parametrize("model", ["centralised", "decentralised", "mixed"])
@pytest.mark.parametrize("members", [("helsinki", "bologna", "krakow"), ("leiden", "madrid", "paris", "dublin",
                                                                        "zurich")])
def test_every_finance_model_and_consortium_size_gives_a_valid_spec(tmp_path: Path, model: str,
                                                                    members: tuple[str, ...]) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(starter_spec(StarterAnswers(members=members, finance_model=model, lead=members[-1])),
                    encoding="utf-8")
    consortium = load_spec(path)
    assert sum(consortium.finance.revenue_shares.values()) == 100  # type: ignore[union-attr]
