"""unadocs: joint Una Europa micro-credentials from one typed model.

From a consortium spec (YAML) unadocs drafts the Consortium Agreement and
issues the joint certificates. This module is the public API; everything in
``__all__`` is stable.

Names are imported on first use (PEP 562), so that ``import unadocs`` and
``unadocs --version`` stay fast: pydantic, the DOCX and the PDF stacks load
only when a function that needs them is called.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from unadocs.errors import LearnerError, Problem, SealError, SpecError, TemplateError, UnadocsError

if TYPE_CHECKING:
    from unadocs.checks import Advisory
    from unadocs.load import load_spec, parse_spec
    from unadocs.model import Consortium
    from unadocs.seal.keys import generate_key, load_signer
    from unadocs.seal.trust import TrustList
    from unadocs.seal.verify import Verification, verify
    from unadocs.certificate.issue import IssueResult, issue_certificates, render_certificate
    from unadocs.certificate.record import CertificateRecord
    from unadocs.model import Learner
    from unadocs.agreement import ChosenClause, build_accession_form, build_agreement, chosen_clauses
    from unadocs.export.elm import elm_credential
    from unadocs.export.ob3 import ob3_credential, ob3_jwt
    from unadocs.export.write import export_credentials
    from unadocs.verifier.site import build_verifier_site

__version__ = "0.1.0"

#: Public name -> module that defines it.
_LAZY = {
    "Advisory": "unadocs.checks",
    "Consortium": "unadocs.model",
    "load_spec": "unadocs.load",
    "parse_spec": "unadocs.load",
    "generate_key": "unadocs.seal.keys",
    "load_signer": "unadocs.seal.keys",
    "TrustList": "unadocs.seal.trust",
    "Verification": "unadocs.seal.verify",
    "verify": "unadocs.seal.verify",
    "CertificateRecord": "unadocs.certificate.record",
    "IssueResult": "unadocs.certificate.issue",
    "Learner": "unadocs.model",
    "issue_certificates": "unadocs.certificate.issue",
    "render_certificate": "unadocs.certificate.issue",
    "build_agreement": "unadocs.agreement",
    "build_accession_form": "unadocs.agreement",
    "chosen_clauses": "unadocs.agreement",
    "ChosenClause": "unadocs.agreement",
    "elm_credential": "unadocs.export.elm",
    "ob3_credential": "unadocs.export.ob3",
    "ob3_jwt": "unadocs.export.ob3",
    "export_credentials": "unadocs.export.write",
    "build_verifier_site": "unadocs.verifier.site",
}

__all__ = [
    "__version__",
    "Advisory",
    "Consortium",
    "LearnerError",
    "Problem",
    "SealError",
    "SpecError",
    "TemplateError",
    "UnadocsError",
    "load_spec",
    "parse_spec",
    "TrustList",
    "Verification",
    "generate_key",
    "load_signer",
    "verify",
    "CertificateRecord",
    "IssueResult",
    "Learner",
    "issue_certificates",
    "render_certificate",
    "build_agreement",
    "build_accession_form",
    "chosen_clauses",
    "ChosenClause",
    "elm_credential",
    "ob3_credential",
    "ob3_jwt",
    "export_credentials",
    "build_verifier_site",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'unadocs' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
