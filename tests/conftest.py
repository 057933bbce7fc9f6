"""Shared fixtures: the real example files and a way to vary them."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_SPEC = ROOT / "examples" / "sustainability.yaml"
EXAMPLE_LEARNERS = ROOT / "examples" / "learners.csv"


@pytest.fixture(scope="session")
def example_data() -> dict[str, Any]:
    """The reference spec as plain data; copy it before changing it."""
    return yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))


@pytest.fixture
def spec_data(example_data: dict[str, Any]) -> dict[str, Any]:
    """A fresh deep copy of the reference spec, free to mutate in a test."""
    return copy.deepcopy(example_data)


@pytest.fixture
def write_spec(tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    """Write spec data to a YAML file and return its path."""

    def write(data: dict[str, Any], name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path

    return write


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write a learner list's text to a file (in any encoding) and return its path."""

    def write(text: str, name: str = "learners.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture(autouse=True)
def _no_unexpected_log_output(caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test on any warning or error logged while it runs (WeasyPrint's, unadocs' or a library's).

    A logged warning is how WeasyPrint reports CSS it ignored or a font it
    could not load: output that silently differs from the template. Mark a
    test ``@pytest.mark.allow_log_warnings`` when a warning is what it checks.
    """
    caplog.set_level(logging.WARNING)
    yield
    if request.node.get_closest_marker("allow_log_warnings") is not None:
        return
    unexpected = [r for when in ("setup", "call") for r in caplog.get_records(when) if r.levelno >= logging.WARNING]
    assert not unexpected, "unexpected log output:\n" + "\n".join(
        f"{r.levelname} {r.name}: {r.getMessage()}" for r in unexpected)
