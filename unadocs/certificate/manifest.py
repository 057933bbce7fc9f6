"""The run manifest: what each learner's files were made from, so that a run can resume after any crash.

``DIR/manifest.jsonl`` holds one JSON line per issued learner: the learner id,
the input hash (the row's content, the spec, the key id, the template and the
formats), the SHA-256 of the PDF and the files written. A line is appended
only after the learner's files are all in place (atomic writes), so a line
always describes complete files; a line cut short by a crash is ignored. On
the next run a learner whose input hash and PDF still match, and whose other
files are whole, is skipped, and a changed row is issued again. (The files
reach the disk at the end of a run, so after a power cut some may be lost or
empty: those learners are issued again.)
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

__all__ = ["MANIFEST", "Entry", "Manifest", "sha256_file"]

MANIFEST = "manifest.jsonl"


@dataclass(frozen=True)
class Entry:
    learner_id: str
    input: str
    """SHA-256 of everything the learner's files are made from."""
    pdf_sha256: str
    credential_id: str
    files: tuple[str, ...]
    """Names of the files written in DIR: PDF, JSON, then any exports."""


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


class Manifest:
    """The manifest of one output directory: read at the start of a run, appended to as learners finish."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / MANIFEST
        self.directory = directory
        self._entries: dict[str, Entry] = {}
        if self.path.is_file():
            with self.path.open("r", encoding="utf-8") as lines:
                for line in lines:
                    try:
                        data = json.loads(line)
                        entry = Entry(data["learner_id"], data["input"], data["pdf_sha256"], data["credential_id"],
                                      tuple(data["files"]))
                    except (ValueError, KeyError, TypeError):
                        continue  # a line cut short by a crash: that learner is issued again
                    self._entries[entry.learner_id] = entry
        self._out: IO[str] | None = None

    def finished(self, learner_id: str, input_hash: str) -> Entry | None:
        """The entry of a learner whose files are complete and were made from the same input, else None."""
        entry = self._entries.get(learner_id)
        if entry is None or entry.input != input_hash:
            return None
        paths = [self.directory / name for name in entry.files]
        if not all(path.is_file() for path in paths) or sha256_file(paths[0]) != entry.pdf_sha256:
            return None
        if not all(_whole(path) for path in paths[1:]):
            return None
        return entry

    def record(self, entry: Entry) -> None:
        """Append a finished learner (flushed at once: a crash after this line keeps the learner's files)."""
        if self._out is None:
            self._out = self.path.open("a", encoding="utf-8")
        self._entries[entry.learner_id] = entry
        self._out.write(json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True) + "\n")
        self._out.flush()

    def close(self) -> None:
        if self._out is not None:
            os.fsync(self._out.fileno())
            self._out.close()
            self._out = None
