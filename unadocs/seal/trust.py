"""The trust list: the issuers' public keys with their validity, and the revoked credentials.

A trust list is a small JSON file that verifiers hold (``unadocs verify
--trust``) and the verification page serves. It is the one place that says
whose key is whose: a key file's own header is never believed on that point::

    {
      "format": "unadocs-trust-list/1",
      "keys": [
        {"issuer": "UH", "key_id": "...", "public_key": "<base64url raw 32 bytes>",
         "valid_from": "2026-01-01", "valid_until": "2030-12-31",
         "revoked_since": "2027-03-01", "revocation_reason": "key compromised"}
      ],
      "revoked": [
        {"credential_id": "...", "reason": "issued in error", "date": "2026-07-01"},
        {"credential_id": "...", "superseded_by": "...", "reason": "name corrected"}
      ]
    }

``key_id`` is derived from the public key (:func:`key_id_of`), so a list
cannot name a key by another key's id. A key's ``revoked_since`` (with an
optional ``revocation_reason``) revokes the key itself: seals it made on or
after that day are not valid. A revoked credential's ``reason``, ``date``
and ``superseded_by`` (the credential that replaces a corrected one) are
optional. Files are written with sorted keys and entries, so the same list
always gives the same bytes; unknown keys are errors, so that an older
unadocs refuses a list whose revocations it would not understand rather than
ignoring them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from unadocs.errors import SealError, format_location
from unadocs.files import atomic_write, read_bounded
from unadocs.seal.payload import b64url_decode, b64url_encode

__all__ = ["FORMAT", "MAX_TRUST_LIST_BYTES", "Revocation", "TrustList", "TrustedKey", "check_issuer", "key_id_of"]

FORMAT = "unadocs-trust-list/1"
#: A trust list with a hundred thousand revocations is about 15 MB; a larger file is refused unread.
MAX_TRUST_LIST_BYTES = 32 * 1024 * 1024

_ISSUER = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,39}\Z")  # the shape of a spec's PartnerId


def key_id_of(public_key: bytes) -> str:
    """A key's id: base64url of the first 8 bytes of SHA-256 of the raw 32-byte public key (11 characters)."""
    return b64url_encode(hashlib.sha256(public_key).digest()[:8])


def check_issuer(issuer: str) -> str:
    """An issuer id is a partner id of the spec (``UH``); it also names key files, so it is kept plain."""
    if not isinstance(issuer, str) or not _ISSUER.match(issuer):
        raise SealError(
            f"an issuer is a partner id: letters, digits, '-', '_' or '.', starting with a letter, not {issuer!r}"
        )
    return issuer


def _issuer(value: str) -> str:
    try:
        return check_issuer(value)
    except SealError as exc:
        raise ValueError(str(exc)) from None


def _public_key(value: str) -> str:
    try:
        raw = b64url_decode(value)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ValueError("not a base64url Ed25519 public key (32 bytes)")
    return value


def _iso_day(value: object) -> object:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError(f"not a date YYYY-MM-DD: {value!r}")
    return value


_Text = Annotated[str, StringConstraints(min_length=1, max_length=1000, pattern=r"\S")]
#: A day written as YYYY-MM-DD (pydantic alone would also take a number of seconds).
_Day = Annotated[dt.date, BeforeValidator(_iso_day)]


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TrustedKey(_Entry):
    """One issuer's public key, the days it may seal on (both inclusive), and whether it was revoked."""

    issuer: Annotated[str, AfterValidator(_issuer)]
    public_key: Annotated[str, AfterValidator(_public_key)]
    """Base64url of the raw 32-byte Ed25519 public key."""
    key_id: str
    valid_from: _Day
    valid_until: _Day
    revoked_since: _Day | None = None
    """Seals made on or after this day are not valid: the key was compromised or withdrawn."""
    revocation_reason: _Text | None = None

    @field_validator("key_id")
    @classmethod
    def _derived(cls, key_id: str, info: ValidationInfo) -> str:
        public_key = info.data.get("public_key")
        expected = key_id_of(b64url_decode(public_key)) if public_key else None
        if key_id != expected:
            raise ValueError(f"{key_id!r} is not the id of this public key ({expected!r})")
        return key_id

    @model_validator(mode="after")
    def _consistent(self) -> TrustedKey:
        if self.valid_until < self.valid_from:
            raise ValueError(f"valid_until {self.valid_until} is before valid_from {self.valid_from}")
        if self.revocation_reason is not None and self.revoked_since is None:
            raise ValueError("a revocation_reason needs the revoked_since day")
        return self

    @property
    def public_key_bytes(self) -> bytes:
        return b64url_decode(self.public_key)

    def valid_on(self, day: dt.date) -> bool:
        """Whether this key may seal on this day (its validity period; revocation is :meth:`revoked_on`)."""
        return self.valid_from <= day <= self.valid_until

    def revoked_on(self, day: dt.date) -> bool:
        """Whether a seal made on this day falls after the key's revocation."""
        return self.revoked_since is not None and day >= self.revoked_since

    def as_dict(self) -> dict[str, str]:
        return self.model_dump(mode="json", exclude_none=True)


class Revocation(_Entry):
    """A revoked credential, with why and when when known, and what replaces it when it was corrected."""

    credential_id: _Text
    reason: _Text | None = None
    date: _Day | None = None
    superseded_by: _Text | None = None
    """The credential id of the corrected certificate that replaces this one."""

    def as_dict(self) -> dict[str, str]:
        return self.model_dump(mode="json", exclude_none=True)


