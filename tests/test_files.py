"""Output files are written atomically and can be shared: never left with a temporary file's 0600 mode."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_SPEC
from unadocs.cli import main
from unadocs.files import atomic_write


@pytest.mark.parametrize("durable", [True, False])
def test_written_files_are_readable_by_others(tmp_path: Path, durable: bool) -> None:
    target = tmp_path / "agreement.docx"
    atomic_write(target, b"PK", durable=durable)
    assert target.read_bytes() == b"PK"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["agreement.docx"]


def test_the_agreement_written_by_the_cli_can_be_shared(tmp_path: Path) -> None:
    out = tmp_path / "agreement.docx"
    result = CliRunner().invoke(main, ["agreement", str(EXAMPLE_SPEC), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
