"""The package type-checks under mypy --strict, as other tools rely on its typed API (py.typed)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_package_is_mypy_strict_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", "unadocs"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
