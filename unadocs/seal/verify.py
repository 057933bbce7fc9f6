"""The verdict on a certificate: is its seal genuine, is it the issuer's, and does it still stand?

The checks run in this order, and the first that fails gives the reason:

1. **malformed**: the input holds no token: a link without one, text not
   shaped like a token, an image without a QR code, an unreadable file,
   a payload of a format version this verifier does not read;
2. **bad-signature** when the token is shaped right but its payload cannot
   be read (it was altered after sealing; see :mod:`unadocs.seal.payload`);
3. **unknown-key**: the trust list has no key with the payload's key id;
4. **bad-signature**: the signature does not match the payload (tampered);
5. **wrong-issuer**: the trust list binds the key to another institution
   than the certificate's issuer (format 2), or to none of its awarding
   bodies (format 1): a key of one university cannot seal another's
   certificates;
6. **key-not-valid-on-date**: the issue date or the day of sealing is
   outside the key's validity;
7. **key-revoked**: the key was revoked on or before the day of sealing;
8. **dated-in-future**: the issue date or the day of sealing is after
   today (a day's grace for time zones);
9. **superseded**: the trust list revokes the credential id because a
   corrected certificate replaces it (the verdict names the replacement);
   **revoked** when it revokes it for another reason;
10. **specimen**: the payload is a specimen (draft agreement), never valid;
11. **record-mismatch**: the PDF's QR codes and verification links do not
    all carry the same token; or a record was given (or is embedded in the
    PDF) and its SHA-256 is not the one the payload binds; a PDF without an
    embedded JSON record also fails here;
12. **modified**, only with ``strict``: the PDF holds something unadocs did
    not write (see :mod:`unadocs.seal.inputs`); without ``strict`` that is a
    warning on an otherwise valid verdict;
13. for a PDF with the university's PAdES seal (:mod:`unadocs.seal.eseal_check`):
    **modified** when the seal is broken or the file was changed after
    sealing, whatever ``strict`` says; **eseal-not-trusted** when the seal's
    certificate was not valid at the signing time, its chain does not reach
    the trust roots given, or it names another organisation than the
    certificate's issuer; with trust roots, a PDF without a seal is
    **eseal-not-trusted** too.

Signature first, then the facts the signature vouches for: a verdict about
issuer, dates, revocation, specimen or the record is only reached for a
genuine payload, and only then are ``fields`` filled. The browser verifier
applies the same order, so both give the same reason (``tests/vectors``).
An Open Badges VC-JWT goes through the same checks: unadocs seals the same
payload into it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unadocs.errors import CorruptPayload, MalformedToken
from unadocs.seal.inputs import MAX_INPUT_BYTES, MAX_RECORD_BYTES, Input, read_input
from unadocs.seal.payload import Payload, open_token, record_digest
from unadocs.seal.trust import TrustedKey, TrustList
from unadocs.seal.vcjwt import OpenedJwt, legacy_jwt_fields, looks_like_jwt, open_jwt

if TYPE_CHECKING:
    from unadocs.seal.eseal_check import ESealCheck

__all__ = ["MAX_INPUT_BYTES", "MAX_RECORD_BYTES", "Reason", "Verification", "verify"]

#: A certificate dated tomorrow somewhere is dated today in another time zone.
GRACE = timedelta(days=1)


class Reason(StrEnum):
    """Why a certificate is or is not valid."""

    VALID = "valid"
    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown-key"
    BAD_SIGNATURE = "bad-signature"
    WRONG_ISSUER = "wrong-issuer"
    KEY_NOT_VALID_ON_DATE = "key-not-valid-on-date"
    KEY_REVOKED = "key-revoked"
    DATED_IN_FUTURE = "dated-in-future"
    SUPERSEDED = "superseded"
    REVOKED = "revoked"
    SPECIMEN = "specimen"
    RECORD_MISMATCH = "record-mismatch"
    MODIFIED = "modified"
    ESEAL_NOT_TRUSTED = "eseal-not-trusted"


_MESSAGES = {
    Reason.VALID: "The seal is genuine, made by the issuer's own key while it was valid, "
                  "and the certificate is not revoked.",
    Reason.MALFORMED: "This is not a readable certificate code, link or file.",
    Reason.UNKNOWN_KEY: "It was sealed with a key that is not in the trust list: an unknown issuer key.",
    Reason.BAD_SIGNATURE: "The seal does not match the data: it was tampered with or corrupted.",
    Reason.WRONG_ISSUER: "It was sealed by a key of another institution than the certificate's issuer.",
    Reason.KEY_NOT_VALID_ON_DATE: "The issuer's key was not valid on the certificate's dates.",
    Reason.KEY_REVOKED: "The issuer revoked the key that sealed this certificate.",
    Reason.DATED_IN_FUTURE: "The certificate is dated after today; a certificate cannot be issued in advance.",
    Reason.SUPERSEDED: "The issuer replaced this certificate with a corrected one.",
    Reason.REVOKED: "The issuer has revoked this certificate.",
    Reason.SPECIMEN: "This is a specimen, issued under a draft agreement; it certifies nothing.",
    Reason.RECORD_MISMATCH: "The certificate's record does not match the sealed data.",
    Reason.MODIFIED: "The PDF was changed after the issuer wrote it.",
    Reason.ESEAL_NOT_TRUSTED: "The PDF's electronic seal is not the issuer's seal from a trusted authority.",
}


@dataclass(frozen=True)
class Verification:
    """The verdict and its reasons. ``fields`` holds the sealed facts only once the signature is genuine."""

    reason: Reason
    detail: str = ""
    """A specific explanation, e.g. which key id was unknown; may be empty."""
    fields: dict[str, Any] = field(default_factory=dict)
    payload: Payload | None = None
    warnings: tuple[str, ...] = ()
    """What a verifier should know although it does not decide the verdict, e.g. what was added to a PDF."""
    superseded_by: str | None = None
    """The credential id of the corrected certificate, when this one was superseded."""
    names: dict[str, str] = field(default_factory=dict)
    """The awarding bodies' official names by partner id, from the certificate's record when it matches the seal."""
    link: str | None = None
    """The verification link the input carried (a link, a QR code or a PDF), to pass on to someone else."""
    eseal: ESealCheck | None = None
    """The verdict on the PDF's PAdES seal (the university's eIDAS seal), when it carries one."""

    @property
    def valid(self) -> bool:
        return self.reason is Reason.VALID

    @property
    def message(self) -> str:
        """A plain-English explanation of the reason, with the detail when there is one."""
        base = _MESSAGES[self.reason]
        return f"{base} ({self.detail})" if self.detail else base

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: valid, reason, message, fields, warnings and, when superseded, the replacement."""
        out: dict[str, Any] = {"valid": self.valid, "reason": str(self.reason), "message": self.message,
                               "fields": self.fields, "warnings": list(self.warnings)}
        if self.superseded_by is not None:
            out["superseded_by"] = self.superseded_by
        if self.names:
            out["names"] = self.names
        if self.link is not None:
            out["link"] = self.link
        if self.eseal is not None:
            out["eseal"] = self.eseal.as_dict()
        return out


