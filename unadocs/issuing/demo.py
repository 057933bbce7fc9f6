"""The certificate part of ``unadocs demo``: a demo key and a TEST eSeal, the example learners' certificates sealed
with both, one verification."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from unadocs.issuing.api import issue_certificates
from unadocs.issuing.run import IssueResult
from unadocs.model import Consortium

if TYPE_CHECKING:
    from unadocs.seal.eseal_check import ESealCheck

__all__ = ["DemoCertificates", "demo_certificates"]


@dataclass
class DemoCertificates:
    key_path: Path
    trust_path: Path
    out_dir: Path
    combined: Path | None
    results: list[IssueResult] = field(default_factory=list)
    verified: Path | None = None
    verdict: str = ""
    verdict_message: str = ""
    eseal_path: Path | None = None
    """The demo's TEST eSeal (PKCS#12) and its demo authority's certificate."""
    eseal_ca: Path | None = None
    eseal: ESealCheck | None = None
    """The verdict on the verified certificate's eSeal, its chain checked against the demo authority."""


def demo_certificates(consortium: Consortium, learners: Path, out_dir: Path) -> DemoCertificates:
    """Issue the example learners' certificates under ``out_dir`` with a demo key, and verify the first one.

    The demo key (``out_dir/keys``) is valid for the agreement's term and is
    reused on later runs, so that re-running the demo gives the same files.
    The certificates also carry a TEST eSeal from a demo authority made
    beside the key (:mod:`unadocs.seal.demo_eseal`), as a university's own
    seal would seal them.
    """
    from datetime import datetime, time, timedelta, timezone

    from unadocs.seal.demo_eseal import demo_eseal
    from unadocs.seal.eseal import load_eseal
    from unadocs.seal.keys import generate_key, load_signer
    from unadocs.seal.verify import verify

    keys = out_dir / "keys"
    issuer = consortium.certificate.issuer
    existing = sorted(keys.glob(f"{issuer}-*.pem")) if keys.is_dir() else []
    if existing:
        key_path, trust_path = existing[0], keys / "trust.json"
    else:
        info = generate_key(issuer, keys, valid_from=consortium.term.start, valid_until=consortium.term.issuing_end)
        key_path, trust_path = info.private_key_path, info.trust_path
    signer = load_signer(key_path)
    lasts = [datetime.combine(day, time(), tzinfo=timezone.utc)  # as long as the demo key
             for day in (consortium.term.start, consortium.term.issuing_end + timedelta(days=1))]
    test_seal = demo_eseal(keys, consortium.issuer.name, valid_from=lasts[0], valid_until=lasts[1])
    certificates = out_dir / "certificates"
    combined = out_dir / "certificates-print.pdf"
    outcome = DemoCertificates(key_path, trust_path, certificates, None, eseal_path=test_seal.p12,
                               eseal_ca=test_seal.ca)
    outcome.results = list(issue_certificates(consortium, learners, signer, certificates, combined=combined,
                                              formats=("pdf", "elm", "ob3"), eseal=load_eseal(test_seal.p12, None)))
    if combined.exists():
        outcome.combined = combined
    first = next((r for r in outcome.results if r.ok and r.pdf is not None), None)
    if first is not None and first.pdf is not None:
        result = verify(first.pdf, trust_path, trust_roots=test_seal.ca)
        outcome.verified, outcome.verdict, outcome.verdict_message = first.pdf, str(result.reason), result.message
        outcome.eseal = result.eseal
    return outcome
