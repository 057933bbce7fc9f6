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

The functions, by task:

* the spec: ``load_spec(path)``, ``parse_spec(text)``, ``advisories(consortium)``;
* the agreement: ``build_agreement(consortium)``, ``build_accession_form(consortium, partner_id)``,
  ``chosen_clauses(consortium)``, ``lint_agreement(consortium)``, ``lint_library(spec_data)``,
  ``compare_agreements(old, new)`` (a redline), ``agreement_changes(old, new)`` (what changed);
* certificates: ``build_record(consortium, learner)``, ``render_certificate(consortium, learner, signer)``,
  ``issue_certificates(consortium, learners, signer, out_dir)``, ``export_credentials(...)``,
  ``elm_credential(record)``, ``ob3_credential(record)``, ``ob3_jwt(record, signer)``;
* keys and verification: ``generate_key(issuer, out_dir)``, ``load_signer(key_file)``,
  ``verify(certificate, trust)``, ``build_verifier_site(out_dir, trust)``;
* the university's eIDAS seal: ``load_eseal(p12_file, password)``, ``load_eseal_pkcs11(module, token, key, pin)``
  (pass it as ``eseal=`` to the functions that issue), ``verify_jades(sealed_credential)``.

The types they take and return (``Consortium``, ``Learner``, ``CertificateRecord``,
``IssueResult``, ``Signer``, ``TrustList``, ``Verification``, ...) and every
exception (all derived from ``UnadocsError``) are in ``__all__`` too.

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

if TYPE_CHECKING:  # the real names for type checkers; `X as X` marks each as exported
    from unadocs.agreement import (
        agreement_changes as agreement_changes,
        AgreementChanges as AgreementChanges,
        build_accession_form as build_accession_form,
        build_agreement as build_agreement,
        chosen_clauses as chosen_clauses,
        ChosenClause as ChosenClause,
        ClauseChange as ClauseChange,
        compare_agreements as compare_agreements,
        FieldChange as FieldChange,
        lint_agreement as lint_agreement,
        lint_library as lint_library,
        LintFinding as LintFinding,
    )
    from unadocs.checks import advisories as advisories, Advisory as Advisory
    from unadocs.export.elm import elm_credential as elm_credential
    from unadocs.export.ob3 import ob3_credential as ob3_credential
    from unadocs.issuing import (
        export_credentials as export_credentials,
        issue_certificates as issue_certificates,
        IssueResult as IssueResult,
        ob3_jwt as ob3_jwt,
        render_certificate as render_certificate,
        Superseded as Superseded,
    )
    from unadocs.load import load_spec as load_spec, parse_spec as parse_spec
    from unadocs.model import Consortium as Consortium, Learner as Learner
    from unadocs.record import build_record as build_record, CertificateRecord as CertificateRecord
    from unadocs.seal.eseal import ESeal as ESeal, load_eseal as load_eseal, load_eseal_pkcs11 as load_eseal_pkcs11
    from unadocs.seal.eseal_check import ESealCheck as ESealCheck
    from unadocs.seal.jades import verify_jades as verify_jades
    from unadocs.seal.keys import (
        generate_key as generate_key,
        KeyInfo as KeyInfo,
        load_signer as load_signer,
        Signer as Signer,
    )
    from unadocs.seal.trust import Revocation as Revocation, TrustedKey as TrustedKey, TrustList as TrustList
    from unadocs.seal.verify import Reason as Reason, Verification as Verification, verify as verify
    from unadocs.verifier.site import build_verifier_site as build_verifier_site, Site as Site

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
    "lint_agreement": "unadocs.agreement",
    "lint_library": "unadocs.agreement",
    "LintFinding": "unadocs.agreement",
    "compare_agreements": "unadocs.agreement",
    "agreement_changes": "unadocs.agreement",
    "AgreementChanges": "unadocs.agreement",
    "ClauseChange": "unadocs.agreement",
    "FieldChange": "unadocs.agreement",
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
    # the university's eIDAS seal
    "load_eseal": "unadocs.seal.eseal",
    "load_eseal_pkcs11": "unadocs.seal.eseal",
    "ESeal": "unadocs.seal.eseal",
    "ESealCheck": "unadocs.seal.eseal_check",
    "verify_jades": "unadocs.seal.jades",
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
