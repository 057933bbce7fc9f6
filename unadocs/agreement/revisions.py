"""Tracked changes in WordprocessingML: what Word's *Track Changes* writes, built from two versions.

The XML layer of a redline, beside :mod:`unadocs.agreement.oxml`: it marks a
paragraph, a table row or a run of words as inserted (``w:ins``) or deleted
(``w:del``, its text in ``w:delText``), a changed paragraph style as
``w:pPrChange`` and a changed character style as ``w:rPrChange``, each with
the author and date of a :class:`Revision`, so that Word and LibreOffice can
accept or reject every change.

Inside a paragraph the comparison is word by word: a token is a word, a
number ("300.00"), a run of white space or a punctuation mark, and a field
(a ``REF`` cross-reference, a ``PAGEREF``) is one token known by its
instruction, not by the result it shows. So a clause that only moved from
12 to 13 is no change: its number is Word's list numbering, and a reference
to it is the same field, whose result is the new version's.

Revision and bookmark ids are placeholders until :func:`finish` numbers
them in document order, so the same two versions give the same XML.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from typing import Literal

from lxml import etree  # type: ignore[import-untyped]

from unadocs.agreement.alignment import MAX_TOKENS, align, word_similarity
from unadocs.agreement.oxml import W, Element, qn

__all__ = ["Revision", "State", "compare_blocks", "compare_pair", "inserted", "deleted", "finish", "block_key",
           "changed", "PAIRING_THRESHOLD"]

#: How alike two paragraphs (or rows) must be to show one as an edit of the other rather than as a removal and
#: an addition: the share of their words in common.
PAIRING_THRESHOLD = 0.4

State = Literal["equal", "ins", "del"]

_P, _R, _T, _TBL, _TR, _TC = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_PPR, _RPR, _TRPR, _TCPR = qn("w:pPr"), qn("w:rPr"), qn("w:trPr"), qn("w:tcPr")
_INS, _DEL, _DEL_TEXT = qn("w:ins"), qn("w:del"), qn("w:delText")
_INSTR, _DEL_INSTR, _FLD_CHAR = qn("w:instrText"), qn("w:delInstrText"), qn("w:fldChar")
_BOOKMARK_START, _BOOKMARK_END, _HYPERLINK = qn("w:bookmarkStart"), qn("w:bookmarkEnd"), qn("w:hyperlink")
_RPR_CHANGE, _PPR_CHANGE, _SECT_PR = qn("w:rPrChange"), qn("w:pPrChange"), qn("w:sectPr")
_ID, _NAME, _AUTHOR, _DATE = qn("w:id"), qn("w:name"), qn("w:author"), qn("w:date")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_REVISION_TAGS = (_INS, _DEL, _RPR_CHANGE, _PPR_CHANGE)

#: A word (with inner hyphens and apostrophes), a number with its inner separators ("300.00", "2026-09-01"),
#: a run of white space, or any other single character.
_TOKEN = re.compile(r"\d+(?:[.,:/\-]\d+)*|\w+(?:['\u2019\-]\w+)*|\s+|.", re.S)


@dataclass(frozen=True)
class Revision:
    """Who made the changes and when, as Word shows them in the margin."""

    author: str
    day: date

    @property
    def stamp(self) -> str:
        """The ``w:date`` of every change: the day at midnight UTC (a version has a date, not a time)."""
        return f"{self.day.isoformat()}T00:00:00Z"


def _new(tag: str) -> Element:
    """An element with the ``w`` prefix declared, so that it serialises alone as it does in the document."""
    return etree.Element(tag, nsmap={"w": W})


def _mark(tag: str, revision: Revision) -> Element:
    """A revision element (``w:ins``, ``w:del``, ...) by the revision's author on its date; ``finish`` numbers it."""
    el = _new(tag)
    el.set(_ID, "0")
    el.set(_AUTHOR, revision.author)
    el.set(_DATE, revision.stamp)
    return el


def _canonical(el: Element | None) -> bytes:
    return b"" if el is None else bytes(etree.tostring(el, method="c14n", exclusive=True))


