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
header cannot be made to name another key. The header is a label for people,
never the authority: whose key it is, and when it may seal, comes from the
**trust list** entry of its public key (:func:`load_signer`), the same entry
every verifier reads. So a key whose header is edited to name another
university still seals as its own. The private key is never printed, logged
or put in an exception message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from unadocs.errors import SealError
from unadocs.files import create_secret_file, read_bounded
from unadocs.seal.payload import b64url_encode
from unadocs.seal.trust import TrustedKey, TrustList, check_issuer, key_id_of

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

__all__ = [
    "KeyInfo", "Signer", "default_valid_until", "generate_key", "load_signer", "private_key_pem", "trust_list_beside",
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

    __slots__ = ("_key", "issuer", "key_id", "public_key", "revoked_since", "valid_from", "valid_until")

    def __init__(
        self, key: Ed25519PrivateKey, issuer: str, *, valid_from: date | None = None, valid_until: date | None = None,
        revoked_since: date | None = None,
    ) -> None:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        raw_public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self._key = key
        self.issuer: str = check_issuer(issuer)
        self.key_id: str = key_id_of(raw_public)
        self.public_key: str = b64url_encode(raw_public)
        self.valid_from = valid_from
        self.valid_until = valid_until
        self.revoked_since = revoked_since

    @classmethod
    def generate(cls, issuer: str, *, valid_from: date | None = None, valid_until: date | None = None) -> Signer:
        """A new random key for ``issuer``, in memory: valid from ``valid_from`` (default today) for five years
        unless ``valid_until`` says otherwise. :func:`generate_key` writes one to disk."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        start, end = _validity(valid_from, valid_until)
        return cls(Ed25519PrivateKey.generate(), check_issuer(issuer), valid_from=start, valid_until=end)

    @classmethod
    def from_seed(
        cls, seed: bytes, issuer: str, *, valid_from: date | None = None, valid_until: date | None = None,
        revoked_since: date | None = None,
    ) -> Signer:
        """A signer from a 32-byte Ed25519 seed (see :meth:`seed`): for the issuer's own worker processes and
        for tests; a key file is the way to keep a key."""
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        if len(seed) != 32:
            raise SealError("an Ed25519 seed is 32 bytes")
        return cls(Ed25519PrivateKey.from_private_bytes(seed), issuer, valid_from=valid_from, valid_until=valid_until,
                   revoked_since=revoked_since)

    def seed(self) -> bytes:
        """The 32-byte private seed, to hand the key to the issuer's own worker processes. Never store or show it."""
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

        return self._key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``data`` (deterministic: same key and data, same bytes)."""
        return self._key.sign(data)

    def trusted_key(self) -> TrustedKey:
        """This key's trust list entry; needs the validity dates."""
        if self.valid_from is None or self.valid_until is None:
            raise SealError(f"key {self.key_id} has no validity period; give valid_from and valid_until")
        return TrustedKey(issuer=self.issuer, key_id=self.key_id, public_key=self.public_key,
                          valid_from=self.valid_from, valid_until=self.valid_until)

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
        try:
            anniversary = valid_from.replace(year=valid_from.year + 5)
        except ValueError:  # 29 February
            anniversary = valid_from.replace(year=valid_from.year + 5, day=28) + timedelta(days=1)
    except (ValueError, OverflowError):
        raise SealError(f"a key valid from {valid_from} would outlast the calendar (year 9999); "
                        "give --valid-until, or an earlier --valid-from") from None
    return anniversary - timedelta(days=1)


def _validity(valid_from: date | None, valid_until: date | None) -> tuple[date, date]:
    """The validity period with the defaults filled in: from today, for five years."""
    start = date.today() if valid_from is None else valid_from
    if type(start) is not date or (valid_until is not None and type(valid_until) is not date):
        raise SealError("valid_from and valid_until must be dates")
    end = default_valid_until(start) if valid_until is None else valid_until
    if end < start:
        raise SealError(f"the key would expire ({end}) before it starts ({start})")
    return start, end


def trust_list_beside(key_path: Path | str) -> Path:
    """Where ``unadocs keys generate`` put the trust list of a key file: ``trust.json`` in the same directory."""
    return Path(key_path).parent / "trust.json"


def generate_key(
    issuer: str, out_dir: Path | str, *, valid_from: date | None = None, valid_until: date | None = None
) -> KeyInfo:
    """Make a new Ed25519 key for ``issuer``: ``out_dir/<issuer>-<key_id>.pem`` (mode 0600) and its
    public key added to ``out_dir/trust.json`` (created if missing).

    The key is valid from ``valid_from`` (default: today) for five years
    unless ``valid_until`` says otherwise. Never overwrites a file. The trust
    list is read first, so a broken one stops everything before a key is written.
    """
    check_issuer(issuer)
    start, end = _validity(valid_from, valid_until)
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise SealError(f"{out_dir}: not a directory")
    trust_path = out_dir / "trust.json"
    trust = TrustList.load(trust_path) if trust_path.exists() else TrustList()

    signer = Signer.generate(issuer, valid_from=start, valid_until=end)
    trust = trust.with_key(signer.trusted_key())
    key_path = out_dir / f"{issuer}-{signer.key_id}.pem"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        create_secret_file(key_path, private_key_pem(signer))
    except FileExistsError:
        raise SealError(f"{key_path}: a key file already exists; it was not overwritten") from None
    except OSError as exc:
        raise SealError(f"{out_dir}: cannot write the key file ({exc.strerror or exc})") from None
    trust.save(trust_path)
    return KeyInfo(issuer, signer.key_id, signer.public_key, start, end, key_path, trust_path)


def load_signer(pem_path: Path | str, trust: TrustList | Path | str | None = None) -> Signer:
    """Load a key file written by :func:`generate_key`, as the trust list knows it.

    ``trust`` is the trust list that holds the key's public key (a
    :class:`TrustList` or its path); by default the ``trust.json`` beside the
    key file, where :func:`generate_key` put it. The issuer and the validity
    come from that entry: a key the list does not hold cannot seal, and a
    header that names another issuer than the list is refused. Raises
    :class:`SealError`, never showing the key.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    path = Path(pem_path)
    data = read_bounded(path, _MAX_KEY_FILE, "key file", SealError)
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
        if colon and name.strip() in ("Issuer", "Key-Id"):
            fields[name.strip()] = value.strip()
    try:
        key = load_pem_private_key((sep + block).encode("ascii"), password=None)
    except TypeError:
        raise SealError(f"{path}: the key is encrypted; unadocs needs an unencrypted key file") from None
    except Exception:  # cryptography raises several types; none may carry key material to the user
        raise SealError(f"{path}: the key block is not a valid private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SealError(f"{path}: not an Ed25519 key")
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key_id = key_id_of(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    if "Key-Id" in fields and fields["Key-Id"] != key_id:
        raise SealError(f"{path}: the header names key {fields['Key-Id']!r} but the key is {key_id!r}")

    trust_path = trust_list_beside(path) if trust is None else trust
    if isinstance(trust_path, TrustList):
        trust_list, where = trust_path, "the trust list"
    else:
        if trust is None and not Path(trust_path).exists():
            raise SealError(f"{path}: no trust list beside the key ({trust_path}); give the trust list that holds "
                            f"key {key_id} (--trust): it says whose key it is")
        trust_list, where = TrustList.load(trust_path), str(trust_path)
    entry = trust_list.key(key_id)
    if entry is None:
        raise SealError(f"{path}: key {key_id} is not in {where}; certificates sealed with it would verify nowhere. "
                        "Use the trust list that 'unadocs keys generate' wrote with this key")
    if "Issuer" in fields and fields["Issuer"] != entry.issuer:
        raise SealError(f"{path}: the key file's header says issuer {fields['Issuer']!r}, but {where} binds key "
                        f"{key_id} to {entry.issuer!r}; the trust list decides whose key it is")
    return Signer(key, entry.issuer, valid_from=entry.valid_from, valid_until=entry.valid_until,
                  revoked_since=entry.revoked_since)
