"""The files of an output directory: every learner's own names, never shared, never a fixed name of the run.

A learner's files are ``<stem>.pdf``, ``<stem>.json``, ``<stem>.elm.jsonld``,
``<stem>.ob3.json`` and ``<stem>.ob3.jwt``, where the stem is the learner id
made safe (:func:`unadocs.filenames.safe_name`). Two learners must never share a file, on any
file system: :class:`FileNames` hands out the names of a run, comparing them
case-insensitively (as macOS and Windows do), and refuses a learner whose
names another learner already holds (earlier in the list, or issued into the
directory by an earlier run), or that a fixed file of the run uses (the
manifest, ``errors.csv``, the print file, ...). That learner's row fails with
the reason; nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable

from unadocs.errors import LearnerError
from unadocs.filenames import learner_files, safe_name

__all__ = ["FileNames"]

class FileNames:
    """Who holds which file name in one output directory, compared without regard to case."""

    def __init__(self, fixed: Iterable[str]) -> None:
        self._fixed = {name.casefold(): name for name in fixed}
        self._holders: dict[str, tuple[str, str]] = {}

    def hold(self, learner_id: str, names: Iterable[str], where: str) -> None:
        """Record files that ``learner_id`` already has in the directory (from the manifest)."""
        for name in names:
            self._holders.setdefault(name.casefold(), (learner_id, where))

    def claim(self, learner_id: str, where: str, row: int | None = None) -> str:
        """Give ``learner_id`` its names and return its stem; :class:`LearnerError` when another holds one.

        ``where`` says where the learner comes from, for the message of a
        later learner that collides with it (``row 12``, ``an earlier run``).
        Claiming the same learner again is allowed: its names are its own.
        """
        stem = safe_name(learner_id)
        for name in learner_files(stem):
            key = name.casefold()
            if key in self._fixed:
                raise LearnerError(f"its file {name} would take the name of the run's own {self._fixed[key]}; give "
                                   "this learner another learner_id, or the run's file another name", row, learner_id)
            holder = self._holders.get(key)
            if holder is not None and holder[0] != learner_id:
                raise LearnerError(f"its file {name} would be the file of learner {holder[0]!r} ({holder[1]}), as "
                                   "file names ignore case and unusual characters; give one of them another "
                                   "learner_id", row, learner_id)
        for name in learner_files(stem):
            self._holders.setdefault(name.casefold(), (learner_id, where))
        return stem