def verify(
    input: str | bytes | Path, trust: TrustList | Path | str, *, record: bytes | None = None,
    today: date | None = None, strict: bool = False, trust_roots: Path | str | Sequence[Any] | None = None,
) -> Verification:
    """Verify a certificate given as a token, a verification link, a QR image (PNG/JPEG), a certificate PDF
    or an Open Badges VC-JWT.

    ``input`` as ``str`` is the token, link or JWT, or the path of an existing
    file; ``Path`` is a file; ``bytes`` is a file's content. ``trust`` is a
    :class:`TrustList` or the path of one. ``record`` is the canonical record
    JSON to check against the payload; a PDF's embedded record is used when
    none is given. ``today`` (default: the system's date) is the day against
    which a future date is judged. ``strict`` makes anything added to a PDF
    after unadocs wrote it a **modified** verdict instead of a warning.

    A PDF that carries the university's PAdES seal gets its verdict too
    (:attr:`Verification.eseal`): a PDF changed after sealing is **modified**;
    ``trust_roots`` (a PEM file of certificates, or the certificates) are the
    roots its chain must reach, and a PDF without a seal is then not valid
    either (**eseal-not-trusted**). Without them the chain is not checked.

    Never raises for bad *input* (that is the ``malformed`` verdict); a
    missing or broken trust list or trust roots file is a :class:`SealError`.
    """
    trust_list = trust if isinstance(trust, TrustList) else TrustList.load(trust)
    roots = _trust_roots(trust_roots)
    day = date.today() if today is None else today
    try:
        given = read_input(input)
    except CorruptPayload as exc:
        return Verification(Reason.BAD_SIGNATURE, str(exc))
    except MalformedToken as exc:
        return Verification(Reason.MALFORMED, str(exc))
    verdict = _judge_input(given, trust_list, record, day, strict)
    return verdict if given.pdf is None else _with_eseal(verdict, given, roots)


