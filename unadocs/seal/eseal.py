"""The university's own electronic seal (eIDAS): its key and certificate, in a PKCS#12 file or a PKCS#11 token.

A trust service provider issues a university an (advanced or qualified)
**seal certificate**: its subject names the organisation (``O``, and
``organizationIdentifier`` such as ``VATFI-02458947``), and its key is either
in a PKCS#12 file protected by a password or in a token or HSM that signs
through PKCS#11. unadocs seals the certificate PDFs with it (PAdES,
:mod:`~unadocs.seal.pades`) and the European Learning Model credentials
(JAdES, :mod:`~unadocs.seal.jades`); the Ed25519 key of the QR code stays
what it was.

An :class:`ESeal` says how to reach the key and what its certificate is. It
travels to the issuer's own worker processes (the PKCS#12 key, or the
token's PIN, goes with it: :meth:`ESeal.__repr__` never shows either), and
:meth:`ESeal.open` gives each of them a pyHanko signer. Loading checks what
would make every seal wrong (a wrong password, a file without a key, a
certificate that does not belong to the key, a key type no validator
accepts); :func:`check_eseal` checks, before anything is written, that the
certificate is the issuer's own and valid at the time of sealing. A password
or PIN is never printed, logged or put in a message.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pyhanko.sign.signers import Signer  # this module is imported only to seal, which needs pyHanko anyway

from unadocs.errors import SealError
from unadocs.files import read_bounded

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
    from pyhanko.sign.timestamps import TimeStamper

    from unadocs.model import Partner

__all__ = ["ESeal", "OpenSeal", "Pkcs11Key", "Pkcs12Key", "SealSubject", "check_eseal", "load_eseal",
           "load_eseal_pkcs11", "same_organisation"]

#: A PKCS#12 file of a key and a chain of a few certificates is a few kB; a larger file is refused unread.
MAX_P12_BYTES = 256 * 1024
#: Seconds to wait for the timestamp server.
TSA_TIMEOUT = 20
_CURVES = {"secp256r1": ("ES256", "sha256"), "secp384r1": ("ES384", "sha384"), "secp521r1": ("ES512", "sha512")}


@dataclass(frozen=True)
class SealSubject:
    """Who a seal certificate names: the organisation, its identifier and the full distinguished name."""

    organisation: str | None
    organisation_id: str | None
    """The ``organizationIdentifier`` (2.5.4.97) of ETSI EN 319 412-1, e.g. ``VATFI-02458947``."""
    common_name: str | None
    text: str
    """The subject as RFC 4514 text."""

    @classmethod
    def of(cls, certificate: x509.Certificate) -> SealSubject:
        from cryptography.x509.oid import NameOID

        def first(oid: x509.ObjectIdentifier) -> str | None:
            values = certificate.subject.get_attributes_for_oid(oid)
            return str(values[0].value) if values else None

        return cls(first(NameOID.ORGANIZATION_NAME), first(NameOID.ORGANIZATION_IDENTIFIER),
                   first(NameOID.COMMON_NAME), certificate.subject.rfc4514_string())


@dataclass(frozen=True)
class Pkcs12Key:
    """A seal key from a PKCS#12 file, decrypted: for the issuer's own worker processes only."""

    key: bytes = field(repr=False)
    """The private key as PKCS#8 DER. Never store or show it."""


@dataclass(frozen=True)
class Pkcs11Key:
    """A seal key in a token or HSM, reached through a PKCS#11 module."""

    module: str
    token: str
    """The token's label."""
    key: str
    """The private key's label."""
    certificate: str
    """The label of the seal certificate on the token."""
    pin: str | None = field(repr=False)


