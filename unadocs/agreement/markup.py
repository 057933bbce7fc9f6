"""The clause markup: how a rendered clause body becomes paragraphs.

Blocks are separated by blank lines; a line that starts with a marker also
starts a new block. In a clause, an unmarked block is a numbered sub-clause
(1.1, 1.2 ...); elsewhere (preamble, signature pages, annexes) it is plain
text.

=================  ======================================================
``[#label] text``  numbered sub-clause that others can cite with ``ref('label')``
``(a) text``       lettered item under the sub-clause ((a), (b) ... by Word)
``- text``         bullet
``= text``         plain paragraph (no number)
``(1) text``       a party in the preamble ((1), (2) ... by Word)
``(A) text``       a recital ((A), (B) ... by Word)
``## text``        a sub-heading
``>> text``        heading of a signature page (starts a new page)
``___ text``       a signature line with its caption
``~ text``         a drafting note (drafts only)
``| a | b |``      a table row; the first row is the header
=================  ======================================================

Inline: ``**bold**`` (a term where it is defined) and the references that
``ref()``/``num()`` produce. Values printed with ``{{ }}`` arrive as literal
placeholders and are never read as markup; their text is marked ``literal``
so that the drafting lint can tell the spec's words from the clause's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from unadocs.agreement.templating import ABOUT, LITERAL_CLOSE, LITERAL_OPEN

__all__ = ["Text", "Ref", "Span", "Block", "BlockKind", "parse_blocks", "parse_inline", "starts_sentence"]

BlockKind = Literal["clause2", "clause3", "body", "bullet", "party", "recital", "subheading", "sighead",
                    "sigline", "note", "table"]


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool = False
    literal: bool = False
    """Text that came from the spec (a ``{{ value }}``), not from the clause file."""


@dataclass(frozen=True)
class Ref:
    """A cross-reference to a clause, sub-clause or annex; ``word`` prefixes "clause " or "Annex "."""

    target: str
    word: bool
    about: str | None = None
    """What the reference cites, in words the cited text contains (checked by the drafting lint)."""


Span = Text | Ref


@dataclass
class Block:
    kind: BlockKind
    spans: list[Span] = field(default_factory=list)
    label: str | None = None
    rows: list[list[list[Span]]] = field(default_factory=list)
    """Table rows of cells (tables only); the first row is the header."""
    line: str = ""
    """The block's first source line, for error messages."""
    number: str | None = None
    """The number Word shows (13.2, 13.2(a)), once :func:`unadocs.agreement.numbering.number_sections` ran."""


_MARKERS: list[tuple[re.Pattern[str], BlockKind]] = [
    (re.compile(r"^\((?:[a-z]{1,4})\)\s+"), "clause3"),
    (re.compile(r"^\(\d+\)\s+"), "party"),
    (re.compile(r"^\([A-Z]\)\s+"), "recital"),
    (re.compile(r"^-\s+"), "bullet"),
    (re.compile(r"^=\s*"), "body"),
    (re.compile(r"^##\s+"), "subheading"),
    (re.compile(r">>\s+"), "sighead"),
    (re.compile(r"^___\s*"), "sigline"),
    (re.compile(r"^~\s+"), "note"),
]
_LABEL = re.compile(r"^\[#([A-Za-z0-9_.-]+)\]\s*")
_INLINE = re.compile(
    r"(\*\*)|\[\[(ref|num):([A-Za-z0-9_.-]+)(?:" + ABOUT + r"([^\]" + ABOUT + r"]*))?\]\]|"
    + LITERAL_OPEN + r"(\d+)" + LITERAL_CLOSE
)


def parse_inline(text: str, literals: list[str]) -> list[Span]:
    """Spans of one paragraph: bold toggled by ``**``, references, literal values."""
    spans: list[Span] = []
    bold = False
    pos = 0

    def add(chunk: str, literal: bool = False) -> None:
        if not chunk:
            return
        last = spans[-1] if spans else None
        if isinstance(last, Text) and (last.bold, last.literal) == (bold, literal):
            spans[-1] = Text(last.text + chunk, bold, literal)
        else:
            spans.append(Text(chunk, bold, literal))

    for m in _INLINE.finditer(text):
        add(text[pos:m.start()])
        pos = m.end()
        if m.group(1):
            bold = not bold
        elif m.group(2):
            spans.append(Ref(m.group(3), word=m.group(2) == "ref", about=m.group(4)))
        else:
            add(" ".join(literals[int(m.group(5))].split("\n")), literal=True)
    add(text[pos:])
    return spans


def starts_sentence(before: str) -> bool:
    """Whether text written after ``before`` (in the same paragraph) starts a sentence."""
    stripped = before.rstrip()
    return not stripped or stripped[-1] in ".?!"


def _start(line: str) -> tuple[BlockKind | None, str, str | None]:
    """The marker kind a line opens, the text after the marker, and a label."""
    stripped = line.lstrip()
    label = None
    m = _LABEL.match(stripped)
    if m:
        label, stripped = m.group(1), stripped[m.end():]
        kind: BlockKind | None = "clause2"
    else:
        kind = None
    for pattern, marker_kind in _MARKERS:
        mm = pattern.match(stripped)
        if mm:
            rest = stripped[mm.end():]
            m2 = _LABEL.match(rest)
            if m2:
                label, rest = m2.group(1), rest[m2.end():]
            return marker_kind, rest, label
    return kind, stripped, label


def parse_blocks(text: str, literals: list[str], default: BlockKind) -> list[Block]:
    """The blocks of a rendered clause body."""
    blocks: list[Block] = []
    pending: list[str] = []
    current: Block | None = None

    def flush() -> None:
        nonlocal current, pending
        if current is not None and current.kind != "table":
            current.spans = parse_inline(" ".join(pending).strip(), literals)
            if current.spans or current.kind == "sigline":
                blocks.append(current)
        elif current is not None:
            blocks.append(current)
        current, pending = None, []

    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("|"):
            if current is None or current.kind != "table":
                flush()
                current = Block("table", line=line)
            if re.fullmatch(r"\|[\s:|-]+\|?", line):
                continue  # a Markdown-style separator row
            cells = line.strip("|").split("|")
            current.rows.append([parse_inline(c.strip(), literals) for c in cells])
            continue
        kind, rest, label = _start(line)
        if kind is not None or current is None or current.kind == "table":
            flush()
            current = Block(kind or default, label=label, line=line)
            pending = [rest]
        else:
            pending.append(rest)
    flush()
    return blocks