# -- tokens ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Token:
    """One comparable piece of a paragraph and how to write it again."""

    key: Hashable
    kind: Literal["text", "run", "field", "other", "mark"]
    rpr: Element | None = None
    """The run properties (character style) of text and run tokens."""
    text: str = ""
    elements: tuple[Element, ...] = ()
    """A run's other content (a tab), a field's runs, an other element, a bookmark marker."""

    @property
    def style(self) -> bytes:
        return _canonical(self.rpr)

    @property
    def is_word(self) -> bool:
        return self.kind != "mark" and not (self.kind == "text" and self.text.isspace())


def _tokens(p: Element) -> list[_Token]:
    """The tokens of a paragraph, in order; a complex field (``begin`` to ``end``) is one token."""
    out: list[_Token] = []
    field: list[Element] = []
    depth = 0
    for child in p:
        if child.tag == _PPR:
            continue
        if child.tag == _R and (field or child.find(_FLD_CHAR) is not None):
            field.append(child)
            for char in child.iter(_FLD_CHAR):
                kind = char.get(qn("w:fldCharType"))
                depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            if depth <= 0:
                out.append(_field(field))
                field, depth = [], 0
            continue
        if child.tag == _R:
            out.extend(_run_tokens(child))
        elif child.tag in (_BOOKMARK_START, _BOOKMARK_END):
            out.append(_Token(None, "mark", elements=(child,)))
        else:
            out.append(_Token(("other", _canonical(child)), "other", elements=(child,)))
    if field:  # a field left open by the paragraph's end: still one token
        out.append(_field(field))
    return out


def _field(runs: list[Element]) -> _Token:
    instruction = " ".join("".join(t.text or "" for r in runs for t in r.iter(_INSTR)).split())
    return _Token(("field", instruction), "field", elements=tuple(runs))


def _run_tokens(r: Element) -> Iterator[_Token]:
    rpr = r.find(_RPR)
    for child in r:
        if child.tag == _RPR:
            continue
        if child.tag == _T:
            for word in _TOKEN.findall(child.text or ""):
                yield _Token(("text", word), "text", rpr, word)
        else:
            yield _Token(("run", _canonical(child)), "run", rpr, elements=(child,))


def _ppr_base(p: Element) -> bytes:
    """A paragraph's own properties (its style...), without the marks of revisions."""
    ppr = p.find(_PPR)
    if ppr is None:
        return b""
    base = copy.deepcopy(ppr)
    for child in base.findall(_RPR) + base.findall(_PPR_CHANGE) + base.findall(_SECT_PR):
        base.remove(child)
    return _canonical(base) if len(base) else b""


def _bookmarks(el: Element) -> frozenset[str]:
    return frozenset(b.get(_NAME) for b in el.iter(_BOOKMARK_START))


def _words(el: Element) -> list[Hashable]:
    return [t.key for p in el.iter(_P) for t in _tokens(p) if t.is_word]


def block_key(el: Element) -> Hashable:
    """What makes two paragraphs or tables the same: their properties, text, fields, formatting and bookmarks
    (ids aside); the numbers fields show are not part of it."""
    if el.tag == _P:
        return ("p", _ppr_base(el), _bookmarks(el),
                tuple((t.key, t.style) for t in _tokens(el) if t.kind != "mark"))
    if el.tag == _TBL:
        return ("tbl", _canonical(el.find(qn("w:tblPr"))), tuple(_row_key(tr) for tr in el.iterchildren(_TR)))
    return ("other", _canonical(el))


def _row_key(tr: Element) -> Hashable:
    return tuple(tuple(block_key(child) for child in tc if child.tag != _TCPR) for tc in tr.iterchildren(_TC))


def _similarity(old: Element, new: Element, old_words: list[Hashable], new_words: list[Hashable]) -> float:
    """How alike two blocks are (0 to 1), given their words. Paragraphs that carry a bookmark of the same name
    are the same sub-clause (a label that others cite); two different labels never are. Tables are as alike as
    their heading rows, which say what the columns mean: two tables with other headings are other tables (what
    each Party keeps of a fee, and what it collects per Learner), whose rows are not edits of each other."""
    if old.tag != new.tag:
        return 0.0
    if old.tag == _TBL:
        return word_similarity(_heading_words(old), _heading_words(new)) if _columns(old) == _columns(new) else 0.0
    if old.tag != _P:
        return 0.0
    old_marks, new_marks = _bookmarks(old), _bookmarks(new)
    if old_marks & new_marks:
        return 1.0
    if old_marks and new_marks:
        return 0.0
    return word_similarity(old_words, new_words)


