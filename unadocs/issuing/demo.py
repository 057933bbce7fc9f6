"""The certificate part of ``unadocs demo``: a demo key, the example learners' certificates, one verification."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from unadocs.issuing.api import issue_certificates
from unadocs.issuing.run import IssueResult
from unadocs.model import Consortium

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


def demo_certificates(consortium: Consortium, learners: Path, out_dir: Path) -> DemoCertificates:
    """Issue the example learners' certificates under ``out_dir`` with a demo key, and verify the first one.

    The demo key (``out_dir/keys``) is valid for the agreement's term and is
    reused on later runs, so that re-running the demo gives the same files.
    """
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
    certificates = out_dir / "certificates"
    combined = out_dir / "certificates-print.pdf"
    outcome = DemoCertificates(key_path, trust_path, certificates, None)
    outcome.results = list(issue_certificates(consortium, learners, signer, certificates, combined=combined,
                                              formats=("pdf", "elm", "ob3")))
    if combined.exists():
        outcome.combined = combined
    first = next((r for r in outcome.results if r.ok and r.pdf is not None), None)
    if first is not None and first.pdf is not None:
        result = verify(first.pdf, trust_path)
        outcome.verified, outcome.verdict, outcome.verdict_message = first.pdf, str(result.reason), result.message
    return outcome
