"""Issuing a cohort: learners in chunks over any executor, in list order, resumable, in flat memory.

The learner list is read as a stream. Rows are grouped in chunks of
:data:`CHUNK` good rows; each chunk is one task (:func:`issue_chunk`: seal,
render through :func:`~unadocs.certificate.render.certificate_pdfs`, write
the files) that runs in this process or on any
:class:`concurrent.futures.Executor` (a process pool, or a Dask cluster's
``Client.get_executor()``). At most ``window`` chunks are in flight, and
results are taken in list order, so memory does not grow with the cohort.

As results come in (in order), this process appends each finished learner to
the manifest (:mod:`~unadocs.certificate.manifest`), each bad row to
``DIR/errors.csv``, and each certificate to the print file
(:mod:`~unadocs.certificate.combined`).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unadocs.certificate.files import safe_name
from unadocs.files import DEFERRED_FLUSH, atomic_write, flush_to_disk
from unadocs.certificate.manifest import Entry, Manifest
from unadocs.errors import LearnerError, SealError, UnadocsError

if TYPE_CHECKING:
    from unadocs.certificate.issue import IssueResult
    from unadocs.certificate.learners import LearnerRow
    from unadocs.model import Consortium, Learner
    from unadocs.seal.keys import Signer

__all__ = ["CHUNK", "ERRORS", "SigningKey", "issue_chunk", "run"]

#: Learners per task: enough to make a task's overhead small, few enough to spread over workers.
CHUNK = 32
ERRORS = "errors.csv"


@dataclass(frozen=True)
class SigningKey:
    """The issuer's key in a form that can travel to a worker process (or a Dask worker).

    A :class:`~unadocs.seal.keys.Signer` holds a live key object that cannot
    be pickled. Only workers that the issuer runs should receive it.
    """

    seed: bytes
    issuer: str
    valid_from: date | None
    valid_until: date | None

    @classmethod
    def of(cls, signer: Signer) -> SigningKey:
        from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

        seed = signer._key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return cls(seed, signer.issuer, signer.valid_from, signer.valid_until)

    def signer(self) -> Signer:
        from unadocs.seal.keys import Signer

        return Signer.from_seed(self.seed, self.issuer, valid_from=self.valid_from, valid_until=self.valid_until)


@dataclass(frozen=True)
class Task:
    """One chunk of good rows and everything needed to issue them anywhere."""

    consortium: Consortium
    key: SigningKey
    directory: str
    formats: tuple[str, ...]
    template: str | None
    rows: tuple[tuple[int, Learner, str], ...]
    """(row number, learner, input hash)."""


@dataclass(frozen=True)
class Outcome:
    result: IssueResult
    entry: Entry | None


def issue_chunk(task: Task) -> list[Outcome]:
    """Issue one chunk: build, seal and render every learner, write the files of the good ones."""
    from unadocs.certificate.issue import IssueResult, seal_record
    from unadocs.certificate.record import build_record
    from unadocs.certificate.render import Sealed, certificate_pdfs

    signer = task.key.signer()
    directory = Path(task.directory)
    url = task.consortium.certificate.verification_url
    sealed: list[Sealed | IssueResult] = []
    for row, learner, _ in task.rows:
        try:
            sealed.append(seal_record(build_record(task.consortium, learner, row=row), signer, url))
        except LearnerError as exc:
            sealed.append(IssueResult(row, learner.learner_id, reason=exc.reason))
        except SealError as exc:  # e.g. a name too long for the QR code's capacity
            sealed.append(IssueResult(row, learner.learner_id, reason=str(exc)))
    good = [item for item in sealed if not isinstance(item, IssueResult)]
    template = Path(task.template) if task.template is not None else None
    pdfs = iter(certificate_pdfs(good, template))
    outcomes = []
    for (row, learner, input_hash), item in zip(task.rows, sealed, strict=True):
        if isinstance(item, IssueResult):
            outcomes.append(Outcome(item, None))
            continue
        pdf = next(pdfs)
        if isinstance(pdf, LearnerError):
            outcomes.append(Outcome(IssueResult(row, learner.learner_id, reason=pdf.reason), None))
            continue
        outcomes.append(_write(item.record, pdf, row, input_hash, directory, task.formats, signer))
    return outcomes


def _write(record: Any, pdf: bytes, row: int, input_hash: str, directory: Path, formats: tuple[str, ...],
           signer: Signer) -> Outcome:
    from unadocs.certificate.issue import IssueResult

    learner_id = record.learner.learner_id
    name = safe_name(learner_id)
    pdf_path, json_path = directory / f"{name}.pdf", directory / f"{name}.json"
    for path in (pdf_path, json_path):  # safe_name already guarantees this; a second lock on the door
        if path.resolve().parent != directory.resolve():
            raise UnadocsError(f"refusing to write outside {directory}: {path}")
    exports: list[Path] = []
    if set(formats) - {"pdf"}:
        from unadocs.export.vocabularies import ExportError
        from unadocs.export.write import write_exports

        try:
            exports = write_exports(record, directory, name, formats, signer)
        except ExportError as exc:  # e.g. a language without an EU vocabulary concept
            return Outcome(IssueResult(row, learner_id, reason=str(exc)), None)
    # Flushed to the disk once, at the end of the run (files.flush_to_disk); a resumed run checks them anyway.
    atomic_write(json_path, record.canonical_json(), durable=not DEFERRED_FLUSH)
    atomic_write(pdf_path, pdf, durable=not DEFERRED_FLUSH)  # last: a PDF in place means the other files are too
    entry = Entry(learner_id, input_hash, hashlib.sha256(pdf).hexdigest(), record.credential_id,
                  tuple(p.name for p in (pdf_path, json_path, *exports)))
    result = IssueResult(row, learner_id, pdf_path, json_path, record.credential_id, exports=tuple(exports))
    return Outcome(result, entry)


def run_fingerprint(consortium: Consortium, signer: Signer, template: Path | None, formats: tuple[str, ...]) -> str:
    """What every certificate of a run is made from, besides its row: spec, key, template, formats, version."""
    from unadocs import __version__
    from unadocs.certificate.render import template_fingerprint

    parts = {
        "spec": hashlib.sha256(consortium.model_dump_json().encode("utf-8")).hexdigest(),
        "key": signer.key_id,
        "template": template_fingerprint(template),
        "formats": sorted(formats),
        "unadocs": __version__,
    }
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


class _ErrorsFile:
    """``DIR/errors.csv``: row, learner_id, reason of every bad row of the run; replaced when the run ends."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / ERRORS
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{ERRORS}.", suffix=".tmp")
        self._temporary = Path(temporary)
        self._file = os.fdopen(handle, "w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._file)
        self._writer.writerow(["row", "learner_id", "reason"])

    def add(self, result: IssueResult) -> None:
        self._writer.writerow(["" if result.row is None else result.row, result.learner_id or "", result.reason])

    def close(self) -> None:
        self._file.close()
        os.replace(self._temporary, self.path)

    def abort(self) -> None:
        self._file.close()
        self._temporary.unlink(missing_ok=True)


def run(
    consortium: Consortium,
    rows: Iterator[LearnerRow],
    signer: Signer,
    directory: Path,
    combined: Path | None,
    formats: tuple[str, ...],
    template: Path | None,
    executor: Executor | None,
    window: int,
) -> Iterator[IssueResult]:
    """Issue every row, yielding one :class:`IssueResult` per row in list order (see the module's docstring)."""
    from unadocs.certificate.combined import CombinedPdf
    from unadocs.certificate.issue import IssueResult

    remove_stale_temporaries(directory, *([combined] if combined is not None else []))
    fingerprint = run_fingerprint(consortium, signer, template, formats)
    key = SigningKey.of(signer)
    manifest = Manifest(directory)
    errors = _ErrorsFile(directory)
    print_file = CombinedPdf(combined) if combined is not None else None
    pending: deque[Future[list[Outcome]] | list[Outcome]] = deque()
    chunk: list[tuple[int, Learner, str]] = []

    def submit() -> None:
        if not chunk:
            return
        task = Task(consortium, key, str(directory), formats, str(template) if template else None, tuple(chunk))
        chunk.clear()
        pending.append(executor.submit(issue_chunk, task) if executor is not None else issue_chunk(task))

    def take(block: bool) -> Iterator[IssueResult]:
        while pending and (block or isinstance(pending[0], list) or len(pending) > window):
            head = pending.popleft()
            outcomes = head if isinstance(head, list) else head.result()
            for outcome in outcomes:
                result = outcome.result
                if outcome.entry is not None:
                    manifest.record(outcome.entry)
                if not result.ok:
                    errors.add(result)
                elif print_file is not None and result.pdf is not None:
                    print_file.add(result.pdf)
                yield result

    completed = False
    try:
        for row in rows:
            done: IssueResult | None = None
            if row.error is not None or row.learner is None:
                done = IssueResult(row.row, row.learner_id, reason=row.error.reason if row.error else "no learner")
            else:
                learner = row.learner
                expected = input_hash(learner, fingerprint)
                entry = manifest.finished(learner.learner_id, expected)
                if entry is None:
                    chunk.append((row.row, learner, expected))
                    if len(chunk) >= CHUNK:
                        submit()
                else:
                    paths = [directory / name for name in entry.files]
                    done = IssueResult(row.row, learner.learner_id, paths[0], paths[1], entry.credential_id,
                                       exports=tuple(paths[2:]), skipped=True)
            if done is not None:
                submit()  # the chunk before this row, so that results stay in list order
                pending.append([Outcome(done, None)])
            yield from take(block=False)
        submit()
        yield from take(block=True)
        completed = True
    finally:
        for future in pending:
            if isinstance(future, Future):
                future.cancel()
        flush_to_disk()  # the learners' files, before the manifest that vouches for them
        manifest.close()
        if completed:
            errors.close()
            if print_file is not None:
                if print_file.certificates:
                    print_file.close()
                else:
                    print_file.abort()
        else:
            errors.abort()
            if print_file is not None:
                print_file.abort()