@dataclass(frozen=True)
class ESeal:
    """The university's seal: where its key is, its certificate and chain, and the timestamp server, if any.

    Make one with :func:`load_eseal` (PKCS#12) or :func:`load_eseal_pkcs11`,
    and sign with :meth:`open`. The ``repr`` shows the certificate's subject
    only, never the key or the PIN.
    """

    key: Pkcs12Key | Pkcs11Key = field(repr=False)
    certificate_der: bytes = field(repr=False)
    chain_der: tuple[bytes, ...] = field(repr=False)
    """The other certificates to embed: the issuing CAs, as the PKCS#12 file or the token holds them."""
    tsa: str | None = None
    """The RFC 3161 timestamp server: seals are then PAdES B-T and JAdES B-T, else B-B."""
    timestamp_size: int = field(default=0, repr=False)
    """Bytes a timestamp token of :attr:`tsa` takes (measured by :func:`check_eseal`), to reserve in each PDF."""

    @property
    def certificate(self) -> x509.Certificate:
        from cryptography import x509

        return x509.load_der_x509_certificate(self.certificate_der)

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        from cryptography import x509

        return tuple(x509.load_der_x509_certificate(der) for der in self.chain_der)

    @property
    def subject(self) -> SealSubject:
        return SealSubject.of(self.certificate)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the seal certificate (hex): a run sealed with another certificate issues again."""
        return hashlib.sha256(self.certificate_der).hexdigest()

    @property
    def level(self) -> str:
        """``B-T`` with a timestamp server, else ``B-B`` (the baseline levels of ETSI EN 319 142-1 and TS 119 182-1)."""
        return "B-T" if self.tsa else "B-B"

    def __repr__(self) -> str:
        return f"ESeal({self.subject.text!r}, {self.level})"

    @contextmanager
    def open(self) -> Iterator[OpenSeal]:
        """The seal ready to sign in this process: a PKCS#11 session is open until the block ends."""
        if isinstance(self.key, Pkcs12Key):
            yield OpenSeal(self, _KeySigner(_private_key(self.key.key), self.certificate_der, self.chain_der))
            return
        with _pkcs11_signer(self.key, self.certificate_der, self.chain_der) as signer:
            yield OpenSeal(self, signer)


@dataclass(frozen=True)
class OpenSeal:
    """An :class:`ESeal` whose key is at hand: pyHanko's signer, and the timestamp client of its server."""

    eseal: ESeal
    signer: Signer

    def timestamper(self) -> TimeStamper | None:
        if self.eseal.tsa is None:
            return None
        from pyhanko.sign.timestamps import HTTPTimeStamper

        return HTTPTimeStamper(self.eseal.tsa, timeout=TSA_TIMEOUT)

    @property
    def jws_algorithm(self) -> tuple[str, str]:
        """The JWS ``alg`` of the key and its digest: RS256 for RSA, ES256/384/512 by the EC curve."""
        return _jws_algorithm(self.eseal.certificate)


def load_eseal(p12: Path | str, password: bytes | str | None, *, tsa: str | None = None) -> ESeal:
    """The seal in a PKCS#12 (``.p12``, ``.pfx``) file: its key, its certificate and the chain it carries.

    ``password`` opens the file (``None`` or empty for a file without one).
    ``tsa`` is the URL of an RFC 3161 timestamp server. Raises
    :class:`SealError` for a wrong password, a file that is not PKCS#12, one
    without a private key or certificate, a certificate of another key, or a
    key type that seals cannot use; the message never shows the password.
    """
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, pkcs12

    path = Path(p12)
    data = read_bounded(path, MAX_P12_BYTES, "PKCS#12 file", SealError)
    if not _is_pfx(data):
        raise SealError(f"{path}: not a PKCS#12 file (.p12 or .pfx with the seal's key and certificate)")
    secret = password.encode("utf-8") if isinstance(password, str) else password
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(data, secret or None)
    except ValueError:
        raise SealError(f"{path}: wrong password for this PKCS#12 file") from None
    except Exception:  # noqa: BLE001 - an unsupported algorithm inside the file; no detail may carry secrets
        raise SealError(f"{path}: the PKCS#12 file cannot be read (an unsupported encryption?)") from None
    if key is None:
        raise SealError(f"{path}: the PKCS#12 file holds no private key; export the seal with its key")
    if certificate is None:
        raise SealError(f"{path}: the PKCS#12 file holds no certificate for its key; export it with its certificate")
    _check_key(key, certificate, str(path))
    key_der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    chain = tuple(c.public_bytes(Encoding.DER) for c in others if c != certificate)
    return ESeal(Pkcs12Key(key_der), certificate.public_bytes(Encoding.DER), chain, _tsa_url(tsa))


def load_eseal_pkcs11(module: Path | str, token: str, key: str, pin: str | None, *, certificate: str | None = None,
                      tsa: str | None = None) -> ESeal:
    """The seal in a token or HSM: the PKCS#11 ``module`` (a shared library), the token's label, the private
    key's label and the token's user ``pin``; ``certificate`` is the label of the seal certificate on the
    token (default: the key's label). The other certificates on the token are embedded as the chain.

    Opens a session to read the certificate and find the key, and closes it.
    """
    library = Path(module)
    if not library.is_file():
        raise SealError(f"{library}: no PKCS#11 module there (a shared library such as libsofthsm2.so)")
    source = Pkcs11Key(str(library.resolve()), token, key, certificate or key, pin)
    with _pkcs11_signer(source, None, ()) as signer:
        certificate_der, chain = _pkcs11_certificates(signer, source)
    from cryptography import x509

    cert = x509.load_der_x509_certificate(certificate_der)
    _check_public_key(cert, f"token {token!r}")
    return ESeal(source, certificate_der, chain, _tsa_url(tsa))


