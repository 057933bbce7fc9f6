"""The signed payload of a certificate and its compact token.

Token format (version 2), designed so that a browser can check it with
WebCrypto Ed25519, ``DecompressionStream("deflate-raw")`` and ``JSON.parse``::

    token = base64url(deflate-raw(P)) "." base64url(S)      (RFC 4648 §5 without padding; RFC 1951)
    P     = UTF-8 compact JSON object, keys in this order:
            {"v":2,                      format version
             "i":"<credential id>",
             "n":"<full name, NFC>",
             "t":"<title>",
             "d":"YYYY-MM-DD",           issue date
             "c":"<ECTS>",               shortest decimal string, e.g. "10" or "7.5"
             "q":<EQF level>,            integer 1..8
             "a":["UH","UNIBO",...],     awarding bodies (partner short ids), at least one
             "u":0,                      the issuer: the index in "a" of the awarding body whose key seals
             "k":"<key id>",             11 base64url characters (see unadocs.seal.trust.key_id_of)
             "e":0,                      the day of sealing, as days after the issue date (0: the same day)
             "h":"<record digest>",      base64url SHA-256 of the canonical record bytes (43 characters)
             "s":false}                  specimen flag
    S     = Ed25519 signature (64 bytes) over the exact bytes P (not the compressed bytes)

The issuer and the day of sealing are numbers, not text, because every byte
counts in a QR code (see below). Version 1, which unadocs 0.1 wrote, has
neither ``"u"`` nor ``"e"``
(``{"v":1,"i",…,"a",…,"k",…,"h",…,"s"}``). Verifiers read both, so that
certificates already issued keep verifying; for a version 1 token the key's
institution must be one of the awarding bodies, and the issue date stands
for the day of sealing.

Malformed or tampered? Text (after the ``#`` of a link, if there is one)
that is not shaped like a token, ``[A-Za-z0-9_-]+ "." [A-Za-z0-9_-]{86}``,
is *malformed*: someone scanned another code or cut the link. A token-shaped
text whose payload does not inflate, parse or rebuild exactly, or whose
base64url is not canonical, was altered after sealing: the verdict is
*bad-signature* (tampered), as for a readable payload whose signature fails.
Only a payload of another format version (``"v"`` other than 1) is malformed.
What the signature covers is ``P``, not the token's text: tokens that differ
only in bits inflate ignores (the padding of deflate's last byte) carry the
same ``P`` and verify alike.

Why deflate: it shrinks the text fields by a fifth to a third, most for
Greek and Cyrillic names, which take two bytes a letter. With eight awarding
bodies, the last of them sealing a year after the issue date, and a
45-character credential id, a 120-character name fits a version 20 QR code at
level M (666 bytes, with a 32-character verification URL) with a title of up
to about 104 characters in Latin script with diacritics, 67 in Cyrillic and
37 in Greek; :func:`unadocs.seal.qr.qr_image` refuses anything longer with a
:class:`SealError`.

The token goes in the #fragment of the verification link, so the page behind
that link never receives it (:func:`verification_link`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from unadocs.errors import CorruptPayload, MalformedToken, SealError
from unadocs.model.base import decimal_text

if TYPE_CHECKING:
    from unadocs.seal.keys import Signer

__all__ = [
    "FORMAT_VERSION",
    "MAX_PAYLOAD_BYTES",
    "READABLE_VERSIONS",
    "MAX_TOKEN_LENGTH",
    "CorruptPayload",
    "MalformedToken",
    "Payload",
    "b64url_decode",
    "b64url_encode",
    "open_token",
    "record_digest",
    "seal",
    "verification_link",
]

FORMAT_VERSION = 2
#: Every format version a verifier reads; tokens are only ever written in :data:`FORMAT_VERSION`.
READABLE_VERSIONS = (1, 2)

#: Longer input is malformed without further ado (a version 40 QR code holds < 3000 bytes).
MAX_TOKEN_LENGTH = 4096
#: The most bytes a payload may inflate to; more is malformed (and stops a decompression bomb).
MAX_PAYLOAD_BYTES = 4096

_B64URL = re.compile(r"^[A-Za-z0-9_-]*\Z")
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}\Z")
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{11}\Z")
_DIGEST = re.compile(r"^[A-Za-z0-9_-]{43}\Z")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
#: The payload's keys, in their one allowed order, by format version.
_KEYS = {
    1: ("v", "i", "n", "t", "d", "c", "q", "a", "k", "h", "s"),
    2: ("v", "i", "n", "t", "d", "c", "q", "a", "u", "k", "e", "h", "s"),
}


def b64url_encode(data: bytes) -> str:
    """Base64url without padding (RFC 4648 §5)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict inverse of :func:`b64url_encode`; ``ValueError`` on anything else."""
    if not _B64URL.match(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url_encode(raw) != text:  # non-zero trailing bits: a second spelling of the same bytes
        raise ValueError("not canonical base64url")
    return raw


def record_digest(record: bytes) -> str:
    """The ``record_sha256`` of a payload: base64url SHA-256 of the canonical record bytes."""
    return b64url_encode(hashlib.sha256(record).digest())


def _text(value: object, what: str, *, max_length: int = 1000) -> str:
    if not isinstance(value, str):
        raise SealError(f"{what} must be text, not {type(value).__name__}")
    if not value.strip():
        raise SealError(f"{what} must not be empty")
    if len(value) > max_length:
        raise SealError(f"{what} is longer than {max_length} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise SealError(f"{what} contains a control character")
    return value


def _canonical_ects(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise SealError(f"ects must be a decimal number, not {value!r}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise SealError(f"ects must be a decimal number, not {value!r}") from None
    if not number.is_finite() or number <= 0:
        raise SealError(f"ects must be more than 0, not {value!r}")
    return decimal_text(number)


def _day(value: object, what: str) -> date:
    if type(value) is not date:  # a datetime is a date too, but has no single ISO day
        raise SealError(f"{what} must be a date, not {value!r}")
    return value


@dataclass(frozen=True)
class Payload:
    """What a certificate's seal binds. Constructing one validates and normalises it.

    ``name`` is NFC-normalised and ``ects`` put in its shortest decimal form
    (``Decimal("10.0")`` becomes ``"10"``), so that equal facts give equal bytes.
    ``issuer`` and ``sealed`` are required in format 2 and absent in format 1.
    """

    credential_id: str
    name: str
    title: str
    issued: date
    ects: str
    eqf: int
    awarding: tuple[str, ...]
    key_id: str
    record_sha256: str
    specimen: bool = False
    issuer: str | None = None
    """The partner id of the awarding body whose key sealed the certificate."""
    sealed: date | None = None
    """The day the seal was made (never before the issue date)."""
    version: int = field(default=FORMAT_VERSION)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if type(self.version) is not int or self.version not in READABLE_VERSIONS:
            raise SealError(f"unsupported payload version {self.version!r}")
        _text(self.credential_id, "credential_id", max_length=200)
        set_(self, "name", unicodedata.normalize("NFC", _text(self.name, "name")))
        _text(self.title, "title")
        _day(self.issued, "issued")
        set_(self, "ects", _canonical_ects(self.ects))
        if isinstance(self.eqf, bool) or not isinstance(self.eqf, int) or not 1 <= self.eqf <= 8:
            raise SealError(f"eqf must be an EQF level from 1 to 8, not {self.eqf!r}")
        if isinstance(self.awarding, str) or not isinstance(self.awarding, (tuple, list)):
            raise SealError("awarding must be a sequence of partner ids")
        awarding = tuple(_text(a, "awarding body", max_length=100) for a in self.awarding)
        if not awarding:
            raise SealError("awarding must name at least one awarding body")
        set_(self, "awarding", awarding)
        if not isinstance(self.key_id, str) or not _KEY_ID.match(self.key_id):
            raise SealError(f"key_id must be 11 base64url characters, not {self.key_id!r}")
        if not isinstance(self.record_sha256, str) or not _DIGEST.match(self.record_sha256):
            raise SealError("record_sha256 must be a base64url SHA-256 digest (43 characters); see record_digest()")
        if not isinstance(self.specimen, bool):
            raise SealError(f"specimen must be true or false, not {self.specimen!r}")
        if self.version == 1:
            if self.issuer is not None or self.sealed is not None:
                raise SealError("a format 1 payload names neither its issuer nor its day of sealing")
            return
        if self.issuer is None or self.sealed is None:
            raise SealError("a payload names its issuer and the day it is sealed")
        _text(self.issuer, "issuer", max_length=100)
        if self.issuer not in awarding:
            raise SealError(f"the issuer {self.issuer!r} is not one of the awarding bodies")
        if _day(self.sealed, "sealed") < self.issued:
            raise SealError(f"a certificate cannot be sealed ({self.sealed}) before its issue date ({self.issued})")
        if (self.sealed - self.issued).days > _MAX_DAYS:
            raise SealError(f"a certificate is sealed within a century of its issue date, not on {self.sealed}")

    @property
    def sealed_on(self) -> date:
        """The day of sealing; a format 1 payload does not say it, and its issue date stands for it."""
        return self.sealed if self.sealed is not None else self.issued

    def to_json_bytes(self) -> bytes:
        """The exact bytes that are signed: compact UTF-8 JSON in the documented key order."""
        values: dict[str, object] = {
            "v": self.version,
            "i": self.credential_id,
            "n": self.name,
            "t": self.title,
            "d": self.issued.isoformat(),
            "c": self.ects,
            "q": self.eqf,
            "a": list(self.awarding),
            "u": self.awarding.index(self.issuer) if self.issuer is not None else None,
            "k": self.key_id,
            "e": (self.sealed - self.issued).days if self.sealed is not None else None,
            "h": self.record_sha256,
            "s": self.specimen,
        }
        obj = {key: values[key] for key in _KEYS[self.version]}
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")

    @classmethod
    def from_json_bytes(cls, data: bytes) -> Payload:
        """Parse signed bytes; :class:`CorruptPayload` unless they are exactly a canonical payload
        (:class:`MalformedToken` for a format version this verifier does not read)."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise CorruptPayload("the payload is not UTF-8 text") from None
        try:
            obj = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise CorruptPayload("the payload is not JSON") from None
        if not isinstance(obj, dict):
            raise CorruptPayload("the payload is not a JSON object")
        version = obj.get("v")
        if "v" in obj and (version not in READABLE_VERSIONS or isinstance(version, bool)):
            raise MalformedToken(f"unsupported payload version {version!r}")
        if "v" in obj and type(version) is not int:  # 1.0 equals 1, but is not how a payload writes it
            raise CorruptPayload("the payload is not in canonical form (its version is not an integer)")
        keys = _KEYS.get(version, _KEYS[FORMAT_VERSION]) if isinstance(version, int) else _KEYS[FORMAT_VERSION]
        if tuple(obj) != keys:
            raise CorruptPayload(f"the payload must have exactly the keys {', '.join(keys)} in that order")
        issued = _parse_day(obj["d"], "issue date")
        if not isinstance(obj["a"], list):
            raise CorruptPayload("the awarding bodies are not a list")
        issuer = sealed = None
        if version != 1:
            index, after = obj["u"], obj["e"]
            if not _count(index) or index >= len(obj["a"]) or not isinstance(obj["a"][index], str):
                raise CorruptPayload(f"the issuer is not the index of an awarding body: {index!r}")
            if not _count(after) or after > _MAX_DAYS:
                raise CorruptPayload(f"the day of sealing is not a number of days after the issue date: {after!r}")
            issuer, sealed = obj["a"][index], _after(issued, after)
        try:
            payload = cls(
                credential_id=obj["i"], name=obj["n"], title=obj["t"], issued=issued, ects=obj["c"], eqf=obj["q"],
                awarding=tuple(obj["a"]), key_id=obj["k"], record_sha256=obj["h"], specimen=obj["s"],
                issuer=issuer, sealed=sealed, version=version if isinstance(version, int) else FORMAT_VERSION,
            )
        except SealError as exc:
            raise CorruptPayload(f"the payload is invalid: {exc}") from None
        if payload.to_json_bytes() != data:
            raise CorruptPayload("the payload is not in canonical form (NFC name, shortest ECTS, compact JSON)")
        return payload


