"""The verdict on an eIDAS seal: intact, unchanged since, whose, when, and whether it chains to a trusted root.

A verifier's trust roots are certificates in a PEM file (``unadocs verify
--trust-roots``): the root of the trust service provider that issued the
university's seal certificate, or a national trusted list's roots exported
as PEM. Without them the chain is **not checked**: the seal is judged intact
or not, unchanged or not, and its certificate valid at the signing time or
not, and the verdict says that its chain was not checked.

For a PDF, pyHanko's validator does the work (:func:`check_pades`): the
signature over the byte ranges, the coverage of the file and, for anything
appended after the seal, its difference analysis, which tells an update that
only adds validation data (a document security store, a document timestamp)
from a change; any change makes the seal's verdict *changed after sealing*,
with pyHanko's reason. pyHanko logs its reasons as warnings too; the command
line keeps them off the screen (it shows the verdict instead).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unadocs.errors import SealError
from unadocs.files import read_bounded

if TYPE_CHECKING:
    from cryptography import x509

__all__ = ["ESealCheck", "check_chain", "check_pades", "load_trust_roots", "subject_text", "unsealed_part",
           "validation_context"]

#: A PEM file of trusted roots: a national trusted list is a few hundred certificates, well under this.
MAX_TRUST_ROOTS_BYTES = 4 * 1024 * 1024
#: pyHanko's reasons can quote whole objects; a verdict shows their start.
_MAX_REASON = 300
#: Revisions after a seal that pyHanko's difference analysis looks into; more are a change, unexamined (the
#: analysis of each costs time, and a forger could append thousands).
_MAX_REVISIONS_AFTER = 16


@dataclass(frozen=True)
class ESealCheck:
    """What a PAdES or JAdES seal says and whether it holds."""

    form: str
    """``PAdES`` or ``JAdES``."""
    level: str
    """``B-B``, or ``B-T`` when a timestamp authority dated the seal."""
    intact: bool
    """The signature matches the data it covers."""
    unchanged: bool
    """Nothing but validation data was added after sealing (a PDF); always true for JAdES."""
    subject: str
    """The sealing certificate's subject (RFC 4514)."""
    organisation: str | None
    signing_time: datetime | None
    """The time the sealer claims (``/M`` or ``sigT``)."""
    timestamp: datetime | None = None
    """The time a timestamp authority vouches for, for B-T."""
    trusted: bool | None = None
    """Whether the chain reaches a trust root; ``None`` when no trust roots were given (not checked)."""
    problem: str = ""
    """Why the seal does not hold, in a sentence (pyHanko's reason where it gives one)."""

    @property
    def valid(self) -> bool:
        """Intact, unchanged since sealing, and not failed by the trust roots (a chain not checked passes)."""
        return self.intact and self.unchanged and self.trusted is not False and not self.problem

    @property
    def chain(self) -> str:
        """The chain's verdict in words."""
        if self.trusted is None:
            return "not checked (no trust roots given)"
        return "reaches a trust root" if self.trusted else "does not reach a trust root"

    def as_dict(self) -> dict[str, Any]:
        return {"form": self.form, "level": self.level, "valid": self.valid, "intact": self.intact,
                "unchanged": self.unchanged, "subject": self.subject, "organisation": self.organisation,
                "signing_time": self.signing_time.isoformat() if self.signing_time else None,
                "timestamp": self.timestamp.isoformat() if self.timestamp else None,
                "trusted": self.trusted, "problem": self.problem}


def load_trust_roots(path: Path | str) -> tuple[x509.Certificate, ...]:
    """The certificates of a PEM file, to trust as roots; :class:`SealError` if it holds none or is not PEM."""
    from cryptography import x509

    where = Path(path)
    data = read_bounded(where, MAX_TRUST_ROOTS_BYTES, "PEM file of trust roots", SealError)
    try:
        roots = tuple(x509.load_pem_x509_certificates(data))
    except ValueError:
        raise SealError(f"{where}: not a PEM file of certificates (-----BEGIN CERTIFICATE-----)") from None
    return roots


def validation_context(roots: Sequence[Any], others: Sequence[Any] = (), moment: datetime | None = None) -> Any:
    """A pyHanko validation context: offline, revocation not required (a verifier here has no network).
    ``roots`` and ``others`` are certificates of cryptography or of asn1crypto (pyHanko's)."""
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=_asn1(roots), other_certs=_asn1(others), allow_fetching=False,
                             revocation_mode="soft-fail", moment=moment)


def _asn1(certificates: Sequence[Any]) -> list[Any]:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return [c if isinstance(c, asn1_x509.Certificate) else asn1_x509.Certificate.load(c.public_bytes(Encoding.DER))
            for c in certificates]


def check_chain(leaf: Any, others: Sequence[Any], roots: Sequence[Any] | None, moment: datetime) -> str:
    """Why ``leaf`` (asn1crypto) is not a valid seal certificate at ``moment``, or ``""``: it must be valid
    then and, with ``roots``, chain to one of them (through ``others``); without roots only its own validity
    is checked. Revocation is not checked: a verifier here works offline."""
    import asyncio

    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

    if roots is None:
        return "" if _valid_at(leaf, moment) else "its certificate was not valid at the signing time"
    context = validation_context(roots, others, moment)
    try:
        asyncio.run(CertificateValidator(leaf, intermediate_certs=list(others), validation_context=context)
                    .async_validate_usage(key_usage=set()))  # type: ignore[no-untyped-call]
    except PathBuildingError:
        return "its certificate does not chain to a trust root"
    except (PathValidationError, ValidationError) as exc:
        return f"its certificate is not valid: {_short(str(exc))}"
    return ""


