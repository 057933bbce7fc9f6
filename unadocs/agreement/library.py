"""The clause library: one file per clause or variant, read from ``clauses/``.

A clause file is YAML front matter between ``---`` lines, then a Jinja2 body
in the clause markup (see :mod:`unadocs.agreement.markup`)::

    ---
    id: finance.centralised
    part_of: finance
    group: finance model
    order: 10
    condition: finance.model == "centralised"
    heading: Centralised model
    note: The collecting partner invoices every learner ...
    ---
    The {{ collecting.name }} collects all fees ...

Files are read once per directory and cached; a change to any file (its
modification time or size) invalidates the cache.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import yaml

from unadocs.errors import TemplateError

__all__ = ["ClauseFile", "Library", "load_library", "Kind"]

#: Where a file's text goes: the preamble, a numbered clause, a part of a
#: clause (more sub-clauses), the signature pages or an annex.
Kind = Literal["front", "clause", "part", "signatures", "annex"]
_KINDS = ("front", "clause", "part", "signatures", "annex")
_FIELDS = {"id", "kind", "part_of", "group", "order", "condition", "heading", "note", "annex"}


@dataclass(frozen=True)
class ClauseFile:
    """One clause or variant as written in its file."""

    id: str
    kind: Kind
    heading: str
    order: float
    path: Path
    source: str
    """The whole file with the front matter blanked, so that Jinja2's line numbers are the file's."""
    condition: str | None = None
    condition_line: int | None = None
    part_of: str | None = None
    group: str | None = None
    note: str | None = None
    annex: int | None = None
    labels: tuple[str, ...] = field(default=())
    """Sub-clause labels (``[#label]``) written in the body, for ``has()`` before rendering."""


@dataclass(frozen=True)
class Library:
    """Every clause file of a directory, in order, and the terms they define."""

    directory: Path
    files: tuple[ClauseFile, ...]

    @cached_property
    def defined_terms(self) -> frozenset[str]:
        """Every term some clause file defines (``**"Term"**``), whichever variant it is in."""
        return frozenset(term for f in self.files for term in _DEFINITION.findall(f.source))


_DEFINITION = re.compile(r'\*\*"([^"{}*]+)"\*\*')


def _fail(path: Path, message: str, line: int | None = None) -> TemplateError:
    where = f"{path.name}, line {line}" if line else path.name
    return TemplateError(f"clause file {where}: {message}")


def parse_clause_file(path: Path) -> ClauseFile:
    """Read one clause file; raise :class:`TemplateError` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, f"cannot be read ({exc})") from None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise _fail(path, "must start with a '---' line and YAML front matter", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise _fail(path, "the front matter has no closing '---' line", 1) from None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _fail(path, f"invalid front matter: {getattr(exc, 'problem', exc)}",
                    mark.line + 2 if mark else None) from None
    if not isinstance(meta, Mapping):
        raise _fail(path, "the front matter must be a mapping of fields", 2)

    def line_of(key: str) -> int | None:
        for i in range(1, end):
            if lines[i].startswith(f"{key}:"):
                return i + 1
        return None

    unknown = sorted(set(map(str, meta)) - _FIELDS)
    if unknown:
        raise _fail(path, f"unknown field {unknown[0]!r}; the fields are {', '.join(sorted(_FIELDS))}",
                    line_of(unknown[0]))
    for key in ("id", "heading", "order"):
        if meta.get(key) in (None, ""):
            raise _fail(path, f"the field {key!r} is required", 1)
    kind = meta.get("kind", "clause")
    if kind not in _KINDS:
        raise _fail(path, f"kind must be one of {', '.join(_KINDS)}, not {kind!r}", line_of("kind"))
    if (kind == "part") != ("part_of" in meta):
        raise _fail(path, "a file of kind 'part' needs 'part_of' (and only parts have it)", line_of("kind"))
    if kind == "annex" and not isinstance(meta.get("annex"), int):
        raise _fail(path, "an annex needs 'annex:' with its number", line_of("kind"))
    if not isinstance(meta["order"], int | float):
        raise _fail(path, "order must be a number", line_of("order"))
    condition = meta.get("condition")
    if condition is not None and not isinstance(condition, str):
        condition = str(condition).lower() if isinstance(condition, bool) else str(condition)
    body = _standalone_tags("\n" * end + "\n" + "\n".join(lines[end + 1:]))
    labels = tuple(re.findall(r"\[#([A-Za-z0-9_.-]+)\]", body))
    return ClauseFile(
        id=str(meta["id"]), kind=kind, heading=str(meta["heading"]), order=float(meta["order"]), path=path,
        source=body, condition=condition, condition_line=line_of("condition"),
        part_of=meta.get("part_of"), group=meta.get("group"),
        note=" ".join(str(meta["note"]).split()) if meta.get("note") else None, annex=meta.get("annex"),
        labels=labels,
    )


_STANDALONE_TAG = re.compile(r"^([ \t]*\{%-?.*?)(-?%\})[ \t]*\n", re.MULTILINE)


def _standalone_tags(source: str) -> str:
    """Move the line break after a line holding only a ``{% tag %}`` inside the tag.

    The line then leaves no blank line behind (a blank line separates
    paragraphs), while a tag at the end of a line of text keeps its line
    break, and Jinja2's line numbers still match the file's.
    """
    return _STANDALONE_TAG.sub(lambda m: f"{m.group(1)}\n{m.group(2)}", source)


_lock = threading.Lock()


def load_library(directory: Path | None = None) -> Library:
    """The clause library of ``directory`` (by default the packaged ``clauses/``), cached until a file changes."""
    from unadocs.resources import data_dir

    directory = directory or data_dir("clauses")
    paths = sorted(p for p in directory.glob("*.md") if p.name.lower() != "readme.md")
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    with _lock:
        return _load(directory, stamp)


@lru_cache(maxsize=8)
def _load(directory: Path, stamp: tuple[tuple[str, int, int], ...]) -> Library:
    files = [parse_clause_file(directory / name) for name, _, _ in stamp]
    seen: dict[str, ClauseFile] = {}
    for f in files:
        if f.id in seen:
            raise _fail(f.path, f"the id {f.id!r} is already used by {seen[f.id].path.name}")
        seen[f.id] = f
    for f in files:
        if f.part_of is not None and (f.part_of not in seen or seen[f.part_of].kind != "clause"):
            raise _fail(f.path, f"part_of names {f.part_of!r}, which is not the id of a clause")
    files.sort(key=lambda f: (_KINDS.index(f.kind) if f.kind != "part" else 1, f.order, f.id))
    return Library(directory, tuple(files))

