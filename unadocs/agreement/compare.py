"""Two versions of an agreement: a redline in Word's tracked changes, and a summary of what changed.

unadocs knows both versions as structure, so it compares structure, not two
laid-out documents as Word's *Compare* does:

1. Each spec is planned as for :func:`~unadocs.agreement.build_agreement`
   (the clause files it selects, rendered and numbered), with the same
   clause library.
2. Sections (a clause, the preamble, the signature pages, an annex) pair by
   clause file id, and so do the clause files of a section. A variant that
   changed is another file: the old one is shown deleted whole and the new
   one inserted whole, never as a patchwork of two wordings.
3. Within a clause file, paragraphs and tables pair by content and are
   compared word by word, tables row by row
   (:mod:`unadocs.agreement.revisions`); the cover page is compared the same
   way. The table of contents is the new version's: it is a field that Word
   updates.
4. Numbers are Word's list numbering and cross-references are ``REF``
   fields compared by what they cite, so renumbering is no change; every
   field shows the new version's number (an old sub-clause that is gone keeps
   its old number).

Drafting notes are the new version's, as Word comments, exactly as in its
draft (``notes="inline"`` compares them as text, and a final redline has
none): they are unadocs' advice on the clause library, not words of the
agreement, so a redline does not compare them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Any, Literal

from unadocs.agreement.document import (
    BodyWriter,
    Group,
    Notes,
    Plan,
    TocPages,
    agreement_assembler,
    body_elements,
    check_notes,
    contents_pages,
    fill_template,
    is_draft_output,
    marker_name,
    plan_agreement,
    render_template,
    table_of_contents,
    template_fields,
)
from unadocs.agreement.library import load_library
from unadocs.agreement.numbering import Numbers, Section, bookmark_name
from unadocs.agreement.oxml import Element, qn
from unadocs.agreement.revisions import Revision, changed, compare_blocks, finish
from unadocs.errors import TemplateError, UnadocsError
from unadocs.model import Consortium
from unadocs.summary import FieldChange, spec_changes

__all__ = ["compare_agreements", "agreement_changes", "AgreementChanges", "ClauseChange", "FieldChange",
           "DEFAULT_AUTHOR"]

#: Who the tracked changes are by, unless the caller names someone.
DEFAULT_AUTHOR = "unadocs"
#: A table's width does not change what the summary finds (twips).
_SUMMARY_WIDTH = 9000
#: The longest author name accepted: a name, not a paragraph, in every margin balloon.
_AUTHOR_LENGTH = 80


@dataclass(frozen=True)
class ClauseChange:
    """A clause file added to, removed from or reworded in the agreement, where it stands and what changed."""

    change: Literal["added", "removed", "reworded"]
    id: str
    kind: str
    """``clause``, ``part`` (sub-clauses added to a clause), ``front``, ``signatures`` or ``annex``."""
    heading: str
    file: str
    number: str | None
    """Where it stands in the new version ("7", "17.3", "12.3–12.4", "Annex 2"); in the old one if removed."""
    old_number: str | None = None
    """Where it stood in the old version, when that differs."""
    paragraphs: tuple[str, ...] = ()
    """Its paragraphs that changed or were added: a sub-clause or item by its new number ("7.3", "7.3(b)"),
    another paragraph or a table by its opening words in quotes."""
    removed_paragraphs: tuple[str, ...] = ()
    """Its paragraphs that were removed, likewise, numbered as in the old version."""

    def __str__(self) -> str:
        where = " ".join(p for p in (self.number, self.heading) if p)
        if self.old_number and self.old_number != self.number and self.change != "removed":
            where += f" (was {self.old_number})"
        details = []
        if self.paragraphs:
            details.append(", ".join(self.paragraphs))
        if self.removed_paragraphs:
            details.append("removed " + ", ".join(self.removed_paragraphs))
        detail = f": {'; '.join(details)}" if details else ""
        return f"{self.change:<9} {where}{detail}  [{self.file}]"

    def as_dict(self) -> dict[str, Any]:
        return {"change": self.change, "id": self.id, "kind": self.kind, "heading": self.heading,
                "file": self.file, "number": self.number, "old_number": self.old_number,
                "paragraphs": list(self.paragraphs), "removed_paragraphs": list(self.removed_paragraphs)}


@dataclass(frozen=True)
class AgreementChanges:
    """What changed from one version of an agreement to the next: the spec's fields and the clauses."""

    old_version: str
    new_version: str
    old_date: date
    new_date: date
    fields: tuple[FieldChange, ...]
    """The spec fields whose values differ, in the new spec's order."""
    clauses: tuple[ClauseChange, ...]
    """The clause files added, removed or reworded, in document order (a removed one where it stood)."""

    @property
    def unchanged(self) -> bool:
        """Whether the two versions give the same agreement from the same spec values."""
        return not self.fields and not self.clauses

    def as_dict(self) -> dict[str, Any]:
        return {"old_version": self.old_version, "new_version": self.new_version,
                "old_date": self.old_date.isoformat(), "new_date": self.new_date.isoformat(),
                "unchanged": self.unchanged, "fields": [f.as_dict() for f in self.fields],
                "clauses": [c.as_dict() for c in self.clauses]}


