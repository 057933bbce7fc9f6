"""Clause numbers and bookmarks, computed the way Word numbers the list.

Word shows the numbers (they are list numbering, not typed text); unadocs
computes the same numbers so that every cross-reference and the table of
contents carry the right cached result when the file is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from unadocs.agreement.library import ClauseFile
from unadocs.agreement.markup import Block, Ref, Span, Text, starts_sentence
from unadocs.errors import TemplateError

__all__ = ["Piece", "Section", "Numbers", "number_sections", "letter", "bookmark_name"]


@dataclass
class Piece:
    """The blocks one clause file contributes."""

    clause: ClauseFile
    reason: str
    blocks: list[Block]
    first: str | None = None
    """Number of its first numbered paragraph, if any."""
    last: str | None = None


@dataclass
class Section:
    """A clause with its parts, a preamble piece, the signature pages or an annex."""

    clause: ClauseFile
    reason: str
    pieces: list[Piece]
    number: str | None = None
    bookmark: str | None = None


@dataclass
class Numbers:
    """Every citable target (clause id or sub-clause label) with its number and bookmark."""

    number: dict[str, str] = field(default_factory=dict)
    bookmark: dict[str, str] = field(default_factory=dict)
    source: dict[str, ClauseFile] = field(default_factory=dict)

    def add(self, target: str, number: str, clause: ClauseFile) -> str:
        if target in self.number:
            raise TemplateError(
                f"clause file {clause.path.name}: the label {target!r} is already used in "
                f"{self.source[target].path.name}"
            )
        name = bookmark_name(target, set(self.bookmark.values()))
        self.number[target], self.bookmark[target], self.source[target] = number, name, clause
        return name

    def word(self, ref: Ref, before: str, item: bool = False) -> str:
        """The word a reference prints before its number: "Annex ", "clause ", or "Clause " starting a
        sentence (an ``item`` of a list continues its sentence, so it starts in lower case)."""
        if not ref.word:
            return ""
        if ref.target.startswith("annex."):
            return "Annex "
        return "Clause " if starts_sentence(before) and (before or not item) else "clause "

    def text(self, spans: list[Span], item: bool = False) -> str:
        """The text a reader sees: spans with each reference as its word and number ("?" if it has none)."""
        out = ""
        for span in spans:
            if isinstance(span, Text):
                out += span.text
            else:
                out += self.word(span, out, item) + self.number.get(span.target, "?")
        return out


def letter(n: int) -> str:
    """Word's lowerLetter format: a..z, then aa..zz."""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def bookmark_name(target: str, taken: set[str]) -> str:
    """A hidden Word bookmark name (``_Ref`` prefix, at most 40 characters) derived from the target."""
    base = "_Ref_" + re.sub(r"[^A-Za-z0-9]", "_", target)[:30]
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base[:36]}_{n}"
    return name


def number_sections(sections: list[Section]) -> Numbers:
    """Number the clauses, sub-clauses and items; return the targets for cross-references."""
    numbers = Numbers()
    clause_no = 0
    for section in sections:
        kind = section.clause.kind
        if kind == "clause":
            clause_no += 1
            section.number = str(clause_no)
            section.bookmark = numbers.add(section.clause.id, section.number, section.clause)
        elif kind == "annex":
            section.bookmark = numbers.add(f"annex.{section.clause.annex}", str(section.clause.annex),
                                           section.clause)
        sub = item = 0
        for piece in section.pieces:
            for block in piece.blocks:
                if kind != "clause" and block.kind in ("clause2", "clause3"):
                    raise TemplateError(
                        f"clause file {piece.clause.path.name}: numbered sub-clauses belong in clauses; "
                        f"in a {kind} write '= ' before the paragraph ({block.line[:40]!r})"
                    )
                if block.kind == "clause2":
                    sub, item = sub + 1, 0
                    num = f"{clause_no}.{sub}"
                elif block.kind == "clause3":
                    item += 1
                    num = f"{clause_no}.{sub}({letter(item)})" if sub else f"{clause_no}({letter(item)})"
                else:
                    if block.label:
                        raise TemplateError(
                            f"clause file {piece.clause.path.name}: the label {block.label!r} is on a paragraph "
                            "without a number; only numbered sub-clauses and items can be cited"
                        )
                    continue
                block.number = num
                if block.kind == "clause2" or piece.first is None:  # a part spans its sub-clauses, not items
                    piece.first = piece.first or num
                    piece.last = num
                if block.label:
                    numbers.add(block.label, num, piece.clause)
    return numbers
