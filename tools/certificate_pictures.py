"""Regenerate the pictures of a bilingual certificate in docs/ (for the README).

    .venv/bin/python tools/certificate_pictures.py

Issues one certificate of examples/sustainability-bilingual.yaml (approved, so not a specimen) with a TEST key
made on the spot, and draws both pages with poppler's pdftoppm at 60 dpi.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import yaml

import unadocs
from unadocs.load import parse_spec
from unadocs.seal.keys import generate_key, load_signer

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    data = yaml.safe_load((ROOT / "examples" / "sustainability-bilingual.yaml").read_text(encoding="utf-8"))
    data["agreement"]["status"] = "approved"
    consortium = parse_spec(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), source="bilingual")
    learner = unadocs.Learner(learner_id="UH-2025-0002", given_names="Łukasz", family_name="Żółkiewski",
                              issued=date(2026, 1, 20), date_of_birth=date(1993, 11, 2), grade="pass")
    with tempfile.TemporaryDirectory() as work:
        keys = generate_key("UH", Path(work), valid_from=date(2025, 9, 1), valid_until=date(2029, 8, 31))
        pdf = Path(work) / "certificate.pdf"
        pdf.write_bytes(unadocs.render_certificate(consortium, learner, load_signer(keys.private_key_path)))
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(Path(work) / "page")], check=True)
        for number, name in ((1, "front"), (2, "back")):
            (ROOT / "docs" / f"certificate-bilingual-{name}.png").write_bytes(
                (Path(work) / f"page-{number}.png").read_bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main())
