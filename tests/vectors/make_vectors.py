"""Write the shared seal test vectors: the Python tests and the browser verifier's tests both run them.

    .venv/bin/python tests/vectors/make_vectors.py [OUT_DIR]

Writes, into OUT_DIR (default: this directory):

* ``TEST-ONLY-UH.pem``: the signing key of the vectors. TEST ONLY: its
  private key is public, derived from a fixed seed. Never trust it.
* ``trust.json``: a trust list with that key (valid 2026-01-01 to
  2026-12-31), a second UH key revoked from 2026-09-01, a long-lived UH key
  (for a certificate dated far in the future), a key of another institution
  (``EVIL``), a revoked credential and a superseded one;
* ``vectors.json``: one entry per case: ``input`` (a link or a token),
  ``expect`` (the reason ``unadocs verify`` gives), optionally ``record``
  (the record text to check against the payload; a verifier that cannot take
  a record skips those) and, when the signature is genuine, ``fields``.

The vectors named ``v2-...`` are in payload format 2 (issuer and day of
sealing in the payload); the others are in format 1, which unadocs 0.1 wrote
and every verifier must keep reading. Ed25519 signatures and deflate at a
fixed level are deterministic, so the output is the same on every run (a test
checks the committed files).
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import uuid
import zlib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from unadocs.seal.keys import Signer, private_key_pem
from unadocs.seal.payload import Payload, b64url_encode, record_digest, seal, verification_link
from unadocs.seal.trust import Revocation, TrustList

BASE_URL = "https://verify.una-europa.eu/c/"
_NS = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # the URL namespace of RFC 4122


def _seed(label: str) -> bytes:
    return hashlib.sha256(f"unadocs seal test vectors, TEST ONLY: {label}".encode()).digest()


def _credential_id(n: int) -> str:
    return str(uuid.uuid5(_NS, f"https://example.org/unadocs/vectors/{n}"))


def _raw_token(data: bytes, signature: bytes, *, compress: bool = True) -> str:
    if compress:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY)
        data = packer.compress(data) + packer.flush()
    return f"{b64url_encode(data)}.{b64url_encode(signature)}"


def _flip(text: str, index: int) -> str:
    """Change one base64url character (to the next one of the alphabet)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return text[:index] + alphabet[(alphabet.index(text[index]) + 1) % 64] + text[index + 1:]


