"""File names for learners that can never leave the output directory."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["safe_name"]

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


