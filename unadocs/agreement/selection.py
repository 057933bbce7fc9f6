"""Which clause files apply to a consortium, and why.

A file applies when its condition holds and, for a part, when its clause
applies. Variants of one option share a ``group``; at most one of them may
apply, so that the agreement never says two contradictory things.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from unadocs.agreement.library import ClauseFile, Library
from unadocs.agreement.templating import evaluate_condition, explain_condition
from unadocs.errors import TemplateError

__all__ = ["Selected", "select"]


@dataclass(frozen=True)
class Selected:
    """A clause file that applies, with the reason (its condition and the values it tested)."""

    clause: ClauseFile
    reason: str
    parts: tuple[Selected, ...] = ()


def select(library: Library, context: Mapping[str, Any]) -> list[Selected]:
    """The applicable files in document order; parts nested under their clause."""
    applies = {f.id: evaluate_condition(f, context) for f in library.files}
    groups: dict[tuple[str | None, str], ClauseFile] = {}
    for f in library.files:
        if f.group and applies[f.id]:
            key = (f.part_of, f.group)
            if key in groups:
                raise TemplateError(
                    f"clause files {groups[key].path.name} and {f.path.name} are both variants of "
                    f"{f.group!r} and both apply; make their conditions exclusive"
                )
            groups[key] = f
    chosen: list[Selected] = []
    for f in library.files:
        if f.kind == "part" or not applies[f.id]:
            continue
        parts = tuple(
            Selected(p, explain_condition(p, context))
            for p in sorted((p for p in library.files if p.part_of == f.id and applies[p.id]),
                            key=lambda p: (p.order, p.id))
        )
        chosen.append(Selected(f, explain_condition(f, context), parts))
    return chosen