# -- the public functions ------------------------------------------------------------------------------------------

def compare_agreements(old: Consortium, new: Consortium, *, author: str = DEFAULT_AUTHOR, final: bool = False,
                       notes: Notes = "comments", toc_pages: TocPages = "auto") -> bytes:
    """The new version's agreement as DOCX bytes, with every difference from the old one as tracked changes.

    Accepting every change in Word or LibreOffice gives the new version's
    agreement (as :func:`~unadocs.agreement.build_agreement` builds it with
    the same ``final``, ``notes`` and ``toc_pages``), and rejecting every
    change the old version's text. The changes are by ``author``, dated the
    new version's date; the header names both versions ("version 1.1,
    compared with 1.0"). ``final``, ``notes`` and ``toc_pages`` are those of
    ``build_agreement``; the table of contents' page numbers are the new
    version's. The same two specs give the same bytes.
    """
    check_notes(notes)
    revision = Revision(_checked_author(author), new.agreement.date)
    old_draft, new_draft = is_draft_output(old, final), is_draft_output(new, final)
    library = load_library()
    old_plan, new_plan = plan_agreement(old, old_draft, library), plan_agreement(new, new_draft, library)
    pages, on_open = contents_pages(new_plan, agreement_assembler(new, new_plan, new_draft, notes), toc_pages)

    def compose(elements: list[Element], width: int) -> tuple[list[Element], list[tuple[Element, str]]]:
        body = _compare_plans(old_plan, new_plan, old_draft, new_draft, notes, width, revision)
        old_elements, _ = body_elements(render_template("agreement.docx", template_fields(old, old_draft)))
        out: list[Element] = []
        old_parts, new_parts = _template_parts(old_elements), _template_parts(elements)
        if [m for _, m in old_parts] != [m for _, m in new_parts]:  # one template: unadocs' bug, said plainly
            raise TemplateError("the Word template gave the two versions different markers")
        for (old_part, _), (new_part, marker) in zip(old_parts, new_parts):
            out += [block for block, _, _ in compare_blocks(old_part, new_part, revision)]
            if marker == "toc":
                out += table_of_contents(new_plan, pages)
            elif marker == "body":
                out += body.blocks
        return finish(out, revision), body.comments

    fields = template_fields(new, new_draft, compared_with=old.agreement.version)
    title = f"{new.agreement.reference} Consortium Agreement, version {new.agreement.version} compared with " \
            f"{old.agreement.version}"
    return fill_template("agreement.docx", fields, new, title, compose, update_fields=on_open)


def agreement_changes(old: Consortium, new: Consortium, *, final: bool = False,
                      notes: Notes = "comments") -> AgreementChanges:
    """What changed from ``old`` to ``new``: the spec fields (old → new) and the clause files added, removed or
    reworded, by number and heading; the summary of the redline that :func:`compare_agreements` writes with the
    same ``final`` and ``notes``."""
    check_notes(notes)
    old_draft, new_draft = is_draft_output(old, final), is_draft_output(new, final)
    library = load_library()
    old_plan, new_plan = plan_agreement(old, old_draft, library), plan_agreement(new, new_draft, library)
    body = _compare_plans(old_plan, new_plan, old_draft, new_draft, notes, _SUMMARY_WIDTH,
                          Revision(DEFAULT_AUTHOR, new.agreement.date))
    return AgreementChanges(old.agreement.version, new.agreement.version, old.agreement.date, new.agreement.date,
                            tuple(spec_changes(old, new)), tuple(body.clauses))


