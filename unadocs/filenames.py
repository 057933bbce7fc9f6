"""Safe file names for learners: a learner id becomes a name that can never leave its directory.

The renderer names the record it embeds in a certificate after it, and the
issuing run names the learner's files after it
(:class:`unadocs.issuing.names.FileNames` makes sure no two learners share one).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["EXTENSIONS", "learner_files", "safe_name"]

#: Every file a learner may have, in the order written: the certificate, its record, then the exports (the ELM
#: credential's JAdES seal, when the university's eSeal seals it, beside it).
EXTENSIONS = (".pdf", ".json", ".elm.jsonld", ".elm.jades.json", ".ob3.json", ".ob3.jwt")

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
#: The tail :func:`safe_name` gives a changed id; a plain id that ends so is changed too, so that no id can
#: take the name another id was given.
_HASHED = re.compile(r"-[0-9a-f]{10}\Z")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_name(learner_id: str) -> str:
    """A file name (without extension) for a learner id that can never leave its directory.

    Ids that are already plain (letters, digits, ``-``, ``_``, inner ``.``)
    are kept as they are. Any other id is reduced to those characters and
    given a short hash of the original (``a/b`` becomes ``a_b-<hash>``); a
    plain id that happens to end like such a hash is hashed too, so that it
    cannot take the name of a changed one.
    """
    text = unicodedata.normalize("NFC", learner_id)
    cleaned = _UNSAFE.sub("_", text).strip("._")[:80]
    if cleaned == text and cleaned and cleaned.upper() not in _WINDOWS_RESERVED and not _HASHED.search(cleaned):
        return cleaned
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return f"{cleaned or 'learner'}-{digest}"


def learner_files(stem: str) -> tuple[str, ...]:
    """All the file names a learner with this stem may have."""
    return tuple(stem + extension for extension in EXTENSIONS)