def _judge_input(given: Input, trust_list: TrustList, record: bytes | None, day: date, strict: bool) -> Verification:
    """The verdict of the QR code's seal (the checks 1 to 12 of the module's docstring)."""
    try:
        if looks_like_jwt(given.token):  # an Open Badges VC-JWT (three parts; a token has two)
            return _judge_jwt(open_jwt(given.token), trust_list, record, day)
        payload, signed, signature = open_token(given.token)
    except CorruptPayload as exc:
        return Verification(Reason.BAD_SIGNATURE, str(exc))
    except MalformedToken as exc:
        return Verification(Reason.MALFORMED, str(exc))
    key = trust_list.key(payload.key_id)
    if key is None:
        return Verification(Reason.UNKNOWN_KEY, f"key id {payload.key_id}")
    if not _genuine(key, signature, signed):
        return Verification(Reason.BAD_SIGNATURE)
    records = [record] if record is not None else given.records
    verdict = _judge(payload, key, trust_list, day, _fields(payload, key))
    if verdict.reason is not Reason.VALID:
        return verdict
    mismatch = _record_mismatch(payload.record_sha256, records, given.conflict)
    if mismatch is not None:
        return Verification(Reason.RECORD_MISMATCH, mismatch, verdict.fields, payload)
    link = given.token.strip() if "#" in given.token else None
    verdict = replace(verdict, names=_names(payload.record_sha256, records), link=link)
    return _with_additions(verdict, given.additions, strict)


def _names(digest: str, records: list[bytes] | None) -> dict[str, str]:
    """The awarding bodies' names from the record the seal binds (partner id -> official name), if one was given."""
    import json

    for record in records or []:
        if record_digest(record) != digest:
            continue
        try:
            bodies = json.loads(record).get("awarding_bodies", [])
            return {str(body["id"]): str(body["name"]) for body in bodies}
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return {}
    return {}


def _trust_roots(roots: Path | str | Sequence[Any] | None) -> Sequence[Any] | None:
    """The trust roots as certificates: read from a PEM file, or given."""
    if roots is None or not isinstance(roots, (str, Path)):
        return roots
    from unadocs.seal.eseal_check import load_trust_roots

    return load_trust_roots(roots)


def _with_eseal(verdict: Verification, given: Input, roots: Sequence[Any] | None) -> Verification:
    """The QR code's verdict with the PDF's PAdES seal judged beside it: a seal that is broken, changed after
    sealing, not chained to the trust roots or not the issuer's makes a valid certificate not valid."""
    from unadocs.seal.eseal_check import check_pades

    assert given.pdf is not None
    check = check_pades(given.pdf, roots)
    if check is None:
        if roots is not None and verdict.valid:
            return replace(verdict, reason=Reason.ESEAL_NOT_TRUSTED,
                           detail="the PDF carries no eSeal, and trust roots for one were given")
        return verdict
    verdict = replace(verdict, eseal=check)
    if not verdict.valid:
        return verdict
    if not (check.intact and check.unchanged):
        return replace(verdict, reason=Reason.MODIFIED, detail=f"its eSeal: {check.problem}")
    if check.problem:
        return replace(verdict, reason=Reason.ESEAL_NOT_TRUSTED, detail=check.problem)
    issuer = _record_issuer(verdict.payload, given.records)
    if issuer is not None:
        from unadocs.seal.eseal import same_organisation

        if not same_organisation(check.organisation, *issuer):
            return replace(verdict, reason=Reason.ESEAL_NOT_TRUSTED,
                           detail=f"it is sealed by {check.organisation or check.subject!r}, not by the "
                                  f"certificate's issuer, {issuer[0]}")
    return verdict


def _record_issuer(payload: Payload | None, records: list[bytes] | None) -> tuple[str, str | None] | None:
    """The issuer's official names in the record the payload seals (English, own language), if it is there."""
    import json

    for record in records or []:
        if payload is not None and record_digest(record) == payload.record_sha256:
            try:
                issuer = json.loads(record)["issuer"]
                return str(issuer["name"]), issuer.get("native_name")
            except (ValueError, KeyError, TypeError):
                return None
    return None


