"""Writing output files atomically: a reader, or a crash, never sees half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["DEFERRED_FLUSH", "atomic_write", "flush_to_disk"]

#: Whether :func:`flush_to_disk` can flush files written with ``durable=False`` (POSIX ``sync``).
DEFERRED_FLUSH = hasattr(os, "sync")


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644, durable: bool = True) -> None:
    """Write bytes through a temporary file in the same directory, then rename it over ``path``.

    The file gets ``mode`` (readable by all by default: certificates and
    agreements are shared; a temporary file would otherwise keep 0600).
    The directory must exist: a mistyped output path is an error, not a
    new directory tree.

    ``durable`` waits until the bytes are on the disk. Without it the file
    is still whole for every reader and if the process is killed, but a
    power cut may lose it: a batch of thousands of files writes them so and
    flushes once at the end (:func:`flush_to_disk`), instead of waiting for
    the disk twice per certificate.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def flush_to_disk() -> None:
    """Put every file written so far on the disk (``sync``): the end of a batch written with ``durable=False``."""
    if DEFERRED_FLUSH:
        os.sync()
