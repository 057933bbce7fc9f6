"""Signing keys: files, modes, headers, trust list updates, and that the key never leaks."""

from __future__ import annotations

import os
import pickle
import stat
from datetime import date
from pathlib import Path

import pytest

from unadocs.errors import SealError
from unadocs.files import create_secret_file
from unadocs.seal.keys import Signer, default_valid_until, generate_key, load_signer
from unadocs.seal.payload import b64url_decode
from unadocs.seal.trust import TrustList, key_id_of

Y2026 = {"valid_from": date(2026, 1, 1), "valid_until": date(2030, 12, 31)}


def test_generated_key_file_is_mode_0600_even_with_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        info = generate_key("UH", tmp_path / "keys", **Y2026)
    finally:
        os.umask(old)
    assert stat.S_IMODE(info.private_key_path.stat().st_mode) == 0o600
    assert info.private_key_path == tmp_path / "keys" / f"UH-{info.key_id}.pem"


def test_generated_key_loads_with_its_issuer_and_key_id_and_matches_the_trust_list(tmp_path: Path) -> None:
    info = generate_key("UH", tmp_path, **Y2026)
    signer = load_signer(info.private_key_path)
    assert (signer.issuer, signer.key_id, signer.public_key) == ("UH", info.key_id, info.public_key)
    assert (signer.valid_from, signer.valid_until) == (date(2026, 1, 1), date(2030, 12, 31))
    trusted = TrustList.load(info.trust_path).key(info.key_id)
    assert trusted is not None and trusted.public_key == info.public_key and trusted.issuer == "UH"
    assert info.key_id == key_id_of(b64url_decode(info.public_key)) and len(info.key_id) == 11


def test_a_second_key_extends_the_trust_list_and_keeps_the_first(tmp_path: Path) -> None:
    first = generate_key("UH", tmp_path, **Y2026)
    second = generate_key("UNIBO", tmp_path, valid_from=date(2027, 1, 1), valid_until=date(2027, 12, 31))
    trust = TrustList.load(tmp_path / "trust.json")
    assert {k.key_id for k in trust.keys} == {first.key_id, second.key_id}
    assert first.private_key_path.exists() and second.private_key_path.exists()


def test_revocations_in_an_existing_trust_list_survive_a_new_key(tmp_path: Path) -> None:
    from unadocs.seal.trust import Revocation

    generate_key("UH", tmp_path, **Y2026)
    path = tmp_path / "trust.json"
    TrustList.load(path).with_revocation(Revocation(credential_id="abc", reason="issued in error")).save(path)
    generate_key("UH", tmp_path, **Y2026)
    trust = TrustList.load(path)
    assert len(trust.keys) == 2 and trust.revocation("abc") == Revocation(credential_id="abc", reason="issued in error")


def test_secret_file_is_never_overwritten_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "UH-key.pem"
    target.write_bytes(b"precious")
    with pytest.raises(FileExistsError):
        create_secret_file(target, b"new key")
    assert target.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["UH-key.pem"]


def test_broken_trust_list_stops_generation_before_any_key_is_written(tmp_path: Path) -> None:
    (tmp_path / "trust.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SealError, match="trust.json: not JSON"):
        generate_key("UH", tmp_path, **Y2026)
    assert not list(tmp_path.glob("*.pem"))


@pytest.mark.parametrize("issuer", ["../x", "", "U H", "-UH", "UH/..", "x" * 41, "UH\n", "UH\r\n"])
def test_issuer_must_be_a_plain_partner_id(tmp_path: Path, issuer: str) -> None:
    with pytest.raises(SealError, match="an issuer is a partner id"):
        generate_key(issuer, tmp_path, **Y2026)
    assert not any(tmp_path.iterdir())


def test_key_cannot_expire_before_it_starts(tmp_path: Path) -> None:
    with pytest.raises(SealError, match="expire"):
        generate_key("UH", tmp_path, valid_from=date(2026, 1, 2), valid_until=date(2026, 1, 1))


def test_default_validity_is_five_years_including_leap_days() -> None:
    assert default_valid_until(date(2026, 3, 1)) == date(2031, 2, 28)
    assert default_valid_until(date(2024, 2, 29)) == date(2029, 2, 28)


def test_signatures_are_deterministic_and_verify() -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    signer = Signer.from_seed(b"s" * 32, "UH")
    assert signer.sign(b"data") == signer.sign(b"data")
    Ed25519PublicKey.from_public_bytes(b64url_decode(signer.public_key)).verify(signer.sign(b"data"), b"data")


def test_signer_repr_and_pickle_do_not_carry_the_private_key(tmp_path: Path) -> None:
    info = generate_key("UH", tmp_path, **Y2026)
    signer = load_signer(info.private_key_path)
    body = _key_body(info.private_key_path)
    assert body not in repr(signer) and repr(signer) == f"Signer(issuer='UH', key_id='{info.key_id}')"
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(signer)


def _key_body(path: Path) -> str:
    text = path.read_text(encoding="ascii")
    return "".join(text.split("-----BEGIN PRIVATE KEY-----")[1].split("-----END PRIVATE KEY-----")[0].split())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no '-----BEGIN PRIVATE KEY-----' block"),
        (b"\xff\xfe binary", "not PEM text"),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not a valid private key"),
        (b"Issuer: UH\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not a valid private key"),
        (b"x" * 20000, "larger than 16 KB; not a key file"),
    ],
)
def test_unusable_key_files_give_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "key.pem"
    path.write_bytes(content)
    with pytest.raises(SealError, match=message):
        load_signer(path)


def test_missing_key_file_is_a_seal_error(tmp_path: Path) -> None:
    with pytest.raises(SealError, match="key file not found"):
        load_signer(tmp_path / "nope.pem")


def test_a_header_naming_another_key_id_is_refused(tmp_path: Path) -> None:
    info = generate_key("UH", tmp_path, **Y2026)
    text = info.private_key_path.read_text(encoding="ascii").replace(f"Key-Id: {info.key_id}", "Key-Id: AAAAAAAAAAA")
    forged = tmp_path / "forged.pem"
    forged.write_text(text, encoding="ascii")
    with pytest.raises(SealError, match="the header names key 'AAAAAAAAAAA'") as caught:
        load_signer(forged)
    assert _key_body(info.private_key_path) not in str(caught.value)


def test_a_non_ed25519_key_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    path = tmp_path / "ec.pem"
    path.write_bytes(b"Issuer: UH\n" + pem)
    with pytest.raises(SealError, match="not an Ed25519 key"):
        load_signer(path)


def test_an_encrypted_key_is_refused_with_a_hint(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, Encoding, PrivateFormat

    pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, BestAvailableEncryption(b"pw"))
    path = tmp_path / "enc.pem"
    path.write_bytes(b"Issuer: UH\n" + pem)
    with pytest.raises(SealError, match="the key is encrypted"):
        load_signer(path)


def test_an_unwritable_key_directory_is_a_seal_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(SealError, match="cannot write the key file"):
        generate_key("UH", tmp_path / "file" / "keys", **Y2026)
