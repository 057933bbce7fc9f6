"""A TEST eSeal for ``unadocs demo`` and the benchmark: a demo certificate authority and a seal certificate for the
issuer, made on the spot with ``cryptography``.

It seals exactly as a university's real seal does, so that the demo shows what a sealed certificate looks like
in a PDF reader and in ``unadocs verify``; and it says TEST wherever a person looks: the seal certificate's
common name, its organisational unit and its authority's name. It is not a qualified or even an advanced seal:
no trusted list holds its authority, and nothing should trust it. A university seals with the certificate its
trust service provider issues (README, "Sealing with your university's eSeal").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from unadocs.errors import SealError
from unadocs.files import atomic_write, create_secret_file

__all__ = ["DemoESeal", "demo_eseal"]

#: What every demo seal says it is.
TEST_LABEL = "TEST ONLY - unadocs demo, not a qualified seal"


@dataclass(frozen=True)
class DemoESeal:
    p12: Path
    """The demo seal (PKCS#12 without a password, mode 0600)."""
    ca: Path
    """The demo authority's certificate (PEM), to give ``unadocs verify --trust-roots``."""


def demo_eseal(directory: Path, organisation: str, *, valid_from: datetime, valid_until: datetime,
               kind: str = "ec") -> DemoESeal:
    """The demo seal in ``directory`` for ``organisation`` (the issuer's official name), made if missing.

    ``kind`` is ``ec`` (ECDSA P-256) or ``rsa`` (RSA 2048, as most seal
    certificates of trust service providers are).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    found = DemoESeal(directory / f"DEMO-TEST-eseal-{kind}.p12", directory / f"DEMO-TEST-CA-{kind}.pem")
    if found.p12.exists() and found.ca.exists():
        return found

    def key() -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey:
        return ec.generate_private_key(ec.SECP256R1()) if kind == "ec" else rsa.generate_private_key(65537, 2048)

    def named(common: str, organisation_name: str, unit: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common),
                          x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation_name)])

    ca_key, seal_key = key(), key()
    ca_name = named("unadocs DEMO CA - TEST ONLY, trust nothing it signs", "unadocs demo PKI", TEST_LABEL)
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(valid_from).not_valid_after(valid_until)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    seal = (x509.CertificateBuilder().subject_name(named(f"TEST SEAL of {organisation}", organisation, TEST_LABEL))
            .issuer_name(ca_name).public_key(seal_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(valid_from).not_valid_after(valid_until)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    try:
        directory.mkdir(parents=True, exist_ok=True)
        create_secret_file(found.p12, pkcs12.serialize_key_and_certificates(b"demo TEST seal", seal_key, seal, [ca],
                                                                            NoEncryption()))
        atomic_write(found.ca, ca.public_bytes(Encoding.PEM))
    except OSError as exc:
        raise SealError(f"{directory}: cannot write the demo eSeal ({exc.strerror or exc})") from None
    return found
