"""The trust list: the issuers' public keys with their validity, and the revoked credentials.

A trust list is a small JSON file that verifiers hold (``unadocs verify
--trust``) and the verification page serves::

    {
      "format": "unadocs-trust-list/1",
      "keys": [
        {"issuer": "UH", "key_id": "...", "public_key": "<base64url raw 32 bytes>",
         "valid_from": "2026-01-01", "valid_until": "2030-12-31"}
      ],
      "revoked": [
        {"credential_id": "...", "reason": "issued in error", "date": "2026-07-01"}
      ]
    }

``key_id`` is derived from the public key (:func:`key_id_of`), so a list
cannot name a key by another key's id. ``reason`` and ``date`` of a
revocation are optional. Files are written with sorted keys and entries, so
the same list always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from unadocs.errors import SealError
from unadocs.files import atomic_write
from unadocs.seal.payload import b64url_decode, b64url_encode

__all__ = ["FORMAT", "Revocation", "TrustList", "TrustedKey", "key_id_of"]

FORMAT = "unadocs-trust-list/1"

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


@dataclass(frozen=True)
class TrustedKey:
    """One issuer's public key and the days it may sign on (both inclusive)."""

    issuer: str
    key_id: str
    public_key: str
    """Base64url of the raw 32-byte Ed25519 public key."""
    valid_from: date
    valid_until: date

    @property
    def public_key_bytes(self) -> bytes:
        return b64url_decode(self.public_key)

    def valid_on(self, day: date) -> bool:
        """Whether a certificate issued on this day may bear this key's signature."""
        return self.valid_from <= day <= self.valid_until

    def as_dict(self) -> dict[str, str]:
        return {
            "issuer": self.issuer,
            "key_id": self.key_id,
            "public_key": self.public_key,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
        }


@dataclass(frozen=True)
class Revocation:
    """A revoked credential, with why and when when known."""

    credential_id: str
    reason: str | None = None
    date: date | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"credential_id": self.credential_id}
        if self.reason is not None:
            out["reason"] = self.reason
        if self.date is not None:
            out["date"] = self.date.isoformat()
        return out


@dataclass(frozen=True)
class TrustList:
    """The keys a verifier trusts and the credentials it knows to be revoked. Immutable: ``with_*`` return a copy."""

    keys: tuple[TrustedKey, ...] = ()
    revoked: tuple[Revocation, ...] = ()

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
        return replace(self, keys=_sorted_keys((*self.keys, key)))

    def with_revocation(self, revocation: Revocation) -> TrustList:
        """This list plus a revoked credential; revoking it again replaces the earlier entry."""
        _check_credential_id(revocation.credential_id, "credential_id")
        rest = tuple(r for r in self.revoked if r.credential_id != revocation.credential_id)
        return replace(self, revoked=tuple(sorted((*rest, revocation), key=lambda r: r.credential_id)))

    # -- files --------------------------------------------------------------

    def to_json(self) -> str:
        """The file's text: sorted, indented, ending in a newline."""
        doc = {
            "format": FORMAT,
            "keys": [k.as_dict() for k in _sorted_keys(self.keys)],
            "revoked": [r.as_dict() for r in sorted(self.revoked, key=lambda r: r.credential_id)],
        }
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
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SealError(f"{path}: trust list not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise SealError(f"{path}: cannot read the trust list: {exc}") from None
        return cls.from_json(text, source=str(path))

    @classmethod
    def from_json(cls, text: str, source: str = "trust list") -> TrustList:
        """Parse a trust list's text; see :meth:`load`."""
        try:
            doc = json.loads(text)
        except ValueError as exc:
            raise SealError(f"{source}: not JSON ({exc})") from None
        try:
            return _parse(doc)
        except _Bad as exc:
            raise SealError(f"{source}: {exc}") from None


class _Bad(Exception):
    pass


def _sorted_keys(keys: tuple[TrustedKey, ...]) -> tuple[TrustedKey, ...]:
    return tuple(sorted(keys, key=lambda k: (k.issuer, k.valid_from, k.key_id)))


def _check_credential_id(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SealError(f"{where}: a credential id is non-empty text")
    return value


def _field(entry: dict[str, Any], name: str, where: str) -> Any:
    if name not in entry:
        raise _Bad(f"{where}: missing {name!r}")
    return entry[name]


def _date(value: object, where: str) -> date:
    if not isinstance(value, str) or len(value) != 10:
        raise _Bad(f"{where}: not a date YYYY-MM-DD: {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _Bad(f"{where}: not a date YYYY-MM-DD: {value!r}") from None


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Bad(f"{where}: must be non-empty text, not {value!r}")
    return value


def _only(entry: object, allowed: set[str], where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise _Bad(f"{where}: must be an object")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise _Bad(f"{where}: unknown key {unknown[0]!r}")
    return entry


def _parse(doc: object) -> TrustList:
    top = _only(doc, {"format", "keys", "revoked"}, "(top level)")
    if top.get("format") != FORMAT:
        raise _Bad(f"format: expected {FORMAT!r}, not {top.get('format')!r}")
    raw_keys = top.get("keys", [])
    raw_revoked = top.get("revoked", [])
    if not isinstance(raw_keys, list):
        raise _Bad("keys: must be a list")
    if not isinstance(raw_revoked, list):
        raise _Bad("revoked: must be a list")

    keys: list[TrustedKey] = []
    for n, raw in enumerate(raw_keys):
        where = f"keys[{n}]"
        entry = _only(raw, {"issuer", "key_id", "public_key", "valid_from", "valid_until"}, where)
        issuer = _text(_field(entry, "issuer", where), f"{where}.issuer")
        try:
            check_issuer(issuer)
        except SealError as exc:
            raise _Bad(f"{where}.issuer: {exc}") from None
        public_key = _text(_field(entry, "public_key", where), f"{where}.public_key")
        try:
            raw_public = b64url_decode(public_key)
        except ValueError:
            raw_public = b""
        if len(raw_public) != 32:
            raise _Bad(f"{where}.public_key: not a base64url Ed25519 public key (32 bytes)")
        key_id = _text(_field(entry, "key_id", where), f"{where}.key_id")
        if key_id != key_id_of(raw_public):
            raise _Bad(f"{where}.key_id: {key_id!r} is not the id of this public key ({key_id_of(raw_public)!r})")
        if any(k.key_id == key_id for k in keys):
            raise _Bad(f"{where}: key {key_id} is listed twice")
        valid_from = _date(_field(entry, "valid_from", where), f"{where}.valid_from")
        valid_until = _date(_field(entry, "valid_until", where), f"{where}.valid_until")
        if valid_until < valid_from:
            raise _Bad(f"{where}: valid_until {valid_until} is before valid_from {valid_from}")
        keys.append(TrustedKey(issuer, key_id, public_key, valid_from, valid_until))

    revoked: list[Revocation] = []
    for n, raw in enumerate(raw_revoked):
        where = f"revoked[{n}]"
        if isinstance(raw, str):  # a bare id is accepted as shorthand
            raw = {"credential_id": raw}
        entry = _only(raw, {"credential_id", "reason", "date"}, where)
        credential_id = _text(_field(entry, "credential_id", where), f"{where}.credential_id")
        reason = entry.get("reason")
        if reason is not None:
            reason = _text(reason, f"{where}.reason")
        day = _date(entry["date"], f"{where}.date") if entry.get("date") is not None else None
        revoked.append(Revocation(credential_id, reason, day))
    return TrustList(keys=_sorted_keys(tuple(keys)), revoked=tuple(sorted(revoked, key=lambda r: r.credential_id)))
