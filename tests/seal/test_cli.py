"""`unadocs keys generate|revoke` and `unadocs verify`: exit codes, messages, and no private key in any output."""

from __future__ import annotations

import base64
import json
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.seal.conftest import BASE_URL, RECORD
from unadocs.cli import main
from unadocs.seal.keys import load_signer
from unadocs.seal.payload import Payload, record_digest, seal, verification_link
from unadocs.seal.qr import qr_png

MakePayload = Callable[..., Payload]


class Session:
    """Runs CLI commands and keeps every output, to search it for the private key afterwards."""

    def __init__(self) -> None:
        self.outputs: list[str] = []

    def run(self, *args: str, input: bytes | None = None) -> Result:
        result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
        self.outputs += [result.stdout, result.stderr]
        return result


@pytest.fixture
def cli() -> Session:
    return Session()


@pytest.fixture
def keys(cli: Session, tmp_path: Path) -> Path:
    """A key directory with one UH key valid in 2026."""
    out = tmp_path / "keys"
    result = cli.run("keys", "generate", "--issuer", "UH", "--out", str(out),
                     "--valid-from", "2026-01-01", "--valid-until", "2026-12-31")
    assert result.exit_code == 0, result.stderr
    return out


def _token(keys: Path, payload_for: MakePayload, **changes: object) -> str:
    signer = load_signer(next(keys.glob("UH-*.pem")))
    return verification_link(BASE_URL, seal(payload_for(key_id=signer.key_id, **changes), signer))


def test_keys_generate_writes_a_0600_key_and_a_trust_list_and_says_where(cli: Session, keys: Path) -> None:
    pem = next(keys.glob("UH-*.pem"))
    assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    assert (keys / "trust.json").is_file()
    out = cli.outputs[0]
    assert f"private key (keep secret, mode 0600): {pem}" in out and "valid 2026-01-01 to 2026-12-31" in out


def test_keys_generate_twice_extends_the_trust_list(cli: Session, keys: Path) -> None:
    assert cli.run("keys", "generate", "--issuer", "UNIBO", "--out", str(keys),
                   "--valid-from", "2026-01-01").exit_code == 0
    trust = json.loads((keys / "trust.json").read_text(encoding="utf-8"))
    assert sorted(k["issuer"] for k in trust["keys"]) == ["UH", "UNIBO"]
    assert [k["valid_until"] for k in trust["keys"] if k["issuer"] == "UNIBO"] == ["2030-12-31"]


def test_keys_generate_defaults_to_today_for_five_years(cli: Session, tmp_path: Path) -> None:
    assert cli.run("keys", "generate", "--issuer", "UH", "--out", str(tmp_path)).exit_code == 0
    key = json.loads((tmp_path / "trust.json").read_text(encoding="utf-8"))["keys"][0]
    assert key["valid_from"] == date.today().isoformat()