def check_eseal(eseal: ESeal, issuer: Partner, when: datetime, *, any_subject: bool = False) -> ESeal:
    """Refuse a seal that would seal wrongly, before anything is written; return it ready to seal.

    The certificate must be valid at ``when`` (the time of sealing) and, unless
    ``any_subject`` (a pilot certificate in a test), be the issuer's own: its
    organisation name is the issuer's official name in English or in its own
    language, and its ``organizationIdentifier``, when the spec gives the
    issuer's eIDAS identifier, is that identifier. With a timestamp server,
    one timestamp is requested, to fail now if the server does not answer
    and to learn how much room its tokens need.
    """
    certificate = eseal.certificate
    if when < certificate.not_valid_before_utc:
        raise SealError(f"the eSeal certificate ({eseal.subject.text}) is valid only from "
                        f"{certificate.not_valid_before_utc:%Y-%m-%d %H:%M} UTC; it cannot seal at "
                        f"{when:%Y-%m-%d %H:%M} UTC")
    if when > certificate.not_valid_after_utc:
        raise SealError(f"the eSeal certificate ({eseal.subject.text}) expired on "
                        f"{certificate.not_valid_after_utc:%Y-%m-%d}; ask the trust service provider for a new one")
    if not any_subject:
        _check_subject(eseal.subject, issuer)
    if eseal.tsa is None:
        return eseal
    from dataclasses import replace

    return replace(eseal, timestamp_size=_timestamp_size(eseal.tsa))


def same_organisation(name: str | None, *candidates: str | None) -> bool:
    """Whether an organisation name is one of ``candidates``, ignoring case, Unicode form and spacing."""
    if not name:
        return False
    return _normal(name) in {_normal(c) for c in candidates if c}


def _normal(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _identifier(text: str) -> str:
    """An organisation identifier compared loosely: ``FI/VATFI-0313471-7`` and ``VATFI-03134717`` agree."""
    return re.sub(r"[^0-9A-Z]", "", text.rsplit("/", 1)[-1].upper())


def _check_subject(subject: SealSubject, issuer: Partner) -> None:
    names = " or ".join(repr(n) for n in (issuer.name, issuer.native_name) if n)
    if not same_organisation(subject.organisation, issuer.name, issuer.native_name):
        found = f"organisation {subject.organisation!r}" if subject.organisation else "no organisation name"
        raise SealError(f"the eSeal certificate names {found} ({subject.text}), but the certificates are issued by "
                        f"{issuer.id}, {names}: seal with {issuer.id}'s own seal certificate (or give "
                        "--eseal-any-subject to test with a pilot certificate)")
    if issuer.eidas_identifier and subject.organisation_id and \
            _identifier(issuer.eidas_identifier) != _identifier(subject.organisation_id):
        raise SealError(f"the eSeal certificate's organizationIdentifier is {subject.organisation_id!r}, but the "
                        f"spec gives {issuer.id}'s eIDAS identifier as {issuer.eidas_identifier!r}")


def _is_pfx(data: bytes) -> bool:
    """Whether the bytes are a PKCS#12 PFX structure (to tell a wrong password from a wrong file)."""
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        return bool(pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native is not None)
    except Exception:  # noqa: BLE001 - asn1crypto parses an untrusted file: any failure means "not PKCS#12"
        return False


def _check_key(key: PrivateKeyTypes, certificate: x509.Certificate, where: str) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    _check_public_key(certificate, where)
    public = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    if public != certificate.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo):
        raise SealError(f"{where}: the certificate in the PKCS#12 file is not the certificate of its key")


