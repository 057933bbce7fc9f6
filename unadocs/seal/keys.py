"""Signing keys: generate an issuer's Ed25519 key pair, and load it to sign.

A private key file is a PKCS#8 PEM block preceded by explanatory text
(RFC 7468 §5.2 allows text outside the block) that records whose key it is::

    unadocs signing key (Ed25519). Keep this file secret: whoever holds it can issue certificates.
    Issuer: UH
    Key-Id: 3q2-7wAAAAA
    Valid-From: 2026-01-01
    Valid-Until: 2030-12-31
    -----BEGIN PRIVATE KEY-----
    ...
    -----END PRIVATE KEY-----

``Key-Id`` is derived from the public key and checked on loading, so the
header cannot be made to name another key. The private key is never printed,
logged or put in an exception message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from unadocs.errors import SealError
from unadocs.seal.payload import b64url_encode
from unadocs.seal.trust import TrustedKey, TrustList, check_issuer, key_id_of

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

__all__ = [
    "KeyInfo", "Signer", "default_valid_until", "generate_key", "load_signer", "private_key_pem", "write_secret_file",
]

_BEGIN = "-----BEGIN PRIVATE KEY-----"
_HEADLINE = "unadocs signing key (Ed25519). Keep this file secret: whoever holds it can issue certificates."
_MAX_KEY_FILE = 16 * 1024


@dataclass(frozen=True)
class KeyInfo:
    """What :func:`generate_key` made: public facts and the two paths, never the private key."""

    issuer: str
    key_id: str
    public_key: str
    """Base64url of the raw 32-byte public key."""
    valid_from: date
    valid_until: date
    private_key_path: Path
    trust_path: Path


class Signer:
    """An issuer's private key, ready to sign. Its ``repr`` shows the issuer and key id only."""

    __slots__ = ("_key", "issuer", "key_id", "public_key", "valid_from", "valid_until")

    def __init__(
        self, key: Ed25519PrivateKey, issuer: str, *, valid_from: date | None = None, valid_until: date | None = None
    ) -> None:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        raw_public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self._key = key
        self.issuer: str = check_issuer(issuer)
        self.key_id: str = key_id_of(raw_public)
        self.public_key: str = b64url_encode(raw_public)
        self.valid_from = valid_from
        self.valid_until = valid_until

    @classmethod
    def from_seed(
        cls, seed: bytes, issuer: str, *, valid_from: date | None = None, valid_until: date | None = None
    ) -> Signer:
        """A signer from a 32-byte Ed25519 seed: for test vectors and tests, never for real keys."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        if len(seed) != 32:
            raise SealError("an Ed25519 seed is 32 bytes")
        return cls(Ed25519PrivateKey.from_private_bytes(seed), issuer, valid_from=valid_from, valid_until=valid_until)

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``data`` (deterministic: same key and data, same bytes)."""
        return self._key.sign(data)

    def trusted_key(self) -> TrustedKey:
        """This key's trust list entry; needs the validity dates."""
        if self.valid_from is None or self.valid_until is None:
            raise SealError(f"key {self.key_id} has no validity period; give valid_from and valid_until")
        return TrustedKey(self.issuer, self.key_id, self.public_key, self.valid_from, self.valid_until)

    def __repr__(self) -> str:
        return f"Signer(issuer={self.issuer!r}, key_id={self.key_id!r})"

    def __reduce__(self) -> str | tuple[object, ...]:  # keep the private key out of pickles and worker queues
        raise TypeError("a Signer cannot be pickled; load it from its key file in each process")


def private_key_pem(signer: Signer) -> bytes:
    """The key file's bytes for a signer (header + PKCS#8 PEM). Write them only to a 0600 file."""
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    header = [_HEADLINE, f"Issuer: {signer.issuer}", f"Key-Id: {signer.key_id}"]
    if signer.valid_from is not None:
        header.append(f"Valid-From: {signer.valid_from.isoformat()}")
    if signer.valid_until is not None:
        header.append(f"Valid-Until: {signer.valid_until.isoformat()}")
    block = signer._key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    return ("\n".join(header) + "\n").encode("ascii") + block


def default_valid_until(valid_from: date) -> date:
    """The last day of a key's default five-year validity: the day before the fifth anniversary of ``valid_from``."""
    from datetime import timedelta

    try:
        anniversary = valid_from.replace(year=valid_from.year + 5)
    except ValueError:  # 29 February
        anniversary = valid_from.replace(year=valid_from.year + 5, day=28) + timedelta(days=1)
    return anniversary - timedelta(days=1)


