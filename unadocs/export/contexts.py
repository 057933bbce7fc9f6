"""The JSON-LD contexts of the exports, served from the package so that documents expand offline.

:func:`offline_loader` is a document loader in the shape pyld expects
(``loader(url, options) -> {"document": ...}``). It knows exactly the
contexts our documents name and refuses every other URL, so that processing
never reaches the network. ``unadocs/data/contexts/README.md`` gives the
provenance of each file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

from unadocs.errors import UnadocsError

__all__ = ["CONTEXT_FILES", "EDC_CONTEXT", "OB3_CONTEXT", "VC1_CONTEXT", "VC2_CONTEXT", "context", "offline_loader"]

VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
EDC_CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

#: Context URL -> file under unadocs/data/contexts.
CONTEXT_FILES = {
    VC1_CONTEXT: "credentials-v1-terms.jsonld",
    EDC_CONTEXT: "edc-ap-context.jsonld",
    VC2_CONTEXT: "credentials-v2-terms.jsonld",
    OB3_CONTEXT: "ob-context-3.0.3.json",
}


@lru_cache(maxsize=None)
def _text(url: str) -> str:
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise UnadocsError(f"no offline copy of the JSON-LD context {url!r}; unadocs knows {', '.join(CONTEXT_FILES)}")
    return resources.files("unadocs").joinpath("data", "contexts", name).read_text(encoding="utf-8")


def context(url: str) -> dict[str, Any]:
    """The context document served for ``url`` (a fresh copy each time)."""
    document: dict[str, Any] = json.loads(_text(url))
    return document


def offline_loader() -> Callable[[str, Any], dict[str, Any]]:
    """A pyld document loader that serves only the packaged contexts."""

    def load(url: str, options: Any = None) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": context(url)}

    return load
