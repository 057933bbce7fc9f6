"""Offline JSON-LD and SHACL helpers for the export tests: documents to RDF, RDF to SHACL violations.

The pipeline: pyld expands a document with the package's offline document
loader (:func:`unadocs.export.contexts.offline_loader`) and writes N-Triples,
rdflib parses them, pyshacl validates the graph against the EDC shapes.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import pyshacl
import rdflib
from pyld import jsonld

from unadocs.export.contexts import offline_loader

STANDARDS = Path(__file__).parent / "fixtures" / "standards"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


class Violation(NamedTuple):
    """A failed SHACL constraint: on which node, along which property, of which kind."""

    focus: str
    path: str
    component: str


#: Base IRI for expansion: a type that no context defines would come out relative to it.
UNDEFINED_BASE = "https://undefined-term.invalid/"


def expand(document: dict[str, Any]) -> tuple[list[Any], list[str]]:
    """The expanded document and the terms no context defines: dropped properties and unresolved types."""
    dropped: list[str] = []
    expanded = jsonld.expand(document, {"documentLoader": offline_loader(), "base": UNDEFINED_BASE},
                             on_property_dropped=lambda term: dropped.append(str(term)))
    return expanded, dropped + [t.removeprefix(UNDEFINED_BASE) for t in _types(expanded)
                                if t.startswith(UNDEFINED_BASE)]


def _types(node: Any) -> list[str]:
    if isinstance(node, list):
        return [t for item in node for t in _types(item)]
    if not isinstance(node, dict):
        return []
    found = list(node.get("@type", [])) if isinstance(node.get("@type"), list) else []
    return found + [t for key, value in node.items() if key != "@type" for t in _types(value)]


def to_graph(document: dict[str, Any]) -> rdflib.Graph:
    """The document's RDF graph, built offline."""
    triples = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": offline_loader()})
    graph = rdflib.Graph()
    graph.parse(data=triples, format="nt")  # the default graph only: N-Quads without graph names are N-Triples
    return graph


@lru_cache(maxsize=1)
def edc_shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(STANDARDS / "elm" / "EDC-generic-no-cv.ttl", format="turtle")


def shacl_violations(graph: rdflib.Graph) -> set[Violation]:
    """The constraints the graph fails, as (focus node, property, constraint kind).

    A failed ``sh:node`` constraint only says that a nested node failed its
    own shape; it is left out when that nested node's own failure is in the
    set (and kept, so that nothing is hidden, when it is not).
    """
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=edc_shapes())
    results = list(report.subjects(rdflib.RDF.type, SH.ValidationResult))
    leaf: set[Violation] = set()
    nested: list[tuple[Violation, str]] = []
    for result in results:
        found = Violation(str(report.value(result, SH.focusNode)), str(report.value(result, SH.resultPath)),
                          str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1])
        if found.component == "NodeConstraintComponent":
            nested.append((found, str(report.value(result, SH.value))))
        else:
            leaf.add(found)
    failing_nodes = {v.focus for v in leaf}
    leaf |= {v for v, value in nested if value not in failing_nodes}
    assert conforms == (not leaf)
    return leaf