def build() -> dict[str, bytes]:
    """The files, by name."""
    uh = Signer.from_seed(_seed("UH"), "UH", valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    other = Signer.from_seed(_seed("another issuer"), "XX", valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    record = json.dumps({"format": "unadocs-seal-vectors-record/1", "learner": "Zoë Łukasiewicz"},
                        ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    revoked_id = _credential_id(3)
    superseded_id, replacement_id = _credential_id(7), _credential_id(8)
    evil = Signer.from_seed(_seed("EVIL"), "EVIL", valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))
    stolen = Signer.from_seed(_seed("UH, later stolen"), "UH", valid_from=date(2026, 1, 1),
                              valid_until=date(2026, 12, 31))
    lasting = Signer.from_seed(_seed("UH, long-lived"), "UH", valid_from=date(2026, 1, 1),
                               valid_until=date(9999, 12, 31))
    trust = (TrustList().with_key(uh.trusted_key()).with_key(evil.trusted_key()).with_key(stolen.trusted_key())
             .with_key(lasting.trusted_key())
             .with_key_revoked(stolen.key_id, date(2026, 9, 1), "the key was stolen")
             .with_revocation(Revocation(credential_id=revoked_id, reason="issued in error", date=date(2026, 7, 1)))
             .with_revocation(Revocation(credential_id=superseded_id, reason="name corrected",
                                         superseded_by=replacement_id)))

    base = Payload(
        credential_id=_credential_id(1), name="Zoë Łukasiewicz-Ñúñez", title="Micro-credential in Sustainability",
        issued=date(2026, 6, 30), ects="10", eqf=7, awarding=("UH", "UNIBO", "UJ"), key_id=uh.key_id,
        record_sha256=record_digest(record), version=1,
    )
    long_name = ("Αλέξανδρος Παπαδόπουλος Олександра Шевченко Zoë Łukasiewicz-Ñúñez Őrs Žaneta Ó Súilleabháin "
                 "von Württemberg-Hohenlohe")[:120]
    long = replace(base, credential_id=_credential_id(2), name=long_name, ects="7.5", eqf=6,
                   title="Micro-credential in Sustainability, Climate Action and the Just Transition in Cities")
    vectors: list[dict[str, Any]] = []

    def add(name: str, description: str, token_or_link: str, expect: str, *,
            payload: Payload | None = None, signer: Signer | None = None, record_text: bytes | None = None) -> None:
        entry: dict[str, Any] = {"name": name, "description": description, "input": token_or_link, "expect": expect}
        if record_text is not None:
            entry["record"] = record_text.decode("utf-8")
        if payload is not None and signer is not None:
            entry["fields"] = {
                "name": payload.name, "title": payload.title, "issued": payload.issued.isoformat(),
                "ects": payload.ects, "eqf": payload.eqf, "awarding": list(payload.awarding),
                "issuer": signer.issuer, "credential_id": payload.credential_id, "key_id": payload.key_id,
                "specimen": payload.specimen,
            }
            if payload.sealed is not None:
                entry["fields"]["sealed"] = payload.sealed.isoformat()
        vectors.append(entry)

    valid = seal(base, uh)
    head, tail = valid.split(".")
    add("valid", "a genuine certificate link", verification_link(BASE_URL, valid), "valid", payload=base, signer=uh)
    add("valid-token", "the same token without the link", valid, "valid", payload=base, signer=uh)
    add("valid-long-name", "a 120-character name in Greek, Cyrillic and Latin with diacritics",
        verification_link(BASE_URL, seal(long, uh)), "valid", payload=long, signer=uh)
    add("valid-with-record", "a genuine link and its record", verification_link(BASE_URL, valid), "valid",
        payload=base, signer=uh, record_text=record)

    altered = replace(base, name="Zoe Lukasiewicz-Nunez")
    add("tampered-name", "the name changed after sealing, the signature kept",
        verification_link(BASE_URL, _raw_token(altered.to_json_bytes(), uh.sign(base.to_json_bytes()))),
        "bad-signature")
    add("tampered-specimen-flag", "a specimen's flag cleared after sealing",
        _raw_token(base.to_json_bytes(), uh.sign(replace(base, specimen=True).to_json_bytes())), "bad-signature")
    add("corrupted-payload", "one character of the payload part changed",
        verification_link(BASE_URL, f"{_flip(head, len(head) // 2)}.{tail}"), "bad-signature")
    add("corrupted-signature", "one character of the signature changed",
        verification_link(BASE_URL, f"{head}.{_flip(tail, 10)}"), "bad-signature")
    add("truncated-payload", "the payload part cut short", f"{head[:-8]}.{tail}", "bad-signature")
    add("not-canonical", "a signed payload that is not in canonical form (spaces in the JSON)",
        _raw_token(json.dumps(json.loads(base.to_json_bytes()), ensure_ascii=False).encode(),
                   uh.sign(json.dumps(json.loads(base.to_json_bytes()), ensure_ascii=False).encode())),
        "bad-signature")
    nfd = base.to_json_bytes().replace("Zoë".encode(), "Zoe\u0308".encode())
    add("not-nfc", "a signed payload whose name is not NFC", _raw_token(nfd, uh.sign(nfd)), "bad-signature")
    add("not-deflated", "a signed payload sent without deflate",
        _raw_token(base.to_json_bytes(), uh.sign(base.to_json_bytes()), compress=False), "bad-signature")

    foreign = replace(base, key_id=other.key_id)
    add("unknown-key", "sealed with another issuer's key, not in the trust list",
        verification_link(BASE_URL, seal(foreign, other)), "unknown-key")

    late = replace(base, credential_id=_credential_id(4), issued=date(2027, 3, 1))
    early = replace(base, credential_id=_credential_id(5), issued=date(2025, 12, 31))
    add("key-expired", "issued after the key's last day", verification_link(BASE_URL, seal(late, uh)),
        "key-not-valid-on-date", payload=late, signer=uh)
    add("key-not-yet-valid", "issued before the key's first day", verification_link(BASE_URL, seal(early, uh)),
        "key-not-valid-on-date", payload=early, signer=uh)
    revoked = replace(base, credential_id=revoked_id)
    add("revoked", "a credential the trust list revokes", verification_link(BASE_URL, seal(revoked, uh)), "revoked",
        payload=revoked, signer=uh)
    specimen = replace(base, credential_id=_credential_id(6), specimen=True)
    add("specimen", "a specimen (draft agreement)", verification_link(BASE_URL, seal(specimen, uh)), "specimen",
        payload=specimen, signer=uh)
    add("record-mismatch", "a genuine link with another record", valid, "record-mismatch", payload=base, signer=uh,
        record_text=record.replace("Zoë".encode(), "Zoe".encode()))

    v3 = base.to_json_bytes().replace(b'{"v":1,', b'{"v":3,')
    add("other-version", "a signed payload of format version 3", _raw_token(v3, uh.sign(v3)), "malformed")
    v1_foreign = replace(base, credential_id=_credential_id(9), key_id=evil.key_id)
    add("wrong-issuer-format-1", "format 1, sealed by a key of an institution that is none of the awarding bodies",
        verification_link(BASE_URL, seal(v1_foreign, evil)), "wrong-issuer", payload=v1_foreign, signer=evil)

    now = replace(base, issuer="UH", sealed=date(2026, 7, 1), version=2)
    add("v2-valid", "a genuine certificate link in format 2", verification_link(BASE_URL, seal(now, uh)), "valid",
        payload=now, signer=uh)
    add("v2-valid-with-record", "a genuine link in format 2 and its record", verification_link(BASE_URL, seal(now, uh)),
        "valid", payload=now, signer=uh, record_text=record)
    forged = replace(now, credential_id=_credential_id(10), key_id=evil.key_id)
    add("v2-wrong-issuer", "says UH issued it, sealed by a key the trust list binds to another institution",
        verification_link(BASE_URL, seal(forged, evil)), "wrong-issuer", payload=forged, signer=evil)
    as_evil = replace(now, credential_id=_credential_id(11), awarding=("UH", "EVIL", "UJ"), issuer="EVIL",
                      key_id=evil.key_id)
    add("v2-issuer-of-its-own", "sealed by its own issuer's key, that issuer an awarding body",
        verification_link(BASE_URL, seal(as_evil, evil)), "valid", payload=as_evil, signer=evil)
    after_expiry = replace(now, credential_id=_credential_id(12), issued=date(2026, 12, 30), sealed=date(2027, 1, 5))
    add("v2-sealed-after-expiry", "issued while the key was valid, sealed after it expired",
        verification_link(BASE_URL, seal(after_expiry, uh)), "key-not-valid-on-date", payload=after_expiry, signer=uh)
    before = replace(now, credential_id=_credential_id(13), key_id=stolen.key_id, sealed=date(2026, 8, 31))
    add("v2-sealed-before-key-revocation", "sealed the day before its key was revoked",
        verification_link(BASE_URL, seal(before, stolen)), "valid", payload=before, signer=stolen)
    after = replace(now, credential_id=_credential_id(14), key_id=stolen.key_id, sealed=date(2026, 9, 1))
    add("v2-key-revoked", "sealed on the day its key was revoked",
        verification_link(BASE_URL, seal(after, stolen)), "key-revoked", payload=after, signer=stolen)
    ahead = replace(now, credential_id=_credential_id(15), key_id=lasting.key_id, issued=date(2999, 1, 1),
                    sealed=date(2999, 1, 1))
    add("v2-dated-in-future", "dated in the year 2999, with a key valid until then",
        verification_link(BASE_URL, seal(ahead, lasting)), "dated-in-future", payload=ahead, signer=lasting)
    corrected = replace(now, credential_id=superseded_id)
    add("v2-superseded", "a certificate that the issuer replaced with a corrected one",
        verification_link(BASE_URL, seal(corrected, uh)), "superseded", payload=corrected, signer=uh)
    v2_revoked = replace(now, credential_id=revoked_id)
    add("v2-revoked", "a format 2 credential the trust list revokes", verification_link(BASE_URL, seal(v2_revoked, uh)),
        "revoked", payload=v2_revoked, signer=uh)
    for name, text in [
        ("empty", ""),
        ("link-without-token", BASE_URL),
        ("empty-fragment", BASE_URL + "#"),
        ("plain-text", "hello, world"),
        ("three-parts", f"{head}.{tail}.{tail}"),
        ("no-dot", head + tail),
        ("short-signature", f"{head}.{tail[:-1]}"),
        ("padded", f"{head}.{tail}=="),
        ("standard-base64", f"{head}.{base64.b64encode(base64.urlsafe_b64decode(tail + '==')).decode()}"),
        ("space-inside", f"{head[:10]} {head[10:]}.{tail}"),
        ("too-long", "A" * 5000 + "." + tail),
    ]:
        add(f"malformed-{name}", "not a certificate token", text, "malformed")

    vectors_doc = {
        "format": "unadocs-seal-vectors/1",
        "note": "TEST ONLY. Generated by tests/vectors/make_vectors.py; the key is public. Verify with trust.json.",
        "base_url": BASE_URL,
        "vectors": vectors,
    }
    pem = ("TEST ONLY: the unadocs seal test vector key. Its private key is public; never trust it.\n").encode()
    return {
        "TEST-ONLY-UH.pem": pem + private_key_pem(uh),
        "trust.json": trust.to_json().encode("utf-8"),
        "vectors.json": (json.dumps(vectors_doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    }


def main(argv: list[str]) -> None:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    out.mkdir(parents=True, exist_ok=True)
    for name, data in build().items():
        (out / name).write_bytes(data)
        print(out / name)


if __name__ == "__main__":
    main(sys.argv)
