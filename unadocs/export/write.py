"""Writing the exports of a record beside its PDF, and exporting a whole learner list.

For a learner whose file name is ``NAME`` (:func:`~unadocs.certificate.files.safe_name`):

* ``elm`` writes ``NAME.elm.jsonld``, the European Digital Credential;
* ``ob3`` writes ``NAME.ob3.json``, the Open Badges credential, and
  ``NAME.ob3.jwt``, the same credential signed as a VC-JWT (what a badge
  platform or wallet imports as verifiable, and what ``unadocs verify`` checks).

Every file is written atomically; the same record always gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unadocs.certificate.files import safe_name
from unadocs.files import atomic_write
from unadocs.certificate.record import CertificateRecord, build_record
from unadocs.errors import LearnerError, SealError, UnadocsError

if TYPE_CHECKING:
    from unadocs.model import Consortium, Learner
    from unadocs.seal.keys import Signer

__all__ = ["EXPORT_FORMATS", "FORMATS", "ExportResult", "export_credentials", "parse_formats", "write_exports"]

#: Every output of ``unadocs certificates --formats``, in the order they are written.
FORMATS = ("pdf", "elm", "ob3")
#: The formats this module writes (the PDF is the certificate module's).
EXPORT_FORMATS = ("elm", "ob3")


def parse_formats(text: str, allowed: Collection[str] = FORMATS) -> tuple[str, ...]:
    """``"pdf,elm"`` as ``("pdf", "elm")`` in canonical order; :class:`UnadocsError` for an unknown name."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown or not names:
        problem = f"unknown format {unknown[0]!r}" if unknown else "no format given"
        raise UnadocsError(f"{problem}; choose from {', '.join(allowed)}")
    return tuple(f for f in FORMATS if f in names)


def _json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_exports(record: CertificateRecord, directory: Path, name: str, formats: Collection[str],
                  signer: Signer | None = None) -> list[Path]:
    """Write the requested exports of one record as ``directory/name.*``; return the paths written.

    ``ob3`` needs the issuer's ``signer``. Raises
    :class:`~unadocs.export.vocabularies.ExportError` or :class:`SealError`
    before writing anything for this record when a document cannot be made.
    """
    files: list[tuple[Path, bytes]] = []
    if "elm" in formats:
        from unadocs.export.elm import elm_credential

        files.append((directory / f"{name}.elm.jsonld", _json(elm_credential(record))))
    if "ob3" in formats:
        from unadocs.export.ob3 import ob3_credential, ob3_jwt

        if signer is None:
            raise SealError("the Open Badges credential is signed: give the issuer's key")
        files.append((directory / f"{name}.ob3.json", _json(ob3_credential(record))))
        files.append((directory / f"{name}.ob3.jwt", (ob3_jwt(record, signer) + "\n").encode("ascii")))
    for path, _ in files:  # safe_name keeps names inside; a second lock on the door
        if path.resolve().parent != directory.resolve():
            raise UnadocsError(f"refusing to write outside {directory}: {path}")
    for path, data in files:
        atomic_write(path, data)
    return [path for path, _ in files]


@dataclass(frozen=True)
class ExportResult:
    """The outcome for one learner row: the files written, or why none were."""

    row: int | None
    learner_id: str | None
    files: tuple[Path, ...] = ()
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


def export_credentials(consortium: Consortium, learners_source: str | Path | Iterable[Learner], out_dir: str | Path,
                       formats: Collection[str], signer: Signer | None = None) -> Iterator[ExportResult]:
    """Export every learner of a CSV/XLSX file (or an iterable of learners) without issuing PDFs.

    The key, the formats and the file's columns are checked before anything
    is written; a bad row gives a failed :class:`ExportResult` and the good
    rows are still exported.
    """
    from unadocs.certificate.issue import check_signer
    from unadocs.certificate.learners import LearnerRow, learner_rows, read_learners

    unknown = set(formats) - set(EXPORT_FORMATS)
    if unknown:
        raise UnadocsError(f"cannot export {', '.join(sorted(unknown))}; choose from {', '.join(EXPORT_FORMATS)}")
    if "ob3" in formats:
        if signer is None:
            raise SealError("the Open Badges credential is signed: give the issuer's key (--key)")
        check_signer(consortium, signer)
    rows: Iterator[LearnerRow] = (read_learners(learners_source) if isinstance(learners_source, str | Path)
                                  else learner_rows(learners_source))
    first = next(rows, None)  # a missing column is raised here, before any file
    directory = Path(out_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UnadocsError(f"{directory}: cannot create the output directory ({exc.strerror})") from None

    def run() -> Iterator[ExportResult]:
        if first is None:
            return
        for row in chain((first,), rows):
            if row.learner is None:
                yield ExportResult(row.row, row.learner_id, reason=row.error.reason if row.error else "no learner")
                continue
            try:
                record = build_record(consortium, row.learner, row=row.row)
                paths = write_exports(record, directory, safe_name(row.learner.learner_id), formats, signer)
            except LearnerError as exc:
                yield ExportResult(row.row, row.learner.learner_id, reason=exc.reason)
                continue
            except (SealError, UnadocsError) as exc:
                yield ExportResult(row.row, row.learner.learner_id, reason=str(exc))
                continue
            yield ExportResult(row.row, row.learner.learner_id, tuple(paths))

    return run()
