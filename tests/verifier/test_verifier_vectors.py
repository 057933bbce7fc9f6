"""The page and ``unadocs verify`` agree: the shared vectors (tests/vectors/) through both, and a differential run
of hand-made edge cases of the token format through the Python and the browser decoders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.verifier.conftest import VECTORS, Browser, fragment_of, vector
from tests.verifier.edge_tokens import edge_tokens
from unadocs.cli import main
from unadocs.seal.verify import Reason, verify
from unadocs.verifier.site import Site

VECTOR_NAMES = [v["name"] for v in json.loads((VECTORS / "vectors.json").read_text(encoding="utf-8"))["vectors"]]
#: One vector per verdict and per way a link breaks: each is opened in the page (all of them run through seal.js).
SHOWN = ["valid", "valid-long-name", "tampered-name", "corrupted-payload", "unknown-key", "key-expired", "revoked",
         "specimen", "other-version", "v2-valid", "v2-wrong-issuer", "v2-key-revoked", "v2-dated-in-future",
         "v2-superseded", "malformed-link-without-token", "malformed-empty-fragment",
         "malformed-space-inside", "malformed-too-long"]
#: The page has no record to compare with the payload; `unadocs verify` without --record does the same checks.
NEEDS_RECORD = {n for n in VECTOR_NAMES if n in ("valid-with-record", "v2-valid-with-record", "record-mismatch")}
#: What only a PDF or a record can show: the page checks links.
NOT_ON_THE_PAGE = {"record-mismatch", "modified", "eseal-not-trusted"}


def cli_verdict(input_text: str, trust: Path) -> dict[str, Any]:
    """``unadocs verify INPUT --trust TRUST --json``, as a user runs it."""
    result = CliRunner().invoke(main, ["verify", input_text, "--trust", str(trust), "--json"])
    assert result.exit_code in (0, 1), result.output
    verdict: dict[str, Any] = json.loads(result.output)
    assert (result.exit_code == 0) == verdict["valid"]
    return verdict


@pytest.fixture(scope="module")
def page_verdicts(browser: Browser, page_url: str, vectors: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    results = browser.verdicts(page_url, [v["input"] for v in vectors])
    return {v["name"]: r for v, r in zip(vectors, results, strict=True)}


def test_the_vectors_cover_every_verdict_the_page_can_give(vectors: list[dict[str, Any]]) -> None:
    page_reasons = {str(r) for r in Reason} - NOT_ON_THE_PAGE
    assert page_reasons <= {v["expect"] for v in vectors}
    assert page_reasons <= {vector(vectors, name)["expect"] for name in SHOWN}


@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_page_script_and_cli_give_the_same_verdict(
    name: str, vectors: list[dict[str, Any]], vector_site: Site, page_verdicts: dict[str, dict[str, Any]]
) -> None:
    entry = vector(vectors, name)
    # The CLI reads the trust list the site publishes, so this also pins trust.json to the page's data.
    cli = cli_verdict(entry["input"], vector_site.directory / "trust.json")
    page = page_verdicts[name]
    assert page["reason"] == cli["reason"]
    assert page["valid"] == cli["valid"]
    assert page["fields"] == cli["fields"]
    if name not in NEEDS_RECORD:
        assert cli["reason"] == entry["expect"]
        assert page["fields"] == entry.get("fields", {})


@pytest.mark.parametrize("name", SHOWN)
def test_page_shows_the_verdict_of_each_vector(
    name: str, vectors: list[dict[str, Any]], browser: Browser, page_url: str, english: dict[str, str]
) -> None:
    entry = vector(vectors, name)
    token = fragment_of(entry["input"])
    seen = browser.open(f"{page_url}#{token}")
    assert seen["page_errors"] == [] and seen["console_errors"] == []
    if entry["expect"] == "valid":
        assert (seen["state"], seen["title"], seen["icon"]) == ("valid", "Valid", "#icon-valid")
        assert seen["fields"]["name"] == entry["fields"]["name"]
        assert seen["fields"]["credential_id"] == entry["fields"]["credential_id"]
    elif token == "":
        # An empty fragment is a page opened without a certificate: it explains itself instead.
        assert (seen["state"], seen["title"]) == ("empty", english["status.empty.title"])
    else:
        assert (seen["state"], seen["title"], seen["icon"]) == ("invalid", "Not valid", "#icon-invalid")
        assert seen["reason"] == entry["expect"]
        reason_words = english[f"reason.{entry['expect']}"].split("{")[0]
        assert reason_words in seen["text"]
        assert seen["fields"] == {}


def test_python_and_browser_decoders_agree_on_edge_cases(
    browser: Browser, page_url: str, vector_site: Site
) -> None:
    cases = edge_tokens()
    assert len(cases) > 80
    trust = vector_site.directory / "trust.json"
    page = browser.verdicts(page_url, [token for _, token in cases])
    disagreements = []
    for (label, token), seen in zip(cases, page, strict=True):
        python = verify(token, trust)
        if (seen["reason"], seen["fields"]) != (str(python.reason), python.fields):
            disagreements.append((label, str(python.reason), python.fields, seen["reason"]))
    assert disagreements == []
    # The cases reach every verdict, so the comparison above is not vacuous.
    assert {str(verify(token, trust).reason) for _, token in cases} == {str(r) for r in Reason} - NOT_ON_THE_PAGE
