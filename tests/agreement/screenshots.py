"""Regenerate the redline screenshot in docs/ (for the README).

    .venv/bin/python -m tests.agreement.screenshots

Compares version 1.0 of the example with a 1.1 that raises a fee, replaces
the courts by arbitration and changes a representative, as `unadocs
compare` does, has LibreOffice print the redline headless, and keeps the
page of the dispute-resolution clause as a PNG (poppler's pdftoppm).
"""

from __future__ import annotations

import copy
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

import unadocs
from tests.agreement.conftest import convert_to_pdf, pdf_text
from tests.conftest import EXAMPLE_SPEC, ROOT

NAME = "redline-disputes.png"
#: Words on the page to keep.
PAGE_WITH = "CEPANI Rules of Arbitration"


def amendment(example: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Version 1.0 and a 1.1 with a higher fee, arbitration instead of the courts and another representative."""
    old = copy.deepcopy(example)
    old["agreement"]["version"] = "1.0"
    new = copy.deepcopy(example)
    new["agreement"].update(version="1.1", date="2026-03-02")
    new["finance"]["fees"][1]["amount"] = "350 EUR"
    new["law"]["disputes"] = "arbitration"
    new["partners"][2]["signatory"]["name"] = "Jan Kowalski"
    return old, new


def main(out_dir: Path) -> Path:
    old, new = amendment(yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8")))
    redline = unadocs.compare_agreements(unadocs.load_spec(old), unadocs.load_spec(new), author="Legal cluster")
    with tempfile.TemporaryDirectory() as tmp:
        work, profile = Path(tmp) / "pdf", Path(tmp) / "profile"
        work.mkdir()
        pdf = convert_to_pdf({"redline": redline}, work, profile, processes=1)["redline"]
        page = next(n for n, text in enumerate(pdf_text(pdf).split("\f"), start=1) if PAGE_WITH in text)
        target = out_dir / NAME
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
                        str(target.with_suffix(""))], check=True)
    return target


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"))
