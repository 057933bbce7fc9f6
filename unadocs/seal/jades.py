"""JAdES seals on European Learning Model credentials, as the European Digital Credentials are sealed.

``<learner_id>.elm.jades.json`` is a JWS in the general JSON serialization
(RFC 7515 §7.2.1) whose payload is the ``.elm.jsonld`` file, byte for byte,
unencoded (RFC 7797, ``"b64": false``), sealed as JAdES baseline B-B (ETSI
TS 119 182-1), or B-T with a timestamp server::

    {"payload": "<the .elm.jsonld text>",
     "signatures": [{"protected": "<base64url of the header>",
                     "header": {"etsiU": ["<base64url of {\\"sigTst\\": ...}>"]},   (B-T only)
                     "signature": "<base64url>"}]}

The protected header holds ``alg`` (RS256, or ES256/384/512 by the key's
curve), ``typ`` ``jose+json``, ``cty`` ``ld+json``, ``kid`` (the signing
certificate's issuer and serial number, base64 of a DER ``IssuerSerial``),
``x5t#S256`` (its SHA-256), ``x5c`` (the certificate and its chain), ``sigT``
(the claimed signing time, UTC) and ``crit`` (``b64`` and ``sigT``). The
signature timestamp of B-T is over the ASCII of the base64url signature
value, in the unprotected ``etsiU`` array, base64url-encoded.

This is the shape of the Commission's own sealed sample
(``Sample-MC-Annex1-signed.jsonld`` of the European Learning Model
repository, made by its DSS library): the general serialization, the
unencoded payload, the same header parameters (its ``cty`` is
``octet-stream``, and it adds a content timestamp ``adoTst`` and the B-LTA
validation data, which a B-B or B-T seal does not have), and ``etsiU``
components in base64url. This module's verifier accepted that sample when
it was written (the sample is not kept in this repository). The signature is made by pyHanko's signer
(:meth:`~pyhanko.sign.signers.Signer.async_sign_raw`), in memory or in a
PKCS#11 token: a JOSE library signs only with keys in memory. joserfc
verifies it (:func:`verify_jades`), with the certificate in ``x5c``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, cast

from unadocs.errors import SealError
from unadocs.seal.eseal_check import ESealCheck, check_chain, subject_text, validation_context
from unadocs.seal.payload import b64url_decode, b64url_encode

if TYPE_CHECKING:
    from joserfc.jws import GeneralJSONSerialization

    from unadocs.seal.eseal import OpenSeal

__all__ = ["MAX_JADES_BYTES", "seal_json", "seal_jsons", "verify_jades"]

#: An ELM credential with its wallet picture is some hundred kB; a sealed file larger than this is refused unread.
MAX_JADES_BYTES = 16 * 1024 * 1024
_ALGORITHMS = {"RS256": "sha256", "ES256": "sha256", "ES384": "sha384", "ES512": "sha512"}


def seal_jsons(seal: OpenSeal, payloads: Sequence[bytes], when: datetime) -> list[bytes | SealError]:
    """Each payload (an ``.elm.jsonld`` file) sealed at ``when`` as a JAdES file, or why it could not be."""
    if not payloads:
        return []
    return asyncio.run(_seal_all(seal, payloads, when))


def seal_json(seal: OpenSeal, payload: bytes, when: datetime) -> bytes:
    """One payload sealed at ``when``; :class:`SealError` when it cannot be."""
    (sealed,) = seal_jsons(seal, [payload], when)
    if isinstance(sealed, SealError):
        raise sealed
    return sealed


def protected_header(seal: OpenSeal, when: datetime) -> dict[str, Any]:
    """The JAdES protected header of a seal at ``when`` (see the module's docstring)."""
    from asn1crypto import tsp
    from asn1crypto import x509 as asn1_x509

    eseal = seal.eseal
    certificate = asn1_x509.Certificate.load(eseal.certificate_der)
    issuer_serial = tsp.IssuerSerial({"issuer": [asn1_x509.GeneralName({"directory_name": certificate.issuer})],
                                      "serial_number": certificate.serial_number})
    chain = [eseal.certificate_der, *(der for der in eseal.chain_der
                                      if asn1_x509.Certificate.load(der).self_signed == "no")]
    return {
        "alg": seal.jws_algorithm[0],
        "typ": "jose+json",
        "cty": "ld+json",
        "kid": base64.b64encode(issuer_serial.dump()).decode("ascii"),
        "x5t#S256": b64url_encode(hashlib.sha256(eseal.certificate_der).digest()),
        "x5c": [base64.b64encode(der).decode("ascii") for der in chain],
        "sigT": when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "b64": False,
        "crit": ["b64", "sigT"],
    }


async def _seal_all(seal: OpenSeal, payloads: Sequence[bytes], when: datetime) -> list[bytes | SealError]:
    """Sign every payload in turn (a PKCS#11 session signs one thing at a time), then timestamp them together."""
    from unadocs.seal.pades import TIMESTAMPS_AT_ONCE, timestamp_error

    protected = b64url_encode(json.dumps(protected_header(seal, when), separators=(",", ":")).encode("ascii"))
    algorithm, digest = seal.jws_algorithm
    entries: list[dict[str, Any]] = []
    for payload in payloads:
        signature = await seal.signer.async_sign_raw(protected.encode("ascii") + b"." + payload, digest)
        entries.append({"protected": protected, "signature": b64url_encode(_jws_signature(signature, algorithm))})
    timestamper = seal.timestamper()
    failed: list[BaseException | None] = [None] * len(entries)
    if timestamper is not None:
        limit = asyncio.Semaphore(TIMESTAMPS_AT_ONCE)

        async def stamp(entry: dict[str, Any]) -> None:
            async with limit:
                token = await timestamper.async_timestamp(
                    hashlib.sha256(entry["signature"].encode("ascii")).digest(), "sha256")
            component = {"sigTst": {"tstTokens": [{"val": base64.b64encode(token.dump()).decode("ascii")}]}}
            entry["header"] = {"etsiU": [b64url_encode(json.dumps(component, separators=(",", ":")).encode("ascii"))]}

        failed = list(await asyncio.gather(*(stamp(e) for e in entries), return_exceptions=True))
    out: list[bytes | SealError] = []
    for payload, entry, failure in zip(payloads, entries, failed, strict=True):
        if failure is not None:
            out.append(timestamp_error(failure, seal.eseal.tsa))
            continue
        ordered = {"protected": entry["protected"], **({"header": entry["header"]} if "header" in entry else {}),
                   "signature": entry["signature"]}
        document = {"payload": payload.decode("utf-8"), "signatures": [ordered]}
        out.append((json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
    return out


def _jws_signature(signature: bytes, algorithm: str) -> bytes:
    """A JWS signature value: RSA as it is; ECDSA as ``r || s`` of fixed length, from the DER pyHanko gives."""
    if not algorithm.startswith("ES"):
        return signature
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    size = {"ES256": 32, "ES384": 48, "ES512": 66}[algorithm]
    r, s = decode_dss_signature(signature)
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def verify_jades(data: bytes, roots: Sequence[Any] | None = None) -> tuple[ESealCheck, bytes]:
    """The verdict on a JAdES file of unadocs (or the Commission's tools) and its payload.

    The signature is checked with joserfc, with the public key of the
    certificate in ``x5c``; the timestamp of B-T (``sigTst``) with pyHanko;
    with ``roots`` (certificates), the chain of ``x5c`` must reach one of
    them. :class:`SealError` when ``data`` is not a JAdES JSON serialization.
    """
    document, entry, header = _parse(data)
    from asn1crypto import x509 as asn1_x509

    try:
        chain = [asn1_x509.Certificate.load(base64.b64decode(c, validate=True), strict=True) for c in header["x5c"]]
        leaf = chain[0]
        leaf.subject.native  # noqa: B018 - parse now: a broken certificate fails here
        claimed = datetime.strptime(header["sigT"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except Exception:  # noqa: BLE001 - asn1crypto and the date parser read untrusted input
        raise SealError("not a JAdES seal: its header has no readable x5c certificate and sigT time") from None
    subject = subject_text(leaf)
    organisation = leaf.subject.native.get("organization_name")
    payload = document["payload"].encode("utf-8")
    if not _genuine(document, leaf, header["alg"]):
        return ESealCheck("JAdES", "B-B", False, True, subject, organisation, claimed,
                          problem="the seal does not match the credential: it was changed after sealing"), payload
    stamp, problem = _timestamp(entry, roots)
    moment = stamp or claimed
    problem = problem or check_chain(leaf, chain[1:], roots, moment)
    trusted = None if roots is None else not problem
    return ESealCheck("JAdES", "B-T" if stamp else "B-B", True, True, subject, organisation, claimed, stamp,
                      trusted, problem), payload


def _parse(data: bytes) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The document, its one signature and that signature's protected header, checked for shape."""
    if len(data) > MAX_JADES_BYTES:
        raise SealError(f"not a JAdES seal of a credential: larger than {MAX_JADES_BYTES // (1024 * 1024)} MB")
    try:
        document = json.loads(data)
        entry = document["signatures"][0]
        header = json.loads(b64url_decode(entry["protected"]))
        shaped = (isinstance(document["payload"], str) and len(document["signatures"]) == 1
                  and isinstance(entry["signature"], str) and header.get("b64") is False
                  and header.get("alg") in _ALGORITHMS and isinstance(header.get("x5c"), list) and header["x5c"]
                  and isinstance(header.get("sigT"), str) and {"b64", "sigT"} <= set(header.get("crit", [])))
    except (ValueError, KeyError, IndexError, TypeError, RecursionError):
        shaped = False
    if not shaped:
        raise SealError("not a JAdES seal (a JWS JSON serialization with an unencoded payload, x5c and sigT)")
    return document, entry, header


def _genuine(document: dict[str, Any], leaf: Any, algorithm: str) -> bool:
    """Whether the signature is the certificate's key's over the header and the unencoded payload (joserfc)."""
    from cryptography import x509
    from joserfc import jws
    from joserfc.errors import JoseError
    from joserfc.jwk import ECKey, RSAKey
    from joserfc.registry import HeaderParameter

    public = x509.load_der_x509_certificate(leaf.dump()).public_key()
    try:
        key = RSAKey.import_key(public) if algorithm == "RS256" else ECKey.import_key(public)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError):
        return False

    def anything(value: Any) -> None:
        """JAdES parameters this check does not read (a DSS content timestamp, validation data) are allowed."""

    extra = {name: HeaderParameter(f"JAdES {name}", anything) for name in
             ("sigT", "x5t#o", "sigX5ts", "srCms", "sigPl", "srAts", "adoTst", "sigPId", "sigD", "etsiU", "cty")}
    registry = jws.JWSRegistry(header_registry=extra, algorithms=[algorithm])
    registry.max_header_length = 256 * 1024  # x5c holds certificates: more than joserfc's default of 512 bytes
    registry.max_payload_length = MAX_JADES_BYTES
    try:
        jws.deserialize_json(cast("GeneralJSONSerialization", document), key, registry=registry)
    except (JoseError, ValueError, TypeError, KeyError):
        return False
    return True


def _timestamp(entry: dict[str, Any], roots: Sequence[Any] | None) -> tuple[datetime | None, str]:
    """The time of the signature timestamp (``sigTst`` in ``etsiU``) and why it does not hold, if it does not."""
    components = (entry.get("header") or {}).get("etsiU") or []
    tokens = []
    for component in components:
        try:
            value = json.loads(b64url_decode(component)) if isinstance(component, str) else component
        except (ValueError, TypeError):
            continue
        if isinstance(value, dict) and "sigTst" in value:
            tokens += value["sigTst"].get("tstTokens", [])
    if not tokens:
        return None, ""
    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
    from pyhanko.sign.validation.status import TimestampSignatureStatus

    imprint = hashlib.sha256(entry["signature"].encode("ascii")).digest()
    try:
        token = cms.ContentInfo.load(base64.b64decode(tokens[0]["val"], validate=True))
        signed = token["content"]
        certificates = [c.chosen for c in signed["certificates"] or []]
        context = validation_context(roots if roots is not None else certificates, certificates)
        status = TimestampSignatureStatus(**asyncio.run(validate_tst_signed_data(signed, context, lambda _: imprint)))
    except Exception:  # noqa: BLE001 - asn1crypto and pyHanko read an untrusted token
        return None, "its timestamp cannot be read"
    if not (status.intact and status.valid):
        return status.timestamp, "its timestamp does not match the seal"
    if roots is not None and not status.trusted:
        return status.timestamp, "its timestamp's authority does not chain to a trust root"
    return status.timestamp, ""

