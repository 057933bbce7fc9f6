"""The public API: what ``import unadocs`` offers, typed, documented, and listed where users look."""

from __future__ import annotations

import inspect
import pydoc
import re
import subprocess
import sys
from pathlib import Path

import unadocs
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_public_name_resolves_and_says_what_it_is() -> None:
    for name in unadocs.__all__:
        value = getattr(unadocs, name)
        if name != "__version__":
            assert inspect.getdoc(value), f"unadocs.{name} has no docstring"


def test_help_starts_with_the_functions_a_user_calls() -> None:
    text = pydoc.render_doc(unadocs, renderer=pydoc.plaintext)
    description = text.split("PACKAGE CONTENTS")[0]
    functions = [n for n in unadocs.__all__ if inspect.isfunction(getattr(unadocs, n))]
    assert len(functions) >= 15
    assert [n for n in functions if f"{n}(" not in description] == []


def test_the_readme_lists_the_public_surface() -> None:
    section = README.split("## The library", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`(\w+)`", section))
    assert sorted(set(unadocs.__all__) - {"__version__"} - listed) == []


def test_a_misspelt_name_is_a_type_error_not_any(tmp_path: Path) -> None:
    """Type checkers see the real names: a misspelt function or a wrong type fails mypy, not the user's run."""
    probe = tmp_path / "probe.py"
    probe.write_text("import unadocs\n\nunadocs.load_sepc('spec.yaml')\nsigner: unadocs.Signer = 'not a signer'\n"
                     "consortium: unadocs.Consortium = unadocs.load_spec('spec.yaml')\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(probe)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, check=False)
    assert 'Module has no attribute "load_sepc"' in done.stdout
    assert 'Incompatible types in assignment (expression has type "str", variable has type "Signer")' in done.stdout
    assert done.stdout.count("error:") == 2, done.stdout


def test_type_checkers_see_every_lazy_name_from_the_module_that_defines_it() -> None:
    import ast

    tree = ast.parse((ROOT / "unadocs" / "__init__.py").read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING")
    seen = {alias.asname: node.module for node in block.body if isinstance(node, ast.ImportFrom)
            for alias in node.names if alias.asname == alias.name}
    assert seen == unadocs._LAZY


def test_every_exception_unadocs_defines_is_an_unadocs_error_in_errors_py() -> None:
    defined = []
    for path in (ROOT / "unadocs").rglob("*.py"):
        for match in re.finditer(r"^class (\w+)\((\w*(?:Error|Exception))\)", path.read_text(encoding="utf-8"),
                                 re.M):
            if not match.group(1).startswith("_"):
                defined.append((path.relative_to(ROOT).as_posix(), match.group(1)))
    assert {path for path, _ in defined} == {"unadocs/errors.py"}, defined
    for _, name in defined:
        cls = getattr(unadocs, name, None) or getattr(__import__("unadocs.errors").errors, name)
        assert issubclass(cls, unadocs.UnadocsError)
