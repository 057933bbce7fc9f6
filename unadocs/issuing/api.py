"""Issuing certificates and exports: the functions a user calls.

:func:`render_certificate` makes one PDF in memory. :func:`issue_certificates`
runs a learner list into a directory: every good row gives
``DIR/<name>.pdf`` and ``DIR/<name>.json`` (the same canonical record that is
embedded and hashed), every bad row a failed :class:`IssueResult` with its
row and reason, and the good rows are issued whatever the bad ones.
:func:`export_credentials` does the same for the ELM and Open Badges
documents alone.

Everything that would make the whole run wrong (a key of another issuer, an
unreadable list, a missing column, a directory in use by another run) is
raised before the first file is written.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from concurrent.futures import Executor
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from unadocs.errors import LearnerError, SealError, UnadocsError
from unadocs.issuing.run import RUN_FILES, Run, RunOptions, close_rows, seal_record, signed_ob3
from unadocs.load.learners import ListLayout, ListSurvey, LearnerRow, learner_rows, read_learners, survey_learners
from unadocs.model import Consortium, Learner
from unadocs.record import CertificateRecord, build_record

if TYPE_CHECKING:
    from unadocs.certificate.render import Sealed
    from unadocs.seal.eseal import ESeal
    from unadocs.seal.keys import Signer

__all__ = ["EXPORT_FORMATS", "FORMATS", "export_credentials", "issue_certificates", "parse_formats",
           "ob3_jwt", "render_certificate", "sealed_certificate"]

#: Every output of ``unadocs certificates --formats``, in the order they are written.
FORMATS = ("pdf", "elm", "ob3")
#: The formats ``unadocs export`` writes without a PDF.
EXPORT_FORMATS = ("elm", "ob3")


def parse_formats(text: str, allowed: Collection[str] = FORMATS) -> tuple[str, ...]:
    """``"pdf,elm"`` as ``("pdf", "elm")`` in canonical order; :class:`UnadocsError` for an unknown name."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown or not names:
        problem = f"unknown format {unknown[0]!r}" if unknown else "no format given"
        raise UnadocsError(f"{problem}; choose from {', '.join(allowed)}")
    return tuple(f for f in FORMATS if f in names)


def sealed_certificate(record: CertificateRecord, signer: Signer, verification_url: str, *,
                       sealed_on: date | None = None) -> Sealed:
    """A record sealed on ``sealed_on`` (default :func:`~unadocs.seal.sealing.sealing_day`), ready to render:
    its verification link and the link's QR code. :class:`SealError` when the key may not seal it."""
    from unadocs.seal.sealing import sealing_day

    return seal_record(record, signer, verification_url, sealing_day() if sealed_on is None else sealed_on)[0]


def ob3_jwt(record: CertificateRecord, signer: Signer, *, sealed_on: date | None = None) -> str:
    """The record's Open Badges 3.0 credential signed as a VC-JWT with the issuer's key, in memory.

    It carries the same seal payload as the certificate's QR code, sealed on
    ``sealed_on`` (default :func:`~unadocs.seal.sealing.sealing_day`).
    """
    from unadocs.seal.sealing import check_key_dates, check_signer, payload_for, sealing_day

    day = sealing_day() if sealed_on is None else sealed_on
    check_signer(record.issuer.id, signer)
    check_key_dates(signer, record.issued, day)
    return signed_ob3(record, signer, payload_for(record, signer, day))


