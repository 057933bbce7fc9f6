"""Writing certificate files safely: names that stay inside the output directory, atomic writes."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

__all__ = ["safe_name", "atomic_write"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_name(learner_id: str) -> str:
    """A file name (without extension) for a learner id that can never leave its directory.

    Ids that are already plain (letters, digits, ``-``, ``_``, inner ``.``)
    are kept as they are. Any other id is reduced to those characters and
    given a short hash of the original, so that two different ids never
    share a file (``a/b`` and ``a_b``).
    """
    text = unicodedata.normalize("NFC", learner_id)
    cleaned = _UNSAFE.sub("_", text).strip("._")[:80]
    if cleaned == text and cleaned and cleaned.upper() not in _WINDOWS_RESERVED:
        return cleaned
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return f"{cleaned or 'learner'}-{digest}"


def atomic_write(path: Path, data: bytes) -> None:
    """Write bytes to a temporary file in the same directory, then rename it over ``path``.

    A reader (or a crash) sees either the old file or the complete new one,
    never a truncated file.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
