"""unadocs: joint Una Europa micro-credentials from one typed model.

From a consortium spec (YAML) unadocs drafts the Consortium Agreement and
issues the joint certificates::

    import unadocs

    consortium = unadocs.load_spec("spec.yaml")
    docx = unadocs.build_agreement(consortium)
    signer = unadocs.load_signer("keys/UH-<key id>.pem")          # with keys/trust.json beside it
    for result in unadocs.issue_certificates(consortium, "learners.xlsx", signer, "out/"):
        print(result)
    verdict = unadocs.verify("out/UH-1.pdf", "keys/trust.json")

This module is the public API: everything in ``__all__`` is stable, and
everything else (modules and names with a leading underscore, and the
modules' own helpers) may change. Names are imported on first use
(PEP 562), so that ``import unadocs`` and ``unadocs --version`` stay fast:
pydantic, the DOCX and the PDF stacks load only when a function that needs
them is called. Type checkers see the real names.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from unadocs._version import __version__
from unadocs.errors import (
    CorruptPayload,
    ExportError,
    LearnerError,
    MalformedToken,
    Problem,
    SealError,
    SpecError,
    TemplateError,
    UnadocsError,
)

if TYPE_CHECKING:
    from unadocs.agreement import ChosenClause, build_accession_form, build_agreement, chosen_clauses
    from unadocs.checks import Advisory, advisories
    from unadocs.export.elm import elm_credential
    from unadocs.export.ob3 import ob3_credential
    from unadocs.issuing import (
        IssueResult,
        Superseded,
        export_credentials,
        issue_certificates,
        ob3_jwt,
        render_certificate,
    )
    from unadocs.load import load_spec, parse_spec
    from unadocs.model import Consortium, Learner
    from unadocs.record import CertificateRecord, build_record
    from unadocs.seal.keys import KeyInfo, Signer, generate_key, load_signer
    from unadocs.seal.trust import Revocation, TrustedKey, TrustList
    from unadocs.seal.verify import Reason, Verification, verify
    from unadocs.verifier.site import Site, build_verifier_site

#: Public name -> the module that defines it: the one list behind ``__all__`` and the lazy imports.
_LAZY: dict[str, str] = {
    # the spec and its checks
    "load_spec": "unadocs.load",
    "parse_spec": "unadocs.load",
    "Consortium": "unadocs.model",
    "Learner": "unadocs.model",
    "advisories": "unadocs.checks",
    "Advisory": "unadocs.checks",
    # the agreement
    "build_agreement": "unadocs.agreement",
    "build_accession_form": "unadocs.agreement",
    "chosen_clauses": "unadocs.agreement",
    "ChosenClause": "unadocs.agreement",
    # certificates
    "build_record": "unadocs.record",
    "CertificateRecord": "unadocs.record",
    "render_certificate": "unadocs.issuing",
    "issue_certificates": "unadocs.issuing",
    "export_credentials": "unadocs.issuing",
    "IssueResult": "unadocs.issuing",
    "Superseded": "unadocs.issuing",
    "elm_credential": "unadocs.export.elm",
    "ob3_credential": "unadocs.export.ob3",
    "ob3_jwt": "unadocs.issuing",
    # keys, trust and verification
    "generate_key": "unadocs.seal.keys",
    "load_signer": "unadocs.seal.keys",
    "Signer": "unadocs.seal.keys",
    "KeyInfo": "unadocs.seal.keys",
    "TrustList": "unadocs.seal.trust",
    "TrustedKey": "unadocs.seal.trust",
    "Revocation": "unadocs.seal.trust",
    "verify": "unadocs.seal.verify",
    "Verification": "unadocs.seal.verify",
    "Reason": "unadocs.seal.verify",
    "build_verifier_site": "unadocs.verifier.site",
    "Site": "unadocs.verifier.site",
}

__all__ = [
    "__version__",
    *_LAZY,
    # errors (imported above: light, and needed to catch what any function raises)
    "UnadocsError",
    "SpecError",
    "Problem",
    "LearnerError",
    "TemplateError",
    "ExportError",
    "SealError",
    "MalformedToken",
    "CorruptPayload",
]


if not TYPE_CHECKING:  # type checkers see the imports above; a misspelt name is their error, not Any

    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'unadocs' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted(__all__)