def _checked_author(author: str) -> str:
    """The author's name as Word shows it: one line, printable, not too long for the margin."""
    if not isinstance(author, str):
        raise UnadocsError("the author of the changes must be a name (text)")
    name = " ".join(author.split())
    if not name:
        raise UnadocsError("the author of the changes is empty; give a name (--author)")
    bad = next((c for c in name if unicodedata.category(c)[0] == "C"), None)
    if bad is not None:
        raise UnadocsError(f"the author of the changes contains the invisible or control character "
                           f"U+{ord(bad):04X}; give a plain name (--author)")
    if len(name) > _AUTHOR_LENGTH:
        raise UnadocsError(f"the author of the changes is {len(name)} characters long; "
                           f"give at most {_AUTHOR_LENGTH} (--author)")
    return name


# -- comparing the clauses -----------------------------------------------------------------------------------------

@dataclass
class _Body:
    """The compared clauses: the redline's blocks, the comments to anchor on them, and the summary."""

    blocks: list[Element] = field(default_factory=list)
    comments: list[tuple[Element, str]] = field(default_factory=list)
    clauses: list[ClauseChange] = field(default_factory=list)


def _compare_plans(old_plan: Plan, new_plan: Plan, old_draft: bool, new_draft: bool, notes: Notes, width: int,
                   revision: Revision) -> _Body:
    """Compare the clauses of two plans, section by section and clause file by clause file.

    The old version is written with the new version's numbers and bookmark
    names wherever a target exists in both, so that a reference is the same
    field in both versions and shows the new number.
    """
    old_writer = BodyWriter(_merged_numbers(old_plan.numbers, new_plan.numbers), old_draft, width, notes=notes)
    new_writer = BodyWriter(new_plan.numbers, new_draft, width, notes=notes)
    old_groups, new_groups = old_writer.sections(old_plan.sections), new_writer.sections(new_plan.sections)
    body = _Body()
    shown: dict[int, Element] = {}
    """Each new element's block in the redline, for the drafting notes' comments."""
    matcher = SequenceMatcher(None, [s.clause.id for s in old_plan.sections],
                              [s.clause.id for s in new_plan.sections], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                _compare_sections(old_plan.sections[i], new_plan.sections[j], old_groups[i], new_groups[j],
                                  revision, body, shown)
            continue
        _replaced([(old_plan.sections[i], g) for i in range(i1, i2) for g in old_groups[i]],
                  [(new_plan.sections[j], g) for j in range(j1, j2) for g in new_groups[j]], revision, body, shown)
    body.comments = [(shown[id(anchor)], text) for anchor, text in new_writer.comments if id(anchor) in shown]
    return body


def _merged_numbers(old: Numbers, new: Numbers) -> Numbers:
    """The old version's targets with the new version's numbers and bookmark names where the new version has
    them too; an old target that is gone keeps its number and gets a name no new target uses."""
    merged = Numbers(dict(new.number), dict(new.bookmark), dict(new.source))
    taken = set(new.bookmark.values())
    for target, number in old.number.items():
        if target in new.number:
            continue
        name = old.bookmark[target]
        if name in taken:
            name = bookmark_name(target, taken)
        taken.add(name)
        merged.number[target], merged.bookmark[target], merged.source[target] = number, name, old.source[target]
    return merged


def _group_key(group: Group) -> str:
    return group.piece.clause.id if group.piece is not None else ""


def _compare_sections(old: Section, new: Section, old_groups: list[Group], new_groups: list[Group],
                      revision: Revision, body: _Body, shown: dict[int, Element]) -> None:
    matcher = SequenceMatcher(None, [_group_key(g) for g in old_groups], [_group_key(g) for g in new_groups],
                              autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                _compare_groups(old, new, old_groups[i], new_groups[j], revision, body, shown)
            continue
        _replaced([(old, g) for g in old_groups[i1:i2]], [(new, g) for g in new_groups[j1:j2]], revision, body,
                  shown)


def _compare_groups(old_section: Section, new_section: Section, old: Group, new: Group, revision: Revision,
                    body: _Body, shown: dict[int, Element]) -> None:
    reworded: list[str] = []
    removed: list[str] = []
    for block, i, j in compare_blocks(old.elements, new.elements, revision):
        body.blocks.append(block)
        if j is not None:
            shown[id(new.elements[j])] = block
        if not changed(block):
            continue
        if j is None:
            assert i is not None
            removed.append(_where(old.items[i]))
        elif (where := _where(new.items[j])) not in reworded:
            reworded.append(where)
    if reworded or removed:
        _record(body, _clause_change("reworded", new_section, new, _number(old_section, old), tuple(reworded),
                                     tuple(removed)))


#: How many words of an unnumbered paragraph the summary quotes to say which one it is.
_OPENING_WORDS = 6


def _where(item: tuple[Element, str | None]) -> str:
    """A paragraph as the summary names it: its number (7.3, 7.3(b)), or its opening words in quotes."""
    element, number = item
    if number:
        return number
    if element.tag == qn("w:tbl"):  # a table by its first row, cell by cell
        row = element.find(qn("w:tr"))
        cells = [] if row is None else row.findall(qn("w:tc"))
        text = " | ".join(" ".join(_text(p) for p in cell.iter(qn("w:p"))) for cell in cells)
    else:
        text = _text(element)
    words = text.split()
    opening = " ".join(words[:_OPENING_WORDS]) + ("\u2026" if len(words) > _OPENING_WORDS else "")
    return f"\u201c{opening}\u201d"


def _text(paragraph: Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def _record(body: _Body, change: ClauseChange) -> None:
    """Add a clause file's change to the summary, joined to the one before it for the same file (a clause's
    heading and its own text)."""
    last = body.clauses[-1] if body.clauses else None
    if last is not None and (last.id, last.change) == (change.id, change.change):
        body.clauses[-1] = ClauseChange(
            last.change, last.id, last.kind, last.heading, last.file, last.number, last.old_number,
            last.paragraphs + tuple(p for p in change.paragraphs if p not in last.paragraphs),
            last.removed_paragraphs + change.removed_paragraphs)
    else:
        body.clauses.append(change)


def _replaced(removed: list[tuple[Section, Group]], added: list[tuple[Section, Group]], revision: Revision,
              body: _Body, shown: dict[int, Element]) -> None:
    """Clause files removed and added in one place (a variant replaced by another): the old shown deleted whole
    and the new inserted whole, except that a sub-clause both carry by the same label (one that other clauses
    cite, such as the forum of disputes) is compared word by word, as the same sub-clause reworded."""
    olds = [element for _, group in removed for element in group.elements]
    news = [element for _, group in added for element in group.elements]
    for block, _, j in compare_blocks(olds, news, revision, labels_only=True):
        body.blocks.append(block)
        if j is not None:
            shown[id(news[j])] = block
    for section, group in removed:
        if group.piece is not None:
            _record(body, _clause_change("removed", section, group, None))
    for section, group in added:
        if group.piece is not None:
            _record(body, _clause_change("added", section, group, None))


def _number(section: Section, group: Group) -> str | None:
    """Where a clause file stands, as ``unadocs clauses`` shows it: "7" for a clause, "7.3–7.4" for a part,
    "Annex 2" for an annex, None for the preamble and the signature pages."""
    clause = section.clause
    if group.piece is None or group.piece.clause is clause:
        if clause.kind == "clause":
            return section.number
        return f"Annex {clause.annex}" if clause.kind == "annex" else None
    piece = group.piece
    if not piece.first:
        return section.number
    return piece.first if piece.first == piece.last else f"{piece.first}\u2013{piece.last}"


def _clause_change(change: Literal["added", "removed", "reworded"], section: Section, group: Group,
                   old_number: str | None, paragraphs: tuple[str, ...] = (),
                   removed: tuple[str, ...] = ()) -> ClauseChange:
    clause = group.piece.clause if group.piece is not None else section.clause
    kind = "part" if clause is not section.clause else clause.kind
    number = _number(section, group)
    return ClauseChange(change, clause.id, kind, clause.heading, clause.path.name, number,
                        old_number if old_number != number else None, paragraphs, removed)


def _template_parts(elements: list[Element]) -> list[tuple[list[Element], str | None]]:
    """The template's own paragraphs (the cover) cut at the markers: each stretch with the marker after it."""
    parts: list[tuple[list[Element], str | None]] = [([], None)]
    for element in elements:
        name = marker_name(element)
        if name is None:
            parts[-1][0].append(element)
        else:
            parts[-1] = (parts[-1][0], name)
            parts.append(([], None))
    return parts