#: A seal made more than a century after the issue date is not one.
_MAX_DAYS = 36_525


def _count(value: object) -> bool:
    """Whether a JSON value is a non-negative integer (not a boolean)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _after(issued: date, days: int) -> date:
    try:
        return issued + timedelta(days=days)
    except OverflowError:
        raise CorruptPayload("the day of sealing is after the year 9999") from None


def _parse_day(value: object, what: str) -> date:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise CorruptPayload(f"the {what} is not YYYY-MM-DD: {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CorruptPayload(f"the {what} is not a date: {value!r}") from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise ValueError("duplicate key")
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def seal(payload: Payload, signer: Signer) -> str:
    """Sign a payload and return the token ``base64url(deflate-raw(P)).base64url(signature over P)``."""
    if payload.key_id != signer.key_id:
        raise SealError(f"the payload names key {payload.key_id} but the signer's key is {signer.key_id}")
    data = payload.to_json_bytes()
    return f"{b64url_encode(_deflate(data))}.{b64url_encode(signer.sign(data))}"


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY)
    return compressor.compress(data) + compressor.flush()


def _inflate(data: bytes) -> bytes:
    decompressor = zlib.decompressobj(-15)
    try:
        out = decompressor.decompress(data, MAX_PAYLOAD_BYTES + 1)
    except zlib.error:
        raise CorruptPayload("the payload is not deflate data") from None
    if len(out) > MAX_PAYLOAD_BYTES:
        raise CorruptPayload(f"the payload inflates to more than {MAX_PAYLOAD_BYTES} bytes")
    if not decompressor.eof or decompressor.unused_data:
        raise CorruptPayload("the payload's deflate data is truncated or followed by other data")
    return out


def verification_link(base_url: str, token: str) -> str:
    """The verification URL with the token as its #fragment (any fragment of ``base_url`` is replaced)."""
    return f"{base_url.split('#', 1)[0]}#{token}"


