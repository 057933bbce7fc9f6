"""Runs sealed with the university's eSeal, through the command line as a registrar runs them.

Every test seals on 2026-07-01 (``SOURCE_DATE_EPOCH``, tests/issuing/conftest.py), so two runs can be compared
byte for byte. The seals come from the test PKI of tests/seal/pki.py.
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_LEARNERS, ROOT
from tests.issuing.conftest import Setup, run
from tests.seal.pki import NOW, PASSWORD, Pki, Seal, make_pki, serve_timestamps
from unadocs.seal.eseal_check import check_pades
from unadocs.seal.jades import verify_jades

LEARNER_IDS = [f"UH-2025-000{n}" for n in range(1, 7)]


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki("rsa")


@pytest.fixture(scope="module")
def pki_ec() -> Pki:
    return make_pki("ec")


def p12(seal: Seal, directory: Path, name: str = "uh.p12") -> tuple[str, ...]:
    """The options that seal with ``seal``'s PKCS#12 file, its password in a file."""
    password = directory / f"{name}.password"
    password.write_text(PASSWORD + "\n", encoding="utf-8")
    return "--eseal", str(seal.p12(directory / name)), "--eseal-password-file", str(password)


def files_of(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.suffix in (".pdf", ".json", ".jsonld", ".jwt")}


