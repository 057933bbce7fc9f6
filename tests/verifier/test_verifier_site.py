"""Writing the verification site: its files, determinism, revocations, names, translations and the CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_SPEC, ROOT
from tests.verifier.conftest import VECTORS
from unadocs.cli import main
from unadocs.errors import SealError
from unadocs.load import load_spec
from unadocs.seal.trust import Revocation, TrustList
from unadocs.seal.verify import Reason, verify
from unadocs.verifier.site import PAGE_FILES, _messages, build_verifier_site, load_revocations, partner_names

TEMPLATES = ROOT / "templates" / "verifier"
VALID_TOKEN = next(v for v in json.loads((VECTORS / "vectors.json").read_text(encoding="utf-8"))["vectors"]
                   if v["name"] == "valid")


def site_data(directory: Path) -> dict[str, object]:
    text = (directory / "data.js").read_text(encoding="utf-8")
    match = re.search(r"window\.UNADOCS_SITE = (\{.*\});\n$", text, re.S)
    assert match is not None
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_site_holds_the_page_its_data_and_the_trust_list(tmp_path: Path) -> None:
    trust = TrustList.load(VECTORS / "trust.json")
    site = build_verifier_site(tmp_path / "site", trust)
    names = sorted(p.name for p in (tmp_path / "site").iterdir())
    assert names == sorted([*PAGE_FILES, "data.js", "trust.json"])
    assert [p.name for p in site.files] == [*PAGE_FILES, "data.js", "trust.json"]
    assert site.index == tmp_path / "site" / "index.html"
    assert TrustList.load(tmp_path / "site" / "trust.json") == trust
    assert site_data(tmp_path / "site")["trust"] == json.loads(trust.to_json())


def test_same_inputs_give_byte_identical_sites(tmp_path: Path) -> None:
    trust = TrustList.load(VECTORS / "trust.json")
    names = partner_names(load_spec(EXAMPLE_SPEC))
    extra = [Revocation(credential_id="b-id", reason="lost"), Revocation(credential_id="a-id")]
    first = build_verifier_site(tmp_path / "one", trust, revoked=extra, names=names)
    second = build_verifier_site(tmp_path / "two", trust, revoked=list(reversed(extra)), names=dict(reversed(names.items())))
    assert [p.read_bytes() for p in first.files] == [p.read_bytes() for p in second.files]


def test_page_files_reference_only_files_of_the_site() -> None:
    """No CDN, font service or tracker: every src and href of the page is one of its own files (or inline)."""

    class Links(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.found += [value or "" for name, value in attrs if name in ("src", "href", "action", "srcset")]

    parser = Links()
    parser.found = []
    parser.feed((TEMPLATES / "index.html").read_text(encoding="utf-8"))
    assert set(parser.found) == {"data:,", "verifier.css", "data.js", "seal.js", "page.js", "trust.json"}
    css = (TEMPLATES / "verifier.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css
    for script in ("seal.js", "page.js"):
        code = (TEMPLATES / script).read_text(encoding="utf-8")
        assert not re.search(r"\b(fetch|XMLHttpRequest|sendBeacon|WebSocket|EventSource|import)\s*\(", code)
        assert not re.search(r"\.innerHTML|outerHTML|insertAdjacentHTML|document\.write", code)
        assert re.findall(r"https?://[^\s\"']+", code) in ([], ["http://www.w3.org/2000/svg"])


def test_every_language_has_every_message_the_page_uses() -> None:
    messages = _messages()
    assert {"en", "fr", "de"} <= set(messages)
    used = set(re.findall(r'data-text="([^"]+)"', (TEMPLATES / "index.html").read_text(encoding="utf-8")))
    page_js = (TEMPLATES / "page.js").read_text(encoding="utf-8")
    used |= set(re.findall(r'\bt\("([^"]+)"\s*[,)]', page_js))
    assert len(used) > 30
    used |= {f"reason.{r}" for r in Reason
             if r not in (Reason.VALID, Reason.RECORD_MISMATCH, Reason.MODIFIED, Reason.ESEAL_NOT_TRUSTED)}
    used |= {f"status.{view}.{part}" for view in ("unsupported", "error") for part in ("title", "text")}
    used |= {"language.name"}
    for language, table in messages.items():
        assert used <= set(table), language
        assert all(value.strip() for value in table.values()), language
        assert all(re.findall(r"\{\w+\}", table[key]) == re.findall(r"\{\w+\}", messages["en"][key])
                   for key in table), language


def test_revocations_given_apart_are_added_to_the_sites_trust_list(tmp_path: Path) -> None:
    trust = TrustList.load(VECTORS / "trust.json")
    credential_id = VALID_TOKEN["fields"]["credential_id"]
    listed = tmp_path / "revoked.json"
    listed.write_text(json.dumps([{"credential_id": credential_id, "reason": "withdrawn", "date": "2026-08-01"},
                                  "another-id"]), encoding="utf-8")
    revoked = load_revocations(listed)
    assert [r.credential_id for r in revoked] == ["another-id", credential_id]
    site = build_verifier_site(tmp_path / "site", trust, revoked=revoked)
    assert "revoked.json" in [p.name for p in site.files]
    assert load_revocations(tmp_path / "site" / "revoked.json") == revoked
    merged = TrustList.load(tmp_path / "site" / "trust.json")
    assert {r.credential_id for r in merged.revoked} == {r.credential_id for r in trust.revoked} | {
        credential_id, "another-id"}
    # `unadocs verify` with the site's trust list now says what the page says: revoked.
    assert verify(VALID_TOKEN["input"], tmp_path / "site" / "trust.json").reason is Reason.REVOKED
    assert verify(VALID_TOKEN["input"], VECTORS / "trust.json").reason is Reason.VALID


@pytest.mark.parametrize("text", ["[]", "{}", '{"keys": [], "revoked": []}'])
def test_an_empty_revocation_list_revokes_nothing(tmp_path: Path, text: str) -> None:
    path = tmp_path / "revoked.json"
    path.write_text(text, encoding="utf-8")
    assert load_revocations(path) == ()


@pytest.mark.parametrize("text", ['"x"', "not json", '{"revoked": [{"id": "x"}]}', '{"revoked": "x"}',
                                  '{"format": "other/1", "revoked": []}', '[{"credential_id": " "}]'])
def test_a_revocation_list_that_is_not_one_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "revoked.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SealError, match="revoked.json"):
        load_revocations(path)


def test_a_revocation_list_with_keys_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "revoked.json"
    path.write_text((VECTORS / "trust.json").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(SealError, match="holds no keys"):
        load_revocations(path)


def test_partner_ids_map_to_official_names_and_a_clash_is_an_error() -> None:
    consortium = load_spec(EXAMPLE_SPEC)
    names = partner_names(consortium)
    assert names["UH"] == "University of Helsinki"
    assert set(names) == {p.id for p in consortium.partners}
    assert partner_names(consortium, consortium) == names
    renamed = consortium.model_copy(update={"partners": [
        p.model_copy(update={"name": "Another University"}) if p.id == "UH" else p for p in consortium.partners]})
    with pytest.raises(SealError, match="'UH' names both"):
        partner_names(consortium, renamed)


def test_cli_writes_the_site_with_official_names(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["verifier-site", "--trust", str(VECTORS / "trust.json"),
                                       "--spec", str(EXAMPLE_SPEC), "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert f"verification page: {tmp_path / 'site' / 'index.html'}" in result.output
    names = site_data(tmp_path / "site")["names"]
    assert names == {pid: {"name": name} for pid, name in partner_names(load_spec(EXAMPLE_SPEC)).items()}


def test_cli_reports_a_missing_trust_list_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["verifier-site", "--trust", str(tmp_path / "nope.json"),
                                       "-o", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {tmp_path / 'nope.json'}: trust list not found"
    assert not (tmp_path / "site").exists()


def test_out_must_be_a_directory(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(SealError, match="not a directory"):
        build_verifier_site(tmp_path / "file", TrustList())
