"""The shared test vectors (tests/vectors/): the Python verdicts the browser verifier must match."""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

import pytest

from tests.seal.conftest import VECTORS
from unadocs.seal.keys import load_signer
from unadocs.seal.trust import TrustList
from unadocs.seal.verify import Reason, verify

_DOC = json.loads((VECTORS / "vectors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", _DOC["vectors"], ids=[v["name"] for v in _DOC["vectors"]])
def test_vector_gives_its_expected_reason_and_fields(vector: dict[str, Any]) -> None:
    record = vector["record"].encode("utf-8") if "record" in vector else None
    result = verify(vector["input"], TrustList.load(VECTORS / "trust.json"), record=record)
    assert result.reason == Reason(vector["expect"]), result.message
    assert result.fields == vector.get("fields", {})


def test_vectors_cover_every_reason_a_token_can_give() -> None:
    """Every reason but *modified* and *eseal-not-trusted*, which only a PDF can give
    (tests/seal/test_pdf_additions.py, tests/seal/test_pades.py)."""
    assert {v["expect"] for v in _DOC["vectors"]} == {str(r) for r in Reason} - {"modified", "eseal-not-trusted"}


def test_committed_vectors_are_what_the_script_writes(tmp_path: Path) -> None:
    module = runpy.run_path(str(VECTORS / "make_vectors.py"))
    module["main"](["make_vectors.py", str(tmp_path)])
    for name in ("TEST-ONLY-UH.pem", "trust.json", "vectors.json"):
        assert (tmp_path / name).read_bytes() == (VECTORS / name).read_bytes(), f"re-run make_vectors.py: {name}"


def test_the_vector_key_is_marked_test_only_and_is_the_trusted_key() -> None:
    pem = VECTORS / "TEST-ONLY-UH.pem"
    assert pem.read_text(encoding="ascii").startswith("TEST ONLY:")
    signer = load_signer(pem)
    trusted = TrustList.load(VECTORS / "trust.json").key(signer.key_id)
    assert trusted is not None and trusted.public_key == signer.public_key