def render_certificate(
    consortium: Consortium, learner: Learner, signer: Signer, *, template: str | Path | None = None,
    sealed_on: date | None = None, eseal: ESeal | None = None, eseal_any_subject: bool = False,
) -> bytes:
    """One learner's certificate as PDF bytes; raises :class:`LearnerError` for an unusable learner.

    ``template`` is a directory holding a restyled copy of
    ``templates/certificate``; ``sealed_on`` the day of sealing (default:
    :func:`~unadocs.seal.sealing.sealing_day`). ``eseal`` (from
    :func:`~unadocs.seal.eseal.load_eseal`) adds the university's PAdES seal,
    which must be the issuer's own unless ``eseal_any_subject``. The same path
    as a batch, with one learner.
    """
    from unadocs.certificate.render import certificate_pdfs
    from unadocs.seal.sealing import check_signer

    check_signer(consortium.certificate.issuer, signer)
    eseal = _checked(consortium, eseal, eseal_any_subject)
    record = build_record(consortium, learner)
    try:
        item = sealed_certificate(record, signer, consortium.certificate.verification_url, sealed_on=sealed_on)
    except SealError as exc:
        raise LearnerError(str(exc), None, learner.learner_id) from None
    (pdf,) = certificate_pdfs([item], Path(template) if template is not None else None)
    if isinstance(pdf, LearnerError):
        raise pdf
    if eseal is None:
        return pdf
    from unadocs.seal.pades import seal_pdf
    from unadocs.seal.sealing import sealing_time

    with eseal.open() as seal:
        return seal_pdf(seal, pdf, sealing_time())


def _checked(consortium: Consortium, eseal: ESeal | None, any_subject: bool) -> ESeal | None:
    """The eSeal checked against the certificates' issuer and the time of sealing, before anything is made."""
    if eseal is None:
        return None
    from unadocs.seal.eseal import check_eseal
    from unadocs.seal.sealing import sealing_time

    return check_eseal(eseal, consortium.issuer, sealing_time(), any_subject=any_subject)


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
    sealed_on: date | None = None,
    layout: ListLayout | None = None,
    combined_new: bool = False,
    withdraw_missing: bool = False,
    eseal: ESeal | None = None,
    eseal_any_subject: bool = False,
) -> Run:
    """Issue a certificate to every learner of a CSV/XLSX file (or an iterable of :class:`Learner`).

    Checks the key, the learner file's columns and the key's validity on the
    list's dates now, before writing anything, and returns a :class:`Run`
    that yields one :class:`IssueResult` per row, in list order. When
    ``combined`` is given, the print PDF of the certificates, in list order,
    is written as they come and moved into place once the run is exhausted
    (``combined_new``: only those issued by this run, for printing the
    corrections). ``formats`` may add ``"elm"`` and ``"ob3"``: the same
    record's exports, written beside the PDF. ``template`` is a directory
    holding a restyled copy of ``templates/certificate``; ``layout`` says how
    to read the list (header row, column map, date format).

    ``executor`` (any :class:`concurrent.futures.Executor`: a
    ``ProcessPoolExecutor``, or a Dask cluster's ``Client.get_executor()``)
    runs the chunks of learners; without one they run in this process. At
    most ``window`` chunks are in flight. ``out_dir/manifest.jsonl`` records
    each finished learner, so that running the same call again after a crash
    skips them (a changed row is issued again); ``out_dir/errors.csv`` lists
    the bad rows and ``out_dir/links.csv`` each learner's verification link
    and e-mail, for a mail merge.

    ``sealed_on`` is the day of sealing (default: today, or
    ``SOURCE_DATE_EPOCH``). A learner issued into ``out_dir`` before whose
    certificate now says something else gets a new certificate whose
    :attr:`IssueResult.supersedes` names the earlier one (the run's
    :attr:`Run.superseded` lists them). Learners with files in ``out_dir`` who
    are not in the list are :attr:`Run.missing`; ``withdraw_missing`` moves
    their files to ``out_dir/withdrawn/``.

    ``eseal`` (from :func:`~unadocs.seal.eseal.load_eseal` or
    :func:`~unadocs.seal.eseal.load_eseal_pkcs11`) seals each PDF with the
    university's PAdES seal and, with ``"elm"``, each ELM credential with a
    JAdES seal (``<learner_id>.elm.jades.json``). Its certificate must name
    the issuer (:func:`~unadocs.seal.eseal.check_eseal`) unless
    ``eseal_any_subject``, and be valid now; that is checked before anything
    is written.
    """
    from unadocs.certificate.render import check_template

    if "pdf" not in formats:
        raise UnadocsError("issue_certificates always writes the PDF; use export_credentials for the exports alone")
    template_directory = Path(template) if template is not None else None
    if template_directory is not None:
        check_template(template_directory)
    options = RunOptions(tuple(f for f in FORMATS if f in formats), Path(combined) if combined is not None else None,
                         combined_new, template_directory, executor, max(1, window), withdraw_missing,
                         _checked(consortium, eseal, eseal_any_subject))
    return _start(consortium, learners_source, signer, out_dir, sealed_on, layout, options)


