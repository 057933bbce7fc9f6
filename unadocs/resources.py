"""Where the data that non-programmers edit lives: templates, clauses, examples, the certificate's catalogs.

In a checkout they sit at the top of the repository; in an installed wheel
they are packaged under ``unadocs/_data``. Code asks here and never builds
these paths itself.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir", "example_spec", "example_learners"]

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The directory ``templates``, ``clauses``, ``examples`` or ``locale``."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"unadocs data directory {name!r} is missing from this installation")


def example_spec() -> Path:
    """The reference spec: the Micro-credential in Sustainability."""
    return data_dir("examples") / "sustainability.yaml"


def example_learners() -> Path:
    """The example learner list for the reference spec."""
    return data_dir("examples") / "learners.csv"
