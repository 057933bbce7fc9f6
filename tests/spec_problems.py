"""Helpers to assert what a spec error says and on which YAML line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from unadocs import Problem, SpecError, load_spec


def load_error(spec: Path | str) -> SpecError:
    """The SpecError that loading this spec raises (the test fails if it loads)."""
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    return info.value


def problem_at(error: SpecError, path: str) -> Problem:
    """The one problem of an error at this field path."""
    found = [p for p in error.problems if p.path == path]
    assert len(found) == 1, f"expected one problem at {path}, got:\n{error}"
    return found[0]


def line_of(spec: Path, pattern: str) -> int:
    """The 1-based number of the only line of a spec file that matches a regex."""
    lines = spec.read_text(encoding="utf-8").splitlines()
    hits = [n for n, text in enumerate(lines, start=1) if re.search(pattern, text)]
    assert len(hits) == 1, f"{pattern!r} matches lines {hits} of {spec}, not exactly one"
    return hits[0]
