"""Verifiable credentials as JWTs (VC-JWT), signed with the issuer's Ed25519 key.

Open Badges 3.0 credentials travel as a compact JWS (``header.payload.signature``)::

    header  = {"alg": "EdDSA", "kid": "<key id>", "typ": "JWT"}
    payload = {"iss": "<issuer id>", "jti": "<credential id>", "nbf": <issue day, 00:00 UTC>,
               "vc": {... the credential ...},
               "unadocs": {"record_sha256": "<digest>", "specimen": false}}

``kid`` is the trust list's key id, so ``unadocs verify`` finds the key
exactly as for a certificate token. ``unadocs`` binds the credential to the
certificate record (the same digest as the PDF's payload) and carries the
specimen flag. There is no ``iat``: no wall clock enters an output.
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

from unadocs.errors import SealError
from unadocs.seal.payload import MalformedToken

if TYPE_CHECKING:
    from unadocs.seal.keys import Signer

__all__ = ["ALGORITHM", "OpenedJwt", "looks_like_jwt", "open_jwt", "sign_vc_jwt", "verify_signature"]

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


def sign_vc_jwt(credential: dict[str, Any], signer: Signer, *, issuer: str, issued: date,
                record_sha256: str, specimen: bool) -> str:
    """The credential as a compact JWS signed by ``signer`` (deterministic: Ed25519 and sorted claims)."""
    from joserfc import jwt
    from joserfc.jwk import OKPKey

    from unadocs.seal.keys import private_key_pem

    key = OKPKey.import_key(private_key_pem(signer))
    claims = {
        "iss": issuer,
        "jti": credential["id"],
        "nbf": int(datetime(issued.year, issued.month, issued.day, tzinfo=timezone.utc).timestamp()),
        "vc": credential,
        "unadocs": {"record_sha256": record_sha256, "specimen": specimen},
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


def _part(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
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
    if not isinstance(extra, dict) or not isinstance(extra.get("specimen"), bool):
        raise MalformedToken("the JWT carries no unadocs claim with the specimen flag")
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
