"""The seal's key in a token: PKCS#11 with SoftHSM2, end to end through the command line.

The key is generated inside the token (it never leaves it); the token also holds the seal certificate and the
CA's, which pyHanko pulls as the chain. The PIN comes from a file, as a registrar's script would give it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives.serialization import Encoding

from tests.conftest import EXAMPLE_LEARNERS
from tests.seal.conftest import Issued, Token
from tests.seal.test_pades import pdfsig, pyhanko_status
from unadocs.cli import main
from unadocs.seal.jades import verify_jades


def issue_with_token(issued: Issued, token: Token, out: Path, pin: str, *more: str) -> Result:
    pin_file = out.parent / f"{out.name}.pin"
    pin_file.write_text(pin + "\n", encoding="utf-8")
    return CliRunner().invoke(main, [
        "certificates", str(issued.spec), str(EXAMPLE_LEARNERS), "--key", str(issued.key), "-o", str(out),
        "--formats", "pdf,elm", "--jobs", "1", "--quiet", "--eseal-pkcs11", token.module, "--eseal-token",
        token.label, "--eseal-key", token.key, "--eseal-password-file", str(pin_file), *more])


def test_a_seal_key_in_a_softhsm_token_seals_pdfs_and_credentials(issued: Issued, softhsm: Token,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = issue_with_token(issued, softhsm, out, softhsm.pin)
    assert result.exit_code == 0, result.output
    assert "6 issued, 0 unchanged, 0 failed" in result.output
    pdf = out / "UH-2025-0001.pdf"
    report = pdfsig(pdf)
    assert "Signature is Valid." in report and "ETSI.CAdES.detached" in report and "(HSM)" in report
    status = pyhanko_status(pdf.read_bytes(), [softhsm.ca])
    assert status.bottom_line and status.trusted
    check, payload = verify_jades((out / "UH-2025-0001.elm.jades.json").read_bytes(), [softhsm.ca])
    assert check.valid and check.trusted and payload == (out / "UH-2025-0001.elm.jsonld").read_bytes()
    roots = tmp_path / "roots.pem"
    roots.write_bytes(softhsm.ca.public_bytes(Encoding.PEM))
    verdict = CliRunner().invoke(main, ["verify", str(pdf), "--trust", str(issued.trust), "--trust-roots",
                                        str(roots), "--json"])
    assert verdict.exit_code == 0, verdict.output
    assert json.loads(verdict.output)["eseal"]["trusted"] is True


def test_the_chain_comes_from_the_token(issued: Issued, softhsm: Token, tmp_path: Path) -> None:
    """The CA certificate stored beside the key goes into the signature, so a verifier can build the path."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    out = tmp_path / "out"
    assert issue_with_token(issued, softhsm, out, softhsm.pin).exit_code == 0
    (signature,) = PdfFileReader(io.BytesIO((out / "UH-2025-0002.pdf").read_bytes())).embedded_signatures
    assert "unadocs TEST CA RSA" in {c.subject.native["common_name"] for c in signature.other_embedded_certs}


@pytest.mark.parametrize(("change", "message"), [
    ({"pin": "0000"}, "cannot open a session (wrong PIN)"),
    ({"key": "no-such-key"}, "no private key 'no-such-key'"),
    ({"label": "no-such-token"}, "token 'no-such-token' (PKCS#11 module"),
])
def test_a_wrong_pin_key_or_token_stops_the_run_before_anything_is_written(
        change: dict[str, str], message: str, issued: Issued, softhsm: Token, tmp_path: Path) -> None:
    from dataclasses import replace

    token = replace(softhsm, **{k: v for k, v in change.items() if k != "pin"})
    out = tmp_path / "out"
    result = issue_with_token(issued, token, out, change.get("pin", softhsm.pin))
    assert result.exit_code == 1
    assert message in result.output
    assert "0000" not in result.output.replace(message, "")  # the PIN is never shown
    assert not out.exists() or list(out.iterdir()) == []


def test_a_missing_module_is_named(issued: Issued, softhsm: Token, tmp_path: Path) -> None:
    from dataclasses import replace

    result = issue_with_token(issued, replace(softhsm, module=str(tmp_path / "nothing.so")), tmp_path / "out",
                              softhsm.pin)
    assert result.exit_code == 1 and "no PKCS#11 module there" in result.output