def open_token(token_or_url: str) -> tuple[Payload, bytes, bytes]:
    """Split a token or verification link into ``(payload, signed bytes, signature)``.

    Checks the form only, not the signature. Raises :class:`MalformedToken`
    when the text is not shaped like a token (no fragment, not two base64url
    parts, a signature that is not 86 characters), and its subclass
    :class:`CorruptPayload` when it is, but the payload cannot be read: such a
    token was altered after sealing, so a verifier reports it as tampered.
    """
    if not isinstance(token_or_url, str):
        raise MalformedToken("a token is text")
    text = token_or_url.strip()
    if len(text) > MAX_TOKEN_LENGTH:
        raise MalformedToken(f"longer than {MAX_TOKEN_LENGTH} characters: not a certificate token")
    if "#" in text:
        text = text.split("#", 1)[1]
    if not text:
        raise MalformedToken("empty: no token")
    if not _TOKEN_SHAPE.match(text):
        raise MalformedToken("a token is two base64url parts joined by '.', the second 86 characters long")
    head, tail = text.split(".")
    try:
        compressed = b64url_decode(head)
        signature = b64url_decode(tail)
    except (ValueError, binascii.Error):
        raise CorruptPayload("the token's base64url is damaged") from None
    data = _inflate(compressed)
    return Payload.from_json_bytes(data), data, signature
