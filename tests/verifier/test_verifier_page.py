"""The verification page in a real browser: real certificates scanned from their PDF, the verdicts a
visitor sees, privacy (no request beyond the site), phones, languages and accessibility."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
import zxingcpp
from PIL import Image

from tests.conftest import EXAMPLE_LEARNERS
from tests.verifier.conftest import NARROW, PHONE, VECTORS, Browser, Server, fragment_of, vector
from unadocs.seal.keys import load_signer
from unadocs.seal.payload import Payload, b64url_encode, seal
from unadocs.verifier.site import PAGE_FILES, Site


def unadocs(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the ``unadocs`` command line as a user would."""
    return subprocess.run([sys.executable, "-m", "unadocs.cli", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8")


def scan_first_page(pdf: Path, tmp: Path) -> str:
    """The text of the QR code on page 1, as a phone would read it: rendered at 150 dpi, decoded by zxing-cpp."""
    prefix = tmp / pdf.stem
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf), str(prefix)],
                   check=True)
    with Image.open(prefix.with_suffix(".png")) as image:
        texts = [r.text for r in zxingcpp.read_barcodes(image) if r.valid]
    assert len(texts) == 1, texts
    return texts[0]


@dataclass(frozen=True)
class Issued:
    site: Site
    server: Server
    spec: dict[str, Any]
    learners: list[dict[str, str]]
    valid_link: str
    valid_pdf: Path
    specimen_link: str


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory, example_data: dict[str, Any]) -> Iterator[Issued]:
    """Certificates issued with ``unadocs certificates`` (approved and draft spec), the site for their key, served."""
    tmp = tmp_path_factory.mktemp("issued-for-page")
    approved = copy.deepcopy(example_data)
    approved["agreement"]["status"] = "approved"
    approved_spec = tmp / "approved.yaml"
    approved_spec.write_text(yaml.safe_dump(approved, sort_keys=False, allow_unicode=True), encoding="utf-8")
    draft_spec = tmp / "draft.yaml"
    draft_spec.write_text(yaml.safe_dump(example_data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    lines = EXAMPLE_LEARNERS.read_text(encoding="utf-8").splitlines()
    one_learner = tmp / "one.csv"
    one_learner.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")

    done = unadocs("keys", "generate", "--issuer", "UH", "--out", tmp / "keys",
                   "--valid-from", "2025-09-01", "--valid-until", "2029-08-31")
    assert done.returncode == 0, done.stderr
    key = next((tmp / "keys").glob("UH-*.pem"))
    done = unadocs("certificates", approved_spec, one_learner, "--key", key, "-o", tmp / "approved")
    assert done.returncode == 0, done.stderr
    done = unadocs("certificates", draft_spec, one_learner, "--key", key, "-o", tmp / "draft")
    assert done.returncode == 0, done.stderr
    done = unadocs("verifier-site", "--trust", tmp / "keys" / "trust.json", "--spec", approved_spec, "-o", tmp / "site")
    assert done.returncode == 0, done.stderr

    import csv

    with EXAMPLE_LEARNERS.open(encoding="utf-8") as fh:
        learners = list(csv.DictReader(fh))
    first = learners[0]["learner_id"]
    valid_pdf = tmp / "approved" / f"{first}.pdf"
    scans = tmp / "scans"
    scans.mkdir()
    site = Site(tmp / "site", tuple(sorted((tmp / "site").iterdir())))
    server = Server(site.directory)
    yield Issued(site, server, approved, learners, scan_first_page(valid_pdf, scans), valid_pdf,
                 scan_first_page(tmp / "draft" / f"{first}.pdf", scans))
    server.close()


def own_requests_only(seen: dict[str, Any], origin: str) -> None:
    assert seen["requests"], "the browser recorded no request at all"
    strangers = [url for url in seen["requests"] if not url.startswith(origin + "/")]
    assert strangers == []


def test_a_certificate_scanned_from_its_pdf_shows_valid_with_the_learners_name(
    issued: Issued, browser: Browser
) -> None:
    assert issued.valid_link.startswith("https://verify.una-europa.eu/c/#")
    learner = issued.learners[0]
    cli = unadocs("verify", issued.valid_pdf, "--trust", issued.site.directory / "trust.json", "--json")
    assert cli.returncode == 0, cli.stdout
    fields = json.loads(cli.stdout)["fields"]

    seen = browser.open(f"{issued.server.origin}/index.html#{fragment_of(issued.valid_link)}", width=PHONE)
    assert (seen["state"], seen["title"]) == ("valid", "Valid")
    assert seen["fields"]["name"] == f"{learner['given_names']} {learner['family_name']}" == fields["name"]
    assert seen["fields"]["title"] == issued.spec["credential"]["title"]
    assert seen["fields"]["ects"] == f"{issued.spec['credential']['ects']} ECTS"
    assert seen["fields"]["eqf"] == str(issued.spec["credential"]["eqf_level"])
    assert seen["fields"]["issued"].endswith(f"({learner['issued']})")
    assert seen["fields"]["credential_id"] == fields["credential_id"]
    assert seen["fields"]["issuer"] == "University of Helsinki"
    assert seen["fields"]["awarding"] == [
        {"UH": "University of Helsinki", "UNIBO": "University of Bologna", "UJ": "Jagiellonian University"}.get(a, a)
        for a in fields["awarding"]
    ]
    assert "University of Helsinki" in seen["fields"]["awarding"]
    own_requests_only(seen, issued.server.origin)
    assert seen["page_errors"] == [] and seen["console_errors"] == []


def test_a_draft_certificate_scanned_from_its_pdf_is_not_valid_as_a_specimen(
    issued: Issued, browser: Browser, english: dict[str, str]
) -> None:
    seen = browser.open(f"{issued.server.origin}/index.html#{fragment_of(issued.specimen_link)}")
    assert (seen["state"], seen["reason"], seen["title"]) == ("invalid", "specimen", "Not valid")
    assert english["reason.specimen"] in seen["text"]


def test_the_server_never_receives_the_token_and_the_page_fetches_only_its_own_files(
    issued: Issued, browser: Browser, vectors: list[dict[str, Any]]
) -> None:
    token = fragment_of(issued.valid_link)
    before = len(issued.server.requested)
    for fragment in (token, token[:-3] + "AAA", fragment_of(vector(vectors, "unknown-key")["input"]), ""):
        seen = browser.open(f"{issued.server.origin}/index.html#{fragment}")
        own_requests_only(seen, issued.server.origin)
    paths = issued.server.requested[before:]
    assert paths and {p.lstrip("/") for p in paths} <= set(PAGE_FILES) | {"data.js"}
    assert not any(token[:20] in p for p in paths)


def test_page_opened_from_disk_works_like_the_hosted_one(issued: Issued, browser: Browser) -> None:
    """``make demo`` prints a file:// link: the page must not need a server (no fetch, no modules)."""
    url = f"{issued.site.index.resolve().as_uri()}#{fragment_of(issued.valid_link)}"
    seen = browser.open(url)
    assert (seen["state"], seen["fields"]["name"]) == ("valid", "Siobhán Ní Bhriain")
    assert all(u.startswith(issued.site.directory.resolve().as_uri() + "/") for u in seen["requests"])
    assert seen["page_errors"] == [] and seen["console_errors"] == []


@pytest.mark.parametrize("name", ["valid-long-name", "tampered-name", "revoked", "malformed-too-long"])
@pytest.mark.parametrize("width", [NARROW, PHONE])
def test_page_is_readable_on_a_phone_without_sideways_scrolling(
    name: str, width: int, browser: Browser, page_url: str, vectors: list[dict[str, Any]]
) -> None:
    seen = browser.open(f"{page_url}#{fragment_of(vector(vectors, name)['input'])}", width=width, height=640)
    assert seen["state"] in ("valid", "invalid")
    assert seen["client_width"] == width
    assert seen["scroll_width"] <= seen["client_width"]


def test_page_without_a_certificate_explains_how_to_use_it(
    browser: Browser, page_url: str, english: dict[str, str]
) -> None:
    for url in (page_url, page_url + "#"):
        seen = browser.open(url, width=NARROW)
        assert (seen["state"], seen["title"]) == ("empty", english["status.empty.title"])
        assert english["status.empty.text"] in seen["text"]
        assert english["checked.heading"] in seen["body_text"]
        assert seen["page_errors"] == [] and seen["console_errors"] == []
        assert seen["scroll_width"] <= seen["client_width"]


@pytest.mark.parametrize(("locale", "flag", "language", "valid", "invalid"), [
    ("fr-FR", None, "fr", "Valide", "Non valide"),
    ("fr-CA", None, "fr", "Valide", "Non valide"),
    ("de-CH", None, "de", "Gültig", "Nicht gültig"),
    ("it-IT", None, "it", "Valido", "Non valido"),
    ("es-ES", None, "es", "Válido", "No válido"),
    ("sv-FI", None, "sv", "Giltigt", "Inte giltigt"),
    ("nl-BE", None, "nl", "Geldig", "Niet geldig"),
    ("pt-PT", None, "en", "Valid", "Not valid"),
    ("en-GB", None, "en", "Valid", "Not valid"),
    # Chromium started in Finnish or Polish (--lang and --accept-lang), as a Finnish or Polish user's browser is.
    ("", "fi", "fi", "Pätevä", "Ei pätevä"),
    ("", "pl", "pl", "Ważny", "Nieważny"),
])
def test_page_speaks_the_browsers_language(
    locale: str, flag: str | None, language: str, valid: str, invalid: str, browser: Browser, page_url: str,
    vectors: list[dict[str, Any]]
) -> None:
    good = browser.open(f"{page_url}#{fragment_of(vector(vectors, 'valid')['input'])}", locale=locale, lang=flag)
    assert (good["lang"], good["title"]) == (language, valid)
    bad = browser.open(f"{page_url}#{fragment_of(vector(vectors, 'revoked')['input'])}", locale=locale, lang=flag)
    assert (bad["lang"], bad["title"]) == (language, invalid)
    table = json.loads((Path(__file__).parents[2] / "templates" / "verifier" / "messages" / f"{language}.json")
                       .read_text(encoding="utf-8"))
    assert table["reason.revoked"] in bad["text"]
    assert bad["doc_title"] == table["page.title"]


def test_every_language_of_the_member_universities_has_the_pages_words() -> None:
    """The languages of Una Europa's members (and of the certificates): en, fr, de, it, es, pl, fi, sv, nl."""
    folder = Path(__file__).parents[2] / "templates" / "verifier" / "messages"
    assert {p.stem for p in folder.glob("*.json")} >= {"en", "fr", "de", "it", "es", "pl", "fi", "sv", "nl"}


def test_language_switch_changes_the_words_and_says_which_is_chosen(
    browser: Browser, page_url: str, vectors: list[dict[str, Any]]
) -> None:
    url = f"{page_url}#{fragment_of(vector(vectors, 'tampered-name')['input'])}"
    seen = browser.open(url, locale="en-US", actions=[{"click": "button[data-language=de]"}])
    assert (seen["lang"], seen["title"], seen["reason"]) == ("de", "Nicht gültig", "bad-signature")
    assert {b["code"]: b["pressed"] for b in seen["languages"]} == {
        code: "true" if code == "de" else "false" for code in ("en", "de", "es", "fi", "fr", "it", "nl", "pl", "sv")}
    assert {b["label"] for b in seen["languages"]} == {"English", "Deutsch", "Español", "Suomi", "Français",
                                                       "Italiano", "Nederlands", "Polski", "Svenska"}
    assert "manipuliert oder beschädigt" in seen["text"]


@pytest.mark.parametrize(("name", "state", "icon", "word"), [
    ("valid", "valid", "#icon-valid", "Valid"),
    ("tampered-name", "invalid", "#icon-invalid", "Not valid"),
])
def test_the_verdict_is_announced_and_told_by_icon_and_words_not_colour_alone(
    name: str, state: str, icon: str, word: str, browser: Browser, page_url: str, vectors: list[dict[str, Any]]
) -> None:
    seen = browser.open(f"{page_url}#{fragment_of(vector(vectors, name)['input'])}")
    assert (seen["status_id"], seen["status_live"]) == ("result", "polite")
    assert (seen["state"], seen["icon"], seen["title"]) == (state, icon, word)


def _luminance(css: str) -> float:
    numbers = [float(x) for x in re.findall(r"[\d.]+", css)[:3]]

    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in numbers)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", ["valid", "revoked", "malformed-empty"])
def test_text_contrast_meets_wcag_aa(name: str, browser: Browser, page_url: str, vectors: list[dict[str, Any]]) -> None:
    seen = browser.open(f"{page_url}#{fragment_of(vector(vectors, name)['input'])}")
    assert len(seen["colours"]) > 10
    poor = [(c["text"], round(contrast(c["colour"], c["background"]), 2)) for c in seen["colours"]
            if contrast(c["colour"], c["background"]) < 4.5]
    assert poor == []


def test_learner_data_is_shown_as_text_never_as_markup(
    browser: Browser, page_url: str, vector_server: Server
) -> None:
    signer = load_signer(VECTORS / "TEST-ONLY-UH.pem")
    name = '<img src=x onerror="document.title=1"><script>document.title=2</script>{{ 7*7 }} &amp; Ω'
    payload = Payload(credential_id="<b>id</b>", name=name, title="<i>Title</i> & co", issued=date(2026, 6, 30),
                      ects="5", eqf=6, awarding=("UH", "<svg onload=alert(1)>"), issuer="UH", key_id=signer.key_id,
                      sealed=date(2026, 6, 30), record_sha256=b64url_encode(bytes(32)))
    seen = browser.open(f"{page_url}#{seal(payload, signer)}")
    assert seen["state"] == "valid"
    assert seen["fields"]["name"] == name
    assert seen["fields"]["title"] == "<i>Title</i> & co"
    assert seen["fields"]["credential_id"] == "<b>id</b>"
    assert seen["fields"]["awarding"] == ["University of Helsinki", "<svg onload=alert(1)>"]
    assert seen["script_elements_in_result"] == 0
    assert seen["doc_title"] == "Certificate verification"
    own_requests_only(seen, vector_server.origin)
    assert seen["page_errors"] == []


def test_a_pasted_link_is_checked_in_place(browser: Browser, page_url: str, vectors: list[dict[str, Any]]) -> None:
    link = vector(vectors, "valid")["input"]
    seen = browser.open(page_url, actions=[
        {"fill": "#paste-input", "value": link},
        {"click": "#paste-form button[type=submit]", "expect": "valid"},
    ])
    assert (seen["state"], seen["fields"]["name"]) == ("valid", vector(vectors, "valid")["fields"]["name"])
    assert seen["focused"] == "result"


def test_a_revocation_shows_its_reason_and_date(browser: Browser, page_url: str, vectors: list[dict[str, Any]]) -> None:
    seen = browser.open(f"{page_url}#{fragment_of(vector(vectors, 'revoked')['input'])}")
    assert seen["reason"] == "revoked"
    assert "Reason given: issued in error" in seen["text"]
    assert "Revoked on July 1, 2026 (2026-07-01)." in seen["text"]


def test_demo_site_links_open_a_valid_example_and_the_specimen(
    tmp_path: Path, browser: Browser, official_names: dict[str, str]
) -> None:
    from unadocs.load import load_spec
    from unadocs.resources import example_learners, example_spec
    from unadocs.seal.keys import generate_key
    from unadocs.verifier.demo import demo_site

    consortium = load_spec(example_spec())
    assert consortium.is_draft
    key = generate_key("UH", tmp_path / "keys", valid_from=consortium.term.start, valid_until=consortium.term.end)
    shown = demo_site(consortium, example_learners(), key.private_key_path, key.trust_path, tmp_path / "verifier")
    assert shown.valid_url.startswith((tmp_path / "verifier" / "index.html").as_uri() + "#")
    valid = browser.open(shown.valid_url)
    assert (valid["state"], valid["fields"]["name"]) == ("valid", "Siobhán Ní Bhriain")
    assert valid["fields"]["issuer"] == official_names["UH"]
    assert shown.specimen_url is not None
    specimen = browser.open(shown.specimen_url)
    assert (specimen["state"], specimen["reason"]) == ("invalid", "specimen")


def test_without_its_checking_script_the_page_says_it_cannot_check_rather_than_going_blank(
    tmp_path: Path, browser: Browser, english: dict[str, str], vectors: list[dict[str, Any]]
) -> None:
    from unadocs.seal.trust import TrustList
    from unadocs.verifier.site import build_verifier_site

    site = build_verifier_site(tmp_path / "site", TrustList.load(VECTORS / "trust.json"))
    (site.directory / "seal.js").unlink()  # as if the browser could not run it
    server = Server(site.directory)
    try:
        seen = browser.open(f"{server.origin}/index.html#{fragment_of(vector(vectors, 'valid')['input'])}")
    finally:
        server.close()
    assert (seen["state"], seen["title"]) == ("unsupported", english["status.unsupported.title"])
    assert english["status.unsupported.text"] in seen["text"]
    assert seen["page_errors"] == []
