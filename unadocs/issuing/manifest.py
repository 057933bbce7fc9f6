"""The run manifest: what each learner's files were made from, so that a run can resume after any crash.

``DIR/manifest.jsonl`` holds one JSON line per issuance: the learner id, the
input hash (the row's content, the spec, the key id, the template, the
formats and the versions of unadocs and its renderer), the SHA-256 of the
learner's first file, the credential id, the credential it supersedes, the
verification link and the files written. A line is appended only after the
learner's files are all in place (atomic writes), so a line always describes
complete files; a line cut short by a crash is ignored. On the next run a
learner whose input hash and files still match is skipped, and a changed row
is issued again: a new line, whose ``supersedes`` names the earlier
credential when the certificate now says something else. (The files reach the
disk at the end of a run, so after a power cut some may be lost or empty:
those learners are issued again.)

The file is never followed through a symbolic link, and never read whole
into memory in one piece: lines longer than any entry are skipped.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import IO

from unadocs.errors import UnadocsError
from unadocs.files import open_for_append

__all__ = ["MANIFEST", "Entry", "Manifest", "read_entries", "sha256_file"]

MANIFEST = "manifest.jsonl"
#: An entry is well under 4 kB (a verification link is at most 666 bytes).
_MAX_LINE = 64 * 1024


@dataclass(frozen=True)
class Entry:
    learner_id: str
    input: str
    """SHA-256 of everything the learner's files are made from."""
    sha256: str
    """SHA-256 of the first file (the PDF, or the first export of an export-only run)."""
    credential_id: str
    files: tuple[str, ...]
    """Names of the files written in DIR: PDF, JSON, then any exports."""
    supersedes: str | None = None
    """The credential id of the learner's earlier certificate that this one corrects."""
    link: str | None = None
    """The certificate's verification link (with its sealed token)."""
    facts: str | None = None
    """:func:`~unadocs.record.facts_digest` of the record: what the certificate says, to tell a correction."""
    withdrawn: bool = False
    """The learner left the list and their files were moved to ``DIR/withdrawn/``."""


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _whole(path: Path) -> bool:
    """Whether a learner's other file survived: not empty, and JSON that parses (a power cut can cut files short)."""
    if path.suffix.lower() in {".json", ".jsonld"}:
        try:
            json.loads(path.read_bytes())
        except ValueError:
            return False
        return True
    return path.stat().st_size > 0


def _open_manifest(path: Path) -> IO[str] | None:
    """The manifest for reading, never through a link; None when there is none yet."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnadocsError(f"{path} is a symbolic link; unadocs never writes through one: remove it") from None
        raise UnadocsError(f"{path}: cannot read the manifest ({exc.strerror})") from None
    return os.fdopen(fd, "r", encoding="utf-8", errors="replace")


def read_entries(path: Path) -> Iterator[Entry]:
    """Every well-formed entry of a manifest, oldest first (a line cut short by a crash is skipped)."""
    handle = _open_manifest(path)
    if handle is None:
        return
    with handle:
        while line := handle.readline(_MAX_LINE):
            if not line.endswith("\n"):
                if len(line) >= _MAX_LINE:  # not an entry: skip the rest of that line
                    while (rest := handle.readline(_MAX_LINE)) and not rest.endswith("\n"):
                        pass
                continue
            try:
                data = json.loads(line)
                yield Entry(data["learner_id"], data["input"], data.get("sha256") or data["pdf_sha256"],
                            data["credential_id"], tuple(data["files"]), data.get("supersedes"), data.get("link"),
                            data.get("facts"), bool(data.get("withdrawn", False)))
            except (ValueError, KeyError, TypeError, RecursionError):
                continue


class Manifest:
    """The manifest of one output directory: read at the start of a run, appended to as learners finish."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / MANIFEST
        self.directory = directory
        self._entries: dict[str, Entry] = {}
        for entry in read_entries(self.path):
            if entry.withdrawn:
                self._entries.pop(entry.learner_id, None)
            else:
                self._entries[entry.learner_id] = entry
        self._out: IO[str] | None = None

    @property
    def learner_ids(self) -> list[str]:
        """Every learner with files in the directory, in the order first issued."""
        return list(self._entries)

    def latest(self, learner_id: str) -> Entry | None:
        """The learner's last issuance in this directory, if any."""
        return self._entries.get(learner_id)

    def superseded(self) -> list[tuple[str, str]]:
        """(earlier credential id, the one that supersedes it) of every correction issued into the directory."""
        return [(entry.supersedes, entry.credential_id) for entry in read_entries(self.path)
                if entry.supersedes is not None]

    def finished(self, learner_id: str, input_hash: str) -> Entry | None:
        """The entry of a learner whose files are complete and were made from the same input, else None."""
        entry = self._entries.get(learner_id)
        if entry is None or entry.input != input_hash:
            return None
        paths = [self.directory / name for name in entry.files]
        if not all(path.is_file() and not path.is_symlink() for path in paths):
            return None
        if sha256_file(paths[0]) != entry.sha256 or not all(_whole(path) for path in paths[1:]):
            return None
        return entry

    def record(self, entry: Entry) -> None:
        """Append a finished learner (flushed at once: a crash after this line keeps the learner's files)."""
        self._entries[entry.learner_id] = entry
        self._append(entry)

    def _append(self, entry: Entry) -> None:
        if self._out is None:
            try:
                self._out = open_for_append(self.path)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise UnadocsError(f"{self.path} is a symbolic link; unadocs never writes through one: "
                                       "remove it") from None
                raise
        self._out.write(json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True) + "\n")
        self._out.flush()

    def withdraw(self, learner_id: str) -> None:
        """Record that a learner's files were moved out: the learner is no longer in the directory."""
        entry = self._entries.pop(learner_id, None)
        if entry is not None:
            self._append(replace(entry, withdrawn=True))

    def close(self) -> None:
        if self._out is not None:
            os.fsync(self._out.fileno())
            self._out.close()
            self._out = None
