"""Regenerate the verification page screenshots in docs/ (for the README).

    .venv/bin/python -m tests.verifier.screenshots

Builds the site for the shared test vectors' trust list (TEST ONLY key) with
the example spec's official names, serves it on 127.0.0.1 and photographs it
in the system Chromium: a valid certificate and a tampered one, on a phone
(360 px wide) and on a desktop (1280 px wide).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from tests.conftest import ROOT
from tests.verifier.conftest import DESKTOP, PHONE, VECTORS, Browser, Server, fragment_of, install_playwright
from unadocs.load import load_spec
from unadocs.resources import example_spec
from unadocs.seal.trust import TrustList
from unadocs.verifier.site import build_verifier_site, partner_names

#: (file name, vector, width, height, device pixel ratio)
SHOTS = [
    ("verifier-valid-phone.png", "valid", PHONE, 780, 2),
    ("verifier-invalid-phone.png", "tampered-name", PHONE, 780, 2),
    ("verifier-valid-desktop.png", "valid", DESKTOP, 860, 1),
    ("verifier-invalid-desktop.png", "tampered-name", DESKTOP, 860, 1),
]


def main(out_dir: Path) -> list[Path]:
    vectors = {v["name"]: v for v in json.loads((VECTORS / "vectors.json").read_text(encoding="utf-8"))["vectors"]}
    install_playwright()
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        site = build_verifier_site(Path(tmp), TrustList.load(VECTORS / "trust.json"),
                          names=partner_names(load_spec(example_spec())))
        server = Server(site.directory)
        browser = Browser()
        try:
            for name, vector, width, height, scale in SHOTS:
                target = out_dir / name
                url = f"{server.origin}/index.html#{fragment_of(vectors[vector]['input'])}"
                seen = browser.open(url, width=width, height=height, scale=scale, screenshot=target)
                assert seen["state"] == ("valid" if vector == "valid" else "invalid"), seen
                written.append(target)
        finally:
            browser.close()
            server.close()
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"):
        print(path)
