"""A small reader of Word's tracked changes, written for the tests from the OOXML standard (ECMA-376 Part 1,
§17.13.5): it accepts or rejects every change of a document part and gives the paragraphs' text.

Accepting removes deleted content and keeps inserted content; rejecting does
the opposite and restores the old properties (``w:pPrChange``,
``w:rPrChange``). A paragraph whose mark (its pilcrow) goes away joins the
next paragraph, as in Word; a row marked deleted (accepting) or inserted
(rejecting) goes away whole.
"""

from __future__ import annotations

import copy
import zipfile
from io import BytesIO
from typing import Literal

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REVISIONS = (f"{W}ins", f"{W}del", f"{W}rPrChange", f"{W}pPrChange")


def document(data: bytes) -> etree._Element:
    with zipfile.ZipFile(BytesIO(data)) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def resolve(root: etree._Element, accept: bool) -> etree._Element:
    """A copy of a part with every change accepted (``accept``) or rejected, and no revision marks left."""
    root = copy.deepcopy(root)
    gone, kept = (f"{W}del", f"{W}ins") if accept else (f"{W}ins", f"{W}del")
    for row in list(root.iter(f"{W}tr")):
        props = row.find(f"{W}trPr")
        if props is not None and props.find(gone) is not None:
            row.getparent().remove(row)
    for paragraph in list(root.iter(f"{W}p")):
        props = paragraph.find(f"{W}pPr/{W}rPr")
        if props is not None and props.find(gone) is not None:
            _join_next(paragraph)
    for el in list(root.iter(gone)):  # content, and the marks of paragraphs and rows handled above
        el.getparent().remove(el)
    for el in list(root.iter(kept)):
        parent = el.getparent()
        if parent.tag in (f"{W}rPr", f"{W}trPr"):
            parent.remove(el)
            continue
        index = parent.index(el)
        for k, child in enumerate(list(el)):
            parent.insert(index + k, child)
        parent.remove(el)
    for tag in (f"{W}pPrChange", f"{W}rPrChange"):
        for change in list(root.iter(tag)):
            props = change.getparent()
            if not accept:  # the old properties come back (a paragraph's mark properties stay)
                old = change.find(f"{W}pPr" if tag == f"{W}pPrChange" else f"{W}rPr")
                for child in list(props):
                    if child is not change and not (tag == f"{W}pPrChange" and child.tag in (f"{W}rPr", f"{W}sectPr")):
                        props.remove(child)
                for k, child in enumerate(list(old)):
                    props.insert(k, child)
            props.remove(change)
    if not accept:
        for el in list(root.iter(f"{W}delText", f"{W}delInstrText")):
            el.tag = f"{W}t" if el.tag == f"{W}delText" else f"{W}instrText"
    leftover = [el.tag for el in root.iter(*REVISIONS, f"{W}delText", f"{W}delInstrText")]
    assert not leftover, leftover
    return root


def _join_next(paragraph: etree._Element) -> None:
    """A paragraph whose mark goes away: its content joins the next paragraph (or is dropped with the mark when
    a table or the end of the story follows)."""
    following = paragraph.getnext()
    content = [c for c in paragraph if c.tag != f"{W}pPr"]
    if following is not None and following.tag == f"{W}p":
        props = following.find(f"{W}pPr")
        at = 1 if props is not None else 0
        for k, child in enumerate(content):
            following.insert(at + k, child)
    paragraph.getparent().remove(paragraph)


def paragraphs(root: etree._Element, fields: Literal["results", "codes"] = "results") -> list[str]:
    """The text of every paragraph (in tables too), in order.

    ``results``: each field as the result it shows, as a reader sees it.
    ``codes``: each field as its code in braces, as Word shows with Alt+F9;
    a paragraph whose mark is inside a field's result (an entry of the table
    of contents) belongs to that result and is not a paragraph of its own.
    """
    out: list[str] = []
    current = ""
    stack: list[bool] = []  # per open field: whether its result has started
    for p in root.iter(f"{W}p"):
        for el in p.iter(f"{W}t", f"{W}instrText", f"{W}fldChar"):
            if _nested_paragraph(el, p):
                continue
            if el.tag == f"{W}fldChar":
                kind = el.get(f"{W}fldCharType")
                if kind == "begin":
                    stack.append(False)
                    if fields == "codes" and not any(stack[:-1]):
                        current += "{"
                elif kind == "separate" and stack:
                    stack[-1] = True
                    if fields == "codes" and not any(stack[:-1]):
                        current += "}"
                elif kind == "end" and stack:
                    stack.pop()
            elif el.tag == f"{W}instrText":
                if fields == "codes" and stack and not any(stack):
                    current += " ".join((el.text or "").split())
            elif fields == "results" or not any(stack):
                current += el.text or ""
        if fields == "codes" and any(stack):
            continue  # the paragraph mark is inside a field's result
        out.append(current)
        current = ""
    if current:
        out.append(current)
    return out


def _nested_paragraph(el: etree._Element, p: etree._Element) -> bool:
    """Whether ``el`` belongs to a paragraph nested inside ``p`` (never in WordprocessingML, but be exact)."""
    parent = el.getparent()
    while parent is not None and parent is not p:
        if parent.tag == f"{W}p":
            return True
        parent = parent.getparent()
    return False


def revisions(root: etree._Element) -> dict[str, int]:
    """How many of each kind of revision mark a part holds."""
    counts: dict[str, int] = {}
    for el in root.iter(*REVISIONS):
        name = el.tag.replace(W, "w:")
        counts[name] = counts.get(name, 0) + 1
    return counts


def marked(root: etree._Element) -> list[str]:
    """Every paragraph that holds a change, as a reader of the redline sees it: deleted text in ``[-...-]``,
    inserted text in ``{+...+}``, a paragraph mark inserted or deleted as a leading ``¶+`` or ``¶-``, and a
    changed paragraph or character style as ``<style>``."""
    out: list[str] = []
    for p in root.iter(f"{W}p"):
        props = p.find(f"{W}pPr/{W}rPr")
        mark = ""
        if props is not None and props.find(f"{W}ins") is not None:
            mark = "\u00b6+ "
        elif props is not None and props.find(f"{W}del") is not None:
            mark = "\u00b6- "
        text = ""
        for el in p.iter(f"{W}t", f"{W}delText", f"{W}rPrChange", f"{W}pPrChange"):
            if el.tag in (f"{W}rPrChange", f"{W}pPrChange"):
                text += "<style>"
                continue
            inside = {a.tag for a in el.iterancestors()}
            word = el.text or ""
            text += f"[-{word}-]" if f"{W}del" in inside else f"{{+{word}+}}" if f"{W}ins" in inside else word
        if mark or "[-" in text or "{+" in text or "<style>" in text:
            out.append(mark + text.replace("-][-", "").replace("+}{+", ""))
    return out
