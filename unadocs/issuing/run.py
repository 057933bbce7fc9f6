"""One issuing run: learners in chunks over any executor, in list order, resumable, in flat memory.

The learner list is read as a stream. Each good row gets its file names
(:mod:`~unadocs.issuing.names`: never another learner's) and is grouped with
others in chunks of :data:`CHUNK`; each chunk is one task
(:func:`issue_chunk`: build the records, seal them, render the PDFs, make the
exports, write the files) that runs in this process or on any
:class:`concurrent.futures.Executor` (a process pool, or a Dask cluster's
``Client.get_executor()``). At most ``window`` chunks are in flight, and
results are taken in list order, so memory does not grow with the cohort.

As results come in (in order), this process appends each finished learner to
the manifest (:mod:`~unadocs.issuing.manifest`), each bad row to
``DIR/errors.csv``, and each certificate to the print file. The run holds a
lock on ``DIR`` from start to end, so that two runs never write into it at
once.

A learner issued into ``DIR`` before is issued again only when something it
is made from changed. If the certificate now says something else (a
corrected name), it is a new certificate with a new credential id that
records the one it **supersedes**; the caller is told, so that the earlier
one can be revoked.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import deque
from collections.abc import Generator, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unadocs.errors import LearnerError, SealError, UnadocsError
from unadocs.files import DEFERRED_FLUSH, DirectoryLock, atomic_write, flush_to_disk, new_temporary
from unadocs.issuing.manifest import MANIFEST, Entry, Manifest
from unadocs.filenames import learner_files
from unadocs.issuing.names import FileNames
from unadocs.issuing.reports import ERRORS, CsvReport
from unadocs.record import CertificateRecord, build_record, facts_digest

if TYPE_CHECKING:
    from unadocs.certificate.combined import CombinedPdf
    from unadocs.certificate.render import Sealed
    from unadocs.load.learners import LearnerRow
    from unadocs.model import Consortium, Learner
    from unadocs.seal.eseal import ESeal
    from unadocs.seal.keys import Signer
    from unadocs.seal.payload import Payload

__all__ = ["CHUNK", "LINKS", "RUN_FILES", "WITHDRAWN", "IssueResult", "Run", "RunOptions", "Superseded"]

#: Learners per task: enough to make a task's overhead small, few enough to spread over workers.
CHUNK = 32


@dataclass(frozen=True)
class IssueResult:
    """The outcome for one learner row: the files written (or kept), or why none were."""

    row: int | None
    learner_id: str | None
    files: tuple[Path, ...] = ()
    """The learner's files: the PDF and its JSON record (unless an export-only run), then the exports."""
    credential_id: str | None = None
    reason: str | None = None
    skipped: bool = False
    """True when an earlier run issued the same certificate from the same inputs: kept as it was."""
    supersedes: str | None = None
    """The credential id of the learner's earlier certificate that this one corrects; revoke that one."""
    link: str | None = None
    """The certificate's verification link."""
    email: str | None = None
    """The learner's e-mail address from the list, to send the certificate to (never printed or embedded)."""

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def pdf(self) -> Path | None:
        return next((p for p in self.files if p.name.endswith(".pdf")), None)

    @property
    def json(self) -> Path | None:
        return next((p for p in self.files if p.name.endswith(".json")
                     and not p.name.endswith((".ob3.json", ".jades.json"))), None)

    @property
    def exports(self) -> tuple[Path, ...]:
        """The ELM and Open Badges files written beside the PDF."""
        return tuple(p for p in self.files if p != self.pdf and p != self.json)

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "learner"
        who = f" ({self.learner_id})" if self.learner_id else ""
        shown = self.pdf or (self.files[0] if self.files else None)
        return f"{where}{who}: {shown}" if self.ok else f"{where}{who}: {self.reason}"


@dataclass(frozen=True)
class Superseded:
    """A certificate that a corrected one replaced in this run, to be revoked."""

    learner_id: str
    credential_id: str
    superseded_by: str