def _words_of(blocks: Sequence[Element]) -> Callable[[int], list[Hashable]]:
    """The words of each block, computed once, when first asked for (pairing asks for each many times)."""
    found: dict[int, list[Hashable]] = {}

    def words(index: int) -> list[Hashable]:
        if index not in found:
            found[index] = _words(blocks[index])
        return found[index]

    return words


def _heading_words(tbl: Element) -> list[Hashable]:
    """The words of a table's first row, its headings."""
    row = tbl.find(_TR)
    return [] if row is None else _words(row)


def _columns(tbl: Element) -> int:
    grid = tbl.find(qn("w:tblGrid"))
    return len(grid) if grid is not None else -1


# -- writing runs with their revision state ------------------------------------------------------------------------

class _Writer:
    """Appends tokens to a paragraph, each inside ``w:ins``/``w:del`` or not, merging words into runs."""

    def __init__(self, p: Element, revision: Revision) -> None:
        self.p, self.revision = p, revision
        self._container: Element | None = None
        self._run: Element | None = None
        self._run_style: tuple[State, bytes, bytes | None] | None = None
        self._text: Element | None = None
        self._words: list[str] = []
        """The words of the open run, set as its text when it closes: appending to an lxml text one word at a
        time copies the whole text each time, which is quadratic in a paragraph's length."""

    def _close_run(self) -> None:
        if self._text is not None:
            self._text.text = "".join(self._words)
        self._run, self._text, self._words = None, None, []

    def close(self) -> None:
        """Finish the paragraph: the open run gets its text."""
        self._close_run()

    def _target(self, state: State) -> Element:
        """Where content of ``state`` goes: the paragraph, or the open ``w:ins``/``w:del`` if it is the last
        thing in it and of that kind (a new one otherwise)."""
        if state == "equal":
            return self.p
        tag = _INS if state == "ins" else _DEL
        if self._container is None or self._container.tag != tag or self.p[-1] is not self._container:
            self._container = _mark(tag, self.revision)
            self.p.append(self._container)
        return self._container

    def write(self, token: _Token, state: State, old_rpr: Element | None = None) -> None:
        """Write a token as unchanged, inserted or deleted; ``old_rpr`` is given for an unchanged word whose
        character style changed: the old version's run properties (recorded as ``w:rPrChange``)."""
        if token.kind == "mark":
            self._close_run()
            self.p.append(copy.deepcopy(token.elements[0]))
            return
        target = self._target(state)
        if token.kind == "text":
            style = (state, token.style, None if old_rpr is None else _canonical(old_rpr))
            if self._run is None or self._run_style != style or len(target) == 0 or target[-1] is not self._run:
                self._close_run()
                self._run = self._new_run(token.rpr, old_rpr)
                self._run_style = style
                target.append(self._run)
                self._text = etree.SubElement(self._run, _DEL_TEXT if state == "del" else _T)
                self._text.set(_XML_SPACE, "preserve")
            self._words.append(token.text)
            return
        self._close_run()
        if token.kind == "run":
            run = self._new_run(token.rpr, old_rpr)
            run.append(copy.deepcopy(token.elements[0]))
            target.append(run)
        elif token.kind == "field":
            for r in token.elements:
                target.append(_as_state(copy.deepcopy(r), state))
        else:
            target.append(_tracked_other(copy.deepcopy(token.elements[0]), state, self.revision))

    def _new_run(self, rpr: Element | None, old_rpr: Element | None) -> Element:
        run = _new(_R)
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        if old_rpr is not None:
            props = run.find(_RPR)
            if props is None:
                props = etree.SubElement(run, _RPR)
            change = _mark(_RPR_CHANGE, self.revision)
            previous = etree.SubElement(change, _RPR)
            for child in old_rpr:
                if child.tag != _RPR_CHANGE:
                    previous.append(copy.deepcopy(child))
            props.append(change)
        return run


