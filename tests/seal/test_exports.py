"""The seal's public names, and that `import unadocs` does not load the crypto, QR, PDF or image stacks."""

from __future__ import annotations

import json
import subprocess
import sys

import unadocs
from unadocs.seal.keys import generate_key, load_signer
from unadocs.seal.trust import TrustList
from unadocs.seal.verify import Verification, verify


def test_seal_names_are_public_api() -> None:
    assert {"verify", "Verification", "generate_key", "load_signer", "TrustList"} <= set(unadocs.__all__)
    assert (unadocs.verify, unadocs.Verification, unadocs.generate_key, unadocs.load_signer, unadocs.TrustList) == (
        verify, Verification, generate_key, load_signer, TrustList)


def test_import_unadocs_does_not_load_the_seal_stacks() -> None:
    code = ("import json, sys, unadocs; heavy = {'cryptography', 'segno', 'zxingcpp', 'pypdf', 'PIL'}; "
            "print(json.dumps(sorted(m for m in sys.modules "
            "if m.split('.')[0] in heavy or m.startswith('unadocs.seal'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(done.stdout) == []