@dataclass(frozen=True)
class SigningKey:
    """The issuer's key in a form that can travel to a worker process (or a Dask worker).

    A :class:`~unadocs.seal.keys.Signer` holds a live key object that cannot
    be pickled. Only workers that the issuer runs should receive it.
    """

    seed: bytes = field(repr=False)  # never in a traceback or a log
    issuer: str
    valid_from: date | None
    valid_until: date | None
    revoked_since: date | None

    @classmethod
    def of(cls, signer: Signer) -> SigningKey:
        return cls(signer.seed(), signer.issuer, signer.valid_from, signer.valid_until, signer.revoked_since)

    def signer(self) -> Signer:
        from unadocs.seal.keys import Signer

        return Signer.from_seed(self.seed, self.issuer, valid_from=self.valid_from, valid_until=self.valid_until,
                                revoked_since=self.revoked_since)


@dataclass(frozen=True)
class Job:
    """One learner to issue: where from, what from, under which name, and what was issued to them before."""

    row: int
    learner: Learner
    input_hash: str
    stem: str
    previous: Entry | None


@dataclass(frozen=True)
class Task:
    """One chunk of learners and everything needed to issue them anywhere."""

    consortium: Consortium
    key: SigningKey | None
    """None for an export of unsigned documents only (ELM)."""
    directory: str
    formats: tuple[str, ...]
    template: str | None
    sealed_on: date
    jobs: tuple[Job, ...]
    eseal: ESeal | None = None
    """The university's eIDAS seal, applied last: PAdES on each PDF, JAdES on each ELM credential."""


@dataclass(frozen=True)
class Outcome:
    result: IssueResult
    entry: Entry | None


def issue_chunk(task: Task) -> list[Outcome]:
    """Issue one chunk: build, seal and render every learner, make the exports, apply the university's eSeal
    (when there is one) and write the files of the good ones."""
    from unadocs.certificate.render import Sealed, certificate_pdfs

    signer = task.key.signer() if task.key is not None else None
    sealed: list[tuple[Job, Sealed, Payload | None] | Outcome] = []
    for job in task.jobs:
        try:
            sealed.append((job, *_sealed(job, task, signer)))
        except (LearnerError, SealError) as exc:
            sealed.append(_failed(job, exc))
    good = [item for item in sealed if not isinstance(item, Outcome)]
    pdfs: list[bytes | LearnerError | None] = [None] * len(good)
    if "pdf" in task.formats and good:
        template = Path(task.template) if task.template is not None else None
        pdfs = list(certificate_pdfs([item for _, item, _ in good], template))
    rendered = iter(pdfs)
    documents: list[Document | Outcome] = []
    for entry in sealed:
        if isinstance(entry, Outcome):
            documents.append(entry)
            continue
        job, item, payload = entry
        pdf = next(rendered)
        try:
            if isinstance(pdf, LearnerError):
                raise pdf
            documents.append(Document(job, item, _files(job, item.record, payload, pdf, task, signer)))
        except (LearnerError, SealError) as exc:
            documents.append(_failed(job, exc))
    if task.eseal is not None:
        documents = _with_eseal(documents, task.eseal)
    return [d if isinstance(d, Outcome) else _write(d, task) for d in documents]


@dataclass(frozen=True)
class Document:
    """A learner's files, made and not yet written: (file name, bytes), the PDF first."""

    job: Job
    item: Sealed
    files: list[tuple[str, bytes]]


def _with_eseal(documents: list[Document | Outcome], eseal: ESeal) -> list[Document | Outcome]:
    """Each learner's PDF sealed (PAdES, in the PDF) and ELM credential sealed (JAdES, a file of its own beside
    the ``.elm.jsonld``), all at one time with one opening of the key; a learner whose seal fails, fails."""
    from unadocs.seal.jades import seal_jsons
    from unadocs.seal.pades import seal_pdfs
    from unadocs.seal.sealing import sealing_time

    made = [d for d in documents if isinstance(d, Document)]
    pdfs = [data for d in made for name, data in d.files if name.endswith(".pdf")]
    credentials = [data for d in made for name, data in d.files if name.endswith(".elm.jsonld")]
    try:
        with eseal.open() as seal:
            when = sealing_time()
            sealed_pdfs, sealed_credentials = iter(seal_pdfs(seal, pdfs, when)), iter(seal_jsons(seal, credentials,
                                                                                               when))
    except SealError as exc:
        return [d if isinstance(d, Outcome) else _failed(d.job, exc) for d in documents]
    out: list[Document | Outcome] = []
    for document in documents:
        if isinstance(document, Outcome):
            out.append(document)
            continue
        files: list[tuple[str, bytes] | SealError] = []
        for name, data in document.files:
            if name.endswith(".pdf"):
                files.append(_named(name, next(sealed_pdfs)))
            elif name.endswith(".elm.jsonld"):
                files += [(name, data), _named(name.removesuffix(".elm.jsonld") + ".elm.jades.json",
                                               next(sealed_credentials))]
            else:
                files.append((name, data))
        failure = next((f for f in files if isinstance(f, SealError)), None)
        out.append(_failed(document.job, failure) if failure is not None else
                   Document(document.job, document.item, [f for f in files if not isinstance(f, SealError)]))
    return out


