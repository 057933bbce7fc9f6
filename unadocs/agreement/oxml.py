"""WordprocessingML elements, built with lxml so that every text is escaped by construction.

This is the only module that knows the XML vocabulary of a paragraph, a run,
a field, a bookmark and a table (its companion :mod:`unadocs.agreement.revisions`
knows that of tracked changes). It refers to the template's styles by id and
sets no fonts or sizes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, TypeAlias

from lxml import etree  # type: ignore[import-untyped]

__all__ = ["W", "qn", "paragraph", "text_run", "field_runs", "table", "toc", "Element"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

#: An XML element (lxml ships no type information, so this is an alias for readers).
Element: TypeAlias = Any


@lru_cache(maxsize=None)
def qn(tag: str) -> str:
    """``w:p`` → Clark notation."""
    prefix, local = tag.split(":")
    assert prefix == "w"
    return f"{{{W}}}{local}"


def xml_text(text: str) -> str:
    """Text made safe for XML 1.0: control characters (never meaningful in a clause) are dropped."""
    return _NOT_XML.sub("", text)


_NSMAP = {"w": W}


def _el(tag: str, parent: Element | None = None, **attrs: str) -> Element:
    el = etree.SubElement(parent, qn(tag)) if parent is not None else etree.Element(qn(tag), nsmap=_NSMAP)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def text_run(text: str, char_style: str | None = None) -> Element:
    r = _el("w:r")
    if char_style:
        rpr = _el("w:rPr", r)
        _el("w:rStyle", rpr, val=char_style)
    t = _el("w:t", r)
    t.text = xml_text(text)
    t.set(_XML_SPACE, "preserve")
    return r


def _fld_char(kind: str) -> Element:
    r = _el("w:r")
    _el("w:fldChar", r, fldCharType=kind)
    return r


def _instr(instruction: str) -> Element:
    r = _el("w:r")
    t = _el("w:instrText", r)
    t.text = f" {instruction} "
    t.set(_XML_SPACE, "preserve")
    return r


def field_runs(instruction: str, cached: str) -> list[Element]:
    """A complex field (``REF _Ref_x \\w \\h``) whose result is already ``cached``."""
    return [_fld_char("begin"), _instr(instruction), _fld_char("separate"), text_run(cached), _fld_char("end")]


def paragraph(style: str | None, runs: Iterable[Element], bookmark: tuple[int, str] | None = None) -> Element:
    """A paragraph in a template style, optionally wrapped in a bookmark (for REF fields and the TOC)."""
    p = _el("w:p")
    if style:
        ppr = _el("w:pPr", p)
        _el("w:pStyle", ppr, val=style)
    if bookmark:
        _el("w:bookmarkStart", p, id=str(bookmark[0]), name=bookmark[1])
    for r in runs:
        p.append(r)
    if bookmark:
        _el("w:bookmarkEnd", p, id=str(bookmark[0]))
    return p


def table(rows: Sequence[Sequence[Sequence[Element]]], width: int, style: str, cell_style: str) -> Element:
    """A table in a template table style; the first row repeats as header. ``width`` is in twips."""
    columns = max(len(r) for r in rows)
    col_width = width // columns
    tbl = _el("w:tbl")
    tpr = _el("w:tblPr", tbl)
    _el("w:tblStyle", tpr, val=style)
    _el("w:tblW", tpr, w=str(col_width * columns), type="dxa")
    _el("w:tblLook", tpr, val="04A0", firstRow="1", lastRow="0", firstColumn="0", lastColumn="0",
        noHBand="1", noVBand="1")
    grid = _el("w:tblGrid", tbl)
    for _ in range(columns):
        _el("w:gridCol", grid, w=str(col_width))
    for i, row in enumerate(rows):
        tr = _el("w:tr", tbl)
        if i == 0:
            trpr = _el("w:trPr", tr)
            _el("w:tblHeader", trpr)
        for j in range(columns):
            tc = _el("w:tc", tr)
            tcpr = _el("w:tcPr", tc)
            _el("w:tcW", tcpr, w=str(col_width), type="dxa")
            runs = row[j] if j < len(row) else []
            tc.append(paragraph(cell_style, runs))
    return tbl


def hyperlink(anchor: str, runs: Iterable[Element]) -> Element:
    h = _el("w:hyperlink", anchor=anchor, history="1")
    for r in runs:
        h.append(r)
    return h


def _tab() -> Element:
    r = _el("w:r")
    _el("w:tab", r)
    return r


def toc(entries: Sequence[tuple[str | None, str, str, str]], style: str, instruction: str) -> list[Element]:
    """A TOC field whose cached result lists ``(number, heading, bookmark, page)`` entries, each a live link
    ending in a PAGEREF field to the heading's bookmark (its cached page may be empty until Word updates it)."""
    out: list[Element] = []
    for i, (number, heading, anchor, page) in enumerate(entries):
        p = paragraph(style, [])
        if i == 0:
            for r in (_fld_char("begin"), _instr(instruction), _fld_char("separate")):
                p.append(r)
        runs = [text_run(number), _tab()] if number else []
        runs += [text_run(heading), _tab(), *field_runs(f"PAGEREF {anchor} \\h", page)]
        p.append(hyperlink(anchor, runs))
        if i == len(entries) - 1:
            p.append(_fld_char("end"))
        out.append(p)
    return out
