"""Sealing a certificate record: whose key may seal it, on which day, and the token it gets.

These are the issuer's rules, checked before anything is written:

* the key is the issuer's own: the trust list binds it to the record's
  issuer (:func:`check_signer`);
* the key may seal on the issue date and on the day of sealing, and was not
  revoked by then (:func:`check_key_dates`);
* a certificate is sealed on or after its issue date, never in advance.

The day of sealing is today, or the day ``SOURCE_DATE_EPOCH`` names (the
reproducible-builds convention: seconds since 1970 UTC), so that tests and
audits can fix it (:func:`sealing_day`). It is a day, not a time, so that a
run repeated the same day gives the same bytes.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from unadocs.errors import SealError
from unadocs.seal.payload import Payload, record_digest, seal, verification_link

if TYPE_CHECKING:
    from unadocs.record import CertificateRecord
    from unadocs.seal.keys import Signer

__all__ = ["check_key_dates", "check_signer", "payload_for", "sealed_link", "sealing_day", "sealing_time"]


def sealing_day() -> date:
    """Today, or the UTC day of ``SOURCE_DATE_EPOCH`` when that is set; :class:`SealError` if it is not a time."""
    fixed = _source_date_epoch()
    return date.today() if fixed is None else fixed.date()


def sealing_time() -> datetime:
    """The time an eIDAS seal claims (UTC, whole seconds): now, or ``SOURCE_DATE_EPOCH`` when that is set, so
    that two sealed runs can be compared byte for byte. The eSeal's time, unlike the QR code's day, is a
    moment: PAdES and JAdES state one."""
    fixed = _source_date_epoch()
    return datetime.now(timezone.utc).replace(microsecond=0) if fixed is None else fixed


def _source_date_epoch() -> datetime | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or epoch == "":
        return None
    try:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise SealError(f"SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01 UTC, not {epoch!r}") from None


def check_signer(issuer: str, signer: Signer) -> None:
    """Refuse a key that the trust list binds to another institution than the certificates' ``issuer``."""
    if signer.issuer != issuer:
        raise SealError(
            f"the signing key {signer.key_id} belongs to {signer.issuer!r} (its trust list entry), but the "
            f"certificates are issued by {issuer!r} (certificate.issuer); seal with {issuer}'s own key"
        )


def check_key_dates(signer: Signer, issued: date, sealed: date) -> None:
    """Refuse to seal what no verifier would accept: a date outside the key's validity, after its revocation,
    or an issue date after the day of sealing. The message says how to fix it."""
    if issued > sealed:
        raise SealError(f"the issue date {issued} is after today ({sealed}): a certificate is issued on or after "
                        "the day it is dated, never in advance")
    for what, day in (("issue date", issued), ("day of sealing", sealed)):
        if signer.valid_from is not None and day < signer.valid_from:
            raise SealError(f"the {what} {day} is before key {signer.key_id} is valid ({signer.valid_from}); "
                            f"generate a key valid from then: unadocs keys generate --issuer {signer.issuer} "
                            f"--valid-from {day} --out DIR")
        if signer.valid_until is not None and day > signer.valid_until:
            raise SealError(f"the {what} {day} is after key {signer.key_id} expired ({signer.valid_until}); "
                            f"seal with a current key of {signer.issuer}")
    if signer.revoked_since is not None and sealed >= signer.revoked_since:
        raise SealError(f"key {signer.key_id} is revoked since {signer.revoked_since}; its seals would not verify")


def payload_for(record: CertificateRecord, signer: Signer, sealed: date) -> Payload:
    """The facts the seal binds, taken from the record, with the SHA-256 of its canonical JSON."""
    return Payload(
        credential_id=record.credential_id,
        name=record.learner.full_name,
        title=record.title,
        issued=record.issued,
        ects=record.ects_text,
        eqf=record.eqf_level,
        awarding=tuple(body.id for body in record.awarding_bodies),
        issuer=record.issuer.id,
        key_id=signer.key_id,
        sealed=sealed,
        record_sha256=record_digest(record.canonical_json()),
        specimen=record.specimen,
    )


def sealed_link(record: CertificateRecord, signer: Signer, verification_url: str, sealed: date) -> str:
    """The verification link of a record: the verification URL with its signed payload as the #fragment."""
    return verification_link(verification_url, seal(payload_for(record, signer, sealed), signer))
