"""EU controlled-vocabulary concepts, read from ``unadocs/data/vocabularies.yaml``.

ELM wants concepts (EQF level, ECTS, mode, country, language...) as the URIs
of the EU vocabularies. The table in the YAML file cites where each URI comes
from; this module only looks them up and shapes them as ELM ``Concept`` nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from unadocs.errors import ExportError

__all__ = ["Concept", "concept", "vocabulary"]


@dataclass(frozen=True)
class Concept:
    """One concept of an EU vocabulary; ``uri`` is None when the table has no citable URI for it."""

    scheme: str
    uri: str | None
    label: str
    source: str
    notation: str | None = None

    def node(self) -> dict[str, Any]:
        """The concept as an ELM JSON-LD node (the shape of the Commission's sample)."""
        if self.uri is None:
            raise ExportError(f"no concept URI for {self.label!r} in {self.scheme}")
        out: dict[str, Any] = {
            "id": self.uri,
            "type": "Concept",
            "inScheme": {"id": self.scheme, "type": "ConceptScheme"},
        }
        if self.notation:
            out["notation"] = self.notation
        out["prefLabel"] = {"en": self.label}
        return out


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    text = resources.files("unadocs").joinpath("data", "vocabularies.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def vocabulary(name: str) -> dict[str, Concept]:
    """Every concept of one vocabulary of the table (``eqf``, ``country``...), keyed by our model's value."""
    entry = _table()[name]
    return {
        str(key): Concept(entry["scheme"], value["uri"], value["label"], value["source"], entry.get("notation"))
        for key, value in entry["concepts"].items()
    }


def concept(name: str, key: str | int) -> Concept:
    """The concept for one of our values; :class:`ExportError` naming the vocabulary when it has none."""
    concepts = vocabulary(name)
    found = concepts.get(str(key))
    if found is None:
        known = ", ".join(sorted(concepts))
        raise ExportError(f"{key!r} has no concept in the EU vocabulary {name!r} of unadocs (known: {known})")
    return found
