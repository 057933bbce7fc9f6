"""Write the static verification site: the page, its script and style, the trust list.

The site is a handful of files that any plain web server or object store can
host at a certificate's ``verification_url``::

    index.html  verifier.css  seal.js  page.js   copied from templates/verifier/
    data.js      the trust list, the awarding bodies' official names and the
                 page's words, for the page (a script, so that the page also
                 works when opened from disk, where browsers refuse fetch())
    trust.json   the same trust list, revocations included, for download and
                 for ``unadocs verify --trust`` (same list, same verdict)
    revoked.json the revocation list given with ``--revoked``, when one is

The page reads the token from the URL's #fragment, which browsers never send
to the server, and requests nothing beyond these files. The same inputs give
byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from unadocs.errors import SealError, TemplateError
from unadocs.resources import data_dir
from unadocs.files import atomic_write, read_bounded
from unadocs.seal.trust import FORMAT, MAX_TRUST_LIST_BYTES, Revocation, TrustList

if TYPE_CHECKING:
    from unadocs.model import Consortium

__all__ = ["PAGE_FILES", "Site", "build_verifier_site", "load_revocations", "partner_names", "site_link"]

#: The page's own files, copied verbatim from ``templates/verifier/``.
PAGE_FILES = ("index.html", "verifier.css", "seal.js", "page.js")
#: The language every other translation must match key for key.
BASE_LANGUAGE = "en"


@dataclass(frozen=True)
class Site:
    """What :func:`build_verifier_site` wrote."""

    directory: Path
    files: tuple[Path, ...]

    @property
    def index(self) -> Path:
        return self.directory / "index.html"


def partner_names(*consortia: Consortium) -> dict[str, str]:
    """Partner id -> official name, from one or more specs; an id named differently in two specs is an error."""
    names: dict[str, str] = {}
    for consortium in consortia:
        for partner in consortium.partners:
            known = names.setdefault(partner.id, partner.name)
            if known != partner.name:
                raise SealError(f"partner id {partner.id!r} names both {known!r} and {partner.name!r}")
    return names


def load_revocations(path: Path | str) -> tuple[Revocation, ...]:
    """Read a revocation list: a trust list file, ``{"revoked": [...]}`` or a bare JSON list of entries or ids.

    Entries are as in the trust list: ``{"credential_id": ..., "reason": ..., "date": ...}`` or a bare id.
    """
    path = Path(path)
    try:
        doc = json.loads(read_bounded(path, MAX_TRUST_LIST_BYTES, "revocation list", SealError).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SealError(f"{path}: cannot read the revocation list: {exc}") from None
    if isinstance(doc, list):
        doc = {"revoked": doc}
    if not isinstance(doc, dict):
        raise SealError(f"{path}: a revocation list is a JSON list or an object with 'revoked'")
    doc = {"format": FORMAT, **doc}
    trust = TrustList.from_json(json.dumps(doc), source=str(path))
    if trust.keys:
        raise SealError(f"{path}: a revocation list holds no keys; give keys with --trust")
    return trust.revoked


def _messages() -> dict[str, dict[str, str]]:
    folder = data_dir("templates") / "verifier" / "messages"
    messages: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            table = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise TemplateError(f"{path}: not JSON: {exc}") from None
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise TemplateError(f"{path}: must map message keys to text")
        messages[path.stem] = table
    if BASE_LANGUAGE not in messages:
        raise TemplateError(f"{folder}: {BASE_LANGUAGE}.json is missing")
    expected = set(messages[BASE_LANGUAGE])
    for language, table in messages.items():
        if set(table) != expected:
            missing = sorted(expected - set(table))
            extra = sorted(set(table) - expected)
            raise TemplateError(
                f"{folder / (language + '.json')}: keys differ from {BASE_LANGUAGE}.json "
                f"(missing {missing or 'none'}, unknown {extra or 'none'})"
            )
    return messages


def _data_script(trust: TrustList, names: Mapping[str, str]) -> bytes:
    messages = _messages()
    languages = [BASE_LANGUAGE] + sorted(lang for lang in messages if lang != BASE_LANGUAGE)
    data: dict[str, Any] = {
        "trust": json.loads(trust.to_json()),
        "names": {pid: {"name": names[pid]} for pid in sorted(names)},
        "languages": languages,
        "messages": messages,
    }
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    # JSON is JavaScript, but for these two characters in older engines.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (
        "/* Written by `unadocs verifier-site`: the trust list, names and words this page uses. */\n"
        f"window.UNADOCS_SITE = {text};\n"
    ).encode("utf-8")


def build_verifier_site(
    out_dir: Path | str,
    trust: TrustList,
    *,
    revoked: Iterable[Revocation] = (),
    names: Mapping[str, str] | None = None,
) -> Site:
    """Write the verification site into ``out_dir`` and return what was written.

    ``revoked`` adds revocations to those of the trust list; ``names`` maps the
    partner ids of payloads and trust list (``UH``) to the official names the
    page shows (:func:`partner_names`); an id without a name is shown as is.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise SealError(f"{out}: not a directory")
    extra = tuple(revoked)
    merged = trust
    for revocation in extra:
        merged = merged.with_revocation(revocation)
    source = data_dir("templates") / "verifier"
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(name: str, data: bytes) -> None:
        atomic_write(out / name, data)
        written.append(out / name)

    for name in PAGE_FILES:
        write(name, (source / name).read_bytes())
    write("data.js", _data_script(merged, names or {}))
    write("trust.json", merged.to_json().encode("utf-8"))
    if extra:
        listed = TrustList()
        for revocation in extra:
            listed = listed.with_revocation(revocation)
        write("revoked.json", listed.to_json().encode("utf-8"))
    return Site(out, tuple(written))


def site_link(site: Site | Path, token: str) -> str:
    """The ``file://`` URL of a site's page with ``token`` as its fragment, to open a local example."""
    index = site.index if isinstance(site, Site) else Path(site)
    return f"{index.resolve().as_uri()}#{token}"
