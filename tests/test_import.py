"""`import unadocs` stays light: the heavy stacks load only when used (PEP 562).

Each check runs in a fresh interpreter, because this test process has long
since imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import unadocs

#: Top-level packages that must not load on `import unadocs` or `unadocs --version`.
HEAVY = ("pydantic", "pydantic_core", "weasyprint", "docx", "docxtpl")

PROBE = """
import json, sys
{statement}
heavy = {heavy!r}
print(json.dumps(sorted({{m for m in sys.modules if m.split('.')[0] in heavy}})))
"""


def loaded_after(statement: str) -> list[str]:
    """The heavy modules loaded by running a statement in a fresh interpreter."""
    code = PROBE.format(statement=statement, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded: list[str] = json.loads(done.stdout)
    return loaded


def test_import_unadocs_loads_no_heavy_package() -> None:
    assert loaded_after("import unadocs") == []


def test_the_cli_module_loads_no_heavy_package() -> None:
    # `unadocs --version` imports the CLI module; commands import what they need when they run.
    assert loaded_after("import unadocs.cli") == []


def test_load_spec_is_resolved_on_first_use() -> None:
    loaded = loaded_after("import unadocs; unadocs.load_spec")
    assert "pydantic" in loaded
    assert not {"weasyprint", "docx", "docxtpl"} & set(loaded)


@pytest.mark.parametrize("name", unadocs.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(unadocs, name) is not None


def test_dir_lists_the_public_api() -> None:
    assert set(dir(unadocs)) == set(unadocs.__all__)


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        unadocs.nothing_here  # noqa: B018
