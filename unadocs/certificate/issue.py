"""Issuing certificates: seal a record, render it, write the files.

:func:`render_certificate` makes one PDF in memory. :func:`issue_certificates`
runs a learner list: every good row gives ``DIR/<name>.pdf`` and
``DIR/<name>.json`` (the same canonical record that is embedded and hashed),
every bad row a failed :class:`IssueResult` with its row and reason, and the
good rows are issued whatever the bad ones.

Everything that would make the whole run wrong (a key of another issuer, an
unreadable list, a missing column) is raised before the first file is written.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from unadocs.certificate.learners import LearnerRow, learner_rows, read_learners
from unadocs.certificate.record import CertificateRecord, build_record
from unadocs.errors import LearnerError, SealError, UnadocsError
from unadocs.model import Consortium, Learner

if TYPE_CHECKING:
    from unadocs.certificate.render import Sealed
    from unadocs.seal.keys import Signer
    from unadocs.seal.payload import Payload

__all__ = [
    "IssueResult",
    "check_signer",
    "issue_certificates",
    "payload_for",
    "render_certificate",
    "render_record",
    "seal_record",
    "sealed_link",
    "write_combined",
]



@dataclass(frozen=True)
class IssueResult:
    """The outcome for one learner row: the files written, or why none were."""

    row: int | None
    learner_id: str | None
    pdf: Path | None = None
    json: Path | None = None
    credential_id: str | None = None
    reason: str | None = None
    exports: tuple[Path, ...] = ()
    """The ELM and Open Badges files written beside the PDF (``formats``)."""
    skipped: bool = False
    """True when an earlier run issued the same certificate (same row, spec, key and template): kept as it was."""

    @property
    def ok(self) -> bool:
        return self.reason is None

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "learner"
        who = f" ({self.learner_id})" if self.learner_id else ""
        return f"{where}{who}: {self.pdf}" if self.ok else f"{where}{who}: {self.reason}"


def check_signer(consortium: Consortium, signer: Signer) -> None:
    """Refuse a key that belongs to another issuer than the spec's ``certificate.issuer``."""
    expected = consortium.certificate.issuer
    if signer.issuer != expected:
        raise SealError(
            f"the signing key {signer.key_id} belongs to issuer {signer.issuer!r}, but the spec's certificates are "
            f"issued by {expected!r} (certificate.issuer); use {expected}'s key"
        )


def _check_key_date(record: CertificateRecord, signer: Signer, row: int | None) -> None:
    # A certificate sealed outside its key's validity would be reported "key not valid on date" by every verifier.
    day = record.issued
    if (signer.valid_from and day < signer.valid_from) or (signer.valid_until and day > signer.valid_until):
        raise LearnerError(
            f"issue date {day.isoformat()} is outside the signing key's validity "
            f"({signer.valid_from} to {signer.valid_until})", row, record.learner.learner_id,
        )


def payload_for(record: CertificateRecord, signer: Signer) -> Payload:
    """The facts the seal binds, taken from the record, with the SHA-256 of its canonical JSON."""
    from unadocs.seal.payload import Payload, record_digest

    return Payload(
        credential_id=record.credential_id,
        name=record.learner.full_name,
        title=record.title,
        issued=record.issued,
        ects=record.ects_text,
        eqf=record.eqf_level,
        awarding=tuple(body.id for body in record.awarding_bodies),
        key_id=signer.key_id,
        record_sha256=record_digest(record.canonical_json()),
        specimen=record.specimen,
    )


def sealed_link(record: CertificateRecord, signer: Signer, verification_url: str) -> str:
    """The verification link of a record: the verification URL with the signed payload as its #fragment."""
    from unadocs.seal.payload import seal, verification_link

    return verification_link(verification_url, seal(payload_for(record, signer), signer))


def seal_record(record: CertificateRecord, signer: Signer, verification_url: str) -> Sealed:
    """Seal a record: its verification link and the link's QR code, ready to render."""
    from unadocs.certificate.render import Sealed
    from unadocs.seal.qr import qr_png

    _check_key_date(record, signer, None)
    link = sealed_link(record, signer, verification_url)
    # One pixel per module: crisp-edges scaling in the template prints it as sharp as any larger image.
    return Sealed(record, link, qr_png(link))