def _check_public_key(certificate: x509.Certificate, where: str) -> None:
    """RSA of at least 2048 bits or ECDSA on P-256, P-384 or P-521, allowed to sign (ETSI TS 119 312)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    public = certificate.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        if public.key_size < 2048:
            raise SealError(f"{where}: an RSA key of {public.key_size} bits is too short for a seal (2048 at least)")
    elif not (isinstance(public, ec.EllipticCurvePublicKey) and public.curve.name in _CURVES):
        raise SealError(f"{where}: the seal key must be RSA or ECDSA on P-256, P-384 or P-521")
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise SealError(f"{where}: the certificate's key usage does not allow signatures; it is not a seal certificate")


def _jws_algorithm(certificate: x509.Certificate) -> tuple[str, str]:
    from cryptography.hazmat.primitives.asymmetric import ec

    public = certificate.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        return _CURVES[public.curve.name]
    return "RS256", "sha256"


def _tsa_url(url: str | None) -> str | None:
    if url is None:
        return None
    if not re.match(r"https?://[^\s/?#]+", url):
        raise SealError(f"--tsa {url!r}: a timestamp server is an http:// or https:// URL")
    return url


def _timestamp_size(url: str) -> int:
    """The size of one timestamp token of the server at ``url`` (one request), with room to spare."""
    import asyncio

    from pyhanko.sign.timestamps import HTTPTimeStamper

    try:
        token = asyncio.run(HTTPTimeStamper(url, timeout=TSA_TIMEOUT).async_dummy_response("sha256"))
    except Exception as exc:  # noqa: BLE001 - aiohttp, the server's answer or its token: all mean "no timestamps"
        raise SealError(f"the timestamp server {url} did not give a timestamp ({type(exc).__name__}); check --tsa "
                        "and the network") from None
    return len(token.dump()) + 1024


def _private_key(der: bytes) -> PrivateKeyTypes:
    """The key of a :class:`Pkcs12Key`. :func:`load_eseal` checked it when it read the PKCS#12 file (and that
    it belongs to the certificate); loading it again in each worker skips RSA's consistency check, which takes
    60 ms, as cryptography allows for a key from a trusted source."""
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    return load_der_private_key(der, password=None, unsafe_skip_rsa_key_validation=True)


class _KeySigner(Signer):
    """pyHanko's signer interface over a key in memory (pyHanko documents subclassing :class:`Signer` and
    implementing :meth:`async_sign_raw`). Unlike pyHanko's ``SimpleSigner`` it keeps the loaded key, rather
    than loading it for each signature (65 ms for RSA), and signs ECDSA deterministically (RFC 6979), so
    that the same document and time give the same seal. RSA signs with PKCS#1 v1.5, deterministic too."""

    def __init__(self, key: PrivateKeyTypes, certificate_der: bytes, chain_der: tuple[bytes, ...]) -> None:
        from asn1crypto import x509 as asn1_x509
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        self._key = key
        super().__init__(signing_cert=asn1_x509.Certificate.load(certificate_der),
                         cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                             [asn1_x509.Certificate.load(der) for der in chain_der]))

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

        digest = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384(), "sha512": hashes.SHA512()}[digest_algorithm]
        if isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), digest)
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(digest, deterministic_signing=True))
        raise SealError("the seal key must be RSA or ECDSA")


@contextmanager
def _pkcs11_signer(source: Pkcs11Key, certificate_der: bytes | None, chain_der: tuple[bytes, ...]
                   ) -> Iterator[Signer]:
    """A pyHanko PKCS#11 signer on an open session of the token, closed when the block ends."""
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    where = f"token {source.token!r} (PKCS#11 module {source.module})"
    try:
        session = open_pkcs11_session(source.module, token_criteria=TokenCriteria(label=source.token),
                                      user_pin=source.pin)
    except Exception as exc:  # noqa: BLE001 - python-pkcs11 raises one class per PKCS#11 error code
        raise SealError(f"{where}: cannot open a session ({_pkcs11_reason(exc)})") from None
    try:
        from asn1crypto import x509 as asn1_x509

        known = asn1_x509.Certificate.load(certificate_der) if certificate_der is not None else None
        yield PKCS11Signer(session, key_label=source.key, cert_label=source.certificate, signing_cert=known,
                           ca_chain=[asn1_x509.Certificate.load(der) for der in chain_der],
                           other_certs_to_pull=None if known is None else ())
    finally:
        session.close()


def _pkcs11_certificates(signer: Signer, source: Pkcs11Key) -> tuple[bytes, tuple[bytes, ...]]:
    """The seal certificate and the token's other certificates; :class:`SealError` if the key or certificate
    is not on the token."""
    import asyncio

    where = f"token {source.token!r}"
    try:
        asyncio.run(signer.ensure_objects_loaded())  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - pyHanko and python-pkcs11 errors alike
        raise SealError(f"{where}: no private key {source.key!r} with a certificate {source.certificate!r} "
                        f"({_pkcs11_reason(exc)})") from None
    certificate = signer.signing_cert
    if certificate is None:
        raise SealError(f"{where}: no certificate labelled {source.certificate!r}")
    chain = tuple(c.dump() for c in signer.cert_registry if c.dump() != certificate.dump())
    return certificate.dump(), chain


def _pkcs11_reason(exc: BaseException) -> str:
    """A PKCS#11 failure in a few words: the error's class name (``PinIncorrect``), never the PIN."""
    name = type(exc).__name__
    if name in ("PinIncorrect", "PinInvalid", "PinLenRange"):
        return "wrong PIN"
    if name == "PinLocked":
        return "the PIN is locked"
    text = str(exc) if type(exc).__module__.startswith("pyhanko") else ""
    return f"{name}: {text}" if text else name