def _genuine(key: TrustedKey, signature: bytes, signed: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(key.public_key_bytes).verify(signature, signed)
    except (InvalidSignature, ValueError):
        return False
    return True


def _fields(payload: Payload, key: TrustedKey) -> dict[str, Any]:
    """The sealed facts as the CLI and the page show them (format 1 has no day of sealing)."""
    fields: dict[str, Any] = {
        "name": payload.name,
        "title": payload.title,
        "issued": payload.issued.isoformat(),
        "ects": payload.ects,
        "eqf": payload.eqf,
        "awarding": list(payload.awarding),
        "issuer": key.issuer,
        "credential_id": payload.credential_id,
        "key_id": payload.key_id,
        "specimen": payload.specimen,
    }
    if payload.sealed is not None:
        fields["sealed"] = payload.sealed.isoformat()
    return fields


def _judge(payload: Payload, key: TrustedKey, trust: TrustList, today: date, fields: dict[str, Any],
           warnings: tuple[str, ...] = ()) -> Verification:
    """Checks 5 to 10 on a genuine payload, in the documented order (the record is the caller's)."""

    def verdict(reason: Reason, detail: str = "", superseded_by: str | None = None) -> Verification:
        return Verification(reason, detail, fields, payload, warnings, superseded_by)

    if payload.issuer is not None and payload.issuer != key.issuer:
        return verdict(Reason.WRONG_ISSUER, f"the certificate is issued by {payload.issuer}; "
                                            f"key {key.key_id} belongs to {key.issuer}")
    if payload.issuer is None and key.issuer not in payload.awarding:
        return verdict(Reason.WRONG_ISSUER, f"key {key.key_id} belongs to {key.issuer}, which is not one of the "
                                            f"awarding bodies ({', '.join(payload.awarding)})")
    for what, day in (("issued", payload.issued), ("sealed", payload.sealed_on)):
        if not key.valid_on(day):
            return verdict(Reason.KEY_NOT_VALID_ON_DATE, f"{what} {day}; key {key.key_id} of {key.issuer} is valid "
                                                         f"{key.valid_from} to {key.valid_until}")
    if key.revoked_on(payload.sealed_on):
        why = f": {key.revocation_reason}" if key.revocation_reason else ""
        return verdict(Reason.KEY_REVOKED, f"key {key.key_id} of {key.issuer} is revoked since "
                                           f"{key.revoked_since}{why}; sealed {payload.sealed_on}")
    latest = max(payload.issued, payload.sealed_on)
    if latest > today + GRACE:
        return verdict(Reason.DATED_IN_FUTURE, f"dated {latest}, today is {today}")
    revocation = trust.revocation(payload.credential_id)
    if revocation is not None:
        why = ", ".join(x for x in (revocation.reason, revocation.date and f"on {revocation.date}") if x)
        if revocation.superseded_by is not None:
            detail = f"replaced by credential {revocation.superseded_by}" + (f"; {why}" if why else "")
            return verdict(Reason.SUPERSEDED, detail, revocation.superseded_by)
        return verdict(Reason.REVOKED, why)
    if payload.specimen:
        return verdict(Reason.SPECIMEN)
    return verdict(Reason.VALID)


def _record_mismatch(digest: str, records: list[bytes] | None, conflict: str | None) -> str | None:
    """Why the record does not match the sealed digest, or None when it does (or none was given)."""
    if conflict is not None:
        return conflict
    if records is None:
        return None
    if not records:
        return "the PDF carries no embedded JSON record"
    if not any(record_digest(r) == digest for r in records):
        return "the record's SHA-256 is not the sealed one"
    return None


def _with_additions(verdict: Verification, additions: tuple[str, ...], strict: bool) -> Verification:
    """A valid verdict, warned of (or, ``strict``, failed for) what was added to the PDF after unadocs wrote it."""
    if not additions:
        return verdict
    if strict:
        return replace(verdict, reason=Reason.MODIFIED, detail="; ".join(additions))
    notes = tuple(f"added after unadocs wrote the PDF: {a}" for a in additions)
    return replace(verdict, warnings=verdict.warnings + notes)


def _judge_jwt(opened: OpenedJwt, trust: TrustList, record: bytes | None, today: date) -> Verification:
    """The verdict on an Open Badges VC-JWT: its signature, then the sealed payload it carries, as for a token."""
    from unadocs.seal.vcjwt import verify_signature

    key = trust.key(opened.key_id)
    if key is None:
        return Verification(Reason.UNKNOWN_KEY, f"key id {opened.key_id}")
    if not verify_signature(opened, key.public_key):
        return Verification(Reason.BAD_SIGNATURE)
    payload = opened.payload
    if payload is not None:
        verdict = _judge(payload, key, trust, today, _fields(payload, key))
    else:  # written by unadocs 0.1: the JWT names neither its issuer nor the awarding bodies' ids
        warning = ("this Open Badges credential of unadocs 0.1 does not say which institution sealed it, so that "
                   f"could not be checked; the trust list says key {key.key_id} is {key.issuer}'s")
        verdict = _judge(opened.legacy_payload(key.issuer), key, trust, today, legacy_jwt_fields(opened, key.issuer),
                         (warning,))
    if verdict.reason is not Reason.VALID:
        return verdict
    mismatch = _record_mismatch(verdict.payload.record_sha256 if verdict.payload else "",
                                [record] if record is not None else None, None)
    if mismatch is not None:
        return Verification(Reason.RECORD_MISMATCH, mismatch, verdict.fields, verdict.payload, verdict.warnings)
    return verdict