def render_record(
    record: CertificateRecord, signer: Signer, verification_url: str, *, template: Path | None = None
) -> bytes:
    """Seal a record and render its PDF (PDF/A-3, the record embedded) with the template in ``template``.

    The same path as a batch (:func:`unadocs.certificate.render.certificate_pdfs`), with one learner.
    """
    from unadocs.certificate.render import certificate_pdfs

    (pdf,) = certificate_pdfs([seal_record(record, signer, verification_url)], template)
    if isinstance(pdf, LearnerError):
        raise pdf
    return pdf


def render_certificate(
    consortium: Consortium, learner: Learner, signer: Signer, *, template: str | Path | None = None
) -> bytes:
    """One learner's certificate as PDF bytes; raises :class:`LearnerError` for an unusable learner.

    ``template`` is a directory holding a restyled copy of ``templates/certificate``.
    """
    check_signer(consortium, signer)
    record = build_record(consortium, learner)
    directory = Path(template) if template is not None else None
    return render_record(record, signer, consortium.certificate.verification_url, template=directory)


def issue_certificates(
    consortium: Consortium,
    learners_source: str | Path | Iterable[Learner],
    signer: Signer,
    out_dir: str | Path,
    combined: str | Path | None = None,
    formats: Collection[str] = ("pdf",),
    *,
    template: str | Path | None = None,
    executor: Executor | None = None,
    window: int = 8,
) -> Iterator[IssueResult]:
    """Issue a certificate to every learner of a CSV/XLSX file (or an iterable of :class:`Learner`).

    Checks the key and the learner file's columns now, before writing
    anything, and returns an iterator that yields one :class:`IssueResult`
    per row, in list order. When ``combined`` is given, the print PDF of all
    issued certificates, in list order, is written as they come and moved
    into place once the iterator is exhausted. ``formats`` may add ``"elm"``
    and ``"ob3"``: the same record's exports, written beside the PDF
    (:mod:`unadocs.export.write`). ``template`` is a directory holding a
    restyled copy of ``templates/certificate``.

    ``executor`` (any :class:`concurrent.futures.Executor`: a
    ``ProcessPoolExecutor``, or a Dask cluster's ``Client.get_executor()``)
    runs the chunks of learners; without one they run in this process. At
    most ``window`` chunks are in flight. ``out_dir/manifest.jsonl`` records
    each finished learner, so that running the same call again after a crash
    skips them (a changed row is issued again), and ``out_dir/errors.csv``
    lists the bad rows (row, learner_id, reason). See :mod:`~unadocs.certificate.batch`.
    """
    from unadocs.certificate.batch import run
    from unadocs.certificate.render import check_template

    check_signer(consortium, signer)
    template_directory = Path(template) if template is not None else None
    if template_directory is not None:
        check_template(template_directory)
    if isinstance(learners_source, str | Path):
        rows: Iterator[LearnerRow] = read_learners(learners_source)
    else:
        rows = learner_rows(learners_source)
    first = next(rows, None)  # reads the header: a missing column is raised here, before any file
    directory = Path(out_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UnadocsError(f"{directory}: cannot create the output directory ({exc.strerror})") from None
    all_rows = rows if first is None else _chain(first, rows)
    return run(consortium, all_rows, signer, directory, Path(combined) if combined is not None else None,
               tuple(formats), template_directory, executor, max(1, window))


def _chain(first: LearnerRow, rest: Iterator[LearnerRow]) -> Iterator[LearnerRow]:
    yield first
    yield from rest


def write_combined(pdfs: Iterable[Path], target: Path) -> None:
    """One print-ready PDF of the given certificates, in order, each starting on an odd page.

    Written incrementally (flat memory) and atomically, with a deterministic file id.
    """
    from unadocs.certificate.combined import CombinedPdf

    with CombinedPdf(target) as print_file:
        for path in pdfs:
            print_file.add(path)
