"""Seal fixtures: deterministic test signers, a trust list and a payload factory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

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
