"""The JAdES seal on an ELM credential: the shape the EDC tools give their seals, verified with joserfc.

The Commission's own sealed sample (``Sample-MC-Annex1-signed.jsonld`` of the European Learning Model
repository, made by DSS) has the general JSON serialization, an unencoded payload, and the protected header
parameters checked below, plus a content timestamp and B-LTA data that a B-B or B-T seal does not have.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.seal.conftest import Issued
from tests.seal.pki import NOW, PASSWORD, Pki, Seal
from unadocs.errors import SealError
from unadocs.seal.eseal import check_eseal, load_eseal
from unadocs.seal.jades import seal_json, seal_jsons, verify_jades

WHEN = datetime(2026, 7, 1, 9, 30, tzinfo=timezone.utc)


def b64url_json(text: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def credential(issued: Issued) -> bytes:
    return (issued.out / "UH-2025-0001.elm.jsonld").read_bytes()


def jades(issued: Issued, seal: Seal, tmp_path: Path, when: datetime = WHEN, tsa: str | None = None) -> bytes:
    eseal = load_eseal(seal.p12(tmp_path / f"{seal.pki.kind}.p12"), PASSWORD, tsa=tsa)
    if tsa is not None:
        eseal = check_eseal(eseal, issued.consortium.issuer, NOW)
    with eseal.open() as opened:
        return seal_json(opened, credential(issued), when)


def test_the_seal_has_the_shape_the_edc_tools_give_their_seals(issued: Issued, uh_seal: Seal, tmp_path: Path) -> None:
    """The shape of the Commission's sealed sample credential (made by DSS): a general JSON serialization with one
    signature over the unencoded payload, whose protected header carries these parameters (ETSI TS 119 182-1)."""
    ours = json.loads(jades(issued, uh_seal, tmp_path))
    assert set(ours) == {"payload", "signatures"}
    assert isinstance(ours["payload"], str) and len(ours["signatures"]) == 1
    header = b64url_json(ours["signatures"][0]["protected"])
    assert set(header) == {"alg", "typ", "cty", "kid", "x5t#S256", "x5c", "sigT", "b64", "crit"}
    assert header["alg"] == ("ES256" if uh_seal.pki.kind == "ec" else "RS256")
    assert (header["typ"], header["b64"], header["crit"]) == ("jose+json", False, ["b64", "sigT"])
    assert header["sigT"] == "2026-07-01T09:30:00Z"


def test_the_header_names_the_seal_certificate_as_jades_asks(issued: Issued, uh_seal: Seal, tmp_path: Path) -> None:
    from asn1crypto import tsp
    from cryptography.hazmat.primitives.serialization import Encoding

    header = b64url_json(json.loads(jades(issued, uh_seal, tmp_path))["signatures"][0]["protected"])
    der = uh_seal.certificate.public_bytes(Encoding.DER)
    assert base64.b64decode(header["x5c"][0]) == der
    assert [base64.b64decode(c) for c in header["x5c"][1:]] == []  # the self-signed root is left out, as DSS does
    assert header["x5t#S256"] == base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()
    issuer_serial = tsp.IssuerSerial.load(base64.b64decode(header["kid"]))
    assert issuer_serial["serial_number"].native == uh_seal.certificate.serial_number


def test_the_payload_is_the_elm_file_byte_for_byte(issued: Issued, uh_seal: Seal, tmp_path: Path) -> None:
    sealed = jades(issued, uh_seal, tmp_path)
    assert json.loads(sealed)["payload"].encode("utf-8") == credential(issued)
    check, payload = verify_jades(sealed)
    assert payload == credential(issued) and check.valid


def test_it_verifies_with_joserfc_and_the_certificate_in_x5c(issued: Issued, uh_seal: Seal, tmp_path: Path) -> None:
    """Independently of unadocs' verifier: joserfc, the key of the x5c certificate, RFC 7797's unencoded payload."""
    from cryptography import x509
    from joserfc import jws
    from joserfc.jwk import ECKey, RSAKey
    from joserfc.registry import HeaderParameter

    document = json.loads(jades(issued, uh_seal, tmp_path))
    header = b64url_json(document["signatures"][0]["protected"])
    public = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0])).public_key()
    key = ECKey.import_key(public) if header["alg"] == "ES256" else RSAKey.import_key(public)  # type: ignore[arg-type]
    registry = jws.JWSRegistry(header_registry={"sigT": HeaderParameter("signing time", "str"),
                                                "x5t#S256": HeaderParameter("thumbprint", "str")},
                               algorithms=[header["alg"]])
    registry.max_header_length = 64 * 1024
    verified = jws.deserialize_json(document, key, registry=registry)
    assert verified.payload == credential(issued)


@pytest.mark.parametrize("change", ["payload", "sigT", "signature"])
def test_a_changed_seal_or_credential_does_not_verify(change: str, issued: Issued, uh_seal: Seal,
                                                      tmp_path: Path) -> None:
    document = json.loads(jades(issued, uh_seal, tmp_path))
    entry = document["signatures"][0]
    if change == "payload":
        document["payload"] = document["payload"].replace("Sustainability", "Sustainabilitx", 1)
    elif change == "sigT":
        header = b64url_json(entry["protected"])
        header["sigT"] = "2020-01-01T00:00:00Z"
        entry["protected"] = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    else:
        entry["signature"] = entry["signature"][:-4] + ("AAAA" if not entry["signature"].endswith("AAAA") else "BBBB")
    check, _ = verify_jades(json.dumps(document).encode())
    assert not check.intact and not check.valid and "changed after sealing" in check.problem


def test_the_same_credential_seal_and_time_give_the_same_bytes(issued: Issued, uh_seal: Seal, tmp_path: Path) -> None:
    assert jades(issued, uh_seal, tmp_path) == jades(issued, uh_seal, tmp_path)
    assert jades(issued, uh_seal, tmp_path, WHEN + timedelta(seconds=1)) != jades(issued, uh_seal, tmp_path)


@pytest.mark.allow_log_warnings  # pyHanko logs why it found no path to the other root
def test_trust_roots_decide_whether_its_chain_is_trusted(issued: Issued, uh_seal: Seal, pki_rsa: Pki, pki_ec: Pki,
                                                         tmp_path: Path) -> None:
    sealed = jades(issued, uh_seal, tmp_path)
    assert verify_jades(sealed, [uh_seal.pki.ca])[0].trusted is True
    other = pki_ec if uh_seal.pki is pki_rsa else pki_rsa
    check, _ = verify_jades(sealed, [other.ca])
    assert check.trusted is False and not check.valid and "does not chain to a trust root" in check.problem
    assert verify_jades(sealed)[0].trusted is None


def test_a_timestamped_seal_is_b_t_with_a_token_over_the_signature_value(issued: Issued, uh_seal_rsa: Seal,
                                                                        tsa_url: str, tmp_path: Path) -> None:
    from asn1crypto import cms

    document = json.loads(jades(issued, uh_seal_rsa, tmp_path, tsa=tsa_url))
    entry = document["signatures"][0]
    (component,) = entry["header"]["etsiU"]
    token = cms.ContentInfo.load(base64.b64decode(b64url_json(component)["sigTst"]["tstTokens"][0]["val"]))
    imprint = token["content"]["encap_content_info"]["content"].parsed["message_imprint"]["hashed_message"].native
    assert imprint == hashlib.sha256(entry["signature"].encode("ascii")).digest()  # as in the Commission's sample
    check, _ = verify_jades(json.dumps(document).encode(), [uh_seal_rsa.pki.ca])
    assert (check.level, check.valid, check.trusted) == ("B-T", True, True)
    assert check.timestamp is not None and abs(check.timestamp - datetime.now(timezone.utc)) < timedelta(minutes=5)


def test_a_batch_seals_every_credential(issued: Issued, uh_seal_rsa: Seal, tmp_path: Path) -> None:
    files = sorted(issued.out.glob("*.elm.jsonld"))
    with load_eseal(uh_seal_rsa.p12(tmp_path / "uh.p12"), PASSWORD).open() as opened:
        out = seal_jsons(opened, [f.read_bytes() for f in files], WHEN)
    assert [verify_jades(o)[1] for o in out if isinstance(o, bytes)] == [f.read_bytes() for f in files]


@pytest.mark.parametrize("content", [b"", b"{}", b'{"payload": "x", "signatures": []}', b"[" * 100_000,
                                     b'{"payload": 1, "signatures": [{"protected": "e30", "signature": ""}]}'])
def test_what_is_not_a_jades_seal_is_named_so(content: bytes) -> None:
    with pytest.raises(SealError, match="not a JAdES seal"):
        verify_jades(content)
