"""The trust list file: round trip, determinism, and a clear error for every kind of bad file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from unadocs.errors import SealError
from unadocs.seal.keys import Signer
from unadocs.seal.trust import Revocation, TrustList


def _doc(signer: Signer, **changes: Any) -> dict[str, Any]:
    key = signer.trusted_key().as_dict()
    key.update(changes)
    return {"format": "unadocs-trust-list/1", "keys": [key], "revoked": []}


def test_round_trip_keeps_keys_and_revocations(tmp_path: Path, signer: Signer, other_signer: Signer) -> None:
    trust = (TrustList().with_key(signer.trusted_key()).with_key(other_signer.trusted_key())
             .with_revocation(Revocation(credential_id="b", reason="issued in error", date=date(2026, 7, 1))).with_revocation(Revocation(credential_id="a")))
    path = tmp_path / "trust.json"
    trust.save(path)
    assert TrustList.load(path) == trust
    assert [r.credential_id for r in trust.revoked] == ["a", "b"]


def test_same_list_gives_same_bytes_whatever_the_order_of_additions(signer: Signer, other_signer: Signer) -> None:
    one = TrustList().with_key(signer.trusted_key()).with_key(other_signer.trusted_key())
    two = TrustList().with_key(other_signer.trusted_key()).with_key(signer.trusted_key())
    assert one.to_json() == two.to_json()
    assert one.to_json().endswith("}\n") and '"keys": [' in one.to_json()


def test_revoking_twice_replaces_the_entry(trust: TrustList) -> None:
    again = trust.with_revocation(Revocation(credential_id="x", reason="one")).with_revocation(Revocation(credential_id="x", reason="two"))
    assert again.revoked == (Revocation(credential_id="x", reason="two"),)


def test_adding_a_listed_key_again_is_an_error(trust: TrustList, signer: Signer) -> None:
    with pytest.raises(SealError, match="already in the trust list"):
        trust.with_key(signer.trusted_key())


def test_a_bare_credential_id_is_accepted_as_a_revocation(signer: Signer) -> None:
    doc = _doc(signer)
    doc["revoked"] = ["abc"]
    assert TrustList.from_json(json.dumps(doc)).revocation("abc") == Revocation(credential_id="abc")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="other/1"), "format: expected 'unadocs-trust-list/1'"),
        (lambda d: d.update(keys={}), "keys: must be a list"),
        (lambda d: d.update(revoked="x"), "revoked: must be a list"),
        (lambda d: d.update(extra=1), r"\(top level\): unknown key 'extra'"),
        (lambda d: d["keys"][0].pop("issuer"), r"keys\[0\]: missing 'issuer'"),
        (lambda d: d["keys"][0].update(issuer="../x"), r"keys\[0\].issuer: an issuer is a partner id"),
        (lambda d: d["keys"][0].update(public_key="abc"), r"keys\[0\].public_key: not a base64url Ed25519"),
        (lambda d: d["keys"][0].update(public_key=None), r"keys\[0\].public_key: must be non-empty text"),
        (lambda d: d["keys"][0].update(key_id="AAAAAAAAAAA"), r"keys\[0\].key_id: 'AAAAAAAAAAA' is not the id"),
        (lambda d: d["keys"][0].update(valid_from="2026-13-01"), r"keys\[0\].valid_from: not a date"),
        (lambda d: d["keys"][0].update(valid_until="2025-01-01"),
         r"keys\[0\]: valid_until 2025-01-01 is before valid_from"),
        (lambda d: d["keys"].append(dict(d["keys"][0])), r"keys\[1\]: key .* is listed twice"),
        (lambda d: d["revoked"].append({"reason": "x"}), r"revoked\[0\]: missing 'credential_id'"),
        (lambda d: d["revoked"].append({"credential_id": "a", "date": "soon"}), r"revoked\[0\].date: not a date"),
        (lambda d: d["revoked"].append(7), r"revoked\[0\]: must be an object"),
    ],
)
def test_bad_trust_lists_name_the_entry(tmp_path: Path, signer: Signer, mutate: Any, message: str) -> None:
    doc = _doc(signer)
    mutate(doc)
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(SealError, match=f"^{path}: {message}"):
        TrustList.load(path)


@pytest.mark.parametrize("content", [b"", b"[]", b"\xff\xfe", b'"text"', b"null"])
def test_files_that_are_no_trust_list_give_a_seal_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "trust.json"
    path.write_bytes(content)
    with pytest.raises(SealError, match=f"^{path}: "):
        TrustList.load(path)


def test_missing_trust_list_says_so(tmp_path: Path) -> None:
    with pytest.raises(SealError, match="trust list not found"):
        TrustList.load(tmp_path / "none.json")


def test_save_is_atomic_and_leaves_no_temporary_file(tmp_path: Path, trust: TrustList) -> None:
    path = tmp_path / "trust.json"
    path.write_text("old", encoding="utf-8")
    trust.save(path)
    assert TrustList.load(path) == trust
    assert [p.name for p in tmp_path.iterdir()] == ["trust.json"]


def test_an_unwritable_place_is_a_seal_error(tmp_path: Path, trust: TrustList) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(SealError, match="cannot write the trust list"):
        trust.save(tmp_path / "file" / "trust.json")