class TrustList(BaseModel):
    """The keys a verifier trusts and the credentials it knows to be revoked. Immutable: ``with_*`` return a copy."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    keys: tuple[TrustedKey, ...] = ()
    revoked: tuple[Revocation, ...] = ()

    @model_validator(mode="after")
    def _unique_and_sorted(self) -> TrustList:
        seen: set[str] = set()
        for n, key in enumerate(self.keys):
            if key.key_id in seen:
                raise ValueError(f"keys[{n}]: key {key.key_id} is listed twice")
            seen.add(key.key_id)
        object.__setattr__(self, "keys", tuple(sorted(self.keys, key=lambda k: (k.issuer, k.valid_from, k.key_id))))
        by_id = {r.credential_id: r for r in self.revoked}  # a later entry for the same id replaces an earlier one
        object.__setattr__(self, "revoked", tuple(sorted(by_id.values(), key=lambda r: r.credential_id)))
        return self

    # -- queries ------------------------------------------------------------

    def key(self, key_id: str) -> TrustedKey | None:
        """The trusted key with this id, or None."""
        return next((k for k in self.keys if k.key_id == key_id), None)

    def revocation(self, credential_id: str) -> Revocation | None:
        """The revocation of this credential, or None when it is not revoked."""
        return next((r for r in self.revoked if r.credential_id == credential_id), None)

    # -- changes ------------------------------------------------------------

    def with_key(self, key: TrustedKey) -> TrustList:
        """This list plus a key; a key already listed (same id) is an error."""
        if self.key(key.key_id) is not None:
            raise SealError(f"key {key.key_id} is already in the trust list")
        return TrustList(keys=(*self.keys, key), revoked=self.revoked)

    def with_revocation(self, revocation: Revocation) -> TrustList:
        """This list plus a revoked credential; revoking it again replaces the earlier entry."""
        return TrustList(keys=self.keys, revoked=(*self.revoked, revocation))

    def with_key_revoked(self, key_id: str, since: dt.date, reason: str | None = None) -> TrustList:
        """This list with a key revoked from ``since``: its seals made on or after that day stop verifying."""
        key = self.key(key_id)
        if key is None:
            raise SealError(f"key {key_id} is not in the trust list")
        if since < key.valid_from:
            since = key.valid_from  # the same effect, said plainly: every seal of the key
        revoked = key.model_copy(update={"revoked_since": since, "revocation_reason": reason or None})
        return TrustList(keys=tuple(revoked if k.key_id == key_id else k for k in self.keys), revoked=self.revoked)

    # -- files --------------------------------------------------------------

    def to_json(self) -> str:
        """The file's text: sorted, indented, ending in a newline."""
        doc = {"format": FORMAT, "keys": [k.as_dict() for k in self.keys], "revoked": [r.as_dict() for r in self.revoked]}
        return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def save(self, path: Path | str) -> None:
        """Write the list atomically (temporary file + rename); :class:`SealError` if it cannot be written."""
        try:
            atomic_write(Path(path), self.to_json().encode("utf-8"))
        except OSError as exc:
            raise SealError(f"{path}: cannot write the trust list ({exc.strerror or exc})") from None

    @classmethod
    def load(cls, path: Path | str) -> TrustList:
        """Read a trust list file; :class:`SealError` naming the file and the entry when it is not one."""
        path = Path(path)
        data = read_bounded(path, MAX_TRUST_LIST_BYTES, "trust list", SealError)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise SealError(f"{path}: cannot read the trust list: not UTF-8 text") from None
        return cls.from_json(text, source=str(path))

    @classmethod
    def from_json(cls, text: str, source: str = "trust list") -> TrustList:
        """Parse a trust list's text; see :meth:`load`."""
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise SealError(f"{source}: not JSON ({exc})") from None
        if not isinstance(doc, dict):
            raise SealError(f"{source}: (top level): must be an object")
        if doc.get("format") != FORMAT:
            raise SealError(f"{source}: format: expected {FORMAT!r}, not {doc.get('format')!r}")
        body = {k: v for k, v in doc.items() if k != "format"}
        if isinstance(body.get("revoked"), list):  # a bare id is accepted as shorthand
            body["revoked"] = [{"credential_id": r} if isinstance(r, str) else r for r in body["revoked"]]
        try:
            return cls.model_validate(body, strict=False)
        except ValidationError as exc:
            raise SealError(f"{source}: {_first_problem(exc)}") from None


#: pydantic's error types, in the words of the rest of unadocs.
_PLAIN = {
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "string_type": "must be non-empty text",
    "string_too_short": "must be non-empty text",
    "string_pattern_mismatch": "must be non-empty text",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
}


def _first_problem(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    where = format_location(tuple(err["loc"]))
    message = _PLAIN.get(err["type"], err["msg"].removeprefix("Value error, "))
    if not err["loc"]:  # a rule over several entries names them itself
        return message
    if err["type"] == "extra_forbidden":
        message = f"unknown key {err['loc'][-1]!r}"
        where = format_location(tuple(err["loc"][:-1]))
    elif err["type"] == "missing":
        message = f"missing {err['loc'][-1]!r}"
        where = format_location(tuple(err["loc"][:-1]))
    elif err["type"].startswith("date"):
        message = f"not a date YYYY-MM-DD: {err.get('input')!r}"
    return f"{where}: {message}"
