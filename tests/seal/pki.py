"""A small PKI for the eSeal tests, made with ``cryptography``: a CA, a university's seal certificate, a TSA.

The seal certificate looks like one a trust service provider issues under
ETSI EN 319 412-3: the organisation's name (O), its ``organizationIdentifier``
(VATFI-...), a country, key usage non-repudiation and digital signature.
Nothing here is a real trust anchor; every name says TEST.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "correct horse battery staple"
NOW = datetime.now(timezone.utc).replace(microsecond=0)
#: Certificates are valid from here: before every fixed day the tests seal on (SOURCE_DATE_EPOCH) and before now.
SINCE = datetime(2024, 1, 1, tzinfo=timezone.utc)
UH = "University of Helsinki"
UH_ID = "VATFI-03134717"

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


def new_key(kind: str) -> PrivateKey:
    return ec.generate_private_key(ec.SECP256R1()) if kind == "ec" else rsa.generate_private_key(65537, 2048)


def name(common: str, organisation: str | None = None, organisation_id: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "FI")]
    if organisation is not None:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    if organisation_id is not None:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, organisation_id))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(attributes)


@dataclass(frozen=True)
class Pki:
    """A test CA and the certificates it issued."""

    kind: str
    ca_key: PrivateKey
    ca: x509.Certificate

    def issue(self, public_key: Any, subject: x509.Name, *, not_before: datetime | None = None,
              not_after: datetime | None = None, usage: str = "seal") -> x509.Certificate:
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(self.ca.subject)
                   .public_key(public_key).serial_number(x509.random_serial_number())
                   .not_valid_before(not_before or SINCE)
                   .not_valid_after(not_after or NOW + timedelta(days=3 * 365))
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()),
                                  critical=False))
        if usage == "tsa":
            builder = builder.add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False,
                                                          False), critical=True)
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        elif usage == "seal":
            builder = builder.add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                                          False), critical=True)
        else:  # a certificate that may only encipher: not a seal certificate
            builder = builder.add_extension(x509.KeyUsage(False, False, True, False, False, False, False, False,
                                                          False), critical=True)
        return builder.sign(self.ca_key, hashes.SHA256())

    def seal(self, organisation: str | None = UH, organisation_id: str | None = UH_ID, **dates: Any) -> Seal:
        key = new_key(self.kind)
        subject = name(f"{organisation or 'Nobody'} TEST eSeal", organisation, organisation_id)
        return Seal(self, key, self.issue(key.public_key(), subject, **dates))

    def roots_pem(self, path: Path) -> Path:
        path.write_bytes(self.ca.public_bytes(serialization.Encoding.PEM))
        return path


@dataclass(frozen=True)
class Seal:
    """A seal certificate and its key."""

    pki: Pki
    key: PrivateKey
    certificate: x509.Certificate

    def p12(self, path: Path, password: str | None = PASSWORD, *, with_key: bool = True) -> Path:
        encryption = (serialization.BestAvailableEncryption(password.encode()) if password
                      else serialization.NoEncryption())
        path.write_bytes(pkcs12.serialize_key_and_certificates(
            b"seal", self.key if with_key else None, self.certificate, [self.pki.ca], encryption))
        return path


def make_pki(kind: str, label: str = "") -> Pki:
    """A CA (RSA or ECDSA P-256) whose name says which it is, valid for ten years around now."""
    key = new_key(kind)
    subject = name(f"unadocs TEST CA {kind.upper()}{label}", "unadocs tests")
    ca = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(NOW - timedelta(days=3650))
          .not_valid_after(NOW + timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
          .sign(key, hashes.SHA256()))
    return Pki(kind, key, ca)


def timestamper(pki: Pki) -> Any:
    """pyHanko's own test TSA (``DummyTimeStamper``, public in :mod:`pyhanko.sign.timestamps`) with a TSA
    certificate of ``pki`` (RSA: the dummy TSA signs with RSA)."""
    from asn1crypto import keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps import DummyTimeStamper

    key = rsa.generate_private_key(65537, 2048)
    certificate = pki.issue(key.public_key(), name("unadocs TEST TSA", "unadocs tests"), usage="tsa")
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return DummyTimeStamper(tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
                            tsa_key=keys.PrivateKeyInfo.load(der),
                            certs_to_embed=[asn1_x509.Certificate.load(
                                pki.ca.public_bytes(serialization.Encoding.DER))])


@contextmanager
def serve_timestamps(pki: Pki) -> Iterator[str]:
    """An RFC 3161 timestamp server on 127.0.0.1 for the block: pyHanko's test TSA behind Python's HTTP server.
    Yields its URL."""
    stamper = timestamper(pki)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            from asn1crypto import tsp

            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            answer = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read the answers, not the server's log."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()