def generate_key(issuer: str, out_dir: Path, *, valid_from: date, valid_until: date) -> KeyInfo:
    """Make a new Ed25519 key for ``issuer``: ``out_dir/<issuer>-<key_id>.pem`` (mode 0600) and its
    public key added to ``out_dir/trust.json`` (created if missing).

    Never overwrites a file. The trust list is read first, so a broken one
    stops everything before a key is written.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    check_issuer(issuer)
    if type(valid_from) is not date or type(valid_until) is not date:
        raise SealError("valid_from and valid_until must be dates")
    if valid_until < valid_from:
        raise SealError(f"the key would expire ({valid_until}) before it starts ({valid_from})")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise SealError(f"{out_dir}: not a directory")
    trust_path = out_dir / "trust.json"
    trust = TrustList.load(trust_path) if trust_path.exists() else TrustList()

    signer = Signer(Ed25519PrivateKey.generate(), issuer, valid_from=valid_from, valid_until=valid_until)
    trust = trust.with_key(signer.trusted_key())
    key_path = out_dir / f"{issuer}-{signer.key_id}.pem"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_secret_file(key_path, private_key_pem(signer))
    except OSError as exc:
        raise SealError(f"{out_dir}: cannot write the key file ({exc.strerror or exc})") from None
    trust.save(trust_path)
    return KeyInfo(issuer, signer.key_id, signer.public_key, valid_from, valid_until, key_path, trust_path)


def write_secret_file(path: Path, data: bytes) -> None:
    """Create ``path`` with mode 0600 whatever the umask, atomically, failing if it exists."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # unlike rename, link refuses to replace an existing file
        except FileExistsError:
            raise SealError(f"{path}: a key file already exists; it was not overwritten") from None
    finally:
        tmp.unlink(missing_ok=True)


def load_signer(pem_path: Path | str) -> Signer:
    """Load a key file written by :func:`generate_key`; :class:`SealError` (never showing the key) if unusable."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    path = Path(pem_path)
    try:
        with path.open("rb") as fh:
            data = fh.read(_MAX_KEY_FILE + 1)
    except FileNotFoundError:
        raise SealError(f"{path}: key file not found") from None
    except OSError as exc:
        raise SealError(f"{path}: cannot read the key file ({exc.strerror})") from None
    if len(data) > _MAX_KEY_FILE:
        raise SealError(f"{path}: not an unadocs key file (too large)")
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise SealError(f"{path}: not an unadocs key file (not PEM text)") from None
    if "-----BEGIN ENCRYPTED PRIVATE KEY-----" in text:
        raise SealError(f"{path}: the key is encrypted; unadocs needs the unencrypted key file it generated")
    head, sep, block = text.partition(_BEGIN)
    if not sep:
        raise SealError(f"{path}: not an unadocs key file (no '{_BEGIN}' block)")
    fields: dict[str, str] = {}
    for line in head.splitlines():
        name, colon, value = line.partition(":")
        if colon and name.strip() in ("Issuer", "Key-Id", "Valid-From", "Valid-Until"):
            fields[name.strip()] = value.strip()
    if "Issuer" not in fields:
        raise SealError(f"{path}: the key file does not say its issuer (an 'Issuer: ID' line before the key)")
    try:
        key = load_pem_private_key((sep + block).encode("ascii"), password=None)
    except TypeError:
        raise SealError(f"{path}: the key is encrypted; unadocs needs an unencrypted key file") from None
    except Exception:  # cryptography raises several types; none may carry key material to the user
        raise SealError(f"{path}: the key block is not a valid private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SealError(f"{path}: not an Ed25519 key")
    try:
        valid_from = date.fromisoformat(fields["Valid-From"]) if "Valid-From" in fields else None
        valid_until = date.fromisoformat(fields["Valid-Until"]) if "Valid-Until" in fields else None
    except ValueError:
        raise SealError(f"{path}: Valid-From / Valid-Until must be dates YYYY-MM-DD") from None
    signer = Signer(key, fields["Issuer"], valid_from=valid_from, valid_until=valid_until)
    if "Key-Id" in fields and fields["Key-Id"] != signer.key_id:
        raise SealError(f"{path}: the header names key {fields['Key-Id']!r} but the key is {signer.key_id!r}")
    return signer
