"""Writing output files atomically: a reader, or a crash, never sees half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write"]


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write bytes through a temporary file in the same directory, then rename it over ``path``.

    The file gets ``mode`` (readable by all by default: certificates and
    agreements are shared; a temporary file would otherwise keep 0600).
    The directory must exist: a mistyped output path is an error, not a
    new directory tree.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
