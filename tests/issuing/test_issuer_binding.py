"""A key seals only for the institution its trust list entry names: never by what its own file says."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.conftest import ROOT
from tests.issuing.conftest import Setup, run
from unadocs.seal.keys import load_signer
from unadocs.seal.payload import Payload, record_digest, seal, verification_link

LEGACY = ROOT / "tests" / "fixtures" / "legacy-0.1"


def _evil_key(setup: Setup) -> Path:
    """A key of another institution, added to the same trust list, as a partner or an attacker could get."""
    result = run("keys", "generate", "--issuer", "EVIL", "--out", str(setup.keys), "--valid-from", "2025-09-01",
                 "--valid-until", "2029-08-31")
    assert result.exit_code == 0, result.output
    return next(setup.keys.glob("EVIL-*.pem"))


def test_a_key_whose_header_is_edited_to_name_the_issuer_is_refused_before_anything_is_written(setup: Setup) -> None:
    key = _evil_key(setup)
    key.write_text(key.read_text(encoding="ascii").replace("Issuer: EVIL", "Issuer: UH"), encoding="ascii")
    out = setup.root / "out"
    result = setup.issue(setup.learners("L-1,Ana,Lopez,2026-02-01\n"), out, key=key)
    assert result.exit_code == 1
    assert "header says issuer 'UH', but" in result.stderr and "binds key" in result.stderr
    assert "to 'EVIL'; the trust list decides whose key it is" in result.stderr
    assert not out.exists()


def test_a_key_the_trust_list_binds_to_another_institution_is_refused(setup: Setup) -> None:
    key = _evil_key(setup)
    key.write_text("\n".join(line for line in key.read_text(encoding="ascii").splitlines()
                             if not line.startswith("Issuer:")) + "\n", encoding="ascii")
    out = setup.root / "out"
    result = setup.issue(setup.learners("L-1,Ana,Lopez,2026-02-01\n"), out, key=key)
    assert result.exit_code == 1
    assert "belongs to 'EVIL' (its trust list entry), but the certificates are issued by 'UH'" in result.stderr
    assert not out.exists()


def test_a_key_missing_from_the_trust_list_is_refused(setup: Setup) -> None:
    other = setup.root / "elsewhere"
    assert run("keys", "generate", "--issuer", "UH", "--out", str(other)).exit_code == 0
    out = setup.root / "out"
    result = setup.issue(setup.learners("L-1,Ana,Lopez,2026-02-01\n"), out, "--trust", str(other / "trust.json"))
    assert result.exit_code == 1 and "is not in" in result.stderr and "would verify nowhere" in result.stderr
    assert not out.exists()


def test_a_certificate_sealed_by_a_key_of_another_institution_is_not_valid(setup: Setup) -> None:
    evil = load_signer(_evil_key(setup))
    forged = Payload(credential_id="7c9e6679-7425-50de-944b-e07fc1f90ae7", name="Ana Lopez", title="Anything",
                     issued=date(2026, 2, 1), ects="10", eqf=7, awarding=("UH", "UNIBO", "UJ"), issuer="UH",
                     key_id=evil.key_id, sealed=date(2026, 2, 1), record_sha256=record_digest(b"{}"))
    link = verification_link("https://verify.example/c/", seal(forged, evil))
    result = run("verify", link, "--trust", str(setup.trust))
    assert result.exit_code == 1
    assert result.stdout.startswith("NOT VALID (wrong-issuer): It was sealed by a key of another institution")
    assert f"key {evil.key_id} belongs to EVIL" in result.stdout
    format_1 = Payload(credential_id="x", name="Ana Lopez", title="Anything", issued=date(2026, 2, 1), ects="10",
                       eqf=7, awarding=("UH", "UNIBO", "UJ"), key_id=evil.key_id, record_sha256=record_digest(b"{}"),
                       version=1)
    result = run("verify", seal(format_1, evil), "--trust", str(setup.trust), "--json")
    assert json.loads(result.stdout)["reason"] == "wrong-issuer"
    assert "not one of the awarding bodies" in json.loads(result.stdout)["message"]


def test_certificates_issued_by_unadocs_0_1_keep_verifying() -> None:
    trust = str(LEGACY / "trust.json")
    result = run("verify", str(LEGACY / "UH-2026-0001.pdf"), "--trust", trust, "--strict", "--json")
    verdict = json.loads(result.stdout)
    assert (result.exit_code, verdict["reason"], verdict["warnings"]) == (0, "valid", [])
    assert verdict["fields"]["issuer"] == "UH" and "sealed" not in verdict["fields"]
    result = run("verify", str(LEGACY / "UH-2026-0001.pdf"), "--trust", trust,
                 "--record", str(LEGACY / "UH-2026-0001.json"))
    assert result.exit_code == 0
    result = run("verify", str(LEGACY / "UH-2026-0001.ob3.jwt"), "--trust", trust, "--json")
    verdict = json.loads(result.stdout)
    assert (result.exit_code, verdict["reason"]) == (0, "valid")
    assert "does not say which institution sealed it" in verdict["warnings"][0]


def test_an_issued_certificate_names_its_issuer_and_day_of_sealing(setup: Setup) -> None:
    out = setup.root / "out"
    assert setup.issue(setup.learners("L-1,Ana,Lopez,2026-02-01\n"), out).exit_code == 0
    result = run("verify", str(out / "L-1.pdf"), "--trust", str(setup.trust), "--json")
    fields = json.loads(result.stdout)["fields"]
    assert (fields["issuer"], fields["sealed"], fields["issued"]) == ("UH", "2026-07-01", "2026-02-01")