def _named(name: str, sealed: bytes | SealError) -> tuple[str, bytes] | SealError:
    return sealed if isinstance(sealed, SealError) else (name, sealed)


def _sealed(job: Job, task: Task, signer: Signer | None) -> tuple[Sealed, Payload | None]:
    """The learner's record sealed on the run's day; without a signer (an unsigned export), the record alone."""
    from unadocs.certificate.render import Sealed

    record = _record(task.consortium, job)
    if signer is None:
        return Sealed(record, "", b""), None
    return seal_record(record, signer, task.consortium.certificate.verification_url, task.sealed_on,
                       qr="pdf" in task.formats)


def seal_record(record: CertificateRecord, signer: Signer, verification_url: str, sealed_on: date, *,
                qr: bool = True) -> tuple[Sealed, Payload]:
    """A record sealed on ``sealed_on``, ready to render (its verification link and, with ``qr``, the link's
    QR code), and its seal payload. :class:`SealError` when the key may not seal it."""
    from unadocs.certificate.render import Sealed
    from unadocs.seal.payload import seal, verification_link
    from unadocs.seal.qr import qr_png
    from unadocs.seal.sealing import check_key_dates, payload_for

    check_key_dates(signer, record.issued, sealed_on)
    payload = payload_for(record, signer, sealed_on)
    link = verification_link(verification_url, seal(payload, signer))
    return Sealed(record, link, qr_png(link) if qr else b""), payload


def _failed(job: Job, exc: UnadocsError) -> Outcome:
    reason = exc.reason if isinstance(exc, LearnerError) else str(exc)
    return Outcome(IssueResult(job.row, job.learner.learner_id, reason=reason), None)


def _record(consortium: Consortium, job: Job) -> CertificateRecord:
    """The learner's record; when they were issued before, it supersedes that certificate if it says otherwise."""
    record = build_record(consortium, job.learner, row=job.row)
    previous = job.previous
    if previous is None or previous.credential_id == record.credential_id:
        return record
    if previous.facts == facts_digest(record.model_dump(mode="json")):  # the same facts: no correction
        return build_record(consortium, job.learner, row=job.row, supersedes=previous.supersedes)
    return build_record(consortium, job.learner, row=job.row, supersedes=previous.credential_id)


def _files(job: Job, record: CertificateRecord, payload: Payload | None, pdf: bytes | None, task: Task,
           signer: Signer | None) -> list[tuple[str, bytes]]:
    """The learner's files, in the order results list them: the PDF and its record, then the exports."""
    files: list[tuple[str, bytes]] = []
    if pdf is not None:
        files += [(f"{job.stem}.pdf", pdf), (f"{job.stem}.json", record.canonical_json())]
    return files + _exports(record, payload, job.stem, task.formats, signer)


def _write(document: Document, task: Task) -> Outcome:
    """Write every file of a learner, the PDF last (a PDF in place means the rest is too)."""
    job, record, shown = document.job, document.item.record, document.files
    allowed = set(learner_files(job.stem))
    if any(name not in allowed for name, _ in shown):  # names.py guarantees this; a second lock on the door
        raise UnadocsError(f"refusing to write outside the learner's own files: {job.learner.learner_id!r}")
    directory = Path(task.directory)
    for name, data in shown[1:] + shown[:1]:
        # Flushed to the disk once, at the end of the run (files.flush_to_disk); a resumed run checks them anyway.
        atomic_write(directory / name, data, durable=not DEFERRED_FLUSH)
    facts = facts_digest(record.model_dump(mode="json"))
    link = document.item.link or None
    entry = Entry(job.learner.learner_id, job.input_hash, hashlib.sha256(shown[0][1]).hexdigest(),
                  record.credential_id, tuple(name for name, _ in shown), record.supersedes, link, facts)
    result = IssueResult(job.row, job.learner.learner_id, tuple(directory / name for name, _ in shown),
                         record.credential_id, supersedes=record.supersedes, link=link, email=job.learner.email)
    return Outcome(result, entry)