def test_a_sealed_run_seals_every_pdf_and_elm_credential(setup: Setup, pki: Pki, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = setup.issue(EXAMPLE_LEARNERS, out, "--formats", "pdf,elm,ob3", *p12(pki.seal(), tmp_path))
    assert result.exit_code == 0, result.output
    assert "6 issued, 0 unchanged, 0 failed" in result.output
    assert "sealing with CN=University of Helsinki TEST eSeal" in result.output and "(PAdES/JAdES B-B)" in result.output
    for learner in LEARNER_IDS:
        check = check_pades((out / f"{learner}.pdf").read_bytes(), [pki.ca])
        assert check is not None and check.valid and check.trusted
        jades, payload = verify_jades((out / f"{learner}.elm.jades.json").read_bytes(), [pki.ca])
        assert jades.valid and payload == (out / f"{learner}.elm.jsonld").read_bytes()
    entries = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert all(f"{e['learner_id']}.elm.jades.json" in e["files"] for e in entries)
    verdict = run("verify", str(out / "UH-2025-0003.pdf"), "--trust", str(setup.trust))
    assert verdict.exit_code == 0, verdict.output
    assert "eSeal (PAdES B-B): valid" in verdict.output
    assert "chain:           not checked (no trust roots given)" in verdict.output
    assert "signing time:    2026-07-01 00:00:00 UTC (claimed by the sealer)" in verdict.output


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_two_sealed_runs_give_the_same_bytes(kind: str, setup: Setup, pki: Pki, pki_ec: Pki, tmp_path: Path) -> None:
    """SOURCE_DATE_EPOCH fixes the signing time; RSA PKCS#1 v1.5 is deterministic and ECDSA signs with RFC 6979."""
    seal = (pki if kind == "rsa" else pki_ec).seal()
    options = ("--formats", "pdf,elm,ob3", *p12(seal, tmp_path))
    assert setup.issue(EXAMPLE_LEARNERS, tmp_path / "one", *options).exit_code == 0
    assert setup.issue(EXAMPLE_LEARNERS, tmp_path / "two", *options).exit_code == 0
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert len(one) == 6 * 6 and one == two


def test_another_seal_issues_again_and_the_same_seal_keeps_the_files(setup: Setup, pki: Pki, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first, second = p12(pki.seal(), tmp_path, "first.p12"), p12(pki.seal(), tmp_path, "second.p12")
    assert setup.issue(EXAMPLE_LEARNERS, out, *first).exit_code == 0
    sealed = files_of(out)
    again = setup.issue(EXAMPLE_LEARNERS, out, *first)
    assert "0 issued, 6 unchanged" in again.output and files_of(out) == sealed
    other = setup.issue(EXAMPLE_LEARNERS, out, *second)
    assert "6 issued, 0 unchanged" in other.output
    assert "replace" not in other.output  # the same certificates, sealed anew: nothing to revoke
    unsealed = setup.issue(EXAMPLE_LEARNERS, out)
    assert "6 issued, 0 unchanged" in unsealed.output
    assert check_pades((out / "UH-2025-0001.pdf").read_bytes()) is None


def test_the_print_file_holds_the_certificates_as_rendered(setup: Setup, pki: Pki, tmp_path: Path) -> None:
    """A seal covers one file: the print file of a sealed run is the unsealed run's, byte for byte."""
    sealed, plain = tmp_path / "sealed", tmp_path / "plain"
    assert setup.issue(EXAMPLE_LEARNERS, sealed, "--combined", str(sealed / "print.pdf"),
                       *p12(pki.seal(), tmp_path)).exit_code == 0
    assert setup.issue(EXAMPLE_LEARNERS, plain, "--combined", str(plain / "print.pdf")).exit_code == 0
    assert (sealed / "print.pdf").read_bytes() == (plain / "print.pdf").read_bytes()
    assert not list(sealed.glob(".*.tmp"))  # the unsealed copies it was made from are gone
    # a resumed run adds the certificates it kept, as rendered too
    again = setup.issue(EXAMPLE_LEARNERS, sealed, "--combined", str(sealed / "print.pdf"), *p12(pki.seal(), tmp_path,
                                                                                               "same.p12"))
    assert again.exit_code == 0


def test_workers_in_other_processes_seal_too(setup: Setup, pki: Pki, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("certificates", str(setup.spec), str(EXAMPLE_LEARNERS), "--key", str(setup.key), "-o", str(out),
                 "--jobs", "2", "--quiet", "--formats", "pdf,elm", *p12(pki.seal(), tmp_path))
    assert result.exit_code == 0, result.output
    assert all(check_pades((out / f"{i}.pdf").read_bytes()) is not None for i in LEARNER_IDS)


def test_one_certificate_from_the_library_is_the_batchs(setup: Setup, pki: Pki, tmp_path: Path) -> None:
    from unadocs.issuing import render_certificate
    from unadocs.load import load_spec, read_learners
    from unadocs.seal.eseal import load_eseal
    from unadocs.seal.keys import load_signer

    seal = pki.seal()
    out = tmp_path / "out"
    assert setup.issue(EXAMPLE_LEARNERS, out, *p12(seal, tmp_path)).exit_code == 0
    learner = next(row.learner for row in read_learners(EXAMPLE_LEARNERS) if row.learner is not None)
    pdf = render_certificate(load_spec(setup.spec), learner, load_signer(setup.key),
                             eseal=load_eseal(seal.p12(tmp_path / "lib.p12"), PASSWORD))
    assert pdf == (out / f"{learner.learner_id}.pdf").read_bytes()


def test_export_seals_the_elm_credentials(setup: Setup, pki: Pki, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("export", "elm", str(setup.spec), str(EXAMPLE_LEARNERS), "-o", str(out), *p12(pki.seal(), tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.elm.jades.json")) == [f"{i}.elm.jades.json" for i in LEARNER_IDS]
    ob3 = run("export", "ob3", str(setup.spec), str(EXAMPLE_LEARNERS), "-o", str(tmp_path / "ob3"), "--key",
              str(setup.key), *p12(pki.seal(), tmp_path))
    assert ob3.exit_code == 1 and "the eSeal seals the ELM credential" in ob3.output


def test_a_timestamp_server_makes_the_seals_b_t(setup: Setup, pki: Pki, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with serve_timestamps(pki) as url:
        result = setup.issue(EXAMPLE_LEARNERS, out, "--formats", "pdf,elm", "--tsa", url, *p12(pki.seal(), tmp_path))
    assert result.exit_code == 0, result.output
    check = check_pades((out / "UH-2025-0001.pdf").read_bytes(), [pki.ca])
    assert check is not None and (check.level, check.valid, check.trusted) == ("B-T", True, True)
    assert verify_jades((out / "UH-2025-0001.elm.jades.json").read_bytes(), [pki.ca])[0].level == "B-T"


# -- a wrong seal stops the run before anything is written --------------------------------------------------------


def _refused(setup: Setup, out: Path, *options: str, message: str) -> None:
    result = setup.issue(EXAMPLE_LEARNERS, out, "--formats", "pdf,elm", *options)
    assert result.exit_code != 0
    assert message in result.output, result.output
    assert "Traceback" not in result.output and PASSWORD not in result.output
    assert not out.exists() or [p.name for p in out.iterdir()] == []


def test_a_wrong_password_stops_the_run(setup: Setup, pki: Pki, tmp_path: Path) -> None:
    password = tmp_path / "wrong"
    password.write_text("not the password\n")
    _refused(setup, tmp_path / "out", "--eseal", str(pki.seal().p12(tmp_path / "uh.p12")), "--eseal-password-file",
             str(password), message="wrong password for this PKCS#12 file")


def test_a_pkcs12_without_a_key_stops_the_run(setup: Setup, pki: Pki, tmp_path: Path) -> None:
    seal = pki.seal()
    options = p12(seal, tmp_path)
    seal.p12(tmp_path / "uh.p12", with_key=False)
    _refused(setup, tmp_path / "out", *options, message="holds no private key")


def test_an_expired_seal_certificate_stops_the_run(setup: Setup, pki: Pki, tmp_path: Path) -> None:
    from datetime import datetime, timezone

    sealing_day = datetime(2026, 7, 1, tzinfo=timezone.utc)
    _refused(setup, tmp_path / "out", *p12(pki.seal(not_after=sealing_day - timedelta(days=1)), tmp_path),
             message="the eSeal certificate (CN=University of Helsinki TEST eSeal,")
    _refused(setup, tmp_path / "out2", *p12(pki.seal(not_after=sealing_day - timedelta(days=1)), tmp_path),
             message="expired on 2026-06-30")


def test_the_seal_of_another_university_stops_the_run_unless_told(setup: Setup, pki: Pki, tmp_path: Path) -> None:
    bologna = p12(pki.seal("University of Bologna", "VATIT-01131710376"), tmp_path)
    _refused(setup, tmp_path / "out", *bologna, message="names organisation 'University of Bologna'")
    pilot = setup.issue(EXAMPLE_LEARNERS, tmp_path / "pilot", *bologna, "--eseal-any-subject")
    assert pilot.exit_code == 0, pilot.output


def test_the_password_comes_from_the_environment_or_is_asked_for(setup: Setup, pki: Pki, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(pki.seal().p12(tmp_path / "uh.p12"))
    _refused(setup, tmp_path / "none", "--eseal", path,
             message="the password of " + path + " is needed: give --eseal-password-file FILE or set "
                                                 "UNADOCS_ESEAL_PASSWORD")
    monkeypatch.setenv("UNADOCS_ESEAL_PASSWORD", PASSWORD)
    assert setup.issue(EXAMPLE_LEARNERS, tmp_path / "env", "--eseal", path).exit_code == 0


def test_on_a_terminal_the_password_is_asked_for_and_not_echoed(setup: Setup, pki: Pki, tmp_path: Path) -> None:
    """A real pseudo-terminal: unadocs prompts, the typed password is not shown, the run seals."""
    path = str(pki.seal().p12(tmp_path / "uh.p12"))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "unadocs.cli", "certificates", str(setup.spec), str(EXAMPLE_LEARNERS),
               "--key", str(setup.key), "-o", str(out), "--jobs", "1", "--quiet", "--eseal", path]
    environment = {k: v for k, v in os.environ.items() if k != "UNADOCS_ESEAL_PASSWORD"}
    main, child = pty.openpty()
    process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, cwd=ROOT, env=environment)
    os.close(child)
    seen = b""
    try:
        seen += _read_until(main, b"(not shown)")
        os.write(main, PASSWORD.encode() + b"\n")
        seen += _read_until(main, b"failed")
    finally:
        process.wait(timeout=300)
        os.close(main)
    assert process.returncode == 0, seen.decode(errors="replace")
    assert f"password of {path} (not shown)".encode() in seen
    assert PASSWORD.encode() not in seen
    assert check_pades((out / "UH-2025-0001.pdf").read_bytes()) is not None


def _read_until(fd: int, marker: bytes, timeout: float = 300) -> bytes:
    data = b""
    while marker not in data:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            raise AssertionError(f"no {marker!r} on the terminal; it showed {data!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        data += chunk
    return data


@pytest.mark.parametrize(("options", "message"), [
    (("--eseal", "a.p12", "--eseal-pkcs11", "m.so"), "either as --eseal FILE.p12 or as --eseal-pkcs11 MODULE"),
    (("--tsa", "http://tsa.example"), "--tsa and --eseal-password-file go with a seal"),
    (("--eseal-token", "t"), "--eseal-token names an object on a token"),
    (("--eseal-pkcs11", str(NOW.year)), "--eseal-pkcs11 needs --eseal-token LABEL and --eseal-key LABEL"),
])
def test_seal_options_that_do_not_go_together_are_named(options: tuple[str, ...], message: str, setup: Setup,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNADOCS_ESEAL_PASSWORD", "x")
    result = setup.issue(EXAMPLE_LEARNERS, tmp_path / "out", *options)
    assert result.exit_code == 2 and message in result.output