def _valid_at(certificate: Any, moment: datetime | None) -> bool:
    """Whether a certificate (asn1crypto) was within its validity at ``moment`` (unknown counts as not)."""
    if moment is None:
        return False
    validity = certificate["tbs_certificate"]["validity"]
    return bool(validity["not_before"].native <= moment <= validity["not_after"].native)


def unsealed_part(data: bytes) -> int | None:
    """The length of a PDF before its first PAdES seal (the certificate as it was rendered), or None if the
    PDF carries no signature that can be read."""
    signature = _first_signature(data)
    if not signature:
        return None
    byte_range = signature.byte_range
    end = data.rfind(b"%%EOF", 0, int(byte_range[1]) if len(byte_range) == 4 else len(data))
    if end < 0:
        return None
    end += len(b"%%EOF")
    while end < len(data) and data[end: end + 1] in (b"\r", b"\n"):
        end += 1
    return end


#: How a signature dictionary of a PDF seal starts its SubFilter (PAdES and the older PKCS#7 kind).
_SIGNATURE_KINDS = (b"/ETSI.CAdES.detached", b"/adbe.pkcs7.detached", b"/adbe.pkcs7.sha1")


def _first_signature(data: bytes) -> Any:
    """pyHanko's view of the PDF's first signature; None when the PDF has none; ``False`` when it seems to have
    one that pyHanko cannot read (a broken seal, not an unsealed file)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_regular_signatures
        first = min(signatures, key=lambda s: s.signed_revision) if signatures else None
        if first is not None:
            first.signer_cert  # noqa: B018 - read now: a container without its certificate is broken
    except Exception:  # noqa: BLE001 - pyHanko reads an untrusted file
        return False if any(kind in data for kind in _SIGNATURE_KINDS) else None
    return first


def check_pades(data: bytes, roots: Sequence[Any] | None = None) -> ESealCheck | None:
    """The verdict on a PDF's PAdES seal (its first signature), or None when the PDF carries none."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel

    signature = _first_signature(data)
    if signature is None:
        return None
    if signature is False:
        return ESealCheck("PAdES", "B-B", False, False, "(unreadable)", None, None,
                          problem="the PDF's seal cannot be read: it was damaged or tampered with")
    certificate = signature.signer_cert
    organisation = certificate.subject.native.get("organization_name")
    chain_failure = ""
    own = [certificate, *signature.other_embedded_certs]  # without roots: the seal's own certificates, trusted
    after = signature.reader.xrefs.total_revisions - 1 - signature.signed_revision
    try:
        status = _validated(signature, roots if roots is not None else own, skip_diff=after > _MAX_REVISIONS_AFTER)
    except Exception as exc:  # noqa: BLE001 - pyHanko's validator failed on this chain or this signature
        chain_failure = f"its chain could not be validated ({type(exc).__name__})"
        try:
            status = _validated(signature, own, skip_diff=after > _MAX_REVISIONS_AFTER)  # its own certificates trusted
        except Exception as again:  # noqa: BLE001 - a signature pyHanko cannot evaluate at all is broken
            return ESealCheck("PAdES", "B-B", False, False, subject_text(certificate), organisation, None,
                              problem=f"the seal cannot be checked ({type(again).__name__})")
    stamp = status.timestamp_validity
    unchanged = status.coverage is SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage is SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level is ModificationLevel.LTA_UPDATES)
    problem = ""
    if not status.intact or not status.valid:
        problem = "the seal does not match the file: it was changed or rewritten after sealing"
    elif after > _MAX_REVISIONS_AFTER:
        problem = f"the file was changed after sealing: {after} revisions were appended"
    elif not unchanged:
        problem = f"the file was changed after sealing: {_modification(status)}"
    elif stamp is not None and not (stamp.intact and stamp.valid):
        problem = "the seal's timestamp does not match the seal"
    trusted: bool | None = None
    if roots is not None:
        trusted = not chain_failure and bool(status.trusted) and (stamp is None or bool(stamp.trusted))
        if not trusted and not problem:
            problem = chain_failure or ("its certificate does not chain to a trust root" if not status.trusted
                                        else "its timestamp's authority does not chain to a trust root")
    elif not problem and not _valid_at(certificate, stamp.timestamp if stamp is not None else
                                       status.signer_reported_dt):
        problem = "its certificate was not valid at the signing time"
    return ESealCheck("PAdES", "B-T" if stamp is not None else "B-B", bool(status.intact and status.valid),
                      unchanged, subject_text(certificate), organisation, status.signer_reported_dt,
                      stamp.timestamp if stamp is not None else None, trusted, problem)


def _validated(signature: Any, roots: Sequence[Any], *, skip_diff: bool = False) -> Any:
    """pyHanko's status of a PDF signature, its chain validated against ``roots`` (the seal's and the timestamp's)."""
    from pyhanko.sign.validation import validate_pdf_signature

    context = validation_context(roots, signature.other_embedded_certs)
    return validate_pdf_signature(signature, signer_validation_context=context, ts_validation_context=context,
                                  skip_diff=skip_diff)


def _modification(status: Any) -> str:
    """pyHanko's reason for what was appended after the seal."""
    from pyhanko.sign.diff_analysis import ModificationLevel

    reason = status.diff_result
    if isinstance(reason, Exception):
        return _short(str(reason))
    return {ModificationLevel.FORM_FILLING: "form fields were filled or signed",
            ModificationLevel.ANNOTATIONS: "annotations were added",
            ModificationLevel.OTHER: "content was changed"}.get(status.modification_level,
                                                                "the seal does not cover the whole file")


def subject_text(certificate: Any) -> str:
    """An asn1crypto certificate's subject as RFC 4514 text, as cryptography writes it."""
    from cryptography import x509

    return x509.load_der_x509_certificate(certificate.dump()).subject.rfc4514_string()


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"