def _as_state(run: Element, state: State) -> Element:
    """A run as deleted text (``w:delText``, ``w:delInstrText``) when ``state`` is ``del``."""
    if state == "del":
        for t in run.iter(_T):
            t.tag = _DEL_TEXT
        for t in run.iter(_INSTR):
            t.tag = _DEL_INSTR
    return run


def _tracked_other(el: Element, state: State, revision: Revision) -> Element:
    """A hyperlink's runs go inside it, marked; other content is placed inside the revision as it is."""
    if state != "equal" and el.tag == _HYPERLINK:
        for run in list(el.iterchildren(_R)):
            container = _mark(_INS if state == "ins" else _DEL, revision)
            run.addprevious(container)
            container.append(_as_state(run, state))
    return el


# -- paragraphs ----------------------------------------------------------------------------------------------------

def _paragraph_mark(p: Element, state: State, revision: Revision) -> None:
    """Mark a paragraph's end (its pilcrow) as inserted or deleted: accepting or rejecting then joins it to the
    next paragraph, so that a whole paragraph comes or goes."""
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = _new(_PPR)
        p.insert(0, ppr)
    rpr = ppr.find(_RPR)
    if rpr is None:
        rpr = _new(_RPR)
        later = ppr.find(_SECT_PR) if ppr.find(_SECT_PR) is not None else ppr.find(_PPR_CHANGE)
        if later is not None:
            later.addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, _mark(_INS if state == "ins" else _DEL, revision))


def _shell(p: Element) -> Element:
    """A paragraph with ``p``'s properties and no content."""
    out = _new(_P)
    for name, value in p.attrib.items():
        out.set(name, value)
    ppr = p.find(_PPR)
    if ppr is not None:
        out.append(copy.deepcopy(ppr))
    return out


def _whole_paragraph(p: Element, state: State, revision: Revision) -> Element:
    out = _shell(p)
    writer = _Writer(out, revision)
    for token in _tokens(p):
        writer.write(token, state)
    writer.close()
    _paragraph_mark(out, state, revision)
    return out


Opcode = tuple[str, int, int, int, int]


