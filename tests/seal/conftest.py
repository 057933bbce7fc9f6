"""Seal fixtures: deterministic test signers, a trust list and a payload factory; for the eSeal, a test PKI,
a timestamp server on 127.0.0.1 and a SoftHSM2 token."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding

from tests.seal.pki import Pki, Seal, make_pki, name, serve_timestamps
from unadocs.seal.keys import Signer
from unadocs.seal.payload import Payload, record_digest
from unadocs.seal.trust import TrustList

VECTORS = Path(__file__).resolve().parent.parent / "vectors"
BASE_URL = "https://verify.una-europa.eu/c/"
RECORD = b'{"learner":"Zo\xc3\xab","title":"Micro-credential in Sustainability"}'


@pytest.fixture(scope="session")
def signer() -> Signer:
    """UH's key, valid in 2026 (TEST ONLY seed)."""
    return Signer.from_seed(b"U" * 32, "UH", valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))


@pytest.fixture(scope="session")
def other_signer() -> Signer:
    """Another issuer's key that the trust list does not hold."""
    return Signer.from_seed(b"O" * 32, "UNIBO", valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31))


@pytest.fixture
def trust(signer: Signer) -> TrustList:
    return TrustList().with_key(signer.trusted_key())


@pytest.fixture(scope="session")
def make_payload(signer: Signer) -> Callable[..., Payload]:
    """A payload for UH's key; keyword arguments override fields."""
    base = Payload(
        credential_id="7c9e6679-7425-50de-944b-e07fc1f90ae7", name="Zoë Łukasiewicz", title="Micro-credential in "
        "Sustainability", issued=date(2026, 6, 30), ects="10", eqf=7, awarding=("UH", "UNIBO", "UJ"), issuer="UH",
        key_id=signer.key_id, sealed=date(2026, 7, 1), record_sha256=record_digest(RECORD),
    )

    def make(**changes: Any) -> Payload:
        return replace(base, **changes)

    return make


# -- the eSeal: a test PKI, a timestamp server, a token -------------------------------------------------------


@pytest.fixture(scope="session")
def pki_rsa() -> Pki:
    return make_pki("rsa")


@pytest.fixture(scope="session")
def pki_ec() -> Pki:
    return make_pki("ec")


@pytest.fixture(scope="session", params=["rsa", "ec"])
def pki(request: pytest.FixtureRequest, pki_rsa: Pki, pki_ec: Pki) -> Pki:
    """Each test PKI in turn: RSA 2048 and ECDSA P-256."""
    return pki_rsa if request.param == "rsa" else pki_ec


@pytest.fixture(scope="session")
def uh_seal_rsa(pki_rsa: Pki) -> Seal:
    return pki_rsa.seal()


@pytest.fixture(scope="session")
def uh_seal(pki: Pki) -> Seal:
    """The University of Helsinki's seal certificate, from each test PKI."""
    return pki.seal()


@pytest.fixture(scope="session")
def tsa_url(pki_rsa: Pki) -> Iterator[str]:
    """An RFC 3161 timestamp server on 127.0.0.1 (pyHanko's test TSA behind Python's HTTP server)."""
    with serve_timestamps(pki_rsa) as url:
        yield url


@dataclass(frozen=True)
class Token:
    """A SoftHSM2 token holding a seal key generated in it and the certificate the test CA issued for it."""

    module: str
    label: str
    key: str
    pin: str
    certificate: Any
    ca: Any
    """The test CA that issued the certificate (also on the token)."""


SOFTHSM_MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                   "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so")


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory: pytest.TempPathFactory, pki_rsa: Pki) -> Iterator[Token]:
    """A SoftHSM2 token in a temporary directory (SOFTHSM2_CONF), for the whole session: the PKCS#11 library
    reads its configuration once per process. The seal's key is generated inside the token and never leaves."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass

    util = shutil.which("softhsm2-util")
    module = next((str(Path(m).resolve()) for m in SOFTHSM_MODULES if Path(m).is_file()), None)
    if util is None or module is None:  # a hard failure, not a skip: CI installs softhsm2 (.ci/run)
        pytest.fail("SoftHSM2 is not installed (Debian: apt-get install softhsm2); .ci/run installs it")
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    config = directory / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {directory / 'tokens'}\nobjectstore.backend = file\n"
                      "log.level = ERROR\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(config))
        subprocess.run([util, "--init-token", "--free", "--label", "unadocs-test", "--pin", "1234", "--so-pin",
                        "5678"], check=True, capture_output=True, timeout=60)
        token = pkcs11.lib(module).get_token(token_label="unadocs-test")
        with token.open(rw=True, user_pin="1234") as session:
            public, _ = session.generate_keypair(KeyType.RSA, 2048, label="uh-seal", id=b"\x01", store=True)
            numbers = rsa.RSAPublicNumbers(int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
                                           int.from_bytes(public[Attribute.MODULUS], "big"))
            certificate = pki_rsa.issue(numbers.public_key(), name("University of Helsinki TEST eSeal (HSM)",
                                                                   "University of Helsinki", "VATFI-03134717"))
            for label, cert in (("uh-seal", certificate), ("ca", pki_rsa.ca)):
                session.create_object({
                    Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True, Attribute.LABEL: label,
                    Attribute.ID: b"\x01" if label == "uh-seal" else b"\x02",
                    Attribute.SUBJECT: cert.subject.public_bytes(), Attribute.VALUE: cert.public_bytes(Encoding.DER)})
        yield Token(module, "unadocs-test", "uh-seal", "1234", certificate, pki_rsa.ca)


@dataclass(frozen=True)
class Issued:
    """The example learners' certificates, unsealed, and what verifies them."""

    consortium: Any
    out: Path
    trust: Path
    key: Path
    spec: Path

    def pdf(self, number: int = 1) -> bytes:
        return (self.out / f"UH-2025-000{number}.pdf").read_bytes()


@pytest.fixture(scope="session")
def issued(example_data: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Issued:
    """The approved reference spec's certificates for the example learners, as a run writes them (no eSeal)."""
    import copy

    import yaml

    from tests.conftest import EXAMPLE_LEARNERS
    from unadocs.issuing import issue_certificates
    from unadocs.load import parse_spec
    from unadocs.seal.keys import generate_key, load_signer

    data = copy.deepcopy(example_data)
    data["agreement"]["status"] = "approved"
    consortium = parse_spec(yaml.safe_dump(data, allow_unicode=True), source="approved example")
    root = tmp_path_factory.mktemp("issued")
    spec = root / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    info = generate_key("UH", root / "keys", valid_from=date(2025, 9, 1), valid_until=date(2029, 8, 31))
    results = list(issue_certificates(consortium, EXAMPLE_LEARNERS, load_signer(info.private_key_path),
                                      root / "out", formats=("pdf", "elm")))
    assert all(r.ok for r in results)
    return Issued(consortium, root / "out", info.trust_path, info.private_key_path, spec)
