"""The wheel works outside the repository: it ships the data that non-programmers
edit (templates, clauses, examples) and finds it once installed.

This builds the real wheel, installs it with its dependencies into a fresh
virtual environment outside the checkout, and runs the installed `unadocs`
from another directory. pip's cache keeps it to well under a minute.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: Directories of editable data the wheel must ship, as packaged.
SHIPPED_DIRS = ("templates/agreement", "templates/certificate", "templates/verifier", "clauses", "examples",
                "locale")


def _run(command: list[str | Path], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = _run([sys.executable, "-m", "build", "--wheel", "--outdir", out, ROOT], cwd=out)
    assert done.returncode == 0, done.stdout + done.stderr
    [built] = out.glob("unadocs-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv, outside the repository, with the wheel and its dependencies installed."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    assert ROOT not in venv.parents
    # No pip inside the venv (ensurepip is the slowest step): this process's pip installs into it.
    done = _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=venv.parent)
    assert done.returncode == 0, done.stderr
    done = _run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet",
                 "--no-compile", "--disable-pip-version-check", wheel], cwd=venv.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    return venv


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working directory that is neither the checkout nor the venv."""
    path = tmp_path / "somewhere-else"
    path.mkdir()
    return path


def test_wheel_ships_templates_clauses_and_examples(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for directory in SHIPPED_DIRS:
        assert any(n.startswith(f"unadocs/_data/{directory}/") for n in names), f"{directory} is not in {wheel.name}"
    assert "unadocs/_data/examples/sustainability.yaml" in names
    assert "unadocs/data/members.yaml" in names
    assert "unadocs/py.typed" in names


def test_installed_wheel_finds_its_packaged_example(installed: Path, elsewhere: Path) -> None:
    done = _run([installed / "bin" / "python", "-c",
                 "from unadocs.resources import example_spec; print(example_spec())"], cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    example = Path(done.stdout.strip())
    assert example.is_file()
    assert installed in example.parents, f"{example} is not inside the venv {installed}"
    assert ROOT not in example.parents
    assert example.read_bytes() == (ROOT / "examples" / "sustainability.yaml").read_bytes()


def test_installed_wheel_finds_its_templates_and_clauses(installed: Path, elsewhere: Path) -> None:
    code = ("from unadocs.resources import data_dir\n"
            "for name in ('templates', 'clauses', 'examples'): print(data_dir(name))")
    done = _run([installed / "bin" / "python", "-c", code], cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    for line in done.stdout.splitlines():
        directory = Path(line)
        assert directory.is_dir() and installed in directory.parents, directory
    templates = Path(done.stdout.splitlines()[0])
    assert (templates / "agreement").is_dir() and (templates / "certificate").is_dir()


def test_installed_unadocs_checks_the_packaged_example_from_another_directory(installed: Path,
                                                                            elsewhere: Path) -> None:
    example = _run([installed / "bin" / "python", "-c",
                    "from unadocs.resources import example_spec; print(example_spec())"], cwd=elsewhere)
    done = _run([installed / "bin" / "unadocs", "check", example.stdout.strip()], cwd=elsewhere)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Micro-credential in Sustainability" in done.stdout
    assert "2025-09-01 to 2029-08-31" in done.stdout
    assert "warning draft-specimens agreement.status (line" in done.stdout


def test_installed_unadocs_reports_a_bad_spec_without_a_traceback(installed: Path, elsewhere: Path) -> None:
    bad = elsewhere / "bad.yaml"
    bad.write_text((ROOT / "examples" / "sustainability.yaml").read_text(encoding="utf-8")
                   .replace("duration_years: 4 ", "duration_years: 5 "), encoding="utf-8")
    done = _run([installed / "bin" / "unadocs", "check", bad.name], cwd=elsewhere)
    assert done.returncode == 1
    assert "error: bad.yaml: term.duration_years (line " in done.stderr
    assert "Traceback" not in done.stderr


def test_installed_unadocs_runs_the_whole_demo_from_another_directory(installed: Path, elsewhere: Path) -> None:
    """The main job needs every shipped template: agreement, certificate and verification page."""
    done = _run([installed / "bin" / "unadocs", "demo", "-o", "out"], cwd=elsewhere)
    assert done.returncode == 0, done.stdout + done.stderr
    out = elsewhere / "out"
    assert (out / "agreement.docx").read_bytes()[:2] == b"PK"
    pdfs = sorted((out / "certificates").glob("*.pdf"))
    assert len(pdfs) == 6 and all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
    assert (out / "verifier" / "index.html").is_file()
    assert "Traceback" not in done.stderr
