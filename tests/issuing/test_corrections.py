"""A corrected certificate is a new certificate: its own id, the id it supersedes, and a way to revoke the misprint."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.issuing.conftest import Setup, run

ANA = "L-1,Ana,Lopez,2026-02-01\n"
ANNA = "L-1,Anna,Lopez,2026-02-01\n"  # the misprint corrected


def _record(out: Path, learner_id: str = "L-1") -> dict[str, object]:
    data: dict[str, object] = json.loads((out / f"{learner_id}.json").read_bytes())
    return data


def _manifest(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_corrected_name_gives_a_new_credential_that_supersedes_the_misprint(setup: Setup) -> None:
    out = setup.root / "out"
    assert setup.issue(setup.learners(ANA), out, "--formats", "pdf,elm,ob3").exit_code == 0
    misprint = _record(out)
    shutil.copy(out / "L-1.pdf", setup.root / "misprint.pdf")

    result = setup.issue(setup.learners(ANNA), out, "--formats", "pdf,elm,ob3")
    assert result.exit_code == 0, result.output
    assert "1 issued, 0 unchanged, 0 failed" in result.stdout
    corrected = _record(out)
    old, new = misprint["credential_id"], corrected["credential_id"]
    assert old != new and corrected["supersedes"] == old and misprint["supersedes"] is None
    assert f"unadocs keys revoke {old} --superseded-by {new} --trust {setup.trust}" in result.stderr
    assert f"unadocs keys revoke --superseded-in {out} --trust {setup.trust}" in result.stderr
    assert _manifest(out)[-1]["supersedes"] == old
    elm = json.loads((out / "L-1.elm.jsonld").read_bytes())
    notes = elm["credentialSubject"]["hasClaim"]["additionalNote"]
    assert any(f"replaces credential {old}" in note["noteLiteral"]["en"] for note in notes)
    assert f"replaces credential urn:uuid:{old}" in json.loads((out / "L-1.ob3.json").read_bytes())["description"]

    # Until the misprint is revoked both verify; then only the correction does, and the misprint names it.
    assert run("verify", str(setup.root / "misprint.pdf"), "--trust", str(setup.trust)).exit_code == 0
    result = run("keys", "revoke", "--superseded-in", str(out), "--trust", str(setup.trust))
    assert result.exit_code == 0 and f"revoked {old} (superseded by {new})" in result.stdout
    result = run("verify", str(setup.root / "misprint.pdf"), "--trust", str(setup.trust), "--json")
    verdict = json.loads(result.stdout)
    assert (result.exit_code, verdict["reason"], verdict["superseded_by"]) == (1, "superseded", new)
    assert f"replaced by credential {new}" in verdict["message"]
    assert run("verify", str(out / "L-1.pdf"), "--trust", str(setup.trust)).exit_code == 0


def test_a_second_correction_supersedes_the_first_and_keeps_the_chain(setup: Setup) -> None:
    out = setup.root / "out"
    setup.issue(setup.learners(ANA), out)
    first = _record(out)["credential_id"]
    setup.issue(setup.learners(ANNA), out)
    second = _record(out)["credential_id"]
    setup.issue(setup.learners("L-1,Anna,López,2026-02-01\n"), out)
    assert _record(out)["supersedes"] == second
    assert [e["supersedes"] for e in _manifest(out)] == [None, first, second]


def test_an_unchanged_run_keeps_the_certificate_and_its_id(setup: Setup) -> None:
    out = setup.root / "out"
    learners = setup.learners(ANA)
    setup.issue(learners, out)
    before = (out / "L-1.pdf").read_bytes()
    result = setup.issue(learners, out)
    assert "0 issued, 1 unchanged, 0 failed" in result.stdout and "revoke" not in result.stderr
    assert (out / "L-1.pdf").read_bytes() == before


def test_a_change_that_the_certificate_does_not_show_issues_again_under_the_same_id(
    setup: Setup, spec_with: object,
) -> None:
    out = setup.root / "out"
    learners = setup.learners(ANA)
    setup.issue(learners, out)
    before = _record(out)["credential_id"]
    changed = spec_with(governance={"meetings_per_year": 4})  # type: ignore[operator]
    result = run("certificates", str(changed), str(learners), "--key", str(setup.key), "-o", str(out), "--quiet")
    assert "1 issued, 0 unchanged, 0 failed" in result.stdout  # made from another spec: issued again
    assert _record(out)["credential_id"] == before and _record(out)["supersedes"] is None
    assert "revoke" not in result.stderr


def test_the_library_reports_what_was_superseded(setup: Setup) -> None:
    import unadocs

    consortium, signer = unadocs.load_spec(setup.spec), unadocs.load_signer(setup.key)
    out = setup.root / "lib"
    [first] = unadocs.issue_certificates(consortium, setup.learners(ANA), signer, out)
    run = unadocs.issue_certificates(consortium, setup.learners(ANNA), signer, out)
    [second] = run
    assert second.supersedes == first.credential_id
    assert run.superseded == [unadocs.Superseded("L-1", str(first.credential_id), str(second.credential_id))]