def _compare_paragraphs(old: Element, new: Element, revision: Revision) -> Element:
    """The new paragraph with the words that differ from the old marked, and a changed style recorded."""
    out = _shell(new)
    old_base, new_base = _ppr_base(old), _ppr_base(new)
    if old_base != new_base:
        _record_paragraph_style(out, old, revision)
    olds = [t for t in _tokens(old) if t.kind != "mark"]
    marks_before: list[list[_Token]] = [[]]
    news: list[_Token] = []
    for token in _tokens(new):
        if token.kind == "mark":
            marks_before[-1].append(token)
        else:
            news.append(token)
            marks_before.append([])
    writer = _Writer(out, revision)

    def marks(j: int) -> None:
        for mark in marks_before[j]:
            writer.write(mark, "equal")
        marks_before[j] = []

    if max(len(olds), len(news)) > MAX_TOKENS:  # too long to compare word by word: the old words go, the new come
        opcodes: Sequence[Opcode] = [("replace", 0, len(olds), 0, len(news))]
    else:
        opcodes = SequenceMatcher(None, [t.key for t in olds], [t.key for t in news], autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in _readable(opcodes, olds, news):
        marks(j1)
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                marks(j)
                same = olds[i].style == news[j].style
                writer.write(news[j], "equal", None if same else (olds[i].rpr if olds[i].rpr is not None
                                                                 else _new(_RPR)))
            continue
        for i in range(i1, i2):
            writer.write(olds[i], "del")
        for j in range(j1, j2):
            marks(j)
            writer.write(news[j], "ins")
    marks(len(news))
    writer.close()
    return out


def _readable(opcodes: Sequence[Opcode], olds: Sequence[_Token], news: Sequence[_Token]) -> list[Opcode]:
    """Opcodes where a short equal stretch between two changes joins them, so that a reader sees "15 May 2025"
    replaced by "1 September 2026", not three words replaced around two unchanged spaces."""
    ops = list(opcodes)

    def size(tokens: Sequence[_Token], a: int, b: int) -> int:
        return sum(len(t.text) if t.kind == "text" else 4 for t in tokens[a:b])

    def extent(op: Opcode) -> int:
        return max(size(olds, op[1], op[2]), size(news, op[3], op[4]))

    def joinable(k: int) -> bool:
        tag, i1, i2, _, _ = ops[k]
        before, after = ops[k - 1], ops[k + 1]
        if tag != "equal" or before[0] == "equal" or after[0] == "equal":
            return False
        trivial = all(t.kind == "text" and not t.text[0].isalnum() for t in olds[i1:i2])
        return trivial or size(olds, i1, i2) <= min(extent(before), extent(after))

    while True:  # a join makes the changes around the next equal stretch longer: look again from the start
        k = next((k for k in range(1, len(ops) - 1) if joinable(k)), None)
        if k is None:
            return ops
        before, after = ops[k - 1], ops[k + 1]
        ops[k - 1:k + 2] = [("replace", before[1], after[2], before[3], after[4])]


def _record_paragraph_style(out: Element, old: Element, revision: Revision) -> None:
    """``w:pPrChange``: the old paragraph properties, so that rejecting restores them."""
    ppr = out.find(_PPR)
    if ppr is None:
        ppr = _new(_PPR)
        out.insert(0, ppr)
    change = _mark(_PPR_CHANGE, revision)
    previous = etree.SubElement(change, _PPR)
    old_ppr = old.find(_PPR)
    for child in (old_ppr if old_ppr is not None else ()):
        if child.tag not in (_RPR, _SECT_PR, _PPR_CHANGE):
            previous.append(copy.deepcopy(child))
    ppr.append(change)


# -- tables --------------------------------------------------------------------------------------------------------

def _mark_row(tr: Element, state: State, revision: Revision) -> Element:
    """A row inserted or deleted whole: the row itself (``w:trPr``) and the text of its cells."""
    trpr = tr.find(_TRPR)
    if trpr is None:
        trpr = _new(_TRPR)
        exceptions = tr.find(qn("w:tblPrEx"))
        if exceptions is not None:
            exceptions.addnext(trpr)
        else:
            tr.insert(0, trpr)
    trpr.append(_mark(_INS if state == "ins" else _DEL, revision))
    for tc in tr.iterchildren(_TC):
        blocks = [child for child in tc if child.tag in (_P, _TBL)]
        for child in blocks:
            if child.tag == _TBL:
                tc.replace(child, _whole_table(child, state, revision))
            elif child is blocks[-1]:
                # a cell's last paragraph mark stays: the cell cannot lose it, and the row's mark takes it along
                marked = _whole_paragraph(child, state, revision)
                marked_ppr = marked.find(_PPR)
                if marked_ppr is not None and marked_ppr.find(_RPR) is not None:
                    mark_props = marked_ppr.find(_RPR)
                    mark_props.remove(mark_props[0])
                    if not len(mark_props):
                        marked_ppr.remove(mark_props)
                    if not len(marked_ppr):
                        marked.remove(marked_ppr)
                tc.replace(child, marked)
            else:
                tc.replace(child, _whole_paragraph(child, state, revision))
    return tr


def _whole_table(tbl: Element, state: State, revision: Revision) -> Element:
    out = copy.deepcopy(tbl)
    for tr in list(out.iterchildren(_TR)):
        _mark_row(tr, state, revision)
    return out


def _compare_rows(old: Element, new: Element, revision: Revision) -> Element:
    out = _new(_TR)
    for name, value in new.attrib.items():
        out.set(name, value)
    for child in new:
        if child.tag != _TC:
            out.append(copy.deepcopy(child))
    for old_cell, new_cell in zip(old.iterchildren(_TC), new.iterchildren(_TC)):
        cell = etree.SubElement(out, _TC)
        props = new_cell.find(_TCPR)
        if props is not None:
            cell.append(copy.deepcopy(props))
        olds = [c for c in old_cell if c.tag in (_P, _TBL)]
        news = [c for c in new_cell if c.tag in (_P, _TBL)]
        for element, _, _ in compare_blocks(olds, news, revision):
            cell.append(element)
    return out


def _compare_tables(old: Element, new: Element, revision: Revision) -> Element:
    """The new table with rows added or removed whole and the words of changed rows marked."""
    out = _new(_TBL)
    for child in new:
        if child.tag != _TR:
            out.append(copy.deepcopy(child))
    olds, news = list(old.iterchildren(_TR)), list(new.iterchildren(_TR))
    old_keys, new_keys = [_row_key(r) for r in olds], [_row_key(r) for r in news]
    old_words, new_words = _words_of(olds), _words_of(news)

    def similarity(i: int, j: int) -> float:
        if len(olds[i].findall(_TC)) != len(news[j].findall(_TC)):
            return 0.0
        return word_similarity(old_words(i), new_words(j))

    for i, j in align(old_keys, new_keys, similarity, PAIRING_THRESHOLD):
        if j is None:
            assert i is not None
            out.append(_mark_row(copy.deepcopy(olds[i]), "del", revision))
        elif i is None:
            out.append(_mark_row(copy.deepcopy(news[j]), "ins", revision))
        elif old_keys[i] == new_keys[j]:
            out.append(copy.deepcopy(news[j]))
        else:
            out.append(_compare_rows(olds[i], news[j], revision))
    return out


# -- blocks --------------------------------------------------------------------------------------------------------

def inserted(block: Element, revision: Revision) -> Element:
    """A paragraph or table of the new version that the old one lacks, marked inserted whole.

    Other body content (a content control a lawyer put in the template) cannot be marked and is kept as it is.
    """
    if block.tag == _P:
        return _whole_paragraph(block, "ins", revision)
    if block.tag == _TBL:
        return _whole_table(block, "ins", revision)
    return copy.deepcopy(block)


def deleted(block: Element, revision: Revision) -> Element | None:
    """A paragraph or table of the old version that the new one lacks, marked deleted whole (None for other
    body content, which cannot be marked and is left out)."""
    if block.tag == _P:
        return _whole_paragraph(block, "del", revision)
    if block.tag == _TBL:
        return _whole_table(block, "del", revision)
    return None


def compare_blocks(olds: Sequence[Element], news: Sequence[Element], revision: Revision,
                   labels_only: bool = False) -> list[tuple[Element, int | None, int | None]]:
    """The new blocks (paragraphs and tables) with every difference from the old marked, and the old blocks
    that were removed, in reading order; each with the index of the old block it shows or replaces and of the
    new block it shows (None for an added and a removed one).

    ``labels_only``: pair only paragraphs that carry the same label (a sub-clause others cite), and show every
    other block as removed or added whole: for a variant replaced by another.
    """
    if labels_only:
        pairs = align([("old", i) for i in range(len(olds))], [("new", j) for j in range(len(news))],
                      lambda i, j: 1.0 if _bookmarks(olds[i]) & _bookmarks(news[j]) else 0.0, 1.0)
    else:
        old_keys, new_keys = [block_key(b) for b in olds], [block_key(b) for b in news]
        old_words, new_words = _words_of(olds), _words_of(news)
        pairs = align(old_keys, new_keys, lambda i, j: _similarity(olds[i], news[j], old_words(i), new_words(j)),
                      PAIRING_THRESHOLD)
    out: list[tuple[Element, int | None, int | None]] = []
    for i, j in pairs:
        if j is None:
            assert i is not None
            gone = deleted(olds[i], revision)
            if gone is not None:
                out.append((gone, i, None))
        elif i is None:
            out.append((inserted(news[j], revision), None, j))
        else:
            same = not labels_only and old_keys[i] == new_keys[j]
            out.append((copy.deepcopy(news[j]) if same else compare_pair(olds[i], news[j], revision), i, j))
    return out


def compare_pair(old: Element, new: Element, revision: Revision) -> Element:
    """The new block with its differences from the old one marked (a copy of it when there are none)."""
    if block_key(old) == block_key(new):
        return copy.deepcopy(new)
    if old.tag == new.tag == _P:
        return _compare_paragraphs(old, new, revision)
    if old.tag == new.tag == _TBL and _columns(old) == _columns(new):
        return _compare_tables(old, new, revision)
    return copy.deepcopy(new)


def changed(block: Element) -> bool:
    """Whether a block of a redline holds any tracked change."""
    return next(block.iter(*_REVISION_TAGS), None) is not None


# -- the whole body ------------------------------------------------------------------------------------------------

def _whole_state(block: Element) -> State:
    """``ins`` or ``del`` for a paragraph or table inserted or deleted whole, ``equal`` otherwise."""
    if block.tag == _P:
        ppr = block.find(_PPR)
        props = ppr.find(_RPR) if ppr is not None else None
        if props is not None and props.find(_DEL) is not None:
            return "del"
        if props is not None and props.find(_INS) is not None:
            return "ins"
    elif block.tag == _TBL:
        states = set()
        for tr in block.iterchildren(_TR):
            trpr = tr.find(_TRPR)
            states.add("del" if trpr is not None and trpr.find(_DEL) is not None else
                       "ins" if trpr is not None and trpr.find(_INS) is not None else "equal")
        if len(states) == 1 and states != {"equal"}:
            return "ins" if states == {"ins"} else "del"
    return "equal"


def _settle_bookmarks(blocks: list[Element]) -> list[tuple[Element, Element]]:
    """Give every bookmark name one range, and return the ranges (start, end).

    A label that moved to another place can stand both on a removed and on a
    kept or added paragraph; the new version's paragraph keeps it.
    """
    found: dict[str, list[tuple[int, Element, Element]]] = {}
    for index, block in enumerate(blocks):
        starts = {s.get(_ID): s for s in block.iter(_BOOKMARK_START)}
        for end in block.iter(_BOOKMARK_END):
            start = starts.get(end.get(_ID))
            if start is not None:
                found.setdefault(start.get(_NAME), []).append((index, start, end))
    ranges: list[tuple[Element, Element]] = []
    for places in found.values():
        kept = [p for p in places if _whole_state(blocks[p[0]]) != "del"] or places[:1]
        for place in places:
            if place is not kept[0]:
                _remove(place[1])
                _remove(place[2])
        ranges.append((kept[0][1], kept[0][2]))
    return ranges


def _remove(el: Element) -> None:
    parent = el.getparent()
    if parent is not None:
        parent.remove(el)


def _mark_state(p: Element) -> State:
    """Whether a paragraph's mark is inserted, deleted or neither."""
    return _whole_state(p) if p.tag == _P else "equal"


def _unmark(p: Element) -> None:
    ppr = p.find(_PPR)
    props = ppr.find(_RPR)
    for mark in props.findall(_INS) + props.findall(_DEL):
        props.remove(mark)
    if not len(props):
        ppr.remove(props)


def _base_children(p: Element) -> list[Element]:
    """Copies of a paragraph's own properties (its style...): what it has now."""
    ppr = p.find(_PPR)
    return [copy.deepcopy(c) for c in (ppr if ppr is not None else ()) if c.tag not in (_RPR, _SECT_PR, _PPR_CHANGE)]


def _old_children(p: Element) -> list[Element]:
    """Copies of the properties a paragraph has when every change is rejected."""
    ppr = p.find(_PPR)
    change = ppr.find(_PPR_CHANGE) if ppr is not None else None
    if change is None or change.find(_PPR) is None:
        return _base_children(p)
    return [copy.deepcopy(c) for c in change.find(_PPR)]


def _restyle(p: Element, revision: Revision, current: list[Element] | None = None,
             old: list[Element] | None = None) -> None:
    """Give a paragraph other properties now (``current``) and/or when changes are rejected (``old``, recorded
    as ``w:pPrChange`` when it differs from what it has now)."""
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = _new(_PPR)
        p.insert(0, ppr)
    old = _old_children(p) if old is None else old
    if current is not None:
        for child in list(ppr):
            if child.tag not in (_RPR, _SECT_PR, _PPR_CHANGE):
                ppr.remove(child)
        for k, child in enumerate(current):
            ppr.insert(k, child)
    for change in ppr.findall(_PPR_CHANGE):
        ppr.remove(change)
    now = [c for c in ppr if c.tag not in (_RPR, _SECT_PR, _PPR_CHANGE)]
    if b"".join(map(_canonical, old)) != b"".join(map(_canonical, now)):
        record = _mark(_PPR_CHANGE, revision)
        before = etree.SubElement(record, _PPR)
        for child in old:
            before.append(child)
        ppr.append(record)


def _settle_marks(blocks: list[Element], revision: Revision) -> None:
    """Mark each run of paragraphs inserted (or deleted) whole so that Word and LibreOffice join rightly.

    Removing a paragraph's mark joins it to the next paragraph. Word keeps
    the properties of the mark that stays; LibreOffice those of the first
    paragraph (and numbers lists by them where it shows changes), and cannot
    join a paragraph to a table: it keeps an empty one. So a run keeps its
    own marks when the paragraph after it has the properties of its first;
    otherwise it is recorded as Word records text added (or deleted) at the
    end of the paragraph before it, whose mark is then the one marked, the
    run's last mark taking its place and, where the run is not shown, its
    properties; a run added right after a deleted paragraph joins it into one
    paragraph of replaced words. A run with neither (after a table) keeps its
    own marks.
    """
    k = 0
    while k < len(blocks):
        state = _mark_state(blocks[k])
        if state == "equal":
            k += 1
            continue
        end = k
        while end < len(blocks) and blocks[end].tag == _P and _mark_state(blocks[end]) == state:
            end += 1
        run = blocks[k:end]
        before = blocks[k - 1] if k and blocks[k - 1].tag == _P else None
        after = blocks[end] if end < len(blocks) and blocks[end].tag == _P else None
        if after is not None and _ppr_base(after) == _ppr_base(run[0]):
            pass  # whichever paragraph's properties the join keeps, they are the same
        elif before is not None and _mark_state(before) == "equal":
            _join_to(before, run, state, revision)
        elif state == "ins" and before is not None and _mark_state(before) == "del":
            blocks[k - 1:k + 1] = [_replaced(before, run[0], revision)]
            end -= 1
            if len(run) > 1:
                _join_to(run[0], run[1:], "ins", revision)
        k = end


def _join_to(before: Element, run: list[Element], state: State, revision: Revision) -> None:
    """Record a run as added (or deleted) at the end of the paragraph before it (see :func:`_settle_marks`)."""
    last = run[-1]
    _paragraph_mark(before, state, revision)
    _unmark(last)
    if state == "ins":
        _restyle(last, revision, old=_old_children(before))
    else:
        _restyle(last, revision, current=_base_children(before), old=_old_children(last))


def _replaced(deleted: Element, added: Element, revision: Revision) -> Element:
    """A deleted paragraph and the added one after it as one paragraph: the old words deleted, the new inserted,
    the new properties with the old recorded. The added paragraph is the one kept (a drafting note may be
    anchored on it)."""
    _unmark(added)
    _restyle(added, revision, old=_base_children(deleted))
    ppr = added.find(_PPR)
    at = 0 if ppr is None else added.index(ppr) + 1
    for offset, child in enumerate(c for c in list(deleted) if c.tag != _PPR):
        added.insert(at + offset, child)
    return added


def finish(blocks: list[Element], revision: Revision) -> list[Element]:
    """The blocks of a redline, ready to write: one range per bookmark, paragraph marks that join rightly
    (:func:`_settle_marks`), and every bookmark and revision numbered in document order."""
    ranges = _settle_bookmarks(blocks)
    ends = dict(ranges)  # by element: lxml keeps one proxy per node while a reference to it lives (here)
    _settle_marks(blocks, revision)
    number = 0
    for block in blocks:
        for start in block.iter(_BOOKMARK_START):
            end = ends.get(start)
            if end is not None:
                number += 1
                start.set(_ID, str(number))
                end.set(_ID, str(number))
    for block in blocks:
        for el in block.iter(*_REVISION_TAGS):
            number += 1
            el.set(_ID, str(number))
    return blocks