def _exports(record: CertificateRecord, payload: Payload | None, stem: str, formats: tuple[str, ...],
             signer: Signer | None) -> list[tuple[str, bytes]]:
    """The ELM and Open Badges documents of a record, as (file name, bytes)."""
    out: list[tuple[str, bytes]] = []
    if "elm" in formats:
        from unadocs.export.elm import elm_credential

        out.append((f"{stem}.elm.jsonld", _json(elm_credential(record))))
    if "ob3" in formats and payload is not None and signer is not None:
        from unadocs.export.ob3 import ob3_credential

        out.append((f"{stem}.ob3.json", _json(ob3_credential(record))))
        out.append((f"{stem}.ob3.jwt", (signed_ob3(record, signer, payload) + "\n").encode("ascii")))
    return out


def signed_ob3(record: CertificateRecord, signer: Signer, payload: Payload) -> str:
    """The record's Open Badges credential as a VC-JWT signed by ``signer``, carrying the seal ``payload``."""
    from unadocs.export.ob3 import ob3_credential
    from unadocs.seal.vcjwt import sign_vc_jwt

    credential = ob3_credential(record)
    return sign_vc_jwt(credential, signer, issuer=credential["issuer"]["id"], payload=payload)


def _json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def run_fingerprint(consortium: Consortium, signer: Signer | None, template: Path | None, formats: tuple[str, ...],
                    eseal: ESeal | None = None) -> str:
    """What every certificate of a run is made from, besides its row: spec, key, template, formats, the
    versions of unadocs and its renderer (an upgrade issues again rather than mix two versions in one folder)
    and the eSeal: its certificate and timestamp server, and the pyHanko that builds its signatures (a run
    with another seal, or none, issues again)."""
    from importlib.metadata import version

    from unadocs._version import __version__
    from unadocs.certificate.render import template_fingerprint

    parts: dict[str, Any] = {
        "spec": hashlib.sha256(consortium.model_dump_json().encode("utf-8")).hexdigest(),
        "key": signer.key_id if signer is not None else None,
        "template": template_fingerprint(template) if "pdf" in formats else None,
        "formats": sorted(formats),
        "unadocs": __version__,
        "weasyprint": version("weasyprint") if "pdf" in formats else None,
    }
    if eseal is not None:  # only then: a folder issued without one keeps its fingerprint
        parts["eseal"] = {"certificate": eseal.fingerprint, "tsa": eseal.tsa, "pyhanko": version("pyhanko")}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def input_hash(learner: Learner, fingerprint: str) -> str:
    """The hash the manifest keeps for a learner: the row's content and the run's fingerprint."""
    row = json.dumps(learner.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{fingerprint}\n{row}".encode()).hexdigest()


def remove_stale_temporaries(directory: Path, *others: Path) -> None:
    """Delete the temporary files a killed run left (``.<name>.<random>.tmp``); they are never complete files."""
    for path in directory.glob(".*.tmp"):
        path.unlink(missing_ok=True)
    for target in others:
        for path in target.parent.glob(f".{target.name}.*.tmp"):
            path.unlink(missing_ok=True)


#: Where the files of learners who left the list go (``--withdraw-missing``), and the list of links.
WITHDRAWN = "withdrawn"
LINKS = "links.csv"
#: The files a run keeps in its directory; no learner's file, and not the print file, may take their names.
RUN_FILES = (MANIFEST, ERRORS, LINKS, DirectoryLock.NAME, WITHDRAWN)


def _fixed_names(directory: Path, combined: Path | None) -> list[str]:
    """The run's own files in ``directory``, which no learner's file may take."""
    names = list(RUN_FILES)
    if combined is not None and combined.parent.resolve() == directory.resolve():
        names.append(combined.name)
    return names


@dataclass(frozen=True)
class RunOptions:
    """How a run writes its outputs (see :func:`unadocs.issuing.issue_certificates` for each)."""

    formats: tuple[str, ...] = ("pdf",)
    combined: Path | None = None
    combined_new: bool = False
    """The print file holds only the certificates issued by this run, not those kept from an earlier one."""
    template: Path | None = None
    executor: Executor | None = None
    window: int = 8
    withdraw_missing: bool = False
    """Move the files of learners who are no longer in the list to ``DIR/withdrawn/``."""
    eseal: ESeal | None = None
    """The university's eIDAS seal, applied to every PDF and ELM credential last. The print file takes the
    certificates as rendered, before the seal: a seal covers one file and cannot survive being merged into
    another."""


class Run(Iterator[IssueResult]):
    """One issuing run: iterate it for one :class:`IssueResult` per row, in list order.

    The run starts at the first ``next()``: it takes the folder's lock, then
    issues the rows as they are read. Once it is exhausted, its attributes say
    what else it did: :attr:`superseded` (earlier certificates that corrected
    ones replaced: revoke them), :attr:`missing` (learners with files in the
    folder who are not in the list) and :attr:`withdrawn` (those of them whose
    files were moved to ``DIR/withdrawn/``). :attr:`total` is the number of
    rows when it is known beforehand (for progress).
    """

    def __init__(self, consortium: Consortium, rows: Iterator[LearnerRow], signer: Signer | None, directory: Path,
                 sealed_on: date, options: RunOptions, total: int | None = None) -> None:
        self.total = total
        self.superseded: list[Superseded] = []
        self.missing: list[str] = []
        self.withdrawn: list[str] = []
        self._results = self._run(consortium, rows, signer, directory, sealed_on, options)

    def __next__(self) -> IssueResult:
        return next(self._results)

    def close(self) -> None:
        """Stop the run early: release the folder and the learner list (a run that ends does so itself)."""
        self._results.close()

    def _run(self, consortium: Consortium, rows: Iterator[LearnerRow], signer: Signer | None, directory: Path,
             sealed_on: date, options: RunOptions) -> Generator[IssueResult, None, None]:
        from unadocs.certificate.combined import CombinedPdf

        lock = DirectoryLock(directory, f"unadocs (process {os.getpid()})")
        try:
            lock.acquire()
            remove_stale_temporaries(directory, *([options.combined] if options.combined is not None else []))
            fingerprint = run_fingerprint(consortium, signer, options.template, options.formats, options.eseal)
            key = SigningKey.of(signer) if signer is not None else None
            manifest = Manifest(directory)
            names = FileNames(_fixed_names(directory, options.combined))
            for learner_id in manifest.learner_ids:
                entry = manifest.latest(learner_id)
                if entry is not None:
                    names.hold(learner_id, entry.files, "issued into this folder before")
            errors = CsvReport(directory / ERRORS, ["row", "learner_id", "reason"])
            links = CsvReport(directory / LINKS, ["learner_id", "email", "link"])
            print_file = CombinedPdf(options.combined) if options.combined is not None else None
        except BaseException:
            close_rows(rows)
            lock.release()
            raise
        pending: deque[Future[list[Outcome]] | list[Outcome]] = deque()
        chunk: list[Job] = []
        listed: set[str] = set()

        def submit() -> None:
            if not chunk:
                return
            task = Task(consortium, key, str(directory), options.formats,
                        str(options.template) if options.template else None, sealed_on, tuple(chunk), options.eseal)
            chunk.clear()
            executor = options.executor
            pending.append(executor.submit(issue_chunk, task) if executor is not None else issue_chunk(task))

        def take(block: bool) -> Iterator[IssueResult]:
            while pending and (block or isinstance(pending[0], list) or len(pending) > options.window):
                head = pending.popleft()
                for outcome in head if isinstance(head, list) else head.result():
                    result = outcome.result
                    if outcome.entry is not None:
                        manifest.record(outcome.entry)
                    if not result.ok:
                        errors.add(result.row, result.learner_id, result.reason)
                    else:
                        links.add(result.learner_id, result.email or "", result.link or "")
                        if print_file is not None and result.pdf is not None and not (
                                options.combined_new and result.skipped):
                            _print(print_file, result.pdf, sealed=options.eseal is not None)
                    if result.supersedes is not None and result.credential_id is not None and not result.skipped:
                        self.superseded.append(Superseded(result.learner_id or "", result.supersedes,
                                                          result.credential_id))
                    yield result

        completed = False
        try:
            for row in rows:
                if row.learner_id is not None:
                    listed.add(row.learner_id)
                done = _settled(row, manifest, names, fingerprint, directory, chunk)
                if done is None:
                    if len(chunk) >= CHUNK:
                        submit()
                else:
                    submit()  # the chunk before this row, so that results stay in list order
                    pending.append([Outcome(done, None)])
                yield from take(block=False)
            submit()
            yield from take(block=True)
            self.missing = [learner_id for learner_id in manifest.learner_ids if learner_id not in listed]
            if options.withdraw_missing:
                self.withdrawn = withdraw(manifest, self.missing)
            completed = True
        finally:
            for future in pending:
                if isinstance(future, Future):
                    future.cancel()
            try:
                flush_to_disk()  # the learners' files, before the manifest that vouches for them
                manifest.close()
                for report in (errors, links):
                    report.close() if completed else report.abort()
                if print_file is not None:
                    print_file.close() if completed and print_file.certificates else print_file.abort()
            finally:
                close_rows(rows)
                lock.release()


def withdraw(manifest: Manifest, learner_ids: list[str]) -> list[str]:
    """Move the files of learners who left the list to ``DIR/withdrawn/`` (never deleting, never overwriting),
    and record it in the manifest; return the learners moved."""
    folder = manifest.directory / WITHDRAWN
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise UnadocsError(f"{folder}: cannot create the folder for withdrawn certificates ({exc.strerror})") from None
    if folder.is_symlink() or not folder.is_dir():
        raise UnadocsError(f"{folder} is not a folder; unadocs never writes through a link: remove it")
    moved = []
    for learner_id in learner_ids:
        entry = manifest.latest(learner_id)
        if entry is None:
            continue
        for name in entry.files:
            source = manifest.directory / name
            if source.is_file() and not source.is_symlink():
                os.replace(source, _free_name(folder, name))
        manifest.withdraw(learner_id)
        moved.append(learner_id)
    return moved


def _free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``folder/name.1``, ``.2``... when a withdrawn file of that name is already there."""
    target, n = folder / name, 0
    while target.exists() or target.is_symlink():
        n += 1
        target = folder / f"{name}.{n}"
    return target


def _print(print_file: CombinedPdf, pdf: Path, *, sealed: bool) -> None:
    """Add a certificate to the print file; a sealed one as it was before its seal, the last update of the file."""
    if not sealed:
        print_file.add(pdf)
        return
    data = pdf.read_bytes()
    end = data.rfind(b"%%EOF", 0, len(data.rstrip()) - len(b"%%EOF"))
    if end < 0:
        raise UnadocsError(f"{pdf}: not a sealed certificate; remove it and run again")
    temporary, handle = new_temporary(print_file.target)
    try:
        with handle:
            handle.write(data[: end + len(b"%%EOF")] + b"\n")
        print_file.add(temporary)
    finally:
        temporary.unlink(missing_ok=True)


def close_rows(rows: Iterator[LearnerRow]) -> None:
    """Close a learner list being read (its file), when a run ends or stops early."""
    close = getattr(rows, "close", None)
    if close is not None:
        close()


def _settled(row: LearnerRow, manifest: Manifest, names: FileNames, fingerprint: str, directory: Path,
             chunk: list[Job]) -> IssueResult | None:
    """The result of a row that needs no issuing (a bad row, or one already issued), else None after adding
    its job to ``chunk``."""
    if row.error is not None or row.learner is None:
        return IssueResult(row.row, row.learner_id, reason=row.error.reason if row.error else "no learner")
    learner = row.learner
    try:
        stem = names.claim(learner.learner_id, f"row {row.row}", row.row)
    except LearnerError as exc:
        return IssueResult(row.row, learner.learner_id, reason=exc.reason)
    expected = input_hash(learner, fingerprint)
    entry = manifest.finished(learner.learner_id, expected)
    if entry is not None:
        return IssueResult(row.row, learner.learner_id, tuple(directory / name for name in entry.files),
                           entry.credential_id, skipped=True, supersedes=entry.supersedes, link=entry.link,
                           email=learner.email)
    chunk.append(Job(row.row, learner, expected, stem, manifest.latest(learner.learner_id)))
    return None
