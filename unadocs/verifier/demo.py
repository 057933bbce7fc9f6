"""The verification page part of ``unadocs demo``: the site for the demo key, and example links to open."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from unadocs.model import AgreementStatus, Consortium
from unadocs.verifier.site import Site, build_verifier_site, partner_names, site_link

__all__ = ["DemoSite", "demo_site"]


@dataclass(frozen=True)
class DemoSite:
    site: Site
    valid_url: str
    """``file://`` link of the page with a genuine certificate of the first learner."""
    specimen_url: str | None
    """``file://`` link with that learner's certificate as issued (a specimen), when the agreement is a draft."""


def demo_site(consortium: Consortium, learners: Path, key_path: Path, trust_path: Path, out_dir: Path) -> DemoSite:
    """Write the verification site for the demo key into ``out_dir`` and seal example links for it.

    The example agreement is a draft, so its certificates are specimens, which
    the page reports as not valid. To show what a verifier sees for a genuine
    certificate, the first learner's record is also sealed as the approved
    agreement would issue it, with the demo key, which only the demo's own
    trust list holds.
    """
    from unadocs.load.learners import read_learners
    from unadocs.record import build_record
    from unadocs.seal.keys import load_signer
    from unadocs.seal.sealing import sealed_link, sealing_day
    from unadocs.seal.trust import TrustList

    site = build_verifier_site(out_dir, TrustList.load(trust_path), names=partner_names(consortium))
    signer = load_signer(key_path)
    learner = next(row.learner for row in read_learners(learners) if row.learner is not None)
    url = consortium.certificate.verification_url

    def page(of: Consortium) -> str:
        record = build_record(of, learner)
        link = sealed_link(record, signer, url, max(record.issued, sealing_day()))
        return site_link(site, link.split("#", 1)[1])

    if not consortium.is_draft:
        return DemoSite(site, page(consortium), None)
    approved = consortium.model_copy(
        update={"agreement": consortium.agreement.model_copy(update={"status": AgreementStatus.APPROVED})}
    )
    return DemoSite(site, page(approved), page(consortium))
