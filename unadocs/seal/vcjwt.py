"""Verifiable credentials as JWTs (VC-JWT), signed with the issuer's Ed25519 key.

Open Badges 3.0 credentials travel as a compact JWS (``header.payload.signature``)::

    header  = {"alg": "EdDSA", "kid": "<key id>", "typ": "JWT"}
    payload = {"iss": "<issuer id>", "jti": "<credential id>", "nbf": <issue day, 00:00 UTC>,
               "vc": {... the credential ...},
               "unadocs": {"v": 2, "i": ..., "u": "UH", "e": "<day of sealing>", "h": ..., "s": false}}

``kid`` is the trust list's key id, so ``unadocs verify`` finds the key
exactly as for a certificate token. ``unadocs`` is the certificate's seal
payload itself (:class:`~unadocs.seal.payload.Payload`, the same object as in
the PDF's QR code), so the credential is bound to the certificate record and
is judged by exactly the same checks: issuer, key dates, revocation,
specimen. There is no ``iat``: no wall clock enters an output.

unadocs 0.1 wrote ``"unadocs": {"record_sha256": ..., "specimen": ...}``
instead; :meth:`OpenedJwt.legacy_payload` and :func:`legacy_jwt_fields` read
those credentials, so that the ones already issued keep verifying.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

from unadocs.errors import MalformedToken, SealError
from unadocs.seal.payload import Payload

if TYPE_CHECKING:
    from unadocs.seal.keys import Signer

__all__ = ["ALGORITHM", "OpenedJwt", "legacy_jwt_fields", "looks_like_jwt", "open_jwt", "sign_vc_jwt",
           "verify_signature"]

#: JOSE algorithm of an Ed25519 signature. RFC 9864 prefers the name "Ed25519" for the same
#: signature, but VC-JWT and Open Badges verifiers know "EdDSA"; joserfc warns about it, so we silence
#: exactly that warning where we use it.
ALGORITHM = "EdDSA"
_ACCEPTED = (ALGORITHM, "Ed25519")
_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


@contextmanager
def _eddsa_allowed() -> Iterator[None]:
    from joserfc.errors import SecurityWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)
        yield


def sign_vc_jwt(credential: dict[str, Any], signer: Signer, *, issuer: str, payload: Payload) -> str:
    """The credential as a compact JWS signed by ``signer``, carrying the certificate's seal ``payload``
    (deterministic: Ed25519 and sorted claims)."""
    from joserfc import jwt
    from joserfc.jwk import OKPKey

    from unadocs.seal.keys import private_key_pem

    if payload.key_id != signer.key_id:
        raise SealError(f"the payload names key {payload.key_id} but the signer's key is {signer.key_id}")
    key = OKPKey.import_key(private_key_pem(signer))
    issued = payload.issued
    claims = {
        "iss": issuer,
        "jti": credential["id"],
        "nbf": int(datetime(issued.year, issued.month, issued.day, tzinfo=timezone.utc).timestamp()),
        "vc": credential,
        "unadocs": json.loads(payload.to_json_bytes()),
    }
    header = {"alg": ALGORITHM, "kid": signer.key_id, "typ": "JWT"}
    with _eddsa_allowed():
        return jwt.encode(header, claims, key, algorithms=[ALGORITHM])


def looks_like_jwt(text: str) -> bool:
    """Whether text is shaped like a compact JWS (three base64url parts); says nothing of its validity."""
    return bool(_JWS.match(text.strip()))


@dataclass(frozen=True)
class OpenedJwt:
    """A VC-JWT split and parsed, its signature not yet checked."""

    token: str
    header: dict[str, Any]
    claims: dict[str, Any]

    @property
    def key_id(self) -> str:
        return str(self.header.get("kid", ""))

    @property
    def credential(self) -> dict[str, Any]:
        vc: dict[str, Any] = self.claims["vc"]
        return vc

    @property
    def issued(self) -> date:
        return datetime.fromtimestamp(self.claims["nbf"], tz=timezone.utc).date()

    @property
    def payload(self) -> Payload | None:
        """The seal payload the JWT carries, or None for a credential of unadocs 0.1, which carried none.

        :class:`MalformedToken` when the claim is not a canonical payload.
        """
        claim = self.claims["unadocs"]
        if "v" not in claim:
            return None
        data = json.dumps(claim, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
        try:
            return Payload.from_json_bytes(data)
        except MalformedToken as exc:  # a payload inside a genuine JWT that unadocs did not write
            raise MalformedToken(f"the JWT's unadocs claim is not a seal payload: {exc}") from None

    def legacy_payload(self, issuer: str) -> Payload:
        """The facts of a credential of unadocs 0.1 as a format 1 payload of ``issuer`` (the trust list's).

        Those credentials name the awarding bodies by name only, so ``issuer``
        stands for them: the check that the key's institution is an awarding
        body cannot be made, and :func:`~unadocs.seal.verify.verify` says so.
        """
        fields = legacy_jwt_fields(self, issuer)
        extra = self.claims["unadocs"]
        try:
            return Payload(credential_id=fields["credential_id"], name=fields["name"], title=fields["title"],
                           issued=self.issued, ects=fields["ects"], eqf=fields["eqf"], awarding=(issuer,),
                           key_id=self.key_id, record_sha256=str(extra.get("record_sha256", "")),
                           specimen=extra["specimen"], version=1)
        except (SealError, ValueError, TypeError) as exc:
            raise MalformedToken(f"the Open Badges credential lacks what a certificate states ({exc})") from None


def legacy_jwt_fields(opened: OpenedJwt, issuer: str) -> dict[str, Any]:
    """The facts of an Open Badges credential of unadocs 0.1, named as a certificate's fields are.

    Only for those credentials, which carried no seal payload: it reads the
    fixed shape that version wrote (its ``ob3_credential``), nothing else.
    """
    vc = opened.credential
    subject = vc.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    names = [i.get("identityHash") for i in subject.get("identifier") or [] if i.get("identityType") == "name"]
    eqf = [a.get("targetCode") for a in achievement.get("alignment") or [] if a.get("targetCode")]
    credits = achievement.get("creditsAvailable")
    return {
        "name": names[0] if names else "",
        "title": achievement.get("name", ""),
        "issued": opened.issued.isoformat(),
        "ects": format(credits, "g") if isinstance(credits, int | float) else "",
        "eqf": int(eqf[0]) if eqf and str(eqf[0]).isdigit() else None,
        "awarding": [(vc.get("issuer") or {}).get("name", "")] + [
            (e.get("issuer") or {}).get("name", "") for e in achievement.get("endorsement") or []],
        "issuer": issuer,
        "credential_id": str(opened.claims.get("jti", "")).removeprefix("urn:uuid:"),
        "key_id": opened.key_id,
        "specimen": opened.claims["unadocs"]["specimen"],
    }


def _part(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise MalformedToken(f"the JWT {what} is not base64url JSON") from None
    if not isinstance(value, dict):
        raise MalformedToken(f"the JWT {what} is not a JSON object")
    return value


def open_jwt(token: str) -> OpenedJwt:
    """Parse a VC-JWT's header and claims; :class:`MalformedToken` when it is not one of ours in form."""
    text = token.strip()
    if not looks_like_jwt(text):
        raise MalformedToken("a JWT has three base64url parts separated by '.'")
    head, body, _ = text.split(".")
    header, claims = _part(head, "header"), _part(body, "payload")
    if header.get("alg") not in _ACCEPTED:
        raise MalformedToken(f"the JWT is signed with {header.get('alg')!r}, not Ed25519 ({ALGORITHM})")
    if not isinstance(header.get("kid"), str):
        raise MalformedToken("the JWT header names no key (kid)")
    if not isinstance(claims.get("vc"), dict) or not isinstance(claims.get("nbf"), int):
        raise MalformedToken("the JWT is not a verifiable credential (no vc claim or no nbf date)")
    extra = claims.get("unadocs")
    if not isinstance(extra, dict) or not (isinstance(extra.get("s"), bool) or isinstance(extra.get("specimen"), bool)):
        raise MalformedToken("the JWT carries no unadocs claim with the seal payload")
    return OpenedJwt(text, header, claims)


def verify_signature(opened: OpenedJwt, public_key: str) -> bool:
    """Whether the JWT's signature is the Ed25519 signature of the key (base64url raw 32 bytes)."""
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import OKPKey

    try:
        key = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": public_key})
    except (JoseError, ValueError) as exc:
        raise SealError(f"not an Ed25519 public key: {exc}") from None
    try:
        with _eddsa_allowed():
            decoded = jwt.decode(opened.token, key, algorithms=[str(opened.header["alg"])])
    except (JoseError, ValueError):
        return False
    return decoded.claims == opened.claims