def export_credentials(consortium: Consortium, learners_source: str | Path | Iterable[Learner], out_dir: str | Path,
                       formats: Collection[str], signer: Signer | None = None, *,
                       sealed_on: date | None = None, layout: ListLayout | None = None, eseal: ESeal | None = None,
                       eseal_any_subject: bool = False) -> Run:
    """Export every learner of a CSV/XLSX file (or an iterable of learners) without issuing PDFs.

    ``formats`` is ``elm`` and/or ``ob3``; ``ob3`` is signed, so it needs the
    issuer's ``signer``. ``eseal`` seals each ELM credential with the
    university's eIDAS seal (JAdES, ``<learner_id>.elm.jades.json`` beside
    the ``.elm.jsonld``). The key, the seal, the formats and the file's
    columns are checked before anything is written; a bad row gives a failed
    :class:`IssueResult` and the good rows are still exported.
    """
    unknown = set(formats) - set(EXPORT_FORMATS)
    if unknown or not formats:
        raise UnadocsError(f"cannot export {', '.join(sorted(unknown)) or 'nothing'}; "
                           f"choose from {', '.join(EXPORT_FORMATS)}")
    if "ob3" in formats and signer is None:
        raise SealError("the Open Badges credential is signed: give the issuer's key (--key)")
    if eseal is not None and "elm" not in formats:
        raise SealError("the eSeal seals the ELM credential (JAdES); the Open Badges credential is signed with the "
                        "issuer's key: export elm to seal it")
    options = RunOptions(tuple(f for f in FORMATS if f in formats),
                         eseal=_checked(consortium, eseal, eseal_any_subject))
    return _start(consortium, learners_source, signer, out_dir, sealed_on, layout, options)


def _start(consortium: Consortium, learners_source: str | Path | Iterable[Learner], signer: Signer | None,
           out_dir: str | Path, sealed_on: date | None, layout: ListLayout | None, options: RunOptions) -> Run:
    """Everything a run checks before its first file, then the run itself."""
    from unadocs.seal.sealing import check_signer, sealing_day

    if signer is not None:
        check_signer(consortium.certificate.issuer, signer)
    day = sealing_day() if sealed_on is None else sealed_on
    directory = Path(out_dir)
    target = options.combined
    if target is not None and target.resolve().parent == directory.resolve() and target.name in RUN_FILES:
        raise UnadocsError(f"--combined {target}: that is the run's own {target.name}; choose another name")
    if not isinstance(learners_source, str | Path):
        learners_source = list(learners_source)  # read twice: once to check the key on its dates
    survey = survey_learners(learners_source, layout)  # a missing column is raised here, before any file
    if signer is not None:
        check_key_for_dates(signer, survey, day)
    rows: Iterator[LearnerRow] = (read_learners(learners_source, layout) if isinstance(learners_source, str | Path)
                                  else learner_rows(learners_source))
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        close_rows(rows)
        raise UnadocsError(f"{directory}: cannot create the output directory ({exc.strerror})") from None
    return Run(consortium, rows, signer, directory, day, options, total=survey.rows)


def check_key_for_dates(signer: Signer, survey: ListSurvey, sealed_on: date) -> None:
    """One error, before anything is written, when the key can seal none of the list's learners, with the fix.

    When it can seal some of them, the others fail row by row, as any bad row does.
    """
    from unadocs.seal.sealing import check_key_dates

    refused: dict[date, str] = {}
    for day in sorted(survey.issued):
        try:
            check_key_dates(signer, day, sealed_on)
        except SealError as exc:
            refused[day] = str(exc)
    if not refused or len(refused) < len(survey.issued):
        return
    first, last = min(refused), max(refused)
    span = f"{first}" if first == last else f"{first} to {last}"
    reason = refused[first] if first < sealed_on else refused[last]
    raise SealError(f"none of the {survey.learners} learners can be sealed: they are issued {span}, and {reason}")