def test_keys_generate_refuses_a_bad_issuer_in_one_line(cli: Session, tmp_path: Path) -> None:
    result = cli.run("keys", "generate", "--issuer", "../evil", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: an issuer is a partner id") and result.stderr.count("\n") == 1
    assert not any(tmp_path.iterdir())


def test_keys_generate_refuses_a_bad_date(cli: Session, tmp_path: Path) -> None:
    result = cli.run("keys", "generate", "--issuer", "UH", "--out", str(tmp_path), "--valid-from", "2026-02-30")
    assert result.exit_code == 2 and "not a date YYYY-MM-DD: '2026-02-30'" in result.stderr


def test_verify_a_valid_link_exits_0_and_prints_the_fields(cli: Session, keys: Path,
                                                           make_payload: MakePayload) -> None:
    result = cli.run("verify", _token(keys, make_payload), "--trust", str(keys / "trust.json"))
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("VALID: The seal is genuine")
    assert "  name:            Zoë Łukasiewicz" in lines and "  awarding bodies: UH, UNIBO, UJ" in lines
    assert "  issuer:          UH" in lines and "  EQF level:       7" in lines


def test_verify_json_output(cli: Session, keys: Path, make_payload: MakePayload) -> None:
    result = cli.run("verify", _token(keys, make_payload), "--trust", str(keys / "trust.json"), "--json")
    verdict = json.loads(result.stdout)
    assert result.exit_code == 0 and verdict["valid"] is True and verdict["reason"] == "valid"
    assert verdict["fields"]["name"] == "Zoë Łukasiewicz"


def test_verify_a_tampered_link_exits_1_with_the_reason(cli: Session, keys: Path, make_payload: MakePayload) -> None:
    link = _token(keys, make_payload)
    index = len(BASE_URL) + 25
    tampered = link[:index] + ("A" if link[index] != "A" else "B") + link[index + 1:]
    result = cli.run("verify", tampered, "--trust", str(keys / "trust.json"))
    assert result.exit_code == 1
    assert result.stdout.startswith("NOT VALID (bad-signature): The seal does not match the data")
    assert "name:" not in result.stdout  # nothing unverified is shown


def test_revoke_then_verify_says_revoked(cli: Session, keys: Path, make_payload: MakePayload) -> None:
    payload = make_payload()
    trust = str(keys / "trust.json")
    result = cli.run("keys", "revoke", payload.credential_id, "--trust", trust, "--reason", "issued in error")
    assert result.exit_code == 0 and result.stdout == f"revoked {payload.credential_id} in {trust}\n"
    result = cli.run("verify", _token(keys, make_payload), "--trust", trust, "--json")
    verdict = json.loads(result.stdout)
    assert result.exit_code == 1 and verdict["reason"] == "revoked" and "issued in error" in verdict["message"]


def test_verify_other_reasons_exit_1(cli: Session, keys: Path, make_payload: MakePayload, tmp_path: Path) -> None:
    trust = str(keys / "trust.json")
    cases = {
        "specimen": _token(keys, make_payload, specimen=True),
        "key-not-valid-on-date": _token(keys, make_payload, issued=date(2027, 1, 1), sealed=date(2027, 1, 1)),
        "malformed": "https://verify.una-europa.eu/c/#not-a-token",
    }
    for reason, link in cases.items():
        result = cli.run("verify", link, "--trust", trust)
        assert (result.exit_code, result.stdout.split(":")[0]) == (1, f"NOT VALID ({reason})"), result.stdout
    other = tmp_path / "other"
    cli.run("keys", "generate", "--issuer", "UH", "--out", str(other), "--valid-from", "2026-01-01")
    result = cli.run("verify", _token(keys, make_payload), "--trust", str(other / "trust.json"))
    assert result.exit_code == 1 and result.stdout.startswith("NOT VALID (unknown-key)")


def test_verify_a_qr_image_file_and_standard_input(cli: Session, keys: Path, make_payload: MakePayload,
                                                   tmp_path: Path) -> None:
    link = _token(keys, make_payload)
    image = tmp_path / "scan.png"
    image.write_bytes(qr_png(link, scale=4))
    assert cli.run("verify", str(image), "--trust", str(keys / "trust.json")).exit_code == 0
    assert cli.run("verify", "-", "--trust", str(keys / "trust.json"), input=link.encode()).exit_code == 0
    assert cli.run("verify", "-", "--trust", str(keys / "trust.json"), input=image.read_bytes()).exit_code == 0


def test_verify_with_a_record(cli: Session, keys: Path, make_payload: MakePayload, tmp_path: Path) -> None:
    link = _token(keys, make_payload, record_sha256=record_digest(RECORD))
    record = tmp_path / "L-001.json"
    record.write_bytes(RECORD)
    assert cli.run("verify", link, "--trust", str(keys / "trust.json"), "--record", str(record)).exit_code == 0
    record.write_bytes(RECORD + b"\n")
    result = cli.run("verify", link, "--trust", str(keys / "trust.json"), "--record", str(record))
    assert result.exit_code == 1 and result.stdout.startswith("NOT VALID (record-mismatch)")
    result = cli.run("verify", link, "--trust", str(keys / "trust.json"), "--record", str(tmp_path / "none.json"))
    assert result.exit_code == 1 and result.stderr.startswith("error: ") and "record not found" in result.stderr


def test_verify_with_a_missing_or_broken_trust_list_is_an_error(cli: Session, tmp_path: Path) -> None:
    result = cli.run("verify", "anything", "--trust", str(tmp_path / "none.json"))
    assert (result.exit_code, result.stderr) == (1, f"error: {tmp_path / 'none.json'}: trust list not found\n")
    (tmp_path / "bad.json").write_text('{"format": "x"}', encoding="utf-8")
    result = cli.run("verify", "anything", "--trust", str(tmp_path / "bad.json"))
    assert result.exit_code == 1 and "format: expected 'unadocs-trust-list/1'" in result.stderr


def test_the_private_key_never_appears_in_any_output(cli: Session, keys: Path, make_payload: MakePayload,
                                                     tmp_path: Path) -> None:
    link = _token(keys, make_payload)
    trust = str(keys / "trust.json")
    cli.run("verify", link, "--trust", trust)
    cli.run("verify", link, "--trust", trust, "--json")
    cli.run("verify", str(next(keys.glob("UH-*.pem"))), "--trust", trust)  # the key file itself as INPUT
    cli.run("verify", str(next(keys.glob("UH-*.pem"))), "--trust", trust, "--json")
    cli.run("keys", "revoke", "x", "--trust", trust)
    cli.run("keys", "generate", "--issuer", "UH", "--out", str(keys))
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    secrets: list[str] = []
    for pem in keys.glob("*.pem"):
        text = pem.read_text(encoding="ascii")
        body = text.split("-----BEGIN PRIVATE KEY-----")[1].split("-----END PRIVATE KEY-----")[0]
        secrets.append("".join(body.split()))
        key = load_pem_private_key(("-----BEGIN PRIVATE KEY-----" + body + "-----END PRIVATE KEY-----").encode(),
                                   None)
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

        seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        secrets += [seed.hex(), base64.b64encode(seed).decode()[:40],
                    base64.urlsafe_b64encode(seed).decode().rstrip("=")[:40]]
    assert len(cli.outputs) >= 14 and len(secrets) == 8
    for output in cli.outputs:
        for secret in secrets:
            assert secret not in output


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "unadocs.cli"]
    result = subprocess.run([*command, "verify", "x", "--trust", str(tmp_path / "none.json")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == f"error: {tmp_path / 'none.json'}: trust list not found\n"
    (tmp_path / "trust.json").write_text('{"format": "unadocs-trust-list/1", "keys": [], "revoked": []}',
                                         encoding="utf-8")
    result = subprocess.run([*command, "verify", "\x7fgarbage\u00e9#.", "--trust", str(tmp_path / "trust.json")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr + result.stdout
    assert result.stdout.startswith("NOT VALID (malformed)")


def test_keys_revoke_needs_an_existing_trust_list(cli: Session, tmp_path: Path) -> None:
    result = cli.run("keys", "revoke", "abc", "--trust", str(tmp_path / "none.json"))
    assert (result.exit_code, result.stderr) == (1, f"error: {tmp_path / 'none.json'}: trust list not found\n")
    assert not (tmp_path / "none.json").exists()


def test_keys_generate_refuses_an_out_path_that_is_a_file(cli: Session, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = cli.run("keys", "generate", "--issuer", "UH", "--out", str(tmp_path / "file"))
    assert result.exit_code == 2 and "is a file" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "file").read_text(encoding="utf-8") == "x"
